import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/pod.js';
import { MATCHED_WORKLOADSPREAD_ANNOTATION, type WorkloadSpreadSubsetStatus } from '../api/workloadSpread.js';
import { aNode, aPod, aWorkloadSpread, aZoneSubset, at, iso, T0 } from '../testing/index.js';
import { formatMatchedWorkloadSpread } from './matchedWorkloadSpread.js';
import { planWorkloadSpread, type WorkloadSpreadPassPlan } from './planWorkloadSpread.js';

const inSubset = (name: string, subset: string, options: Parameters<typeof aPod>[0] = {}, uid?: string): Pod =>
  aPod({ name, ...options, annotations: { ...options.annotations, [MATCHED_WORKLOADSPREAD_ANNOTATION]: formatMatchedWorkloadSpread({ name: 'web-ws', subset, uid }) } });
const sync = (plan: WorkloadSpreadPassPlan) => {
  if (plan.kind !== 'sync') throw new Error(`skipped: ${plan.reason}`);
  return plan;
};
const byPod = (plan: WorkloadSpreadPassPlan) => Object.fromEntries(sync(plan).deletionCosts.map((c) => [c.pod, c.cost]));
const sub = (name: string, replicas: number, missingReplicas: number, extra: Partial<WorkloadSpreadSubsetStatus> = {}): WorkloadSpreadSubsetStatus => ({ name, replicas, missingReplicas, ...extra });

describe('planWorkloadSpread: status and deletion cost', () => {
  it('CloneSet of 6 spread 2/2/2: missing 0/0/−1, costs 300/200/100', () => {
    const pods = ['a', 'a', 'b', 'b', 'c', 'c'].map((s, i) => inSubset(`web-${String(i)}`, `zone-${s}`));
    const plan = sync(planWorkloadSpread({ ws: aWorkloadSpread(), pods, workloadReplicas: 6, now: T0 }));
    expect(plan.status.subsetStatuses).toEqual([sub('zone-a', 2, 0), sub('zone-b', 2, 0), sub('zone-c', 2, -1)]);
    expect(byPod(plan)).toEqual({ 'web-0': '300', 'web-1': '300', 'web-2': '200', 'web-3': '200', 'web-4': '100', 'web-5': '100' });
    expect(plan.statusChanged).toBe(true);
  });

  it('an overfull subset: the pods scale-down takes first get −100 × (index + 1)', () => {
    const pods = [inSubset('old', 'zone-b', { readySince: at(-600), createdAt: at(-700) }), inSubset('new', 'zone-b', { phase: 'pending' }), inSubset('mid', 'zone-b', { readySince: at(-60) })];
    const plan = planWorkloadSpread({ ws: aWorkloadSpread(), pods, workloadReplicas: 6, now: T0 });
    expect(byPod(plan)).toEqual({ new: '-200', old: '200', mid: '200' });
  });

  it('pods of no subset get −100 × (subsets + 1); costs already right are not patched again', () => {
    const pods = [aPod({ name: 'stray' }), inSubset('web-0', 'zone-a', { deletionCost: 300 })];
    expect(byPod(planWorkloadSpread({ ws: aWorkloadSpread(), pods, workloadReplicas: 2, now: T0 }))).toEqual({ stray: '-400' });
  });

  it('a Job target gets no deletion cost; percentages round up against the workload replicas', () => {
    const ws = aWorkloadSpread({ targetRef: { apiVersion: 'batch/v1', kind: 'Job', name: 'j' }, subsets: [aZoneSubset('zone-a', '25%'), aZoneSubset('zone-b')] });
    const plan = sync(planWorkloadSpread({ ws, pods: [inSubset('j-0', 'zone-a')], workloadReplicas: 6, now: T0 }));
    expect(plan.deletionCosts).toEqual([]);
    expect(plan.status.subsetStatuses?.[0]).toEqual(sub('zone-a', 1, 1));
  });

  it('creatingPods: seen pods leave, young entries hold a slot, old ones are dropped with CreatePodFailed', () => {
    const ws = aWorkloadSpread({ status: { subsetStatuses: [sub('zone-a', 0, 0, { creatingPods: { 'web-0': iso(at(-1)), g1: iso(at(-5)), lost: iso(at(-31)) } }), sub('zone-b', 0, 2), sub('zone-c', 0, -1)] } });
    const plan = sync(planWorkloadSpread({ ws, pods: [inSubset('web-0', 'zone-a'), inSubset('web-1', 'zone-a', {}, 'g1')], workloadReplicas: 6, now: T0 }));
    expect(plan.status.subsetStatuses?.[0]).toEqual(sub('zone-a', 2, 0));
    expect(plan.events).toEqual([{ type: 'Warning', reason: 'CreatePodFailed', message: 'Pod default/lost was expected to be created but it wasn\'t' }]);
    const waiting = sync(planWorkloadSpread({ ws, pods: [], workloadReplicas: 6, now: T0 }));
    expect(waiting.status.subsetStatuses?.[0]).toEqual(sub('zone-a', 0, 0, { creatingPods: { 'web-0': iso(at(-1)), g1: iso(at(-5)) } }));
    expect(waiting.requeueAfterMs).toBe(25_000);
  });

  it('deletingPods: a live pod within 15 s gives its slot back; after 15 s DeletePodFailed', () => {
    const ws = aWorkloadSpread({ status: { subsetStatuses: [sub('zone-a', 2, 1, { deletingPods: { 'web-0': iso(at(-5)), 'web-1': iso(at(-16)) } }), sub('zone-b', 0, 2), sub('zone-c', 0, -1)] } });
    const plan = sync(planWorkloadSpread({ ws, pods: [inSubset('web-0', 'zone-a'), inSubset('web-1', 'zone-a')], workloadReplicas: 6, now: T0 }));
    expect(plan.status.subsetStatuses?.[0]).toEqual(sub('zone-a', 2, 1, { deletingPods: { 'web-0': iso(at(-5)) } }));
    expect(plan.events.map((e) => e.reason)).toEqual(['DeletePodFailed']);
    expect(plan.requeueAfterMs).toBe(10_000);
  });

  it('an unchanged status is not written; an unreadable cap skips the pass', () => {
    const pods = [inSubset('web-0', 'zone-a', { deletionCost: 300 })];
    const counted = [sub('zone-a', 1, 1), sub('zone-b', 0, 2), sub('zone-c', 0, -1)];
    const ws = aWorkloadSpread({ status: { subsetStatuses: counted, versionedSubsetStatuses: { versionIgnored: counted } } });
    expect(sync(planWorkloadSpread({ ws, pods, workloadReplicas: 1, now: T0 })).statusChanged).toBe(false);
    // A status written before versions were counted gets its versionIgnored list once.
    const before = sync(planWorkloadSpread({ ws: aWorkloadSpread({ status: { subsetStatuses: counted } }), pods, workloadReplicas: 1, now: T0 }));
    expect(before.statusChanged).toBe(true);
    expect(before.status.versionedSubsetStatuses).toEqual({ versionIgnored: counted });
    expect(planWorkloadSpread({ ws: aWorkloadSpread({ subsets: [aZoneSubset('zone-a', '5')] }), pods, workloadReplicas: 1, now: T0 })).toEqual({ kind: 'skip', reason: 'invalid-max-replicas' });
  });
});

