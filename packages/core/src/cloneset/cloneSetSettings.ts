import type { CloneSet, CloneSetPodUpdatePolicy, CloneSetUpdateStrategyType } from '../api/cloneSet.js';
import { DEFAULT_CLONESET_MAX_UNAVAILABLE } from '../api/cloneSet.js';
import { CLONESET_SCALING_EXCLUDE_PREPARING_DELETE_LABEL } from '../api/labels.js';
import type { Lifecycle, UpdatePriorityStrategy, UpdateScatterStrategy } from '../api/pub.js';
import type { IntOrPercent } from '../shared/intOrPercent.js';
import { calculatePartitionReplicas, scaledValueFromIntOrPercent } from '../shared/intOrPercent.js';

/**
 * Feature gates the CloneSet algorithms read (all default to `false`, as in OpenKruise).
 */
export interface CloneSetFeatureGates {
  /** Let a partition raised above the updated pods roll pods back to the current revision. */
  readonly CloneSetPartitionRollback?: boolean;
  /** Count pods in `PreparingUpdate` as updated when computing scale numbers. */
  readonly PreparingUpdateAsUpdate?: boolean;
}

/** The numbers and switches of a CloneSet spec, resolved against `replicas` (what the algorithms read). */
export interface CloneSetSettings {
  /** `spec.replicas` (default 1). */
  readonly replicas: number;
  /** Pods kept on the current revision (partition resolved; invalid → 0, as OpenKruise logs and goes on). */
  readonly partition: number;
  /** Most pods above replicas (rounded up; forced to 0 while paused). */
  readonly maxSurge: number;
  /** Most pods unavailable during update (default 20%; rounded up when maxSurge is 0, else down). */
  readonly maxUnavailable: number;
  /** Most pods unavailable while scaling up (rounded up; unset = 2147483647). */
  readonly scaleMaxUnavailable: number;
  /** `rollingUpdate.paused`. */
  readonly paused: boolean;
  /** `updateStrategy.type` (default `RollingUpdate`). */
  readonly updateType: CloneSetUpdateStrategyType;
  /** `rollingUpdate.podUpdatePolicy` (default `ReCreate`). */
  readonly podUpdatePolicy: CloneSetPodUpdatePolicy;
  /** `spec.minReadySeconds` (default 0). */
  readonly minReadySeconds: number;
  /** Names listed in `scaleStrategy.podsToDelete`. */
  readonly podsToDelete: ReadonlySet<string>;
  /** PreparingDelete pods are left out of the replica count (field, or the CloneSet label). */
  readonly excludePreparingDelete: boolean;
  /** Reuse the PVCs of vanished pods (`scaleStrategy.enablePVCReuse`). */
  readonly enablePVCReuse: boolean;
  /** `spec.lifecycle` (undefined when unset: some transitions differ between unset and empty). */
  readonly lifecycle: Lifecycle | undefined;
  /** `rollingUpdate.priorityStrategy`. */
  readonly priorityStrategy: UpdatePriorityStrategy | undefined;
  /** `rollingUpdate.scatterStrategy`. */
  readonly scatterStrategy: UpdateScatterStrategy | undefined;
  /** `rollingUpdate.inPlaceUpdateStrategy.gracePeriodSeconds` (default 0). */
  readonly gracePeriodSeconds: number;
  /** `spec.progressDeadlineSeconds`; undefined or 2147483647 mean "no deadline". */
  readonly progressDeadlineSeconds: number | undefined;
  /** Topology keys of `template.spec.topologySpreadConstraints`, for scale-down ranking. */
  readonly topologyKeys: readonly string[];
}

/** The largest int32, OpenKruise's "unlimited". */
export const MAX_INT32 = 2147483647;

function scaled(value: IntOrPercent | undefined, fallback: IntOrPercent, replicas: number, roundUp: boolean): number {
  const result = scaledValueFromIntOrPercent(value ?? fallback, replicas, roundUp);
  return result.kind === 'scaled' ? result.value : 0;
}

/**
 * Returns the CloneSet's settings resolved against its replicas, with OpenKruise's rounding.
 * `scalingExcludePreparingDelete` is the manager flag of the same name.
 *
 * @example replicas 10, partition "25%", maxSurge "15%", maxUnavailable "25%"
 *   → partition 3 (2.5 up), maxSurge 2 (1.5 up), maxUnavailable 2 (2.5 down because maxSurge > 0)
 * @example replicas 5, maxUnavailable unset, maxSurge unset → maxUnavailable 1 (20% of 5 rounded up)
 */
export function resolveCloneSetSettings(cloneSet: CloneSet, scalingExcludePreparingDelete = false): CloneSetSettings {
  const spec = cloneSet.spec;
  const rolling = spec.updateStrategy?.rollingUpdate;
  const replicas = spec.replicas ?? 1;
  const partition = calculatePartitionReplicas(rolling?.partition, replicas);
  const paused = rolling?.paused ?? false;
  const maxSurge = paused ? 0 : scaled(rolling?.maxSurge, 0, replicas, true);
  const excludeLabel = cloneSet.metadata?.labels?.[CLONESET_SCALING_EXCLUDE_PREPARING_DELETE_LABEL] === 'true';
  return {
    replicas,
    partition: partition.kind === 'scaled' ? partition.value : 0,
    maxSurge,
    maxUnavailable: scaled(rolling?.maxUnavailable, DEFAULT_CLONESET_MAX_UNAVAILABLE, replicas, maxSurge === 0),
    scaleMaxUnavailable: scaled(spec.scaleStrategy?.maxUnavailable, MAX_INT32, replicas, true),
    paused,
    updateType: spec.updateStrategy?.type ?? 'RollingUpdate',
    podUpdatePolicy: rolling?.podUpdatePolicy ?? 'ReCreate',
    minReadySeconds: spec.minReadySeconds ?? 0,
    podsToDelete: new Set(spec.scaleStrategy?.podsToDelete ?? []),
    excludePreparingDelete: (spec.scaleStrategy?.excludePreparingDelete ?? false) || excludeLabel || scalingExcludePreparingDelete,
    enablePVCReuse: spec.scaleStrategy?.enablePVCReuse ?? false,
    lifecycle: spec.lifecycle,
    priorityStrategy: rolling?.priorityStrategy,
    scatterStrategy: rolling?.scatterStrategy,
    gracePeriodSeconds: rolling?.inPlaceUpdateStrategy?.gracePeriodSeconds ?? 0,
    progressDeadlineSeconds: spec.progressDeadlineSeconds,
    topologyKeys: (spec.template.spec.topologySpreadConstraints ?? []).map((constraint) => constraint.topologyKey),
  };
}
