import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KRUISE_POD_READY_CONDITION, LIFECYCLE_STATE_LABEL, LIFECYCLE_TIMESTAMP_ANNOTATION } from '../api/labels.js';
import type { Pod, PodCondition } from '../api/pod.js';
import type { LifecycleHook, LifecycleState } from '../api/pub.js';
import { aPod, aRevision, at, iso, T0 } from '../testing/index.js';
import { PRE_DELETE_HOOK_KEY } from './kruisePodReadiness.js';
import { lifecycleTransition, type LifecycleTransitionReason } from './lifecycle.js';
import { coalescePodWrites, concatWaves, lifecycleTransitionEffects, objectRef, podConditionEffects, zipWaves, type EffectWave } from './podEffects.js';
import type { WorkloadEffect } from './workloadEffect.js';

const HOLD = { type: 'Warning', reason: 'Held', message: 'held' } as const;

/** A pod in `state` with the KruisePodReady gate (and the condition True, as the kubelet leaves it). */
function gatedPod(state: LifecycleState, options: { keys?: string; finalizers?: string[] } = {}): Pod {
  const pod = aPod({ name: 'web-0', lifecycle: state, ...(options.finalizers === undefined ? {} : { finalizers: options.finalizers }) });
  const kruiseReady: PodCondition = { type: KRUISE_POD_READY_CONDITION, status: options.keys === undefined ? 'True' : 'False', message: options.keys ?? '[]', lastTransitionTime: iso(at(-60)) };
  return {
    ...pod,
    metadata: { ...pod.metadata, resourceVersion: '42' },
    spec: { ...pod.spec, readinessGates: [{ conditionType: KRUISE_POD_READY_CONDITION }] },
    status: { ...pod.status, conditions: [...(pod.status?.conditions ?? []), kruiseReady] },
  };
}

const withoutGate = (pod: Pod): Pod => ({ ...pod, spec: { ...pod.spec, readinessGates: [] } });
const step = (e: WorkloadEffect): string => `${e.kind}${e.kind === 'patch-pod-status' && e.guard !== undefined ? ' (guarded)' : ''}`;

describe('objectRef', () => {
  it.each([
    { story: 'a pod: namespace, name, uid', object: aPod({ name: 'web-a' }), ref: { namespace: 'default', name: 'web-a', uid: 'uid-web-a' } },
    { story: 'a cluster-scoped object: no namespace key at all', object: { metadata: { name: 'log', uid: 'u1' } }, ref: { name: 'log', uid: 'u1' } },
    { story: 'an object not yet created: empty uid', object: aRevision({ name: 'web-2' }), ref: { name: 'web-2', uid: '' } },
  ])('$story', ({ object, ref }) => {
    expect(objectRef(object)).toStrictEqual(ref);
  });
});

describe('podConditionEffects', () => {
  const pod = gatedPod('Normal');

  it('gives nothing when the pod already says so', () => {
    expect(podConditionEffects(pod, [{ kind: 'remove-not-ready-key', key: PRE_DELETE_HOOK_KEY }], T0, 'x')).toEqual([]);
  });

  it.each([
    { story: 'unguarded by default', options: {}, extra: {} },
    { story: 'guarded: holds only at the resourceVersion the pass read', options: { guarded: true }, extra: { guard: { resourceVersion: '42' } } },
    { story: 'with the events to record', options: { events: { failure: HOLD } }, extra: { events: { failure: HOLD } } },
  ])('one patch-pod-status with the changed conditions and the intent ($story)', ({ options, extra }) => {
    const changes = [{ kind: 'add-not-ready-key', key: PRE_DELETE_HOOK_KEY }] as const;
    expect(podConditionEffects(pod, changes, T0, 'because', options)).toStrictEqual([
      {
        kind: 'patch-pod-status',
        target: { namespace: 'default', name: 'web-0', uid: 'uid-web-0' },
        conditions: [{ type: KRUISE_POD_READY_CONDITION, status: 'False', message: '[{"userAgent":"Lifecycle","key":"preDeleteHook"}]', lastTransitionTime: iso(T0) }],
        changes,
        reason: 'because',
        ...extra,
      },
    ]);
  });
});