describe('planWorkloadSpread: Adaptive rescheduling', () => {
  const adaptive = aWorkloadSpread({ scheduleStrategy: { type: 'Adaptive', adaptive: { rescheduleCriticalSeconds: 10 } } });
  const stuck = (name: string, subset: string, createdSecondsAgo: number): Pod => {
    const pod = inSubset(name, subset, { phase: 'unscheduled', createdAt: at(-createdSecondsAgo) });
    return { ...pod, status: { ...pod.status, phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }] } };
  };

  it('a pod unschedulable past rescheduleCriticalSeconds marks its subset unschedulable and is deleted', () => {
    const plan = sync(planWorkloadSpread({ ws: adaptive, pods: [stuck('web-0', 'zone-a', 20), stuck('web-1', 'zone-b', 5)], workloadReplicas: 6, now: T0 }));
    expect(plan.status.subsetStatuses?.map((s) => s.conditions?.[0]?.status)).toEqual(['False', 'True', 'True']);
    expect(plan.podsToDelete).toEqual([{ pod: 'web-0', subset: 'zone-a' }]);
    expect(plan.requeueAfterMs).toBe(5_000);
  });

  it('the last subset is never marked; an unschedulable subset recovers after 300 s', () => {
    const marked = (since: number) => ({ conditions: [{ type: 'Schedulable', status: 'False', lastTransitionTime: iso(at(-since)), reason: '', message: '' }] });
    const ws = { ...adaptive, status: { subsetStatuses: [sub('zone-a', 0, 2, marked(301)), sub('zone-b', 0, 2, marked(100)), sub('zone-c', 0, -1)] } };
    const plan = sync(planWorkloadSpread({ ws, pods: [stuck('web-9', 'zone-c', 60)], workloadReplicas: 6, now: T0 }));
    expect(plan.status.subsetStatuses?.map((s) => s.conditions?.[0]?.status)).toEqual(['True', 'False', 'True']);
    expect(plan.events.map((e) => e.reason)).toEqual(['RecoverSchedulable']);
    expect(plan.podsToDelete).toEqual([]);
    expect(plan.requeueAfterMs).toBe(200_000);
  });

  it('without Adaptive the Schedulable condition is removed', () => {
    const ws = aWorkloadSpread({ status: { subsetStatuses: [sub('zone-a', 0, 2, { conditions: [{ type: 'Schedulable', status: 'False' }] }), sub('zone-b', 0, 2), sub('zone-c', 0, -1)] } });
    expect(sync(planWorkloadSpread({ ws, pods: [], workloadReplicas: 6, now: T0 })).status.subsetStatuses?.[0]).toEqual(sub('zone-a', 0, 2));
  });
});

