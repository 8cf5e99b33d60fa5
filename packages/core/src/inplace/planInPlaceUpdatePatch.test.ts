import { describe, expect, it } from 'vitest';
import { at, T0 } from '../testing/index.js';
import { parseInPlaceUpdateState } from './inPlaceUpdateState.js';
import { planInPlaceUpdatePatch, type InPlaceUpdatePodPlan } from './planInPlaceUpdatePatch.js';
import { barrierEnv, podWith, updateSpec as spec } from './inplace.testkit.js';

const STATE = 'apps.kruise.io/inplace-update-state';
const GRACE = 'apps.kruise.io/inplace-update-grace';
const envFromLabel = [{ name: 'V', valueFrom: { fieldRef: { fieldPath: "metadata.labels['version']" } } }];

function stateOf(plan: InPlaceUpdatePodPlan): unknown {
  const text = plan.pod.metadata.annotations?.[STATE];
  const read = text === undefined ? undefined : parseInPlaceUpdateState(text);
  return read?.kind === 'parsed' ? read.state : read;
}

describe('planInPlaceUpdatePatch', () => {
  it('image change: new image, revision labels and a state recording the old imageID', () => {
    const pod = podWith([{ name: 'main', image: 'nginx:1' }]);
    const plan = planInPlaceUpdatePatch(pod, spec({ containerImages: { main: 'nginx:2' } }), { now: T0 });
    expect(plan.kind).toBe('apply-batch');
    expect(plan.pod.spec.containers[0]?.image).toBe('nginx:2');
    expect(plan.pod.metadata.labels).toMatchObject({ 'controller-revision-hash': 'web-2', 'pod-template-hash': '2' });
    expect(stateOf(plan)).toEqual({
      revision: 'web-2',
      updateTimestamp: '2025-01-01T00:00:00Z',
      lastContainerStatuses: { main: { imageID: 'nginx:1@sha256:0' } },
      updateImages: true,
      containerBatchesRecord: [{ timestamp: '2025-01-01T00:00:00Z', containers: ['main'] }],
    });
    expect(plan.patch).toEqual({
      metadata: { labels: { 'controller-revision-hash': 'web-2', 'pod-template-hash': '2' }, annotations: { [STATE]: plan.pod.metadata.annotations?.[STATE] } },
      spec: { containers: [{ name: 'main', image: 'nginx:2' }] },
    });
  });

  it('metadata: the template patch and the env-referenced labels land on the pod', () => {
    const pod = podWith([{ name: 'main', image: 'nginx:1', env: envFromLabel }]);
    const plan = planInPlaceUpdatePatch(
      pod,
      spec({ containerRefMetadata: { main: { labels: { version: 'v2' } } }, metadataPatch: { labels: { tier: 'fe', app: null } }, updateEnvFromMetadata: true }),
      { now: T0 },
    );
    expect(plan.pod.metadata.labels).toMatchObject({ version: 'v2', tier: 'fe' });
    expect(plan.pod.metadata.labels).not.toHaveProperty('app');
    expect(plan.patch.metadata?.labels).toMatchObject({ version: 'v2', tier: 'fe', app: null });
    expect(stateOf(plan)).toMatchObject({ updateEnvFromMetadata: true, lastContainerStatuses: {}, containerBatchesRecord: [{ containers: ['main'] }] });
  });

  it.each([
    ['without the resize subresource, resources go into the pod spec', false],
    ['with the resize subresource, resources go into a resize patch', true],
  ])('%s', (_story, resizeSubresource) => {
    const pod = podWith([{ name: 'main', image: 'nginx:1', resources: { limits: { cpu: '1', memory: '1Gi' } } }]);
    pod.status!.containerStatuses![0]!.resources = { limits: { cpu: '1', memory: '1Gi', 'ephemeral-storage': '1Gi' } };
    const plan = planInPlaceUpdatePatch(pod, spec({ containerResources: { main: { limits: { cpu: '2' } } } }), { now: T0, resizeSubresource });
    const expectedSpecResources = resizeSubresource ? { limits: { cpu: '1', memory: '1Gi' } } : { limits: { cpu: '2', memory: '1Gi' } };
    expect(plan.pod.spec.containers[0]?.resources).toEqual(expectedSpecResources);
    expect(plan.kind === 'apply-batch' ? plan.resizePatch : 'parked').toEqual(resizeSubresource ? { spec: { containers: [{ name: 'main', resources: { limits: { cpu: '2' } } }] } } : undefined);
    expect(stateOf(plan)).toMatchObject({ updateResources: true, lastContainerStatuses: { main: { resources: { limits: { cpu: '1', memory: '1Gi' } } } } });
  });

  it('launch priority: the highest priority goes first, the rest waits in next*', () => {
    const pod = podWith([
      { name: 'app', image: 'app:1', env: barrierEnv(0) },
      { name: 'sidecar', image: 'envoy:1', env: barrierEnv(1) },
    ]);
    const plan = planInPlaceUpdatePatch(pod, spec({ containerImages: { app: 'app:2', sidecar: 'envoy:2' } }), { now: T0 });
    expect(plan).toMatchObject({ kind: 'apply-batch', batch: ['sidecar'] });
    expect(plan.pod.spec.containers.map((c) => c.image)).toEqual(['app:1', 'envoy:2']);
    expect(stateOf(plan)).toMatchObject({ nextContainerImages: { app: 'app:2' }, preCheckBeforeNext: { containersRequiredReady: ['sidecar'] } });
  });

  it('grace period: the spec is parked, the pod only gets the revision and state', () => {
    const pod = podWith([{ name: 'main', image: 'nginx:1' }]);
    const plan = planInPlaceUpdatePatch(pod, spec({ containerImages: { main: 'nginx:2' } }), { now: at(5), gracePeriodSeconds: 30 });
    expect(plan).toMatchObject({ kind: 'park-in-grace', requeueAfterSeconds: 30 });
    expect(plan.pod.spec.containers[0]?.image).toBe('nginx:1');
    expect(JSON.parse(plan.pod.metadata.annotations?.[GRACE] ?? '')).toEqual({ revision: 'web-2', containerImages: { main: 'nginx:2' }, graceSeconds: 30 });
    expect(stateOf(plan)).toEqual({ revision: 'web-2', updateTimestamp: '2025-01-01T00:00:05Z', lastContainerStatuses: {}, updateImages: true });
  });

  it('drops leftovers of an earlier update (pre-v1.0 state key, parked spec) and honours custom revision labels', () => {
    const pod = podWith([{ name: 'main', image: 'nginx:1' }], { annotations: { 'inplace-update-state': '{}', [GRACE]: '{}', keep: 'me' } });
    const plan = planInPlaceUpdatePatch(pod, spec({ containerImages: { main: 'nginx:2' } }), { now: T0, revisionLabels: { 'controller-revision-hash': 'web-2' } });
    expect(Object.keys(plan.pod.metadata.annotations ?? {}).sort()).toEqual([STATE, 'keep']);
    expect(plan.pod.metadata.labels?.['pod-template-hash']).toBe('1');
  });
});
