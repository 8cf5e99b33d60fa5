import type { BroadcastJob } from '../api/broadcastJob.js';
import type { Node } from '../api/node.js';
import type { Pod } from '../api/pod.js';
import { podTargetNode } from '../shared/nodePinning.js';
import type { EpochMs } from '../shared/podState.js';
import { aNode } from '../testing/nodeBuilder.js';
import { simulateWorkloadEffects } from '../workload/simulateWorkloadEffects.js';
import { planBroadcastJobPass, type BroadcastJobPassPlan } from './planBroadcastJobPass.js';

/** 6 nodes as the scene: node-0..3 eligible, node-4 tainted NoSchedule, node-5 cordoned. */
export function sixNodes(): Node[] {
  return [
    ...[0, 1, 2, 3].map((i) => aNode({ name: `node-${String(i)}` })),
    aNode({ name: 'node-4', taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] }),
    aNode({ name: 'node-5', unschedulable: true }),
  ];
}

export const T0: EpochMs = Date.parse('2025-01-01T00:00:00Z');

/** Returns the pod as the scheduler and kubelet leave it: bound to its pinned node, in `phase`. */
export function podIn(pod: Pod, phase: 'Running' | 'Succeeded' | 'Failed', restarts = 0): Pod {
  const target = podTargetNode(pod);
  return {
    ...pod,
    spec: { ...pod.spec, nodeName: target.kind === 'node' ? target.node : '' },
    status: { phase, containerStatuses: pod.spec.containers.map((c) => ({ name: c.name, restartCount: restarts, ready: phase === 'Running' })) },
  };
}

let counter = 0;
/** Suffixes that never repeat within a test file. */
export const freshSuffixes = (): string => `s${String(counter++).padStart(4, '0')}`;

/** Returns a pass and the world after its effects (pods created Running, deleted pods gone; the job gets the status). */
export function step(job: BroadcastJob, pods: readonly Pod[], nodes: readonly Node[], now: EpochMs): { plan: BroadcastJobPassPlan; job: BroadcastJob; pods: Pod[] } {
  const plan = planBroadcastJobPass({ job, pods, nodes, now, podNameSuffixes: freshSuffixes });
  const world = simulateWorkloadEffects({ pods, pvcs: [], revisions: [] }, plan.effects.flat(), now);
  const created = new Set(plan.effects.flat().flatMap((e) => (e.kind === 'create-pod' ? [e.pod.metadata.name] : [])));
  return { plan, job: { ...job, status: plan.status }, pods: world.pods.map((p) => (created.has(p.metadata.name) ? podIn(p, 'Running') : p)) };
}
