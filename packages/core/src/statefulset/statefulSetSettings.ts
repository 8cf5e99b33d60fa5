import type { PersistentVolumeClaimRetentionPolicyType, PodManagementPolicy, ReserveOrdinal, StatefulSet, StatefulSetPodUpdatePolicy, StatefulSetUpdateStrategyType } from '../api/statefulSet.js';
import type { Lifecycle, UpdatePriorityStrategy } from '../api/pub.js';
import { scaledValueFromIntOrPercent, type IntOrPercent } from '../shared/intOrPercent.js';
import type { PodUpdateSettings } from '../workload/decidePodUpdate.js';

/**
 * Feature gates the Advanced StatefulSet controller reads, with OpenKruise's defaults:
 * `StatefulSetAutoDeletePVC` on, `PodIndexLabel` on, `StatefulSetStartOrdinal` off.
 */
export interface StatefulSetFeatureGates {
  /** `persistentVolumeClaimRetentionPolicy` is honoured (default true). */
  readonly StatefulSetAutoDeletePVC?: boolean;
  /** Pods get the `apps.kubernetes.io/pod-index` label (default true). */
  readonly PodIndexLabel?: boolean;
  /** `spec.ordinals.start` shifts the ordinals (default false: they start at 0). */
  readonly StatefulSetStartOrdinal?: boolean;
  /** `volumeClaimUpdateStrategy: OnPodRollingUpdate` expands PVCs during the rolling update (default false). */
  readonly StatefulSetAutoResizePVCGate?: boolean;
}

/** The numbers and switches of an Advanced StatefulSet spec, with OpenKruise's defaults applied. */
export interface StatefulSetSettings extends PodUpdateSettings {
  /** `spec.replicas` (default 1). */
  readonly replicas: number;
  /** The first ordinal: `spec.ordinals.start` with the StatefulSetStartOrdinal gate, else 0. */
  readonly startOrdinal: number;
  /** One past the highest ordinal a replica may have: `replicas` unreserved ordinals from `startOrdinal`. */
  readonly endOrdinal: number;
  /** Ordinals that never get a pod (`spec.reserveOrdinals`, ranges expanded). */
  readonly reserved: ReadonlySet<number>;
  /** `OrderedReady` creates and deletes one pod at a time (monotonic); `Parallel` bursts. */
  readonly podManagementPolicy: PodManagementPolicy;
  /** `updateStrategy.type` (default `RollingUpdate`). */
  readonly updateType: StatefulSetUpdateStrategyType;
  /** Whether `updateStrategy.rollingUpdate` is set (OpenKruise's defaulting always sets it for RollingUpdate). */
  readonly hasRollingUpdate: boolean;
  /** Pods kept on the current revision (`rollingUpdate.partition`, default 0). */
  readonly partition: number;
  /** Most replicas unavailable during the update (default 1, percentages round down, at least 1). */
  readonly maxUnavailable: number;
  /** Most replicas not available while Parallel scaling (`scaleStrategy.maxUnavailable`; undefined = unbounded). */
  readonly scaleMaxUnavailable: number | undefined;
  /** `rollingUpdate.podUpdatePolicy` (default `ReCreate`). */
  readonly podUpdatePolicy: StatefulSetPodUpdatePolicy;
  /** `rollingUpdate.paused`. */
  readonly paused: boolean;
  /** `rollingUpdate.unorderedUpdate` is set: pods go by priority, not from the highest ordinal down. */
  readonly unordered: boolean;
  /** `unorderedUpdate.priorityStrategy`. */
  readonly priorityStrategy: UpdatePriorityStrategy | undefined;
  /** `rollingUpdate.minReadySeconds` (default 0). */
  readonly minReadySeconds: number;
  /** `spec.lifecycle`. */
  readonly lifecycle: Lifecycle | undefined;
  /** `persistentVolumeClaimRetentionPolicy` (Retain/Retain by default; ignored without StatefulSetAutoDeletePVC). */
  readonly retention: { readonly whenDeleted: PersistentVolumeClaimRetentionPolicyType; readonly whenScaled: PersistentVolumeClaimRetentionPolicyType };
  /** The StatefulSetAutoDeletePVC gate. */
  readonly autoDeletePvc: boolean;
  /** The PodIndexLabel gate. */
  readonly podIndexLabel: boolean;
  /** `spec.revisionHistoryLimit` (default 10). */
  readonly revisionHistoryLimit: number;
  /** PVCs follow a larger claim template during the rolling update (the gate and `volumeClaimUpdateStrategy: OnPodRollingUpdate`). */
  readonly resizeClaimsOnUpdate: boolean;
}

/**
 * Returns the reserved ordinals of `spec.reserveOrdinals` as OpenKruise's
 * `GetReserveOrdinalIntSet` reads them: numbers as they are, strings as `"a-b"` ranges (both ends
 * included). A string that is not such a range (`"7"`, `"5-3"`) makes the whole list count as
 * empty, as in OpenKruise (the validating webhook refuses it first).
 *
 * @example reserveOrdinalSet([1, '3-4']) // Set {1, 3, 4}
 * @example reserveOrdinalSet([1, 'x']) // Set {} (invalid range)
 */
