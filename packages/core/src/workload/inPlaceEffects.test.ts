import { describe, expect, it } from 'vitest';
import { INPLACE_UPDATE_GRACE_ANNOTATION, INPLACE_UPDATE_READY_CONDITION, INPLACE_UPDATE_STATE_ANNOTATION, LIFECYCLE_STATE_LABEL } from '../api/labels.js';
import type { Container, Pod, PodCondition } from '../api/pod.js';
import { barrierEnv, podWith, simulateKubelet, updateSpec } from '../inplace/inplace.testkit.js';
import type { InPlaceUpdateSpec } from '../inplace/inPlaceUpdateSpec.js';
import { planInPlaceUpdatePatch } from '../inplace/planInPlaceUpdatePatch.js';
import { aPod, at, iso, T0 } from '../testing/index.js';
import { conditionsToWrite, inPlaceRefreshEffects, inPlaceUpdateStartEffects, type InPlaceUpdateStart } from './inPlaceEffects.js';
import { lifecycleTransition } from './lifecycle.js';
import type { WorkloadEffect } from './workloadEffect.js';

const NGINX_1: Container = { name: 'main', image: 'nginx:1', resources: { limits: { cpu: '1', memory: '1Gi' } } };
const toNginx2 = updateSpec({ containerImages: { main: 'nginx:2' } });
const toTwoCpus = updateSpec({ containerResources: { main: { limits: { cpu: '2' } } } });

/** Ready pod web-0 at web-1 (Normal), with the InPlaceUpdateReady gate (True) unless `gate` is false. */
function normalPod(gate = true): Pod {
  const pod = podWith([NGINX_1], {}, gate ? true : undefined);
  return { ...pod, metadata: { ...pod.metadata, labels: { ...pod.metadata.labels, [LIFECYCLE_STATE_LABEL]: 'Normal' } } };
}

function start(pod: Pod, spec: InPlaceUpdateSpec, gracePeriodSeconds = 0): InPlaceUpdateStart {
  return { pod: 'web-0', to: 'web-2', spec, gracePeriodSeconds, transition: lifecycleTransition(pod, 'Updating', 'in-place-update-started', false) };
}

const kinds = (effects: readonly WorkloadEffect[]) => effects.map((e) => e.kind);
const patchOf = (effects: readonly WorkloadEffect[]) => effects.find((e) => e.kind === 'patch-pod')?.patch;

