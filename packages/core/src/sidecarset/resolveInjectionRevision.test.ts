import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/pod.js';
import type { SidecarSet } from '../api/sidecarSet.js';
import type { ControllerRevision } from '../shared/revision.js';
import { injectSidecars } from './injectSidecars.js';
import { resolveInjectionRevision } from './resolveInjectionRevision.js';
import { NOW } from './sidecarset.testkit.js';

// TestCanarySidecarSetInjection of OpenKruise's pod webhook: stable revision pinned with policy Partial.
const revisionID = 'sidecarset1-12345';
const canary: SidecarSet = {
  metadata: { name: 'sidecarset1' },
  spec: {
    selector: { matchLabels: { app: 'demo' } },
    containers: [{ name: 'sidecar', image: 'sidecar-image:canary' }],
    updateStrategy: { selector: { matchLabels: { canary: 'true' } } },
    injectionStrategy: { revision: { customVersion: revisionID, policy: 'Partial' } },
  },
};
const revision: ControllerRevision = {
  metadata: { name: revisionID, namespace: 'kruise-system', labels: { 'kruise.io/sidecarset-name': 'sidecarset1', 'apps.kruise.io/sidecarset-custom-version': revisionID } },
  data: { spec: { $patch: 'replace', containers: [{ name: 'sidecar', image: 'sidecar-image:stable' }] } },
  revision: 1,
};
const pod = (labels: Record<string, string>): Pod => ({ metadata: { name: 'p', namespace: 'default', labels: { app: 'demo', ...labels } }, spec: { containers: [{ name: 'app', image: 'demo' }] } });
const stablePod = pod({});
const canaryPod = pod({ canary: 'true' });
const withStrategy = (us: Partial<NonNullable<SidecarSet['spec']['updateStrategy']>>): SidecarSet => ({ ...canary, spec: { ...canary.spec, updateStrategy: { ...canary.spec.updateStrategy, ...us } } });

function injectedImage(ss: SidecarSet, p: Pod, revisions: ControllerRevision[] = [revision], random = 0.5): string | undefined {
  const result = injectSidecars(p, [ss], {}, { now: NOW, revisions, random });
  if (result.kind === 'rejected') return `rejected: ${result.reason}`;
  return result.kind === 'injected' ? result.pod.spec.containers[1]?.image : result.kind;
}

describe('revision injection', () => {
  it.each<[string, SidecarSet, Pod, string]>([
    ['stable pod', canary, stablePod, 'sidecar-image:stable'],
    ['canary without partition', canary, canaryPod, 'sidecar-image:canary'],
    ['canary with partition 100%', withStrategy({ partition: '100%' }), canaryPod, 'sidecar-image:stable'],
    ['canary with partition 0%', withStrategy({ partition: '0%' }), canaryPod, 'sidecar-image:canary'],
    ['canary with bad partition', withStrategy({ partition: 'abc%' }), canaryPod, 'rejected: invalid-partition'],
    ['canary paused', withStrategy({ partition: '0%', paused: true }), canaryPod, 'sidecar-image:stable'],
  ])('%s', (_story, ss, p, image) => {
    expect(injectedImage(ss, p)).toBe(image);
  });

  it('canary no history: the pod is refused', () => {
    expect(injectedImage(canary, canaryPod, [])).toBe('rejected: revision-not-found');
  });

  it('a percentage partition is a draw against the caller’s random number', () => {
    const thirty = withStrategy({ partition: '30%' });
    expect(resolveInjectionRevision(thirty, canaryPod, [revision], 0.2)).toMatchObject({ kind: 'pinned', reason: 'partition-draw', revision: revisionID });
    expect(resolveInjectionRevision(thirty, canaryPod, [revision], 0.5)).toMatchObject({ kind: 'latest', reason: 'partition-draw' });
  });

  it('TestInjectionStrategyRevision: policy Always injects the pinned revision and records it', () => {
    const always = { ...canary, spec: { ...canary.spec, injectionStrategy: { revision: { customVersion: revisionID, policy: 'Always' as const } } } };
    const result = injectSidecars(canaryPod, [always], {}, { now: NOW, revisions: [revision] });
    expect(result).toMatchObject({ kind: 'injected', revisions: { sidecarset1: revisionID } });
    expect(result.kind === 'injected' && result.pod.metadata.annotations?.['kruise.io/sidecarset-hash']).toContain(`"controllerRevision":"${revisionID}"`);
  });
});
