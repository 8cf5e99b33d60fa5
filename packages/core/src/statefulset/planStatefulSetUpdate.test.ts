import { describe, expect, it } from 'vitest';
import { INPLACE_UPDATE_STATE_ANNOTATION } from '../api/labels.js';
import type { Pod } from '../api/pod.js';
import { aPod, aRevision, aStatefulSet, at, iso, type PodOptions, type StatefulSetOptions } from '../testing/index.js';
import type { ControllerRevision } from '../shared/revision.js';
import { planRollingUpdate, unavailableReplicas, type RollingUpdateContext, type RollingUpdatePlan, type UpdateAction } from './planStatefulSetUpdate.js';
import { resolveStatefulSetSettings } from './statefulSetSettings.js';

// Expected values follow OpenKruise's stateful_set_control.go `rollingUpdateStatefulsetPods`
// (unavailable = unhealthy / in-place update not completed / not available for minReadySeconds;
// stop at the first available target once len(unavailable) >= maxUnavailable; a pod acted on
// becomes unavailable; status.CurrentReplicas-- when it was at the current revision),
// `handleSpecifiedDeletedPods` (highest slot first, skip, not stop, when full; counts lowered
// when actually deleted), `deletePod` (preDelete hook ⇒ PreparingDelete) and `inPlaceUpdatePod`
// (inPlaceUpdate hook ⇒ PreparingUpdate; InPlaceOnly ⇒ error).

const NOW = at(60);
const R1 = aRevision({ name: 'web-1', image: 'nginx:1' });
const R2 = aRevision({ name: 'web-2', image: 'nginx:2' });
const HOOK = 'example.com/hook';

const pod = (i: number, options: PodOptions = {}): Pod => aPod({ name: `web-${String(i)}`, revision: 'web-1', labels: { app: 'web' }, ...options });
const pods = (count: number, each: (i: number) => PodOptions = () => ({})): Pod[] => Array.from({ length: count }, (_, i) => pod(i, each(i)));

function context(slots: readonly (Pod | undefined)[], options: StatefulSetOptions = {}, update: ControllerRevision = R2): RollingUpdateContext {
  return {
    settings: resolveStatefulSetSettings(aStatefulSet({ replicas: slots.length, ...options })),
    slots,
    currentRevision: 'web-1',
    updateRevision: update,
    revisions: [R1, update],
    now: NOW,
  };
}

/** `kind pod` of each action, with the removal or decision kind. */
function describeActions(plan: RollingUpdatePlan): string[] {
  return plan.actions.map((a: UpdateAction) => `${a.kind} ${a.pod.metadata.name ?? ''}${a.kind === 'in-place' ? ` (${a.decision.kind})` : a.kind === 'resize-claims' ? ` (${String(a.claims.length)} claims)` : ` (${a.removal.kind})`}`);
}

/** A ready pod whose in-place update still has a container batch to go. */
function midInPlaceUpdate(i: number): Pod {
  const p = pod(i, { revision: 'web-2' });
  const state = JSON.stringify({ revision: 'web-2', updateTimestamp: iso(at(50)), lastContainerStatuses: {}, nextContainerImages: { main: 'nginx:2' } });
  return { ...p, metadata: { ...p.metadata, annotations: { [INPLACE_UPDATE_STATE_ANNOTATION]: state } } };
}

