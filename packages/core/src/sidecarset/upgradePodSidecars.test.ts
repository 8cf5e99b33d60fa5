import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/pod.js';
import type { SidecarSet } from '../api/sidecarSet.js';
import { computeSidecarSetStatus } from './computeSidecarSetStatus.js';
import { podHotUpgradeWorkInfo } from './hotUpgrade.js';
import { injectSidecars } from './injectSidecars.js';
import { planSidecarSetUpdate } from './planSidecarSetUpdate.js';
import { withSidecarSetHashAnnotations } from './sidecarSetHash.js';
import { classifySidecarSetUpgradability, isSidecarSetPodConsistent, isSidecarSetPodReady } from './sidecarSetPodState.js';
import { NOW, webPod } from './sidecarset.testkit.js';
import { findContainerToHotUpgrade, upgradePodSidecars } from './upgradePodSidecars.js';

// The kubelet after a sync: every container runs its spec image (imageID `<image>-id`) and is ready.
const kubelet = (pod: Pod): Pod => ({
  ...pod,
  status: { ...pod.status, containerStatuses: pod.spec.containers.map((c) => ({ name: c.name, image: c.image ?? '', imageID: `${c.image ?? ''}-id`, ready: true })) },
});

const envoy = (image: string, resourceVersion: string): SidecarSet =>
  withSidecarSetHashAnnotations({
    metadata: { name: 'mesh', resourceVersion },
    spec: { selector: { matchLabels: { app: 'web' } }, containers: [{ name: 'envoy', image, upgradeStrategy: { upgradeType: 'HotUpgrade', hotUpgradeEmptyImage: 'empty:1' } }] },
  });

function injectedPod(ss: SidecarSet): Pod {
  const result = injectSidecars(webPod('web-0', [{ name: 'app', image: 'app:1' }]), [ss], {}, { now: NOW });
  if (result.kind !== 'injected') throw new Error(result.kind);
  return kubelet(result.pod);
}

const images = (pod: Pod) => Object.fromEntries(pod.spec.containers.map((c) => [c.name, c.image]));

describe('hot upgrade, step by step', () => {
  const v1 = envoy('envoy:1', '100');
  const v2 = envoy('envoy:2', '200');
  const start = injectedPod(v1);

  it('starts with envoy-1 working and envoy-2 idle on the empty image; the pod is ready and updated', () => {
    expect(images(start)).toEqual({ 'envoy-1': 'envoy:1', 'envoy-2': 'empty:1', app: 'app:1' });
    expect(computeSidecarSetStatus(v1, [start], NOW)).toMatchObject({ matchedPods: 1, updatedPods: 1, readyPods: 1, updatedReadyPods: 1 });
  });

  const plan = planSidecarSetUpdate(v2, [start], NOW);
  const upgraded = plan.decision.kind === 'upgrade' && plan.decision.upgrades[0]?.upgrade.kind === 'upgraded' ? plan.decision.upgrades[0].upgrade.pod : start;

  it('gives the new image to the idle twin and makes it the working one', () => {
    expect(findContainerToHotUpgrade(v2, v2.spec.containers?.[0] ?? { name: '' }, start)).toEqual({ upgrade: 'envoy-2', other: 'envoy-1' });
    expect(images(upgraded)).toEqual({ 'envoy-1': 'envoy:1', 'envoy-2': 'envoy:2', app: 'app:1' });
    expect(podHotUpgradeWorkInfo(upgraded)).toEqual({ envoy: 'envoy-2' });
    expect(upgraded.metadata.annotations).toMatchObject({
      'version.sidecarset.kruise.io/envoy-2': '200',
      'versionalt.sidecarset.kruise.io/envoy-2': '1',
      'versionalt.sidecarset.kruise.io/envoy-1': '200',
    });
  });

  it('waits for the kubelet, then resets the old twin to the empty image', () => {
    expect(isSidecarSetPodConsistent(v2, upgraded)).toBe(false);
    expect(planSidecarSetUpdate(v2, [upgraded], NOW).hotUpgradeResets).toEqual([]);
    const synced = kubelet(upgraded);
    expect(isSidecarSetPodReady(v2, synced)).toBe(false);
    const [reset] = planSidecarSetUpdate(v2, [synced], NOW).hotUpgradeResets;
    expect(reset?.changedContainers).toEqual(['envoy-1']);
    const done = kubelet(reset?.updated ?? synced);
    expect(images(done)).toEqual({ 'envoy-1': 'empty:1', 'envoy-2': 'envoy:2', app: 'app:1' });
    expect(done.metadata.annotations).toMatchObject({ 'version.sidecarset.kruise.io/envoy-1': '0', 'versionalt.sidecarset.kruise.io/envoy-2': '0' });
    expect(computeSidecarSetStatus(v2, [done], NOW)).toMatchObject({ updatedPods: 1, readyPods: 1, updatedReadyPods: 1 });
    expect(planSidecarSetUpdate(v2, [done], NOW)).toMatchObject({ hotUpgradeResets: [], decision: { kind: 'idle', reason: 'update-complete' } });
  });
});

describe('cold upgrade and upgradability', () => {
  const log = (image: string, args: string[] = []): SidecarSet =>
    withSidecarSetHashAnnotations({ metadata: { name: 'log' }, spec: { selector: { matchLabels: { app: 'web' } }, containers: [{ name: 'fluentd', image, args }] } });

  it('only image changes are upgradable', () => {
    const pod = injectedPod(log('fluentd:1'));
    expect(classifySidecarSetUpgradability(log('fluentd:2'), pod)).toEqual({ kind: 'upgradable' });
    expect(classifySidecarSetUpgradability(log('fluentd:2', ['-v']), pod)).toEqual({ kind: 'not-upgradable', reason: 'spec-changed' });
    expect(planSidecarSetUpdate(log('fluentd:2', ['-v']), [pod], NOW)).toMatchObject({ decision: { kind: 'idle', reason: 'no-candidates' }, notUpgradable: [pod] });
  });

  it('a ready sidecar still on its old imageID is an upgrade in progress', () => {
    const result = upgradePodSidecars(log('fluentd:2'), injectedPod(log('fluentd:1')), NOW);
    const pod = result.kind === 'upgraded' ? result.pod : undefined;
    expect(pod && classifySidecarSetUpgradability(log('fluentd:3'), pod)).toEqual({ kind: 'upgrade-in-progress', container: 'fluentd' });
  });

  it('digest images are consistent when the imageID carries the digest', () => {
    const ss = log('fluentd@sha256:ab');
    const pod = injectedPod(ss);
    const withId = (imageID: string): Pod => ({ ...pod, status: { ...pod.status, containerStatuses: pod.status?.containerStatuses?.map((s) => (s.name === 'fluentd' ? { ...s, imageID } : s)) } });
    expect(isSidecarSetPodConsistent(ss, withId('docker-pullable://docker.io/library/fluentd@sha256:ab'))).toBe(true);
    expect(isSidecarSetPodConsistent(ss, withId('docker-pullable://docker.io/library/fluentd@sha256:cd'))).toBe(false);
  });
});
