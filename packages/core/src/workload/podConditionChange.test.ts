import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INPLACE_UPDATE_READY_CONDITION, KRUISE_POD_READY_CONDITION, SIDECARSET_UPGRADABLE_CONDITION } from '../api/labels.js';
import type { Pod, PodCondition } from '../api/pod.js';
import { aPod, at, iso, T0 } from '../testing/index.js';
import { PRE_DELETE_HOOK_KEY, PRE_UPDATE_HOOK_KEY } from './kruisePodReadiness.js';
import { applyPodConditionChanges, changedPodConditions, type PodConditionChange } from './podConditionChange.js';

const DELETE_KEY = '[{"userAgent":"Lifecycle","key":"preDeleteHook"}]';
const BOTH_KEYS = '[{"userAgent":"Lifecycle","key":"preDeleteHook"},{"userAgent":"Lifecycle","key":"preUpdateHook"}]';

/** A ready pod carrying the `KruisePodReady` readiness gate (and the conditions given). */
function gated(conditions: readonly PodCondition[] = []): Pod {
  const pod = aPod({ name: 'web-0' });
  return { ...pod, spec: { ...pod.spec, readinessGates: [{ conditionType: KRUISE_POD_READY_CONDITION }] }, status: { ...pod.status, conditions: [...(pod.status?.conditions ?? []), ...conditions] } };
}

const kruiseReady = (status: 'True' | 'False', message: string): PodCondition => ({ type: KRUISE_POD_READY_CONDITION, status, message, lastTransitionTime: iso(at(-60)) });
const upgradable = (status: 'True' | 'False', message: string): PodCondition => ({ type: SIDECARSET_UPGRADABLE_CONDITION, status, reason: status === 'True' ? 'AllSidecarsetUpgradable' : 'UpdateImmutableField', message, lastTransitionTime: iso(at(-60)) });

