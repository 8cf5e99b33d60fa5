import { apiGroupOf, isEmptyLabelSelector, isPodSelectedByTargetFilter, matchesLabelSelector, replicasFromTargetFilter, type LabelSelector, type Pod, type WorkloadSpreadTargetFilter, type WorkloadSpreadTargetReference } from '@kruise-ts/core';
import { defineResource, KruiseResources, NotFoundError, Resources, type KubeObject, type KubeReader, type ResourceType } from '@kruise-ts/k8s-adapter';

/** `apps/v1` ReplicaSets (a Deployment's pods are theirs). */
export const REPLICA_SET_TYPE: ResourceType = defineResource({ group: 'apps', version: 'v1', kind: 'ReplicaSet', plural: 'replicasets', namespaced: true });

/** The kinds a WorkloadSpread can target, by `group/kind`. */
const TARGET_TYPES: Readonly<Record<string, ResourceType>> = {
  'apps.kruise.io/CloneSet': KruiseResources.CloneSet,
  'apps/Deployment': Resources.Deployment,
  'apps/ReplicaSet': REPLICA_SET_TYPE,
  'batch/Job': Resources.Job,
  'apps/StatefulSet': Resources.AppsStatefulSet,
  'apps.kruise.io/StatefulSet': KruiseResources.StatefulSet,
};

/** The types the controller watches for replica changes of a target (CloneSet, Deployment). */
export const WATCHED_TARGET_TYPES: readonly ResourceType[] = [KruiseResources.CloneSet, Resources.Deployment];

type Scaled = KubeObject & { spec?: { replicas?: number; parallelism?: number; selector?: LabelSelector } };

/** A WorkloadSpread's workload as the controller reads it: its pods and the replicas percentages count against. */
export interface SpreadTarget {
  readonly pods: readonly Pod[];
  /**
   * `spec.replicas` (a Job's `spec.parallelism`), 1 when unset; with a targetFilter's
   * `replicasPathList`, the sum of the integers at those paths; 0 when the workload does not exist.
   */
  readonly replicas: number;
  /** The workload as read (absent when it does not exist). */
  readonly workload?: KubeObject | undefined;
}

/** A targetFilter path that does not lead to an integer in the workload (OpenKruise gives up the pass with that error). */
export class TargetFilterReplicasError extends Error {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`targetFilter.replicasPathList: ${path}: ${reason}`);
    this.name = 'TargetFilterReplicasError';
  }
}

function replicasOf(workload: Scaled, ref: WorkloadSpreadTargetReference, filter: WorkloadSpreadTargetFilter | undefined): number {
  const paths = filter?.replicasPathList ?? [];
  if (paths.length === 0) return (ref.kind === 'Job' ? workload.spec?.parallelism : workload.spec?.replicas) ?? 1;
  const counted = replicasFromTargetFilter(workload, paths);
  if (counted.kind === 'invalid') throw new TargetFilterReplicasError(counted.path, counted.message);
  return counted.replicas;
}

/**
 * Returns the pods and replicas of the workload `ref` names in `namespace` (OpenKruise's
 * `getPodsForWorkloadSpread` and `getWorkloadReplicas`): its pods are the namespace's pods its
 * selector matches whose controller is the workload (for a Deployment, one of its ReplicaSets) and,
 * with a `targetFilter`, that its selector selects; its replicas are `spec.replicas`, or the sum
 * at the filter's `replicasPathList` (a path that is not an integer throws
 * {@link TargetFilterReplicasError}). A workload that does not exist has no pods and 0 replicas; a
 * kind WorkloadSpread cannot target gives `undefined`.
 *
 * @example CloneSet web with replicas 6 and 6 pods → { pods: [6 pods], replicas: 6 }
 * @example the same with targetFilter { selector: role=worker, replicasPathList: ['spec.replicas'] } and 2 worker pods → { pods: [2 pods], replicas: 6 }
 */
export async function readSpreadTarget(
  client: KubeReader,
  namespace: string,
  ref: WorkloadSpreadTargetReference,
  pods: readonly Pod[],
  signal: AbortSignal,
  filter?: WorkloadSpreadTargetFilter,
): Promise<SpreadTarget | undefined> {
  const type = TARGET_TYPES[`${apiGroupOf(ref.apiVersion)}/${ref.kind}`];
  if (type === undefined) return undefined;
  let workload: Scaled;
  try {
    workload = await client.get(type, { namespace, name: ref.name }, { signal });
  } catch (error) {
    if (error instanceof NotFoundError) return { pods: [], replicas: 0 };
    throw error;
  }
  const selector = workload.spec?.selector;
  const replicas = replicasOf(workload, ref, filter);
  if (selector === undefined || isEmptyLabelSelector(selector)) return { pods: [], replicas, workload };
  const owned = (pod: Pod): boolean => {
    const owner = (pod.metadata.ownerReferences ?? []).find((o) => o.controller === true);
    return owner !== undefined && (owner.uid === workload.metadata.uid || (ref.kind === 'Deployment' && owner.kind === 'ReplicaSet'));
  };
  const managed = (pod: Pod): boolean => matchesLabelSelector(selector, pod.metadata.labels) && owned(pod) && isPodSelectedByTargetFilter(filter, pod.metadata.labels);
  return { pods: pods.filter(managed), replicas, workload };
}