describe('planWorkloadSpread: pods created before the WorkloadSpread', () => {
  it('are put in the subset their node fits, within the room left, and annotated (with the patch metadata unless ignored)', () => {
    const nodes = new Map(['zone-a', 'zone-b'].map((zone) => [`n-${zone}`, aNode({ name: `n-${zone}`, labels: { 'topology.kubernetes.io/zone': zone } })]));
    const subsets = [{ ...aZoneSubset('zone-a', 1), patch: { metadata: { labels: { zone: 'a' } } } }, aZoneSubset('zone-b')];
    const pods = [inSubset('known', 'zone-a', { node: 'n-zone-a' }), aPod({ name: 'old-a', node: 'n-zone-a' }), aPod({ name: 'old-b', node: 'n-zone-b' }), aPod({ name: 'nowhere', node: 'n-zone-c' })];
    const plan = sync(planWorkloadSpread({ ws: aWorkloadSpread({ subsets }), pods, workloadReplicas: 4, nodes, now: T0 }));
    expect(plan.adoptions).toEqual([
      { pod: 'old-a', subset: 'zone-a', metadata: { labels: { zone: 'a' }, annotations: { [MATCHED_WORKLOADSPREAD_ANNOTATION]: '{"name":"web-ws","subset":"zone-a"}' } } },
      { pod: 'old-b', subset: 'zone-b', metadata: { annotations: { [MATCHED_WORKLOADSPREAD_ANNOTATION]: '{"name":"web-ws","subset":"zone-b"}' } } },
    ]);
    expect(plan.status.subsetStatuses?.map((s) => [s.name, s.replicas, s.missingReplicas])).toEqual([['zone-a', 2, 0], ['zone-b', 1, -1]]);
    expect(byPod(plan)).toMatchObject({ nowhere: '-300' });
    const ignoring = aWorkloadSpread({ subsets });
    const ignored = sync(planWorkloadSpread({ ws: { ...ignoring, metadata: { ...ignoring.metadata, annotations: { 'workloadspread.kruise.io/ignore-patch-existing-pods-metadata': 'true' } } }, pods, workloadReplicas: 4, nodes, now: T0 }));
    expect(ignored.adoptions[0]?.metadata.labels).toBeUndefined();
  });
});

// A Deployment's pod of template hash `hash`, in `subset`.
const ofVersion = (name: string, subset: string, hash: string): Pod => {
  const pod = inSubset(name, subset);
  return { ...pod, metadata: { ...pod.metadata, labels: { ...pod.metadata.labels, 'pod-template-hash': hash }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `web-${hash}`, uid: hash, controller: true }] } };
};