export function reserveOrdinalSet(reserveOrdinals: readonly ReserveOrdinal[] | undefined): Set<number> {
  const values = new Set<number>();
  for (const entry of reserveOrdinals ?? []) {
    if (typeof entry === 'number') {
      values.add(entry);
      continue;
    }
    const range = parseOrdinalRange(entry);
    if (range === undefined) return new Set();
    for (let i = range.start; i <= range.end; i++) values.add(i);
  }
  return values;
}

/**
 * Returns the bounds of an `"a-b"` ordinal range, or `undefined` when the string is not one
 * (OpenKruise's `ParseRange`: exactly one `-`, integers on both sides, `a <= b`).
 *
 * @example parseOrdinalRange('3-5') // { start: 3, end: 5 }
 * @example parseOrdinalRange('5-3') // undefined
 */
export function parseOrdinalRange(text: string): { start: number; end: number } | undefined {
  const parts = text.split('-');
  if (parts.length !== 2) return undefined;
  const [a = '', b = ''] = parts;
  if (!/^[+-]?\d+$/.test(a) || !/^[+-]?\d+$/.test(b)) return undefined;
  const start = Number(a);
  const end = Number(b);
  return start <= end ? { start, end } : undefined;
}

/**
 * Returns one past the last ordinal of the replicas (OpenKruise's `getStatefulSetReplicasRange`):
 * counting from `start`, reserved ordinals are skipped until `replicas` ordinals are found.
 *
 * @example replicaEndOrdinal(0, 4, new Set([1, 3, 4])) // 7: replicas at 0, 2, 5, 6
 */
export function replicaEndOrdinal(start: number, replicas: number, reserved: ReadonlySet<number>): number {
  let ordinal = start;
  for (let found = 0; found < replicas; ordinal++) {
    if (!reserved.has(ordinal)) found++;
  }
  return ordinal;
}

// intstr.GetValueFromIntOrPercent(value, replicas, false), at least 1; an unreadable value counts as 1.
function atLeastOne(value: IntOrPercent, replicas: number): number {
  const scaled = scaledValueFromIntOrPercent(value, replicas, false);
  return scaled.kind === 'scaled' ? Math.max(1, scaled.value) : 1;
}

/**
 * Returns the settings of an Advanced StatefulSet with OpenKruise's defaults (replicas 1,
 * OrderedReady, RollingUpdate with partition 0, maxUnavailable 1, ReCreate; Retain/Retain;
 * revisionHistoryLimit 10) and feature gates applied.
 *
 * @example replicas 10, rollingUpdate.maxUnavailable '25%' → maxUnavailable 2 (2.5 rounded down)
 * @example replicas 4, reserveOrdinals [1, '3-4'] → startOrdinal 0, endOrdinal 7, reserved {1, 3, 4}
 */
export function resolveStatefulSetSettings(set: StatefulSet, gates: StatefulSetFeatureGates = {}): StatefulSetSettings {
  const { spec } = set;
  const replicas = spec.replicas ?? 1;
  const rolling = spec.updateStrategy?.rollingUpdate;
  const startOrdinal = gates.StatefulSetStartOrdinal === true ? (spec.ordinals?.start ?? 0) : 0;
  const reserved = reserveOrdinalSet(spec.reserveOrdinals);
  const scaleMax = spec.scaleStrategy?.maxUnavailable;
  return {
    replicas,
    startOrdinal,
    endOrdinal: replicaEndOrdinal(startOrdinal, replicas, reserved),
    reserved,
    podManagementPolicy: spec.podManagementPolicy ?? 'OrderedReady',
    updateType: spec.updateStrategy?.type ?? 'RollingUpdate',
    hasRollingUpdate: rolling !== undefined,
    partition: rolling?.partition ?? 0,
    maxUnavailable: atLeastOne(rolling?.maxUnavailable ?? 1, replicas),
    scaleMaxUnavailable: scaleMax === undefined ? undefined : atLeastOne(scaleMax, replicas),
    podUpdatePolicy: rolling?.podUpdatePolicy ?? 'ReCreate',
    paused: rolling?.paused === true,
    unordered: rolling?.unorderedUpdate !== undefined,
    priorityStrategy: rolling?.unorderedUpdate?.priorityStrategy,
    minReadySeconds: rolling?.minReadySeconds ?? 0,
    gracePeriodSeconds: rolling?.inPlaceUpdateStrategy?.gracePeriodSeconds ?? 0,
    lifecycle: spec.lifecycle,
    retention: {
      whenDeleted: spec.persistentVolumeClaimRetentionPolicy?.whenDeleted ?? 'Retain',
      whenScaled: spec.persistentVolumeClaimRetentionPolicy?.whenScaled ?? 'Retain',
    },
    autoDeletePvc: gates.StatefulSetAutoDeletePVC ?? true,
    podIndexLabel: gates.PodIndexLabel ?? true,
    revisionHistoryLimit: spec.revisionHistoryLimit ?? 10,
    resizeClaimsOnUpdate: gates.StatefulSetAutoResizePVCGate === true && spec.volumeClaimUpdateStrategy?.type === 'OnPodRollingUpdate',
  };
}