describe('lifecycleTransitionEffects', () => {
  const hook: LifecycleHook = { labelsHandler: { 'example.com/hook': 'true' }, finalizersHandler: ['example.com/blocker'] };

  it.each<{ story: string; pod: Pod; to: LifecycleState; reason: LifecycleTransitionReason; markPodNotReady: boolean; restoreHook?: LifecycleHook; steps: string[]; condition?: { status: string; message: string } }>([
    {
      story: 'Normal → PreparingDelete with markPodNotReady: the guarded KruisePodReady key first, then the metadata patch',
      pod: gatedPod('Normal'),
      to: 'PreparingDelete',
      reason: 'pre-delete-hook',
      markPodNotReady: true,
      steps: ['patch-pod-status (guarded)', 'patch-pod'],
      condition: { status: 'False', message: '[{"userAgent":"Lifecycle","key":"preDeleteHook"}]' },
    },
    {
      story: 'the same without the readiness gate: the patch only',
      pod: withoutGate(gatedPod('Normal')),
      to: 'PreparingDelete',
      reason: 'pre-delete-hook',
      markPodNotReady: true,
      steps: ['patch-pod'],
    },
    {
      story: 'Normal → PreparingDelete without markPodNotReady: the patch only',
      pod: gatedPod('Normal'),
      to: 'PreparingDelete',
      reason: 'pre-delete-hook',
      markPodNotReady: false,
      steps: ['patch-pod'],
    },
    {
      story: 'Updating → Updated with markPodNotReady: the preUpdateHook key removed (True once none is left), then the patch',
      pod: gatedPod('Updating', { keys: '[{"userAgent":"Lifecycle","key":"preUpdateHook"}]' }),
      to: 'Updated',
      reason: 'in-place-update-completed',
      markPodNotReady: true,
      steps: ['patch-pod-status (guarded)', 'patch-pod'],
      condition: { status: 'True', message: '[]' },
    },
    {
      story: 'Updated → PreparingUpdate restoring the hook, no markPodNotReady: the patch only',
      pod: gatedPod('Updated'),
      to: 'PreparingUpdate',
      reason: 'in-place-update-hook',
      markPodNotReady: false,
      restoreHook: hook,
      steps: ['patch-pod'],
    },
  ])('$story', ({ pod, to, reason, markPodNotReady, restoreHook, steps, condition }) => {
    const effects = lifecycleTransitionEffects(pod, lifecycleTransition(pod, to, reason, markPodNotReady, restoreHook), at(5));
    expect(effects.map(step)).toEqual(steps);
    const status = effects.find((e) => e.kind === 'patch-pod-status');
    if (condition !== undefined) expect(status?.kind === 'patch-pod-status' && status.conditions).toEqual([{ type: KRUISE_POD_READY_CONDITION, ...condition, lastTransitionTime: iso(at(5)) }]);
    const patch = effects.find((e) => e.kind === 'patch-pod');
    expect(patch).toMatchObject({ reason: `lifecycle-${reason}`, target: { name: 'web-0', uid: 'uid-web-0' } });
    // The patch carries metadata only: the condition is the guarded status write's.
    expect(patch?.kind === 'patch-pod' && patch.patch).toStrictEqual({
      metadata: {
        labels: { [LIFECYCLE_STATE_LABEL]: to, ...restoreHook?.labelsHandler },
        annotations: { [LIFECYCLE_TIMESTAMP_ANNOTATION]: iso(at(5)) },
        ...(restoreHook?.finalizersHandler === undefined ? {} : { finalizers: restoreHook.finalizersHandler }),
      },
    });
  });

  it('puts back only the hook finalizers the pod lacks', () => {
    const pod = gatedPod('Updated', { finalizers: ['example.com/blocker', 'other'] });
    const [patch] = lifecycleTransitionEffects(pod, lifecycleTransition(pod, 'PreparingUpdate', 'in-place-update-hook', false, { finalizersHandler: ['example.com/blocker', 'example.com/second'] }), T0);
    expect(patch?.kind === 'patch-pod' && patch.patch.metadata?.finalizers).toEqual(['example.com/second']);
  });

  it('records the events on the metadata patch, never on the condition', () => {
    const pod = gatedPod('Normal');
    const effects = lifecycleTransitionEffects(pod, lifecycleTransition(pod, 'PreparingDelete', 'pre-delete-hook', true), T0, { failure: HOLD });
    expect(effects.map((e) => e.events)).toEqual([undefined, { failure: HOLD }]);
  });

  it('writes nothing when the pod is already there and the key already held', () => {
    const pod = gatedPod('PreparingDelete', { keys: '[{"userAgent":"Lifecycle","key":"preDeleteHook"}]' });
    const annotated = { ...pod, metadata: { ...pod.metadata, annotations: { [LIFECYCLE_TIMESTAMP_ANNOTATION]: iso(T0) } } };
    expect(lifecycleTransitionEffects(annotated, lifecycleTransition(annotated, 'PreparingDelete', 'pre-delete-hook', true), T0)).toEqual([]);
  });
});

const effect = (name: string): WorkloadEffect => ({ kind: 'delete-pod', target: { name, uid: `uid-${name}` }, reason: 'test' });
const names = (waves: readonly EffectWave[]) => waves.map((wave) => wave.map((e) => e.kind === 'delete-pod' && e.target.name));