describe('inPlaceUpdateStartEffects', () => {
  it.each<{ story: string; pod: Pod; spec: InPlaceUpdateSpec; grace?: number; resizeSubresource: boolean; kinds: string[]; requeueAfterMs?: number }>([
    { story: 'image change, grace 0 → InPlaceUpdateReady False, then the patch', pod: normalPod(), spec: toNginx2, resizeSubresource: true, kinds: ['patch-pod-status', 'patch-pod'] },
    { story: 'image change, grace 30 s → the spec parked, requeue in 30 s', pod: normalPod(), spec: toNginx2, grace: 30, resizeSubresource: true, kinds: ['patch-pod-status', 'patch-pod'], requeueAfterMs: 30_000 },
    { story: 'no InPlaceUpdateReady gate → no status write', pod: normalPod(false), spec: toNginx2, resizeSubresource: true, kinds: ['patch-pod'] },
    { story: 'resources only, with pods/resize → the pod stays ready: patch, then resize', pod: normalPod(), spec: toTwoCpus, resizeSubresource: true, kinds: ['patch-pod', 'resize-pod'] },
    { story: 'resources only, without pods/resize → the resources go into the patch', pod: normalPod(), spec: toTwoCpus, resizeSubresource: false, kinds: ['patch-pod'] },
    { story: 'image and resources with pods/resize → status, patch, resize', pod: normalPod(), spec: updateSpec({ ...toNginx2, ...toTwoCpus, containerImages: { main: 'nginx:2' } }), resizeSubresource: true, kinds: ['patch-pod-status', 'patch-pod', 'resize-pod'] },
    { story: 'resources parked for a grace period → no resize yet', pod: normalPod(), spec: toTwoCpus, grace: 10, resizeSubresource: true, kinds: ['patch-pod'], requeueAfterMs: 10_000 },
  ])('$story', ({ pod, spec, grace, resizeSubresource, kinds: expected, requeueAfterMs }) => {
    const result = inPlaceUpdateStartEffects(pod, start(pod, spec, grace), { now: T0, resizeSubresource });
    expect(kinds(result.effects)).toEqual(expected);
    expect(result.requeueAfterMs).toBe(requeueAfterMs);
  });

  it('marks the pod not ready, then patches labels, state and image in one strategic merge', () => {
    const pod = normalPod();
    const { effects } = inPlaceUpdateStartEffects(pod, start(pod, toNginx2), { now: T0, resizeSubresource: true });
    expect(effects[0]).toMatchObject({
      kind: 'patch-pod-status',
      target: { namespace: 'default', name: 'web-0', uid: 'uid-web-0' },
      conditions: [{ type: INPLACE_UPDATE_READY_CONDITION, status: 'False', reason: 'StartInPlaceUpdate', lastTransitionTime: iso(T0) }],
      changes: [{ kind: 'set', condition: { type: INPLACE_UPDATE_READY_CONDITION, status: 'False' } }],
      reason: 'in-place-update-started',
      events: { failure: { type: 'Warning', reason: 'FailedUpdatePodInPlace', message: 'failed to update pod web-0 in-place(revision web-2)' } },
    });
    expect(effects[0]).not.toHaveProperty('guard');
    expect(effects[1]).toMatchObject({
      kind: 'patch-pod',
      patch: {
        metadata: { labels: { 'controller-revision-hash': 'web-2', 'pod-template-hash': '2', [LIFECYCLE_STATE_LABEL]: 'Updating' }, annotations: { [INPLACE_UPDATE_STATE_ANNOTATION]: expect.any(String) as string } },
        spec: { containers: [{ name: 'main', image: 'nginx:2' }] },
      },
      events: {
        success: { type: 'Normal', reason: 'SuccessfulUpdatePodInPlace', message: 'successfully update pod web-0 in-place(revision web-2)' },
        failure: { type: 'Warning', reason: 'FailedUpdatePodInPlace', message: 'failed to update pod web-0 in-place(revision web-2)' },
      },
    });
  });

  it('parks the spec in the grace annotation, the containers untouched', () => {
    const pod = normalPod();
    const patch = patchOf(inPlaceUpdateStartEffects(pod, start(pod, toNginx2, 30), { now: T0, resizeSubresource: true }).effects);
    expect(patch?.spec).toBeUndefined();
    expect(patch?.metadata?.annotations?.[INPLACE_UPDATE_GRACE_ANNOTATION]).toBe('{"revision":"web-2","containerImages":{"main":"nginx:2"},"graceSeconds":30}');
  });

  it.each([
    { story: 'with pods/resize: only the changed entries, through the subresource', resizeSubresource: true, specResources: undefined, resize: { spec: { containers: [{ name: 'main', resources: { limits: { cpu: '2' } } }] } } },
    { story: 'without: the merged resources in the pod patch', resizeSubresource: false, specResources: { limits: { cpu: '2', memory: '1Gi' } }, resize: undefined },
  ])('sends new resources $story', ({ resizeSubresource, specResources, resize }) => {
    const pod = normalPod();
    const { effects } = inPlaceUpdateStartEffects(pod, start(pod, toTwoCpus), { now: T0, resizeSubresource });
    expect(patchOf(effects)?.spec?.containers[0]?.resources).toEqual(specResources);
    const sent = effects.find((e) => e.kind === 'resize-pod');
    expect(sent?.kind === 'resize-pod' ? sent.resize : undefined).toEqual(resize);
  });

  it('labels the revision as the caller says (revisionLabels)', () => {
    const pod = normalPod();
    const { effects } = inPlaceUpdateStartEffects(pod, start(pod, toNginx2), { now: T0, resizeSubresource: true, revisionLabels: (revision) => ({ 'example.com/revision': revision }) });
    expect(patchOf(effects)?.metadata?.labels).toEqual({ 'example.com/revision': 'web-2', [LIFECYCLE_STATE_LABEL]: 'Updating' });
  });
});

describe('conditionsToWrite', () => {
  const ready: PodCondition = { type: 'Ready', status: 'True', lastTransitionTime: iso(T0) };
  const gateTrue: PodCondition = { type: INPLACE_UPDATE_READY_CONDITION, status: 'True' };
  const gateFalse: PodCondition = { type: INPLACE_UPDATE_READY_CONDITION, status: 'False', reason: 'StartInPlaceUpdate' };

  it.each<[string, PodCondition[], PodCondition[], PodCondition[]]>([
    ['a condition kept as it was is left out', [ready, gateTrue], [ready, gateFalse], [gateFalse]],
    ['a copy equal as JSON is left out too', [ready], [{ ...ready }], []],
    ['a new condition is written', [], [ready], [ready]],
    ['the same type with another time is written', [ready], [{ ...ready, lastTransitionTime: iso(at(5)) }], [{ ...ready, lastTransitionTime: iso(at(5)) }]],
  ])('%s', (_story, before, after, written) => {
    expect(conditionsToWrite(before, after)).toEqual(written);
  });
});

/** Pod web-0 switched to `spec` at T0 (parked for `grace`), as the start effects leave it. */
function started(spec: InPlaceUpdateSpec, options: { grace?: number; gate?: boolean; containers?: Container[] } = {}): Pod {
  const pod = podWith(options.containers ?? [NGINX_1], {}, options.gate === false ? undefined : false);
  return planInPlaceUpdatePatch(pod, spec, { now: T0, gracePeriodSeconds: options.grace ?? 0, resizeSubresource: true }).pod;
}

