import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/pod.js';
import { at, T0 } from '../testing/index.js';
import { applyInPlaceUpdateBatch } from './applyInPlaceUpdateBatch.js';
import type { InPlaceUpdateSpec } from './inPlaceUpdateSpec.js';
import { parseInPlaceUpdateState } from './inPlaceUpdateState.js';
import { planInPlaceUpdatePatch, planInPlaceUpdateStartPatch, type InPlaceUpdatePodPlan, type PlanInPlaceUpdateStartPatchOptions } from './planInPlaceUpdatePatch.js';
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
    // OpenKruise records only imageIDs: a resize leaves lastContainerStatuses empty.
    expect(stateOf(plan)).toMatchObject({ updateResources: true });
    expect((stateOf(plan) as { lastContainerStatuses?: unknown }).lastContainerStatuses).toEqual({});
  });

  // OpenKruise's InPlaceUpdateContainerStatus has only `imageID`: that is all a state records.
  it.each<{ story: string; changes: Partial<InPlaceUpdateSpec>; recorded: unknown }>([
    { story: 'image change → the old imageID', changes: { containerImages: { main: 'nginx:2' } }, recorded: { main: { imageID: 'nginx:1@sha256:0' } } },
    { story: 'resize only → nothing', changes: { containerResources: { main: { limits: { cpu: '2' } } } }, recorded: {} },
    { story: 'image and resize → the imageID alone', changes: { containerImages: { main: 'nginx:2' }, containerResources: { main: { limits: { cpu: '2' } } } }, recorded: { main: { imageID: 'nginx:1@sha256:0' } } },
  ])('lastContainerStatuses: $story', ({ changes, recorded }) => {
    const pod = podWith([{ name: 'main', image: 'nginx:1', resources: { limits: { cpu: '1', memory: '1Gi' } } }]);
    pod.status!.containerStatuses![0]!.resources = { limits: { cpu: '1', memory: '1Gi' } };
    const plan = planInPlaceUpdatePatch(pod, spec(changes), { now: T0, resizeSubresource: true });
    expect((stateOf(plan) as { lastContainerStatuses?: unknown }).lastContainerStatuses).toEqual(recorded);
  });

  it('lastContainerStatuses: an entry an earlier batch recorded stays as it is (Go writes a copy)', () => {
    const pod = podWith([{ name: 'main', image: 'nginx:1' }]);
    const state = { revision: 'web-2', updateTimestamp: '2025-01-01T00:00:00Z', lastContainerStatuses: { main: { imageID: 'first' } } };
    const batch = applyInPlaceUpdateBatch(pod, spec({ containerImages: { main: 'nginx:2' } }), state, { now: T0 });
    expect(batch.state.lastContainerStatuses).toEqual({ main: { imageID: 'first' } });
  });

  it.each<{ story: string; resources: InPlaceUpdateSpec['containerResources']; resize: unknown }>([
    { story: 'only the values that differ from the pod (1000m equals 1)', resources: { main: { limits: { cpu: '1000m', memory: '2Gi' } } }, resize: { spec: { containers: [{ name: 'main', resources: { limits: { memory: '2Gi' } } }] } } },
    { story: 'requests and limits kept apart', resources: { main: { limits: { cpu: '2' }, requests: { cpu: '500m' } } }, resize: { spec: { containers: [{ name: 'main', resources: { limits: { cpu: '2' } } }] } } },
    { story: 'a value the pod does not have yet is sent', resources: { main: { requests: { memory: '1Gi' } } }, resize: { spec: { containers: [{ name: 'main', resources: { requests: { memory: '1Gi' } } }] } } },
    { story: 'nothing differs → no resize patch', resources: { main: { limits: { cpu: '1' }, requests: { cpu: '0.5' } } }, resize: undefined },
  ])('resize patch: $story', ({ resources, resize }) => {
    const pod = podWith([{ name: 'main', image: 'nginx:1', resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '500m' } } }]);
    const plan = planInPlaceUpdatePatch(pod, spec({ containerResources: resources }), { now: T0, resizeSubresource: true });
    expect(plan.kind === 'apply-batch' ? plan.resizePatch : 'parked').toEqual(resize);
  });

  it.each<{ story: string; podFinalizers: string[]; patch: NonNullable<InPlaceUpdateSpec['metadataPatch']>; finalizers: string[] | undefined; sent: object }>([
    {
      story: 'a finalizer the template added is appended, one it dropped removed, the pod\'s own kept',
      podFinalizers: ['old.example.com/a', 'pod.example.com/own'], patch: { finalizers: ['new.example.com/b'], deleteFinalizers: ['old.example.com/a'] },
      finalizers: ['pod.example.com/own', 'new.example.com/b'], sent: { finalizers: ['new.example.com/b'], '$deleteFromPrimitiveList/finalizers': ['old.example.com/a'] },
    },
    { story: 'dropping the last finalizer leaves none', podFinalizers: ['old.example.com/a'], patch: { deleteFinalizers: ['old.example.com/a'] }, finalizers: undefined, sent: { '$deleteFromPrimitiveList/finalizers': ['old.example.com/a'] } },
    { story: 'adding one the pod already has changes nothing', podFinalizers: ['new.example.com/b'], patch: { finalizers: ['new.example.com/b'] }, finalizers: ['new.example.com/b'], sent: {} },
  ])('metadata patch finalizers: $story', ({ podFinalizers, patch, finalizers, sent }) => {
    const pod = podWith([{ name: 'main', image: 'nginx:1' }], { finalizers: podFinalizers });
    const plan = planInPlaceUpdatePatch(pod, spec({ metadataPatch: patch }), { now: T0 });
    expect(plan.pod.metadata.finalizers).toEqual(finalizers);
    const { labels: _labels, annotations: _annotations, ...finalizerPatch } = plan.patch.metadata ?? {};
    expect(finalizerPatch).toEqual(sent);
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

describe('planInPlaceUpdateStartPatch', () => {
  const nginx2 = spec({ containerImages: { main: 'nginx:2' } });

  it.each<{ story: string; pod: Pod; spec: InPlaceUpdateSpec; options: PlanInPlaceUpdateStartPatchOptions; expected: object }>([
    {
      story: 'image change: revision labels, the state, the image',
      pod: podWith([{ name: 'main', image: 'nginx:1' }]),
      spec: nginx2,
      options: { now: T0 },
      expected: {
        kind: 'apply-batch',
        batch: ['main'],
        patch: {
          metadata: {
            labels: { 'controller-revision-hash': 'web-2', 'pod-template-hash': '2' },
            annotations: {
              [STATE]:
                '{"revision":"web-2","updateTimestamp":"2025-01-01T00:00:00Z","lastContainerStatuses":{"main":{"imageID":"nginx:1@sha256:0"}},"updateImages":true,' +
                '"containerBatchesRecord":[{"containers":["main"],"timestamp":"2025-01-01T00:00:00Z"}]}',
            },
          },
          spec: { containers: [{ name: 'main', image: 'nginx:2' }] },
        },
      },
    },
    {
      story: 'other changes of the same write (a lifecycle move) are in the patch',
      pod: podWith([{ name: 'main', image: 'nginx:1' }]),
      spec: nginx2,
      options: { now: T0, metadata: { labels: { ...podWith([]).metadata.labels, 'lifecycle.apps.kruise.io/state': 'Updating' }, finalizers: ['hook'] } },
      expected: {
        patch: {
          metadata: { labels: { 'controller-revision-hash': 'web-2', 'pod-template-hash': '2', 'lifecycle.apps.kruise.io/state': 'Updating' }, annotations: { [STATE]: expect.any(String) as string }, finalizers: ['hook'] },
          spec: { containers: [{ name: 'main', image: 'nginx:2' }] },
        },
      },
    },
    {
      story: 'grace period: the spec parked, no container touched',
      pod: podWith([{ name: 'main', image: 'nginx:1' }]),
      spec: nginx2,
      options: { now: T0, gracePeriodSeconds: 30 },
      expected: {
        kind: 'park-in-grace',
        requeueAfterSeconds: 30,
        patch: {
          metadata: {
            labels: { 'controller-revision-hash': 'web-2', 'pod-template-hash': '2' },
            annotations: {
              [GRACE]: '{"revision":"web-2","containerImages":{"main":"nginx:2"},"graceSeconds":30}',
              [STATE]: '{"revision":"web-2","updateTimestamp":"2025-01-01T00:00:00Z","lastContainerStatuses":{},"updateImages":true}',
            },
          },
        },
      },
    },
    {
      story: 'resize through the subresource: no container entry, a resize body',
      pod: podWith([{ name: 'main', image: 'nginx:1', resources: { limits: { cpu: '1' } } }]),
      spec: spec({ containerResources: { main: { limits: { cpu: '2' } } } }),
      options: { now: T0, resizeSubresource: true },
      expected: { kind: 'apply-batch', resizePatch: { spec: { containers: [{ name: 'main', resources: { limits: { cpu: '2' } } }] } } },
    },
  ])('$story', ({ pod, spec: update, options, expected }) => {
    const plan = planInPlaceUpdateStartPatch(pod, update, options);
    expect(plan).toMatchObject(expected);
    if ('patch' in expected) expect(plan.patch).toEqual(expected.patch);
  });
});
