/**
 * Times the Advanced DaemonSet pass the controller runs, `planDaemonSetPass`, over 5,000 nodes
 * in 3 zones (every 50th tainted, the set tolerating it) in the middle of a rolling update
 * (maxUnavailable 10%, partition 10%: the node loop with each node's eligibility and pods, the
 * rolling update, the status): a Standard rollout whose pass deletes the next pods within the
 * budget, an InPlaceIfPossible one whose pass starts a burst of in-place updates, and a settled
 * set (nothing to do). Prints median and p95; never asserts a time.
 *
 *   pnpm --filter @kruise-ts/bench plan
 */
import { CONTROLLER_REVISION_HASH_LABEL, planDaemonSetPass, type ControllerRevision, type DaemonSet, type Pod } from '@kruise-ts/core';
import { aDaemonSet, aPod, someNodes, T0 } from '@kruise-ts/core/testing';
import { measurePass } from './measurePass.js';

const NODES = 5_000;
const WARMUP = 5;
const RUNS = 30;
const ZONES = ['zone-a', 'zone-b', 'zone-c'];

const nodes = someNodes(NODES, 'node', (i) => ({
  labels: { 'topology.kubernetes.io/zone': ZONES[i % 3] ?? 'zone-a' },
  ...(i % 50 === 49 ? { taints: [{ key: 'dedicated', value: 'infra', effect: 'NoSchedule' as const }] } : {}),
}));

function setWith(image: string, rollingUpdateType: 'Standard' | 'InPlaceIfPossible'): DaemonSet {
  const ds = aDaemonSet({ maxUnavailable: '10%', partition: '10%', rollingUpdateType, containers: [{ name: 'main', image }] });
  const spec = { ...ds.spec.template.spec, tolerations: [{ key: 'dedicated', operator: 'Exists' as const }] };
  return { ...ds, spec: { ...ds.spec, template: { ...ds.spec.template, spec } } };
}

// The revisions the pass computes from the templates (pods carry their hashes).
function revisionOf(ds: DaemonSet, revisions: readonly ControllerRevision[]): ControllerRevision {
  const revision = planDaemonSetPass({ daemonSet: ds, pods: [], nodes: [], revisions, now: T0 }).updateRevision;
  return { ...revision, metadata: { ...revision.metadata, uid: `uid-${revision.metadata.name ?? ''}` } };
}

function scenario(rollingUpdateType: 'Standard' | 'InPlaceIfPossible', updatedShare: number) {
  const oldRevision = revisionOf(setWith('nginx:1', rollingUpdateType), []);
  const ds = setWith('nginx:2', rollingUpdateType);
  const newRevision = revisionOf(ds, [oldRevision]);
  const hash = (r: ControllerRevision) => r.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? '';
  const owner = { apiVersion: 'apps.kruise.io/v1beta1', kind: 'DaemonSet', name: 'agent', uid: 'uid-agent', controller: true, blockOwnerDeletion: true };
  // Updated from the highest node name down; 2% of the pods not ready.
  const sorted = nodes.map((n) => n.metadata.name ?? '').sort();
  const pods: Pod[] = sorted.map((node, i) => {
    const updated = i >= NODES * (1 - updatedShare);
    const pod = aPod({
      name: `agent-${String(i)}`,
      phase: i % 50 === 7 ? 'not-ready' : 'ready',
      readySince: T0 - 60_000 - i,
      node,
      ...(rollingUpdateType === 'InPlaceIfPossible' ? { inPlaceUpdateReady: true } : {}),
      labels: { app: 'agent', [CONTROLLER_REVISION_HASH_LABEL]: hash(updated ? newRevision : oldRevision) },
      containers: [{ name: 'main', image: updated ? 'nginx:2' : 'nginx:1' }],
    });
    return { ...pod, metadata: { ...pod.metadata, ownerReferences: [owner] } };
  });
  const daemonSet = { ...ds, status: { desiredNumberScheduled: NODES, currentNumberScheduled: NODES, updatedNumberScheduled: 0, numberReady: NODES, numberAvailable: NODES, observedGeneration: 1 } };
  return () => {
    const plan = planDaemonSetPass({ daemonSet, pods, nodes, revisions: [oldRevision, newRevision], now: T0, podNameSuffixes: () => 'x' });
    return plan.effects.flat().length + (plan.status.updatedNumberScheduled ?? 0);
  };
}


process.stdout.write(`Advanced DaemonSet over ${String(NODES)} nodes, ${String(RUNS)} runs after ${String(WARMUP)} warm-ups\n`);
measurePass('plan for 5,000 nodes mid-rollout (Standard, 40% updated)', scenario('Standard', 0.4), { warmup: WARMUP, runs: RUNS });
measurePass('plan for 5,000 nodes mid-rollout (in place, 40% updated)', scenario('InPlaceIfPossible', 0.4), { warmup: WARMUP, runs: RUNS });
measurePass('plan for 5,000 nodes, settled (nothing to do)', scenario('Standard', 1), { warmup: WARMUP, runs: RUNS });
