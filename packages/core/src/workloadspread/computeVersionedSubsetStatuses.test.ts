import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/pod.js';
import { MATCHED_WORKLOADSPREAD_ANNOTATION, type WorkloadSpreadStatus, type WorkloadSpreadSubsetStatus } from '../api/workloadSpread.js';
import { aPod, aWorkloadSpread, aZoneSubset, at, iso, T0 } from '../testing/index.js';
import { mergedSubsetStatus, subsetStatusesOfVersion } from './computeVersionedSubsetStatuses.js';
import { formatMatchedWorkloadSpread } from './matchedWorkloadSpread.js';
import { planWorkloadSpread } from './planWorkloadSpread.js';

const sub = (name: string, missingReplicas: number, extra: Partial<WorkloadSpreadSubsetStatus> = {}): WorkloadSpreadSubsetStatus => ({ name, replicas: 0, missingReplicas, ...extra });

describe('subsetStatusesOfVersion', () => {
  const status: WorkloadSpreadStatus = { subsetStatuses: [sub('a', 1)], versionedSubsetStatuses: { v1: [sub('a', 0)], empty: [] } };
  it.each<[string, WorkloadSpreadStatus | undefined, string, readonly WorkloadSpreadSubsetStatus[] | undefined]>([
    ['the version’s own list', status, 'v1', [sub('a', 0)]],
    ['a version with no list: none (start from the caps)', status, 'v2', undefined],
    ['an empty list counts as none', status, 'empty', undefined],
    ['versionIgnored without a list: the unversioned one', status, 'versionIgnored', [sub('a', 1)]],
    ['no status at all', undefined, 'versionIgnored', undefined],
  ])('%s', (_story, given, version, expected) => {
    expect(subsetStatusesOfVersion(given, version)).toEqual(expected);
  });
});

describe('mergedSubsetStatus', () => {
  it('adds every version’s creating and deleting records of the subset to the unversioned entry', () => {
    const status: WorkloadSpreadStatus = {
      subsetStatuses: [sub('a', 2, { creatingPods: { x: iso(at(-1)) } })],
      versionedSubsetStatuses: { v1: [sub('a', 0, { deletingPods: { y: iso(at(-2)) } })], v2: [sub('a', 1, { creatingPods: { z: iso(at(-3)) } }), sub('b', 1, { creatingPods: { w: iso(at(-3)) } })] },
    };
    expect(mergedSubsetStatus(status, 'a')).toEqual(sub('a', 2, { creatingPods: { x: iso(at(-1)), z: iso(at(-3)) }, deletingPods: { y: iso(at(-2)) } }));
    expect(mergedSubsetStatus(status, 'b')?.creatingPods).toEqual({ w: iso(at(-3)) });
    expect(mergedSubsetStatus(status, 'c')).toBeUndefined();
    expect(mergedSubsetStatus({ subsetStatuses: [sub('a', 2)] }, 'a')).toEqual(sub('a', 2));
  });
});

// A pod of a ReplicaSet (pod-template-hash `version`) in `subset` ('' = none).
const podOf = (name: string, version: string, subset: string, active: boolean): Pod => {
  const pod = aPod({ name, phase: active ? 'ready' : 'succeeded', labels: { 'pod-template-hash': version }, ...(subset === '' ? {} : { annotations: { [MATCHED_WORKLOADSPREAD_ANNOTATION]: formatMatchedWorkloadSpread({ name: 'web-ws', subset }) } }) });
  return { ...pod, metadata: { ...pod.metadata, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `web-${version}`, uid: version, controller: true }] } };
};

describe('computeVersionedSubsetStatuses (through planWorkloadSpread): properties', () => {
  it('every version of a pod has an entry counted against the full caps; replicas sum to the unversioned count; missingReplicas ≥ 0 unless unlimited (−1)', () => {
    const podArb = fc.record({ version: fc.constantFrom('v1', 'v2', 'v3'), subset: fc.constantFrom('a', 'b', 'c', ''), active: fc.boolean() });
    fc.assert(
      fc.property(fc.array(podArb, { maxLength: 24 }), fc.array(fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }), { minLength: 3, maxLength: 3 }), (specs, caps) => {
        const ws = aWorkloadSpread({ targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, subsets: ['a', 'b', 'c'].map((name, i) => aZoneSubset(name, caps[i])) });
        const pods = specs.map((p, i) => podOf(`p${String(i)}`, p.version, p.subset, p.active));
        const plan = planWorkloadSpread({ ws, pods, workloadReplicas: 10, latestVersion: 'v3', now: T0 });
        if (plan.kind !== 'sync') throw new Error(plan.reason);
        const versioned = plan.status.versionedSubsetStatuses ?? {};
        expect(Object.keys(versioned).sort()).toEqual([...new Set(specs.map((p) => p.version))].sort());
        (plan.status.subsetStatuses ?? []).forEach((whole, i) => {
          const cap = caps[i];
          let sum = 0;
          for (const [version, statuses] of Object.entries(versioned)) {
            const mine = statuses[i];
            if (mine === undefined) throw new Error('missing subset');
            const active = specs.filter((p) => p.version === version && p.subset === whole.name && p.active).length;
            expect(mine.replicas).toBe(active);
            expect(mine.missingReplicas).toBe(cap === undefined ? -1 : Math.max(0, cap - active));
            sum += mine.replicas;
          }
          expect(sum).toBe(whole.replicas);
        });
      }),
    );
  });
});
