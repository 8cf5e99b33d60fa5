import { KruiseResources } from '@kruise-ts/k8s-adapter';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { approveMessage, planScaleDown, rfc3339 } from './workloadEdits.js';
import type { WorkloadRef } from './workloadRef.js';

const ref = (kind: WorkloadRef['kind'], name: string): WorkloadRef => ({ kind, name, type: KruiseResources[kind] });
const owned = (...names: string[]) => new Set(names);

describe('planScaleDown', () => {
  it.each([
    { story: 'CloneSet 5 − [a, b] → 3, podsToDelete [a, b]', r: ref('CloneSet', 'web'), spec: { replicas: 5 }, pods: ['a', 'b'], want: { kind: 'cloneset', replicas: 3, podsToDelete: ['a', 'b'] } },
    { story: 'CloneSet keeps podsToDelete already there, without repeating a name', r: ref('CloneSet', 'web'), spec: { replicas: 4, scaleStrategy: { podsToDelete: ['a'] } }, pods: ['a', 'b'], want: { kind: 'cloneset', replicas: 2, podsToDelete: ['a', 'b'] } },
    { story: 'StatefulSet db 5 − [db-1, db-3] → 3, reserveOrdinals [1, 3]', r: ref('StatefulSet', 'db'), spec: { replicas: 5 }, pods: ['db-1', 'db-3'], want: { kind: 'statefulset', replicas: 3, reserveOrdinals: [1, 3] } },
    { story: 'StatefulSet adds to reserveOrdinals already there', r: ref('StatefulSet', 'db'), spec: { replicas: 4, reserveOrdinals: [0] }, pods: ['db-2'], want: { kind: 'statefulset', replicas: 3, reserveOrdinals: [0, 2] } },
  ])('$story', ({ r, spec, pods, want }) => {
    expect(planScaleDown(r, spec, pods, owned('a', 'b', 'db-1', 'db-2', 'db-3'))).toEqual(want);
  });

  it.each([
    { story: 'a DaemonSet has no replicas', r: ref('DaemonSet', 'agent'), pods: ['agent-x'], message: /one pod per node/ },
    { story: 'a pod of another workload', r: ref('CloneSet', 'web'), pods: ['zzz'], message: /pod "zzz" does not belong to cloneset.apps.kruise.io\/web/ },
    { story: 'more pods than replicas', r: ref('CloneSet', 'web'), pods: ['a', 'b', 'c'], message: /3 pods given but .* has 2 replicas/ },
    { story: 'a StatefulSet pod without an ordinal', r: ref('StatefulSet', 'db'), pods: ['db-x'], message: /"db-x" is not named db-<ordinal>/ },
  ])('refuses: $story', ({ r, pods, message }) => {
    const plan = planScaleDown(r, { replicas: 2 }, pods, owned('a', 'b', 'c', 'db-x', 'agent-x'));
    expect(plan.kind === 'invalid' ? plan.message : '').toMatch(message);
  });

  it('a CloneSet loses exactly as many replicas as pods named', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 50 }), fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd', 'e'), { minLength: 1 }), (extra, pods) => {
        const plan = planScaleDown(ref('CloneSet', 'web'), { replicas: pods.length + extra }, pods, owned('a', 'b', 'c', 'd', 'e'));
        expect(plan).toEqual({ kind: 'cloneset', replicas: extra, podsToDelete: pods });
      }),
    );
  });
});

describe('rfc3339 and approveMessage', () => {
  it.each([
    [Date.parse('2025-01-01T00:00:00Z'), '2025-01-01T00:00:00Z'],
    [Date.parse('2025-06-30T12:34:56.789Z'), '2025-06-30T12:34:56Z'],
  ])('%s → %s', (ms, want) => {
    expect(rfc3339(ms)).toBe(want);
  });

  it('names the resource as kubectl-kruise does', () => {
    expect(approveMessage(ref('StatefulSet', 'db'))).toBe('statefulsets.apps.kruise.io "db" approving is not supported');
  });
});
