import { DAEMONSET_PROGRESSIVE_CREATE_POD_ANNOTATION } from '../api/labels.js';
import type { DaemonSet, DaemonSetRollingUpdateType, DaemonSetUpdateStrategyType } from '../api/daemonSet.js';
import type { Lifecycle } from '../api/pub.js';
import { withDaemonSetDefaults } from '../api/withDaemonSetDefaults.js';
import { scaledValueFromIntOrPercent, type IntOrPercent } from '../shared/intOrPercent.js';
import type { LabelSelector } from '../shared/selector.js';

/** The annotation an apps/v1 DaemonSet kept its template generation in (pods get `pod-template-generation`). */
export const DEPRECATED_TEMPLATE_GENERATION_ANNOTATION = 'deprecated.daemonset.template.generation';

/** The numbers and switches of an Advanced DaemonSet spec, with OpenKruise's defaults applied. */
export interface DaemonSetSettings {
  /** `updateStrategy.type` (default `RollingUpdate`). */
  readonly updateType: DaemonSetUpdateStrategyType;
  /** `rollingUpdate.rollingUpdateType` (default `Standard`; `InPlaceIfPossible` updates images in place). */
  readonly rollingUpdateType: DaemonSetRollingUpdateType;
  /** `updateStrategy.type` is RollingUpdate and `rollingUpdate` is set: the budgets, partition and selector count. */
  readonly rolling: boolean;
  /** `rollingUpdate.maxUnavailable` as written (unset counts as 0; the defaults set 1 when neither budget is set). */
  readonly maxUnavailable: IntOrPercent | undefined;
  /** `rollingUpdate.maxSurge` as written (unset counts as 0). */
  readonly maxSurge: IntOrPercent | undefined;
  /** `rollingUpdate.partition`: pods kept on old revisions (unset: 0). */
  readonly partition: IntOrPercent | undefined;
  /** `rollingUpdate.selector`: only pods on nodes it matches are updated. */
  readonly updateSelector: LabelSelector | undefined;
  /** `rollingUpdate.paused`: no rolling update (pods are still created and deleted for nodes). */
  readonly paused: boolean;
  /** `spec.minReadySeconds` (default 0). */
  readonly minReadySeconds: number;
  /**
   * Most pods created (and most deleted, and most updated in place) in one pass:
   * `spec.burstReplicas` (default 250), a percentage of `status.desiredNumberScheduled` rounded
   * down, as OpenKruise's `getBurstReplicas` reads it (an unreadable value gives 0).
   */
  readonly burstReplicas: number;
  /** `spec.revisionHistoryLimit` (default 10). */
  readonly revisionHistoryLimit: number;
  /** `spec.lifecycle` (OpenKruise honours only `preDelete` for Advanced DaemonSet). */
  readonly lifecycle: Lifecycle | undefined;
  /** `scaleStrategy.partitionedScaling` (or the v1alpha1 annotation `daemonset.kruise.io/progressive-create-pod: "true"`). */
  readonly partitionedScaling: boolean;
  /** The deprecated template generation annotation, when set and readable. */
  readonly templateGeneration: number | undefined;
}

function scaled(value: IntOrPercent | undefined, total: number, roundUp: boolean): number {
  if (value === undefined) return 0;
  const result = scaledValueFromIntOrPercent(value, total, roundUp);
  return result.kind === 'scaled' ? result.value : 0;
}

/**
 * Returns the settings of an Advanced DaemonSet, its defaults applied as OpenKruise's webhook
 * applies them (`withDaemonSetDefaults`: RollingUpdate/Standard, maxUnavailable 1 when neither
 * budget is set, burstReplicas 250, revisionHistoryLimit 10).
 *
 * @example burstReplicas '10%', status.desiredNumberScheduled 25 → burstReplicas 2 (2.5 rounded down)
 */
export function resolveDaemonSetSettings(daemonSet: DaemonSet): DaemonSetSettings {
  const ds = withDaemonSetDefaults(daemonSet);
  const { spec } = ds;
  const rollingUpdate = spec.updateStrategy.rollingUpdate;
  const rolling = spec.updateStrategy.type === 'RollingUpdate' && rollingUpdate !== undefined;
  const generation = ds.metadata?.annotations?.[DEPRECATED_TEMPLATE_GENERATION_ANNOTATION];
  return {
    updateType: spec.updateStrategy.type,
    rollingUpdateType: rollingUpdate?.rollingUpdateType ?? 'Standard',
    rolling,
    maxUnavailable: rolling ? rollingUpdate.maxUnavailable : undefined,
    maxSurge: rolling ? rollingUpdate.maxSurge : undefined,
    partition: rolling ? rollingUpdate.partition : undefined,
    updateSelector: rolling ? rollingUpdate.selector : undefined,
    paused: rollingUpdate?.paused === true,
    minReadySeconds: spec.minReadySeconds ?? 0,
    burstReplicas: scaled(spec.burstReplicas, ds.status?.desiredNumberScheduled ?? 0, false),
    revisionHistoryLimit: spec.revisionHistoryLimit,
    lifecycle: spec.lifecycle,
    partitionedScaling: spec.scaleStrategy?.partitionedScaling === true || ds.metadata?.annotations?.[DAEMONSET_PROGRESSIVE_CREATE_POD_ANNOTATION] === 'true',
    templateGeneration: generation !== undefined && /^[+-]?\d+$/.test(generation) ? Number(generation) : undefined,
  };
}

/** How far a rolling update may go at once, for a number of nodes that should run the pod. */
export interface DaemonSetBudgets {
  /** Nodes whose pod may be unavailable (rounded up). */
  readonly maxUnavailable: number;
  /** Nodes that may run a new pod next to their old available one (rounded up). */
  readonly maxSurge: number;
}

/**
 * Returns the rolling update budgets for `desired` nodes (OpenKruise `updatedDesiredNodeCounts`):
 * both percentages round up; when both come to 0 on a non-empty set, maxUnavailable is 1.
 *
 * @example maxUnavailable '25%', desired 10 → { maxUnavailable: 3, maxSurge: 0 }
 * @example maxUnavailable 0, maxSurge '0%', desired 4 → { maxUnavailable: 1, maxSurge: 0 }
 */
export function daemonSetBudgets(settings: Pick<DaemonSetSettings, 'maxUnavailable' | 'maxSurge'>, desired: number): DaemonSetBudgets {
  const maxUnavailable = scaled(settings.maxUnavailable, desired, true);
  const maxSurge = scaled(settings.maxSurge, desired, true);
  return desired > 0 && maxUnavailable === 0 && maxSurge === 0 ? { maxUnavailable: 1, maxSurge } : { maxUnavailable, maxSurge };
}

/**
 * Returns whether the set may run two pods on a node during an update (OpenKruise `allowSurge`:
 * maxSurge of one node, rounded up, above 0).
 *
 * @example maxSurge '1%' → true; maxSurge 0 → false
 */
export function daemonSetAllowsSurge(settings: Pick<DaemonSetSettings, 'maxSurge'>): boolean {
  return scaled(settings.maxSurge, 1, true) > 0;
}

/**
 * Returns the number of pods the partition keeps on old revisions for `desired` nodes: a count as
 * written, a percentage of `desired` rounded up.
 *
 * @example partition '30%', desired 10 → 3; partition 3 → 3; no partition → 0
 */
export function daemonSetPartition(settings: Pick<DaemonSetSettings, 'partition'>, desired: number): number {
  return scaled(settings.partition, desired, true);
}