describe('inPlaceRefreshEffects', () => {
  const twoContainers = [
    { name: 'app', image: 'app:1', env: barrierEnv(0) },
    { name: 'sidecar', image: 'envoy:1', env: barrierEnv(1) },
  ];
  it.each<{ story: string; pod: () => Pod; now: number; resizeSubresource?: boolean; plan: string; kinds: string[]; requeueAfterMs?: number }>([
    { story: 'no in-place update → nothing', pod: () => aPod({ name: 'web-0', inPlaceUpdateReady: true }), now: at(5), plan: 'nothing-to-do', kinds: [] },
    { story: 'parked for 30 s, 10 s in → nothing yet, requeue in 20 s', pod: () => started(toNginx2, { grace: 30 }), now: at(10), plan: 'wait', kinds: [], requeueAfterMs: 20_000 },
    { story: 'parked for 30 s, 30 s in → the image patched now', pod: () => started(toNginx2, { grace: 30 }), now: at(30), plan: 'update-pod', kinds: ['patch-pod'] },
    { story: 'parked resources, grace over, with pods/resize → patch, then resize', pod: () => started(toTwoCpus, { grace: 30 }), now: at(30), resizeSubresource: true, plan: 'update-pod', kinds: ['patch-pod', 'resize-pod'] },
    { story: 'parked resources, grace over, without pods/resize → the patch only', pod: () => started(toTwoCpus, { grace: 30 }), now: at(30), resizeSubresource: false, plan: 'update-pod', kinds: ['patch-pod'] },
    { story: 'the kubelet has not restarted the container → nothing, no requeue (its status change is an event)', pod: () => started(toNginx2), now: at(5), plan: 'wait', kinds: [] },
    { story: 'the kubelet reports the new image → InPlaceUpdateReady True', pod: () => simulateKubelet(started(toNginx2)), now: at(5), plan: 'update-status', kinds: ['patch-pod-status'] },
    { story: 'completed without the readiness gate → nothing', pod: () => simulateKubelet(started(toNginx2, { gate: false })), now: at(5), plan: 'nothing-to-do', kinds: [] },
    {
      story: 'first container batch ready → the next batch patched',
      pod: () => simulateKubelet(started(updateSpec({ containerImages: { app: 'app:2', sidecar: 'envoy:2' } }), { containers: twoContainers })),
      now: at(5),
      plan: 'update-pod',
      kinds: ['patch-pod'],
    },
    {
      story: 'an unreadable state annotation → nothing',
      pod: () => {
        const pod = started(toNginx2);
        return { ...pod, metadata: { ...pod.metadata, annotations: { ...pod.metadata.annotations, [INPLACE_UPDATE_STATE_ANNOTATION]: '{not json' } } };
      },
      now: at(5),
      plan: 'invalid',
      kinds: [],
    },
  ])('$story', ({ pod, now, resizeSubresource, plan, kinds: expected, requeueAfterMs }) => {
    const refresh = inPlaceRefreshEffects(pod(), { now, resizeSubresource: resizeSubresource ?? true });
    expect(refresh.pod).toBe('web-0');
    expect(refresh.plan.kind).toBe(plan);
    expect(kinds(refresh.effects)).toEqual(expected);
    expect(refresh.requeueAfterMs).toBe(requeueAfterMs);
  });

  it('writes only the condition that changes, as an intent it can recompute', () => {
    const pod = simulateKubelet(started(toNginx2));
    const { effects } = inPlaceRefreshEffects(pod, { now: at(5), resizeSubresource: true });
    expect(effects).toEqual([
      {
        kind: 'patch-pod-status',
        target: { namespace: 'default', name: 'web-0', uid: 'uid-web-0' },
        conditions: [{ type: INPLACE_UPDATE_READY_CONDITION, status: 'True', lastTransitionTime: iso(at(5)) }],
        changes: [{ kind: 'set', condition: { type: INPLACE_UPDATE_READY_CONDITION, status: 'True', lastTransitionTime: iso(at(5)) } }],
        reason: 'in-place-update-completed',
      },
    ]);
  });

  it('patches the parked image and drops the grace annotation once the grace period is over', () => {
    const { effects } = inPlaceRefreshEffects(started(toNginx2, { grace: 30 }), { now: at(30), resizeSubresource: true });
    expect(effects[0]).toMatchObject({ kind: 'patch-pod', reason: 'grace-period-ended', patch: { metadata: { annotations: { [INPLACE_UPDATE_GRACE_ANNOTATION]: null } }, spec: { containers: [{ name: 'main', image: 'nginx:2' }] } } });
  });
});