describe('zipWaves and concatWaves', () => {
  it.each([
    { story: 'two objects side by side, each in order', sequences: [['a1', 'a2'], ['b1']], waves: [['a1', 'b1'], ['a2']] },
    { story: 'one object: one effect per wave', sequences: [['a1', 'a2', 'a3']], waves: [['a1'], ['a2'], ['a3']] },
    { story: 'no object, or objects without effects: no wave', sequences: [[], []], waves: [] },
  ])('zipWaves: $story', ({ sequences, waves }) => {
    expect(names(zipWaves(sequences.map((s) => s.map(effect))))).toEqual(waves);
  });

  it.each([
    { story: 'groups one after the other, empty waves dropped', groups: [[['a']], [], [['b'], []], [['c']]], waves: [['a'], ['b'], ['c']] },
    { story: 'nothing at all', groups: [[[]]], waves: [] },
  ])('concatWaves: $story', ({ groups, waves }) => {
    expect(names(concatWaves(...groups.map((g) => g.map((w) => w.map(effect)))))).toEqual(waves);
  });

  const sequencesArb = fc.array(fc.array(fc.nat(5), { maxLength: 4 }), { maxLength: 5 }).map((lengths) => lengths.map((l, i) => l.map((_, j) => effect(`o${String(i)}-${String(j)}`))));

  it('zipWaves: every effect once, the i-th of each sequence in wave i, no empty wave', () => {
    fc.assert(
      fc.property(sequencesArb, (sequences) => {
        const waves = zipWaves(sequences);
        expect(waves.flat()).toHaveLength(sequences.flat().length);
        expect(waves.every((w) => w.length > 0)).toBe(true);
        sequences.forEach((sequence) => {
          sequence.forEach((e, i) => {
            expect(waves[i]).toContain(e);
          });
        });
      }),
    );
  });

  it('concatWaves: the effects in group order, no empty wave', () => {
    fc.assert(
      fc.property(fc.array(sequencesArb, { maxLength: 4 }), (groups) => {
        const waves = concatWaves(...groups);
        expect(waves.flat()).toEqual(groups.flat(2));
        expect(waves.every((w) => w.length > 0)).toBe(true);
      }),
    );
  });
});

describe('coalescePodWrites', () => {
  const target = { namespace: 'default', name: 'web-0', uid: 'uid-web-0' };
  const ready: PodCondition = { type: 'InPlaceUpdateReady', status: 'True', lastTransitionTime: iso(T0) };
  const status: WorkloadEffect = { kind: 'patch-pod-status', target, conditions: [ready], changes: [{ kind: 'set', condition: ready }], reason: 'in-place-update-completed' };
  const labels: WorkloadEffect = { kind: 'patch-pod', target, patch: { metadata: { labels: { [LIFECYCLE_STATE_LABEL]: 'Normal' }, annotations: { [LIFECYCLE_TIMESTAMP_ANNOTATION]: iso(T0) } } }, reason: 'lifecycle-in-place-update-completed' };
  const merged = { ...status, metadata: { labels: { [LIFECYCLE_STATE_LABEL]: 'Normal' }, annotations: { [LIFECYCLE_TIMESTAMP_ANNOTATION]: iso(T0) } } };
  const other = { ...target, name: 'web-1', uid: 'uid-web-1' };
  it.each<[string, WorkloadEffect[], WorkloadEffect[]]>([
    ['status then a labels-only patch: one write', [status, labels], [merged]],
    ['the patch first: kept apart (order matters)', [labels, status], [labels, status]],
    ['a guarded status (it may end stale): kept apart', [{ ...status, guard: { resourceVersion: '7' } }, labels], [{ ...status, guard: { resourceVersion: '7' } }, labels]],
    ['a patch with an image change: kept apart', [status, { ...labels, patch: { ...labels.patch, spec: { containers: [{ name: 'main', image: 'nginx:2' }] } } }], [status, { ...labels, patch: { ...labels.patch, spec: { containers: [{ name: 'main', image: 'nginx:2' }] } } }]],
    ['a patch adding a finalizer: kept apart', [status, { ...labels, patch: { metadata: { finalizers: ['x'] } } }], [status, { ...labels, patch: { metadata: { finalizers: ['x'] } } }]],
    ['a patch with its own events: kept apart', [status, { ...labels, events: { success: { type: 'Normal', reason: 'X', message: 'x' } } }], [status, { ...labels, events: { success: { type: 'Normal', reason: 'X', message: 'x' } } }]],
    ['another pod: kept apart', [status, { ...labels, target: other }], [status, { ...labels, target: other }]],
    ['two patches after one status: only the first is merged', [status, labels, labels], [merged, labels]],
  ])('%s', (_name, sequence, expected) => {
    expect(coalescePodWrites(sequence)).toEqual(expected);
  });

  it('never grows a sequence and keeps every effect that is not merged, in order', () => {
    const effects = [status, labels, { ...status, guard: { resourceVersion: '1' } }, { ...labels, target: other }];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...effects), { maxLength: 12 }), (sequence) => {
        const out = coalescePodWrites(sequence);
        const patchesMerged = out.filter((e) => e.kind === 'patch-pod-status' && e.metadata !== undefined).length;
        expect(out.length).toBe(sequence.length - patchesMerged);
        expect(out.filter((e) => e.kind === 'patch-pod-status')).toHaveLength(sequence.filter((e) => e.kind === 'patch-pod-status').length);
      }),
    );
  });
});
