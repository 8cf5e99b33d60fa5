import { BROADCASTJOB_CONTROLLER_UID_LABEL, BROADCASTJOB_NAME_LABEL, type BroadcastJob } from '../api/broadcastJob.js';
import { BROADCASTJOB_API_VERSION, BROADCASTJOB_KIND } from '../api/broadcastJobSpec.js';
import type { Node } from '../api/node.js';
import type { OwnerReference } from '../api/objectMeta.js';
import type { Pod } from '../api/pod.js';
import { checkNodeFitness, type NodeFitness } from '../shared/nodeFitness.js';
import { pinnedAffinity, podTargetNode } from '../shared/nodePinning.js';
import { isPodTerminating } from '../shared/podState.js';

/**
 * The pods of a BroadcastJob: how one is made for a node, how the job counts them
 * (`filterPods`), and which nodes still need one (`getNodesToRunPod`).
 */

/** The longest prefix the apiserver keeps before a generated name's 5 random characters. */
const MAX_GENERATED_NAME_PREFIX = 58;

/** Returns the labels every pod of the job carries (`broadcastjob-name`, `broadcastjob-controller-uid`). */
export function broadcastJobPodLabels(job: BroadcastJob): Record<string, string> {
  return { [BROADCASTJOB_NAME_LABEL]: job.metadata?.name ?? '', [BROADCASTJOB_CONTROLLER_UID_LABEL]: job.metadata?.uid ?? '' };
}

/** Returns the controller reference of the job's pods. */
export function broadcastJobControllerRef(job: BroadcastJob): OwnerReference {
  return { apiVersion: BROADCASTJOB_API_VERSION, kind: BROADCASTJOB_KIND, name: job.metadata?.name ?? '', uid: job.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true };
}

/** Returns the `generateName` of the job's pods: `<job>-`, cut as the apiserver cuts it. */
export function broadcastJobPodNamePrefix(job: BroadcastJob): string {
  return `${job.metadata?.name ?? ''}-`.slice(0, MAX_GENERATED_NAME_PREFIX);
}

/**
 * Returns the job's pod for `node` (Kubernetes `GetPodFromTemplate`, pinned by node affinity as
 * OpenKruise does with `assign-bcj-pods-by-scheduler`, its default): the template's labels plus
 * the job's two labels, its annotations and finalizers, name `<job>-<suffix>`, the job as
 * controller, no `nodeName` (the scheduler binds it).
 *
 * @example job 'warm', node 'node-1', suffix 'x7k2p' → name 'warm-x7k2p', affinity matchFields metadata.name In [node-1]
 */