describe('applyPodConditionChanges and changedPodConditions', () => {
  it.each<{ story: string; pod: Pod; changes: PodConditionChange[]; changed: PodCondition[] }>([
    {
      story: 'set a type the pod lacks → appended',
      pod: aPod(),
      changes: [{ kind: 'set', condition: { type: INPLACE_UPDATE_READY_CONDITION, status: 'False', reason: 'StartInPlaceUpdate' } }],
      changed: [{ type: INPLACE_UPDATE_READY_CONDITION, status: 'False', reason: 'StartInPlaceUpdate' }],
    },
    {
      story: 'set the status the pod already has (another message) → nothing to write',
      pod: aPod({ inPlaceUpdateReady: false }),
      changes: [{ kind: 'set', condition: { type: INPLACE_UPDATE_READY_CONDITION, status: 'False', message: 'again' } }],
      changed: [],
    },
    {
      story: 'set another status → the whole condition replaced',
      pod: aPod({ inPlaceUpdateReady: true }),
      changes: [{ kind: 'set', condition: { type: INPLACE_UPDATE_READY_CONDITION, status: 'False', reason: 'StartInPlaceUpdate' } }],
      changed: [{ type: INPLACE_UPDATE_READY_CONDITION, status: 'False', reason: 'StartInPlaceUpdate' }],
    },
    {
      story: 'add-not-ready-key on a gated pod → KruisePodReady False holding the key',
      pod: gated(),
      changes: [{ kind: 'add-not-ready-key', key: PRE_DELETE_HOOK_KEY }],
      changed: [{ type: KRUISE_POD_READY_CONDITION, status: 'False', message: DELETE_KEY, lastTransitionTime: iso(T0) }],
    },
    {
      story: 'add-not-ready-key without the readiness gate → nothing',
      pod: aPod(),
      changes: [{ kind: 'add-not-ready-key', key: PRE_DELETE_HOOK_KEY }],
      changed: [],
    },
    {
      story: 'add a key the pod already holds → nothing',
      pod: gated([kruiseReady('False', DELETE_KEY)]),
      changes: [{ kind: 'add-not-ready-key', key: PRE_DELETE_HOOK_KEY }],
      changed: [],
    },
    {
      story: 'add a second key → both, sorted as Go sorts them',
      pod: gated([kruiseReady('False', DELETE_KEY)]),
      changes: [{ kind: 'add-not-ready-key', key: PRE_UPDATE_HOOK_KEY }],
      changed: [{ type: KRUISE_POD_READY_CONDITION, status: 'False', message: BOTH_KEYS, lastTransitionTime: iso(T0) }],
    },
    {
      story: 'remove the last key → True with an empty list',
      pod: gated([kruiseReady('False', DELETE_KEY)]),
      changes: [{ kind: 'remove-not-ready-key', key: PRE_DELETE_HOOK_KEY }],
      changed: [{ type: KRUISE_POD_READY_CONDITION, status: 'True', message: '[]', lastTransitionTime: iso(T0) }],
    },
    {
      story: 'remove one of two keys → still False, one key left',
      pod: gated([kruiseReady('False', BOTH_KEYS)]),
      changes: [{ kind: 'remove-not-ready-key', key: PRE_UPDATE_HOOK_KEY }],
      changed: [{ type: KRUISE_POD_READY_CONDITION, status: 'False', message: DELETE_KEY, lastTransitionTime: iso(T0) }],
    },
    {
      story: 'remove a key the pod does not hold → nothing',
      pod: gated([kruiseReady('False', DELETE_KEY)]),
      changes: [{ kind: 'remove-not-ready-key', key: PRE_UPDATE_HOOK_KEY }],
      changed: [],
    },
    {
      story: 'mark a SidecarSet not upgradable on a pod without the condition → False, UpdateImmutableField',
      pod: aPod(),
      changes: [{ kind: 'mark-sidecarset-upgradable', sidecarSet: 'log', upgradable: false }],
      changed: [{ type: SIDECARSET_UPGRADABLE_CONDITION, status: 'False', reason: 'UpdateImmutableField', message: '{"log":false}', lastTransitionTime: iso(T0) }],
    },
    {
      story: 'mark a second SidecarSet upgradable while the first is not → still False (transition time kept), both verdicts in the message',
      pod: { ...aPod(), status: { ...aPod().status, conditions: [upgradable('False', '{"log":false}')] } },
      changes: [{ kind: 'mark-sidecarset-upgradable', sidecarSet: 'mesh', upgradable: true }],
      changed: [{ type: SIDECARSET_UPGRADABLE_CONDITION, status: 'False', reason: 'UpdateImmutableField', message: '{"log":false,"mesh":true}', lastTransitionTime: iso(at(-60)) }],
    },
    {
      story: 'mark the verdict the shared condition already records → nothing',
      pod: { ...aPod(), status: { ...aPod().status, conditions: [upgradable('False', '{"log":false,"mesh":true}')] } },
      changes: [{ kind: 'mark-sidecarset-upgradable', sidecarSet: 'mesh', upgradable: true }],
      changed: [],
    },
    {
      story: 'mark the only not-upgradable SidecarSet upgradable → True, AllSidecarsetUpgradable, new time',
      pod: { ...aPod(), status: { ...aPod().status, conditions: [upgradable('False', '{"log":false,"mesh":true}')] } },
      changes: [{ kind: 'mark-sidecarset-upgradable', sidecarSet: 'log', upgradable: true }],
      changed: [{ type: SIDECARSET_UPGRADABLE_CONDITION, status: 'True', reason: 'AllSidecarsetUpgradable', message: '{"log":true,"mesh":true}', lastTransitionTime: iso(T0) }],
    },
    {
      story: 'changes apply in order: add then remove the same key → True with an empty list',
      pod: gated(),
      changes: [
        { kind: 'add-not-ready-key', key: PRE_DELETE_HOOK_KEY },
        { kind: 'remove-not-ready-key', key: PRE_DELETE_HOOK_KEY },
      ],
      changed: [{ type: KRUISE_POD_READY_CONDITION, status: 'True', message: '[]', lastTransitionTime: iso(T0) }],
    },
  ])('$story', ({ pod, changes, changed }) => {
    expect(changedPodConditions(pod, changes, T0)).toEqual(changed);
  });

  it('keeps the other conditions and the rest of the pod as they are', () => {
    const pod = gated([{ type: 'Custom', status: 'True' }]);
    const next = applyPodConditionChanges(pod, [{ kind: 'add-not-ready-key', key: PRE_DELETE_HOOK_KEY }], T0);
    expect(next.status?.conditions?.map((c) => c.type)).toEqual(['Ready', 'Custom', KRUISE_POD_READY_CONDITION]);
    expect({ ...next, status: { ...next.status, conditions: next.status?.conditions?.slice(0, 2) } }).toEqual(pod);
  });

  it('returns the very pod when nothing changes', () => {
    const pod = aPod({ inPlaceUpdateReady: true });
    expect(applyPodConditionChanges(pod, [{ kind: 'set', condition: { type: INPLACE_UPDATE_READY_CONDITION, status: 'True' } }], T0)).toBe(pod);
  });
});