describe('unavailableReplicas', () => {
  it('counts unhealthy, terminating, non-Normal, mid-in-place-update, not-yet-created and not-yet-available replicas', () => {
    const planned: Pod = { metadata: { name: 'web-7', labels: { 'controller-revision-hash': 'web-2' } }, spec: { containers: [] } };
    const slots = [
      pod(0), // ready and available
      pod(1, { phase: 'not-ready' }),
      pod(2, { phase: 'terminating' }),
      pod(3, { lifecycle: 'PreparingNormal' }),
      midInPlaceUpdate(4),
      pod(5, { readySince: at(55) }), // ready 5 s of 10
      undefined, // reserved
      planned,
      pod(8, { lifecycle: 'Normal' }),
    ];
    const result = unavailableReplicas(context(slots, { minReadySeconds: 10 }));
    expect([...result.names].sort()).toEqual(['web-1', 'web-2', 'web-3', 'web-4', 'web-5', 'web-7']);
    expect(result.requeueAfterMs).toBe(5000);
  });

  it('the soonest wait wins the requeue', () => {
    const result = unavailableReplicas(context([pod(0, { readySince: at(52) }), pod(1, { readySince: at(57) })], { minReadySeconds: 10 }));
    expect(result.requeueAfterMs).toBe(2000);
  });

  it('minReadySeconds boundary: ready exactly 10 s ago is available', () => {
    expect(unavailableReplicas(context([pod(0, { readySince: at(50) })], { minReadySeconds: 10 })).names.size).toBe(0);
  });
});

