import type { KubeObject } from '@kruise-ts/k8s-adapter';

/** Where a workload's rollout stands, with the numbers that say so. */
export type RolloutState =
  | { readonly kind: 'not-observed'; readonly generation: number; readonly observedGeneration: number | undefined }
  | { readonly kind: 'rolling'; readonly want: number; readonly replicas: number; readonly updated: number; readonly updatedAvailable: number }
  | { readonly kind: 'rolled-out'; readonly replicas: number };

interface WorkloadShape {
  readonly metadata: { readonly generation?: number | undefined };
  readonly spec?: { readonly replicas?: number | undefined };
  readonly status?: Readonly<Record<string, unknown>> | undefined;
}

const count = (status: Readonly<Record<string, unknown>>, ...fields: readonly string[]): number => {
  for (const field of fields) if (typeof status[field] === 'number') return status[field];
  return 0;
};

/**
 * Returns whether a workload (CloneSet, Advanced StatefulSet, UnitedDeployment, Advanced
 * DaemonSet...) has rolled out its latest spec: the controller has observed this generation
 * (`status.observedGeneration === metadata.generation`, else `not-observed`: the status still
 * describes an older spec), and every wanted replica exists, is updated and is available
 * (`status.updatedAvailableReplicas`, or `availableReplicas`/`readyReplicas` for kinds without
 * it). A partition that holds pods back is therefore never rolled out.
 * The wanted count is `spec.replicas` (default 1), or for a DaemonSet `status.desiredNumberScheduled`.
 *
 * @example generation 3, observedGeneration 3, replicas 5, updatedReplicas 4, updatedAvailableReplicas 4
 *   → `{ kind: 'rolling', want: 5, replicas: 5, updated: 4, updatedAvailable: 4 }`
 */
export function rolloutState(object: KubeObject): RolloutState {
  const workload = object as unknown as WorkloadShape;
  const status = workload.status ?? {};
  const generation = workload.metadata.generation ?? 0;
  const observedGeneration = typeof status.observedGeneration === 'number' ? status.observedGeneration : undefined;
  if (observedGeneration !== generation) return { kind: 'not-observed', generation, observedGeneration };
  const daemon = typeof status.desiredNumberScheduled === 'number';
  const want = daemon ? count(status, 'desiredNumberScheduled') : (workload.spec?.replicas ?? 1);
  const replicas = daemon ? count(status, 'currentNumberScheduled') : count(status, 'replicas');
  const updated = daemon ? count(status, 'updatedNumberScheduled') : count(status, 'updatedReplicas');
  const updatedAvailable = daemon ? count(status, 'numberAvailable') : count(status, 'updatedAvailableReplicas', 'availableReplicas', 'readyReplicas');
  if (replicas === want && updated === want && updatedAvailable === want) return { kind: 'rolled-out', replicas: want };
  return { kind: 'rolling', want, replicas, updated, updatedAvailable };
}
