/**
 * Times the Advanced StatefulSet pass the controller runs, `planStatefulSetPass`, for a set of
 * 10,000 replicas in the middle of an in-place rollout (Parallel, partition 10%, maxUnavailable
 * 10%: the replica loop over every ordinal, the refresh of every pod, the rolling update, the
 * status): the pass that starts a burst of in-place updates (816 pods: their conditions, patches
 * and state annotations), the passes while those pods restart (the update waits), a Parallel
 * scale-up 10,000 → 11,000, and the start again with the 4,000 pods updated earlier carrying the
 * state annotation their update left (as on a real cluster). Prints median, p95 and the fastest
 * run; never asserts a time.
 *
 *   pnpm --filter @kruise-ts/bench plan
 */
import { CONTROLLER_REVISION_HASH_LABEL, POD_INDEX_LABEL, STATEFULSET_POD_NAME_LABEL, planStatefulSetPass, type Pod, type StatefulSet } from '@kruise-ts/core';
import { aPod, aStatefulSet, T0 } from '@kruise-ts/core/testing';
import { measurePass } from './measurePass.js';

const PODS = 10_000;
const WARMUP = 5;
const RUNS = 30;

function setWith(replicas: number, image: string): StatefulSet {
  return aStatefulSet({ replicas, podManagementPolicy: 'Parallel', partition: PODS / 10, maxUnavailable: '10%', podUpdatePolicy: 'InPlaceIfPossible', containers: [{ name: 'main', image }] });
}

// The revisions the pass computes from the templates (pods carry their names).
const revisionOf = (set: StatefulSet, revisions: Parameters<typeof planStatefulSetPass>[0]['revisions']) => {
  const revision = planStatefulSetPass({ statefulSet: set, pods: [], pvcs: [], revisions, now: T0 }).updateRevision;
  return { ...revision, metadata: { ...revision.metadata, uid: `uid-${revision.metadata.name ?? ''}` } };
};
const oldRevision = revisionOf(setWith(PODS, 'nginx:1'), []);
const newRevision = revisionOf(setWith(PODS, 'nginx:2'), [oldRevision]);
const owner = { apiVersion: 'apps.kruise.io/v1beta1', kind: 'StatefulSet', name: 'web', uid: 'uid-web', controller: true, blockOwnerDeletion: true };

// Mid-rollout from the highest ordinal down: the top 40% updated, 2% of the pods not ready.
const pods: Pod[] = Array.from({ length: PODS }, (_, i) => {
  const updated = i >= PODS * 0.6;
  const pod = aPod({
    name: `web-${String(i)}`,
    lifecycle: 'Normal',
    phase: i % 50 === 7 ? 'not-ready' : 'ready',
    readySince: T0 - 60_000 - i,
    node: `node-${String(i % 200)}`,
    inPlaceUpdateReady: true,
    labels: { app: 'web', [STATEFULSET_POD_NAME_LABEL]: `web-${String(i)}`, [POD_INDEX_LABEL]: String(i), [CONTROLLER_REVISION_HASH_LABEL]: (updated ? newRevision : oldRevision).metadata.name ?? '' },
    containers: [{ name: 'main', image: updated ? 'nginx:2' : 'nginx:1' }],
  });
  return { ...pod, metadata: { ...pod.metadata, ownerReferences: [owner] }, spec: { ...pod.spec, hostname: pod.metadata.name ?? '', subdomain: 'web' } };
});

// The pass after that burst: the 1,000 pods below the updated ones are restarting in place (not
// ready yet), so maxUnavailable is used up and the rolling update waits.
const waiting: Pod[] = pods.map((pod, i) =>
  i >= PODS * 0.5 && i < PODS * 0.6
    ? {
        ...pod,
        metadata: { ...pod.metadata, labels: { ...pod.metadata.labels, [CONTROLLER_REVISION_HASH_LABEL]: newRevision.metadata.name ?? '' } },
        spec: { ...pod.spec, containers: [{ name: 'main', image: 'nginx:2' }] },
        status: { ...pod.status, conditions: (pod.status?.conditions ?? []).map((c) => (c.type === 'Ready' || c.type === 'InPlaceUpdateReady' ? { ...c, status: 'False' as const } : c)) },
      }
    : pod,
);

// The same pods as the apiserver serves them after the earlier in-place updates: each updated pod
// keeps the `apps.kruise.io/inplace-update-state` its update wrote (OpenKruise never removes it),
// which every pass reads (next batch, completion, availability).
const stateText =
  `{"revision":"${newRevision.metadata.name ?? ''}","updateTimestamp":"2024-12-31T23:00:00Z","lastContainerStatuses":{"main":{"imageID":"nginx:1@sha256:0"}},` +
  '"updateImages":true,"containerBatchesRecord":[{"containers":["main"],"timestamp":"2024-12-31T23:00:00Z"}]}';
const withState: Pod[] = pods.map((pod, i) =>
  i >= PODS * 0.6 ? { ...pod, metadata: { ...pod.metadata, annotations: { ...pod.metadata.annotations, 'apps.kruise.io/inplace-update-state': stateText } } } : pod,
);

function pass(replicas: number, observed: readonly Pod[] = pods): number {
  const set = { ...setWith(replicas, 'nginx:2'), status: { currentRevision: oldRevision.metadata.name ?? '', updateRevision: newRevision.metadata.name ?? '', observedGeneration: 1 } };
  const plan = planStatefulSetPass({ statefulSet: set, pods: observed, pvcs: [], revisions: [oldRevision, newRevision], now: T0 });
  return plan.effects.flat().length + (plan.status.updatedReplicas ?? 0);
}


process.stdout.write(`Advanced StatefulSet of ${String(PODS)} replicas mid-rollout, ${String(RUNS)} runs after ${String(WARMUP)} warm-ups\n`);
measurePass('planStatefulSetPass mid-rollout, 816 in-place updates start', () => pass(PODS), { warmup: WARMUP, runs: RUNS });
measurePass('planStatefulSetPass mid-rollout, update waits (1000 restarting)', () => pass(PODS, waiting), { warmup: WARMUP, runs: RUNS });
measurePass('planStatefulSetPass, Parallel scale up 10000 → 11000', () => pass(11_000), { warmup: WARMUP, runs: RUNS });
measurePass('the 816 start, the 4000 updated pods with their state', () => pass(PODS, withState), { warmup: WARMUP, runs: RUNS });