describe('planRollingUpdate', () => {
  it.each<{ story: string; slots: (Pod | undefined)[]; options?: StatefulSetOptions; actions: string[]; end: RollingUpdatePlan['end']; unavailable: string[]; currentDecrease?: number; updatedDecrease?: number }>([
    {
      story: '5 ready at r1, partition 0, maxUnavailable 2, ReCreate → recreate web-4, web-3; stop at web-2',
      slots: pods(5),
      options: { maxUnavailable: 2 },
      actions: ['recreate web-4 (delete)', 'recreate web-3 (delete)'],
      end: { kind: 'max-unavailable', pod: 'web-2', unavailable: ['web-3', 'web-4'] },
      unavailable: ['web-3', 'web-4'],
      currentDecrease: 2,
    },
    {
      story: 'partition 3 of 5, maxUnavailable 5 → only web-4 and web-3; complete',
      slots: pods(5),
      options: { partition: 3, maxUnavailable: 5 },
      actions: ['recreate web-4 (delete)', 'recreate web-3 (delete)'],
      end: { kind: 'complete' },
      unavailable: ['web-3', 'web-4'],
      currentDecrease: 2,
    },
    {
      story: 'an unavailable pod elsewhere uses the budget: web-1 not ready, maxUnavailable 1 → nothing, stop at web-4',
      slots: pods(5, (i) => (i === 1 ? { phase: 'not-ready' } : {})),
      actions: [],
      end: { kind: 'max-unavailable', pod: 'web-4', unavailable: ['web-1'] },
      unavailable: ['web-1'],
    },
    {
      story: 'an unavailable target may always be updated: web-4 not ready, maxUnavailable 1 → recreate web-4, stop at web-3',
      slots: pods(5, (i) => (i === 4 ? { phase: 'not-ready' } : {})),
      actions: ['recreate web-4 (delete)'],
      end: { kind: 'max-unavailable', pod: 'web-3', unavailable: ['web-4'] },
      unavailable: ['web-4'],
      currentDecrease: 1,
    },
    {
      story: 'pods at the update revision are skipped: web-4 at r2 → recreate web-3',
      slots: pods(5, (i) => (i === 4 ? { revision: 'web-2' } : {})),
      actions: ['recreate web-3 (delete)'],
      end: { kind: 'max-unavailable', pod: 'web-2', unavailable: ['web-3'] },
      unavailable: ['web-3'],
      currentDecrease: 1,
    },
    {
      story: 'a terminating target is not deleted again but counts: web-4 terminating, maxUnavailable 2 → recreate web-3',
      slots: pods(5, (i) => (i === 4 ? { phase: 'terminating' } : {})),
      options: { maxUnavailable: 2 },
      actions: ['recreate web-3 (delete)'],
      end: { kind: 'max-unavailable', pod: 'web-2', unavailable: ['web-3', 'web-4'] },
      unavailable: ['web-3', 'web-4'],
      currentDecrease: 1,
    },
    {
      story: 'a pod at neither revision is updated without lowering currentReplicas',
      slots: [pod(0, { revision: 'web-0' })],
      actions: ['recreate web-0 (delete)'],
      end: { kind: 'complete' },
      unavailable: ['web-0'],
      currentDecrease: 0,
    },
    {
      story: 'minReadySeconds: a pod ready 5 s of 10 is unavailable → it may be updated, the others wait',
      slots: pods(3, (i) => (i === 2 ? { readySince: at(55) } : {})),
      options: { minReadySeconds: 10 },
      actions: ['recreate web-2 (delete)'],
      end: { kind: 'max-unavailable', pod: 'web-1', unavailable: ['web-2'] },
      unavailable: ['web-2'],
      currentDecrease: 1,
    },
    {
      story: 'reserved slots are skipped: slots 0, -, 2, 3 with partition 1 → 3 then 2',
      slots: [pod(0), undefined, pod(2), pod(3)],
      options: { partition: 1, maxUnavailable: 3 },
      actions: ['recreate web-3 (delete)', 'recreate web-2 (delete)'],
      end: { kind: 'complete' },
      unavailable: ['web-2', 'web-3'],
      currentDecrease: 2,
    },
    {
      story: 'preDelete hook: the pod moves to PreparingDelete (not actually deleted: no decrease)',
      slots: pods(2, () => ({ labels: { app: 'web', [HOOK]: 'true' } })),
      options: { lifecycle: { preDelete: { labelsHandler: { [HOOK]: 'true' } } } },
      actions: ['recreate web-1 (prepare-delete)'],
      end: { kind: 'max-unavailable', pod: 'web-0', unavailable: ['web-1'] },
      unavailable: ['web-1'],
      currentDecrease: 0,
    },
    {
      story: 'unordered with weight priority: the marked pod first',
      slots: pods(4, (i) => (i === 1 ? { labels: { app: 'web', first: 'yes' } } : {})),
      options: { podManagementPolicy: 'Parallel', unorderedUpdate: { weightPriority: [{ weight: 50, matchSelector: { matchLabels: { first: 'yes' } } }] } },
      actions: ['recreate web-1 (delete)'],
      end: { kind: 'max-unavailable', pod: 'web-3', unavailable: ['web-1'] },
      unavailable: ['web-1'],
      currentDecrease: 1,
    },
  ])('$story', ({ slots, options, actions, end, unavailable, currentDecrease, updatedDecrease }) => {
    const plan = planRollingUpdate(context(slots, options));
    expect(describeActions(plan)).toEqual(actions);
    expect(plan.end).toEqual(end);
    expect(plan.unavailable).toEqual(unavailable);
    expect(plan.currentDecrease).toBe(currentDecrease ?? 0);
    expect(plan.updatedDecrease).toBe(updatedDecrease ?? 0);
  });

  it('ReCreate says why: recreate-policy', () => {
    const [action] = planRollingUpdate(context(pods(1))).actions;
    expect(action).toMatchObject({ kind: 'recreate', why: 'recreate-policy', removal: { kind: 'delete' } });
  });

  it('passes on the wait for minReadySeconds (ready at 57 s, 10 s window, now 60 s → 7 s)', () => {
    expect(planRollingUpdate(context(pods(2, () => ({ readySince: at(57) })), { minReadySeconds: 10 })).requeueAfterMs).toBe(7000);
  });
});