describe('pod condition change properties', () => {
  const change: fc.Arbitrary<PodConditionChange> = fc.oneof(
    fc.record({
      kind: fc.constant('set' as const),
      condition: fc.record({ type: fc.constantFrom(INPLACE_UPDATE_READY_CONDITION, 'Ready', KRUISE_POD_READY_CONDITION), status: fc.constantFrom('True', 'False'), reason: fc.constantFrom('A', 'B') }),
    }),
    fc.record({ kind: fc.constant('add-not-ready-key' as const), key: fc.constantFrom(PRE_DELETE_HOOK_KEY, PRE_UPDATE_HOOK_KEY) }),
    fc.record({ kind: fc.constant('remove-not-ready-key' as const), key: fc.constantFrom(PRE_DELETE_HOOK_KEY, PRE_UPDATE_HOOK_KEY) }),
    fc.record({ kind: fc.constant('mark-sidecarset-upgradable' as const), sidecarSet: fc.constantFrom('log', 'mesh'), upgradable: fc.boolean() }),
  );
  // What one change is about. A pass says one thing about each (a planner never marks a SidecarSet
  // upgradable and not in one batch); setting KruisePodReady outright and moving its keys are two
  // says about the same condition.
  const target = (c: PodConditionChange): string =>
    c.kind === 'set' ? c.condition.type : c.kind === 'mark-sidecarset-upgradable' ? `sidecarset:${c.sidecarSet}` : `key:${c.key.key}`;
  const batch = fc
    .uniqueArray(change, { maxLength: 6, selector: target })
    .filter((changes) => !(changes.some((c) => c.kind === 'set' && c.condition.type === KRUISE_POD_READY_CONDITION) && changes.some((c) => c.kind.endsWith('not-ready-key'))));
  // A pod as earlier passes may have left it: some changes applied a minute ago, with or without the gate.
  const scenario = fc.record({ gate: fc.boolean(), history: fc.array(change, { maxLength: 6 }), changes: batch }).map(({ gate, history, changes }) => ({
    pod: applyPodConditionChanges(gate ? gated() : aPod({ name: 'web-0' }), history, at(-60)),
    changes,
  }));
  const mergeByType = (existing: readonly PodCondition[], changed: readonly PodCondition[]): PodCondition[] => [
    ...existing.map((c) => changed.find((n) => n.type === c.type) ?? c),
    ...changed.filter((n) => !existing.some((c) => c.type === n.type)),
  ];

  it('the changed conditions, merged by type into the pod (a strategic merge), give the conditions the changes describe', () => {
    fc.assert(
      fc.property(scenario, ({ pod, changes }) => {
        const merged = mergeByType(pod.status?.conditions ?? [], changedPodConditions(pod, changes, T0));
        expect(merged).toEqual(applyPodConditionChanges(pod, changes, T0).status?.conditions ?? []);
      }),
    );
  });

  it('once applied, the same changes have nothing left to write (a retry after a conflict writes nothing twice)', () => {
    fc.assert(
      fc.property(scenario, ({ pod, changes }) => {
        expect(changedPodConditions(applyPodConditionChanges(pod, changes, T0), changes, T0)).toEqual([]);
      }),
    );
  });
});