export function newBroadcastJobPod(job: BroadcastJob, node: string, suffix: string): Pod {
  const template = job.spec.template;
  const prefix = broadcastJobPodNamePrefix(job);
  const namespace = job.metadata?.namespace;
  const { annotations, finalizers } = template.metadata ?? {};
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${prefix}${suffix}`,
      generateName: prefix,
      ...(namespace === undefined ? {} : { namespace }),
      labels: { ...template.metadata?.labels, ...broadcastJobPodLabels(job) },
      ...(annotations === undefined ? {} : { annotations: { ...annotations } }),
      ...(finalizers === undefined ? {} : { finalizers: [...finalizers] }),
      ownerReferences: [broadcastJobControllerRef(job)],
    },
    spec: { ...template.spec, affinity: pinnedAffinity(template.spec.affinity, node) },
  };
}

/** A job's pods by how they count: active, failed, succeeded; terminating pods that did not finish count nowhere. */
export interface BroadcastJobPodCounts {
  readonly active: readonly Pod[];
  readonly failed: readonly Pod[];
  readonly succeeded: readonly Pod[];
}

function restarts(pod: Pod): number {
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  return statuses.reduce((sum, status) => sum + (status.restartCount ?? 0), 0);
}

/**
 * Returns whether a running pod counts as failed (OpenKruise `isPodFailed`): only a
 * `restartPolicy: OnFailure` pod whose containers (init containers included) restarted more than
 * `restartLimit` times in total.
 *
 * @example OnFailure, restartLimit 2, restarts 1 + 2 → true; restartPolicy Never → always false
 */
export function isBroadcastJobPodFailed(pod: Pod, restartLimit: number): boolean {
  return pod.spec.restartPolicy === 'OnFailure' && restarts(pod) > restartLimit;
}

/**
 * Returns the job's pods by how they count (OpenKruise `filterPods`): phase Succeeded →
 * succeeded; phase Failed, or restarted past `restartLimit` → failed; not terminating → active;
 * a terminating pod that did not finish counts nowhere.
 *
 * @example [Succeeded, Failed, Running, Running terminating] → active 1, failed 1, succeeded 1
 */
export function countBroadcastJobPods(pods: readonly Pod[], restartLimit: number): BroadcastJobPodCounts {
  const active: Pod[] = [];
  const failed: Pod[] = [];
  const succeeded: Pod[] = [];
  for (const pod of pods) {
    const phase = pod.status?.phase;
    if (phase === 'Succeeded') succeeded.push(pod);
    else if (phase === 'Failed') failed.push(pod);
    else if (!isPodTerminating(pod)) (isBroadcastJobPodFailed(pod, restartLimit) ? failed : active).push(pod);
  }
  return { active, failed, succeeded };
}

/** Where a job stands on the nodes (OpenKruise `getNodesToRunPod`). */
export interface BroadcastJobNodes {
  /** The eligible nodes by name, each with its pod (undefined while it has none): `status.desired` is their count. */
  readonly desired: ReadonlyMap<string, Pod | undefined>;
  /** Eligible nodes without a pod, by name. */
  readonly toRun: readonly string[];
  /** Pods (not terminating) on nodes they no longer fit, each with why. */
  readonly toDelete: readonly { readonly pod: Pod; readonly fitness: NodeFitness }[];
  /** Pods on a node the same job already has a pod on (should not happen: recorded as an event). */
  readonly duplicates: readonly { readonly pod: Pod; readonly node: string }[];
}

/**
 * Returns where the job stands on `nodes` (sorted by name): a node with a pod of the job is
 * desired while the pod still fits it (`checkNodeFitness` of the pod), else the pod is to delete;
 * a node without one is desired and to run when the template, bound to it, fits. Pods are
 * matched to nodes by their node name or pinned node affinity; when two share a node, the later
 * in `pods` is kept, as OpenKruise's map keeps the last.
 *
 * @example 6 nodes, one tainted, one cordoned, pods on node-0 and node-1 → desired 4, toRun [node-2, node-3]
 */
export function broadcastJobNodes(job: BroadcastJob, pods: readonly Pod[], nodes: readonly Node[]): BroadcastJobNodes {
  const byNode = new Map<string, Pod>();
  const duplicates: { pod: Pod; node: string }[] = [];
  for (const pod of pods) {
    const target = podTargetNode(pod);
    const node = target.kind === 'node' ? target.node : '';
    if (byNode.has(node)) duplicates.push({ pod, node });
    byNode.set(node, pod);
  }
  const desired = new Map<string, Pod | undefined>();
  const toRun: string[] = [];
  const toDelete: { pod: Pod; fitness: NodeFitness }[] = [];
  const sorted = [...nodes].sort((a, b) => ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : (a.metadata.name ?? '') > (b.metadata.name ?? '') ? 1 : 0));
  for (const node of sorted) {
    const name = node.metadata.name ?? '';
    const pod = byNode.get(name);
    const fitness = checkNodeFitness(pod === undefined ? { ...job.spec.template.spec, nodeName: name } : pod.spec, node);
    if (fitness.kind !== 'fits') {
      if (pod !== undefined && !isPodTerminating(pod)) toDelete.push({ pod, fitness });
      continue;
    }
    desired.set(name, pod);
    if (pod === undefined) toRun.push(name);
  }
  return { desired, toRun, toDelete, duplicates };
}