describe('planRollingUpdate: specified delete', () => {
  const marked = (i: number, options: PodOptions = {}): Pod => pod(i, { specifiedDelete: true, ...options });
  it.each<{ story: string; slots: Pod[]; options?: StatefulSetOptions; actions: string[]; end: RollingUpdatePlan['end']['kind']; unavailable: string[]; currentDecrease?: number; updatedDecrease?: number }>([
    {
      story: 'whatever the partition: partition 3 of 3, web-0 marked → deleted',
      slots: [marked(0), pod(1), pod(2)],
      options: { partition: 3 },
      actions: ['specified-delete web-0 (delete)'],
      end: 'complete',
      unavailable: ['web-0'],
      currentDecrease: 1,
    },
    {
      story: 'within maxUnavailable, highest slot first: web-0 and web-1 marked, maxUnavailable 1 → only web-1',
      slots: [marked(0), marked(1), pod(2)],
      options: { partition: 3 },
      actions: ['specified-delete web-1 (delete)'],
      end: 'complete',
      unavailable: ['web-1'],
      currentDecrease: 1,
    },
    {
      // OpenKruise's own example in handleSpecifiedDeletedPods: skip the available pod, go on with the unavailable ones.
      story: 'all marked; 1 and 2 unready; maxUnavailable 3 → web-4, then (web-3 skipped) web-2, web-1',
      slots: [marked(0), marked(1, { phase: 'not-ready' }), marked(2, { phase: 'not-ready' }), marked(3), marked(4)],
      options: { partition: 5, maxUnavailable: 3 },
      actions: ['specified-delete web-4 (delete)', 'specified-delete web-2 (delete)', 'specified-delete web-1 (delete)'],
      end: 'complete',
      unavailable: ['web-1', 'web-2', 'web-4'],
      currentDecrease: 3,
    },
    {
      story: 'a marked pod at the update revision lowers updatedReplicas',
      slots: [pod(0), marked(1, { revision: 'web-2' })],
      options: { partition: 2 },
      actions: ['specified-delete web-1 (delete)'],
      end: 'complete',
      unavailable: ['web-1'],
      updatedDecrease: 1,
    },
    {
      story: 'with the preDelete hook: PreparingDelete, no decrease',
      slots: [pod(0), marked(1, { labels: { app: 'web', [HOOK]: 'true' } })],
      options: { partition: 2, lifecycle: { preDelete: { labelsHandler: { [HOOK]: 'true' } } } },
      actions: ['specified-delete web-1 (prepare-delete)'],
      end: 'complete',
      unavailable: ['web-1'],
    },
    {
      story: 'the update loop does not touch a specified pod again: web-4 marked, maxUnavailable 2 → delete web-4, recreate web-3',
      slots: [pod(0), pod(1), pod(2), pod(3), marked(4)],
      options: { maxUnavailable: 2 },
      actions: ['specified-delete web-4 (delete)', 'recreate web-3 (delete)'],
      end: 'max-unavailable',
      unavailable: ['web-3', 'web-4'],
      currentDecrease: 2,
    },
  ])('$story', ({ slots, options, actions, end, unavailable, currentDecrease, updatedDecrease }) => {
    const plan = planRollingUpdate(context(slots, options));
    expect(describeActions(plan)).toEqual(actions);
    expect(plan.end.kind).toBe(end);
    expect(plan.unavailable).toEqual(unavailable);
    expect(plan.currentDecrease).toBe(currentDecrease ?? 0);
    expect(plan.updatedDecrease).toBe(updatedDecrease ?? 0);
  });
});