describe('planWorkloadSpread: versions (OpenKruise’s "multiVersion pods" case)', () => {
  // subset-a (max 3) and subset-b; pods 0–5 in a, 6–9 in b, even pods old, odd pods new.
  const ws = aWorkloadSpread({ targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, subsets: [aZoneSubset('subset-a', 3), aZoneSubset('subset-b')] });
  const pods = Array.from({ length: 10 }, (_, i) => ofVersion(`test-pod-${String(i)}`, i < 6 ? 'subset-a' : 'subset-b', i % 2 === 0 ? 'oldVersion' : 'newVersion'));

  it('each version is counted against the full caps; the newest version scales in from the last subset, older ones from the first', () => {
    const plan = sync(planWorkloadSpread({ ws, pods, workloadReplicas: 10, latestVersion: 'newVersion', now: T0 }));
    expect(plan.status.subsetStatuses).toEqual([sub('subset-a', 6, 0), sub('subset-b', 4, -1)]);
    expect(plan.status.versionedSubsetStatuses).toEqual({ newVersion: [sub('subset-a', 3, 0), sub('subset-b', 2, -1)], oldVersion: [sub('subset-a', 3, 0), sub('subset-b', 2, -1)] });
    expect(byPod(plan)).toEqual({
      'test-pod-0': '100', 'test-pod-2': '100', 'test-pod-4': '100', 'test-pod-6': '200', 'test-pod-8': '200',
      'test-pod-1': '200', 'test-pod-3': '200', 'test-pod-5': '200', 'test-pod-7': '100', 'test-pod-9': '100',
    });
  });

  it('a new version’s creatingPods record is kept while its pod is not seen, dropped with CreatePodFailed after 30 s', () => {
    const oldStatuses = [sub('subset-a', 3, 0), sub('subset-b', 2, -1)];
    const fresh = [sub('subset-a', 0, 2, { creatingPods: { 'web-new-x': iso(at(-5)) } }), sub('subset-b', 0, -1)];
    const stored = { ...ws, status: { subsetStatuses: [sub('subset-a', 3, 0), sub('subset-b', 2, -1)], versionedSubsetStatuses: { oldVersion: oldStatuses, newVersion: fresh } } };
    const olds = pods.filter((_, i) => i % 2 === 0);
    const plan = sync(planWorkloadSpread({ ws: stored, pods: olds, workloadReplicas: 10, latestVersion: 'newVersion', now: T0 }));
    expect(plan.status.versionedSubsetStatuses?.['newVersion']).toEqual(fresh);
    // The whole-workload count holds the slot too.
    expect(plan.status.subsetStatuses?.[0]).toEqual(sub('subset-a', 3, 0, { creatingPods: { 'web-new-x': iso(at(-5)) } }));
    expect(plan.requeueAfterMs).toBe(25_000);
    const later = sync(planWorkloadSpread({ ws: stored, pods: olds, workloadReplicas: 10, latestVersion: 'newVersion', now: at(31) }));
    expect(Object.keys(later.status.versionedSubsetStatuses ?? {})).toEqual(['oldVersion']);
    expect(later.events.map((e) => e.reason)).toEqual(['CreatePodFailed']);
  });

  it('a CloneSet counts per version only when its kind is enabled (OpenKruise’s --ws-enabled-versioned-status)', () => {
    const cloned = (name: string, revision: string): Pod => {
      const pod = inSubset(name, 'zone-a', { revision });
      return { ...pod, metadata: { ...pod.metadata, ownerReferences: [{ apiVersion: 'apps.kruise.io/v1alpha1', kind: 'CloneSet', name: 'web', uid: 'u', controller: true }] } };
    };
    const input = { ws: aWorkloadSpread(), pods: [cloned('a', 'web-1'), cloned('b', 'web-2')], workloadReplicas: 6, now: T0 };
    expect(Object.keys(sync(planWorkloadSpread(input)).status.versionedSubsetStatuses ?? {})).toEqual(['versionIgnored']);
    expect(Object.keys(sync(planWorkloadSpread({ ...input, versionedKinds: new Set(['cloneset']) })).status.versionedSubsetStatuses ?? {})).toEqual(['1', '2']);
  });
});

describe('planWorkloadSpread: properties', () => {
  it('costs keep subset order: every kept pod of an earlier subset costs more than any pod of a later one', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 3, maxLength: 3 }), fc.array(fc.constantFrom(1, 2, undefined), { minLength: 3, maxLength: 3 }), (counts, caps) => {
        const subsets = counts.map((_, i) => aZoneSubset(`z${String(i)}`, caps[i]));
        const pods = counts.flatMap((n, i) => Array.from({ length: n }, (_, k) => inSubset(`p${String(i)}-${String(k)}`, `z${String(i)}`)));
        const plan = sync(planWorkloadSpread({ ws: aWorkloadSpread({ subsets }), pods, workloadReplicas: 6, now: T0 }));
        const cost = new Map(plan.deletionCosts.map((c) => [c.pod, Number(c.cost)]));
        counts.forEach((n, i) => {
          const mine = Array.from({ length: n }, (_, k) => cost.get(`p${String(i)}-${String(k)}`) ?? 0);
          const cap = caps[i];
          // As many pods as the subset is over its cap are marked for deletion first (negative).
          expect(mine.filter((c) => c < 0).length).toBe(cap === undefined ? 0 : Math.max(0, n - cap));
          for (const c of mine.filter((v) => v > 0)) expect(c).toBe(100 * (3 - i));
        });
        const status = plan.status.subsetStatuses ?? [];
        status.forEach((s, i) => {
          expect(s.missingReplicas).toBe(caps[i] === undefined ? -1 : Math.max(0, (caps[i] ?? 0) - (counts[i] ?? 0)));
        });
      }),
    );
  });
});