describe('planRollingUpdate: in place', () => {
  it('InPlaceIfPossible with an image change: updated in place, counted unavailable, currentReplicas lowered', () => {
    const plan = planRollingUpdate(context(pods(3), { podUpdatePolicy: 'InPlaceIfPossible', maxUnavailable: 2 }));
    expect(describeActions(plan)).toEqual(['in-place web-2 (update-in-place)', 'in-place web-1 (update-in-place)']);
    expect(plan.actions[0]).toMatchObject({ decision: { from: 'web-1', to: 'web-2', spec: { containerImages: { main: 'nginx:2' } } } });
    expect(plan.end).toEqual({ kind: 'max-unavailable', pod: 'web-0', unavailable: ['web-1', 'web-2'] });
    expect(plan.currentDecrease).toBe(2);
  });

  it('InPlaceIfPossible with a change that needs a recreate: deleted', () => {
    const env = aRevision({ name: 'web-2', containers: [{ name: 'main', image: 'nginx:1', env: [{ name: 'A', value: '1' }] }] });
    const plan = planRollingUpdate(context(pods(2), { podUpdatePolicy: 'InPlaceIfPossible' }, env));
    expect(describeActions(plan)).toEqual(['recreate web-1 (delete)']);
    expect(plan.actions[0]).toMatchObject({ why: expect.not.stringMatching('recreate-policy') as unknown });
  });

  it('InPlaceOnly with a change that needs a recreate: refused at the first target, nothing done', () => {
    const env = aRevision({ name: 'web-2', containers: [{ name: 'main', image: 'nginx:1', env: [{ name: 'A', value: '1' }] }] });
    const plan = planRollingUpdate(context(pods(2), { podUpdatePolicy: 'InPlaceOnly', maxUnavailable: 2 }, env));
    expect(plan.actions).toEqual([]);
    expect(plan.end).toEqual({ kind: 'refused', pod: 'web-1', message: 'find strategy is InPlaceOnly but Pod web-1 can not update in-place' });
    expect(plan.currentDecrease).toBe(0);
  });

  it('InPlaceOnly refuses only when it reaches the pod: a specified delete before it still happens', () => {
    const env = aRevision({ name: 'web-2', containers: [{ name: 'main', image: 'nginx:1', env: [{ name: 'A', value: '1' }] }] });
    const slots = [pod(0), pod(1, { specifiedDelete: true }), pod(2, { revision: 'web-2' })];
    const plan = planRollingUpdate(context(slots, { podUpdatePolicy: 'InPlaceOnly', maxUnavailable: 3 }, env));
    expect(describeActions(plan)).toEqual(['specified-delete web-1 (delete)']);
    expect(plan.end).toMatchObject({ kind: 'refused', pod: 'web-0' });
  });

  it('inPlaceUpdate hook on the pod: moved to PreparingUpdate first (counted as in place: currentReplicas lowered)', () => {
    const lifecycle = { inPlaceUpdate: { labelsHandler: { [HOOK]: 'true' } } };
    const slots = pods(2, () => ({ lifecycle: 'Normal', labels: { app: 'web', [HOOK]: 'true' } }));
    const plan = planRollingUpdate(context(slots, { podUpdatePolicy: 'InPlaceIfPossible', lifecycle }));
    expect(describeActions(plan)).toEqual(['in-place web-1 (prepare-update)']);
    expect(plan.actions[0]).toMatchObject({ decision: { transition: { from: 'Normal', to: 'PreparingUpdate', markPodNotReady: false } } });
    expect(plan.end).toEqual({ kind: 'max-unavailable', pod: 'web-0', unavailable: ['web-1'] });
    expect(plan.currentDecrease).toBe(1);
  });

  it('a pod held in PreparingUpdate by the hook waits: no action, still counted unavailable and lowered', () => {
    const lifecycle = { inPlaceUpdate: { labelsHandler: { [HOOK]: 'true' } } };
    const slots = [pod(0, { lifecycle: 'Normal' }), pod(1, { lifecycle: 'PreparingUpdate', labels: { app: 'web', [HOOK]: 'true' } })];
    const plan = planRollingUpdate(context(slots, { podUpdatePolicy: 'InPlaceIfPossible', lifecycle }));
    expect(plan.actions).toEqual([]);
    expect(plan.end).toEqual({ kind: 'max-unavailable', pod: 'web-0', unavailable: ['web-1'] });
    expect(plan.currentDecrease).toBe(1);
  });

  it('a pod in PreparingDelete cannot be updated in place: refused', () => {
    const slots = [pod(0), pod(1, { lifecycle: 'PreparingDelete' })];
    const plan = planRollingUpdate(context(slots, { podUpdatePolicy: 'InPlaceIfPossible' }));
    expect(plan.end).toEqual({ kind: 'refused', pod: 'web-1', message: 'not allowed to in-place update pod web-1 in state PreparingDelete' });
  });
});
