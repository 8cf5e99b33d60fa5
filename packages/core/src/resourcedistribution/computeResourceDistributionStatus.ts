import { ResourceDistributionConditionTypeSchema, type ResourceDistribution, type ResourceDistributionCondition, type ResourceDistributionConditionType, type ResourceDistributionStatus } from '../api/resourceDistribution.js';
import { formatTime, type EpochMs } from '../shared/podState.js';
import type { DistributionAction } from './planResourceDistribution.js';

/** A namespace whose distribution or clean-up failed, and how. */
export interface DistributionFailure {
  readonly namespace: string;
  readonly type: ResourceDistributionConditionType;
  /** The error (OpenKruise's condition `reason`). */
  readonly message: string;
}

/** The message of a `ConflictOccurred` failure (OpenKruise's). */
export const CONFLICT_MESSAGE = 'conflict with existing resources because of the same namespace, group, version, kind and name';
/** The message of a `NamespaceNotExists` failure (OpenKruise's). */
export const NAMESPACE_MISSING_MESSAGE = 'namespace not found or is terminating';

/**
 * Returns the failures a plan reports before any write: a conflict for each `conflict` action and
 * `NamespaceNotExists` for each `namespace-missing` one. The controller adds the failed writes
 * (`CreateResourceFailed`, `UpdateResourceFailed`, `DeleteResourceFailed`).
 */
export function plannedFailures(actions: readonly DistributionAction[]): DistributionFailure[] {
  return actions.flatMap((action): DistributionFailure[] => {
    if (action.kind === 'conflict') return [{ namespace: action.namespace, type: 'ConflictOccurred', message: CONFLICT_MESSAGE }];
    if (action.kind === 'namespace-missing') return [{ namespace: action.namespace, type: 'NamespaceNotExists', message: NAMESPACE_MISSING_MESSAGE }];
    return [];
  });
}

/** What {@link computeResourceDistributionStatus} reads. */
export interface ResourceDistributionStatusInput {
  readonly rd: ResourceDistribution;
  /** Target namespaces. */
  readonly desired: number;
  /** Every failure of the pass (planned and of its writes). */
  readonly failures: readonly DistributionFailure[];
  readonly now: EpochMs;
}

/**
 * Returns the status after a pass, as OpenKruise's `calculateNewStatus`: `desired` targets,
 * `succeeded` the targets without a failure (a failed delete elsewhere counts against none),
 * `failed = desired - succeeded`, `observedGeneration`, and the six conditions in OpenKruise's
 * order (GetResourceFailed, CreateResourceFailed, UpdateResourceFailed, DeleteResourceFailed,
 * ConflictOccurred, NamespaceNotExists): `True` with the last error as `reason` and the failed
 * namespaces (sorted), or `False` with reason `Succeeded`; `lastTransitionTime` moves only when
 * the status of the condition changes.
 *
 * @example desired 3, a conflict in b → succeeded 2, failed 1, ConflictOccurred True with failedNamespaces [b], the other five False
 */
export function computeResourceDistributionStatus(input: ResourceDistributionStatusInput): ResourceDistributionStatus {
  const { rd, desired, failures, now } = input;
  const failedTargets = new Set(failures.filter((f) => f.type !== 'DeleteResourceFailed').map((f) => f.namespace)).size;
  const succeeded = desired - failedTargets;
  const previous = rd.status?.conditions ?? [];
  const conditions = ResourceDistributionConditionTypeSchema.options.map((type): ResourceDistributionCondition => {
    const own = failures.filter((f) => f.type === type);
    const status = own.length > 0 ? 'True' : 'False';
    const before = previous.find((c) => c.type === type);
    const lastTransitionTime = before !== undefined && before.status === status && before.lastTransitionTime != null ? before.lastTransitionTime : formatTime(now);
    if (own.length === 0) return { type, status, lastTransitionTime, reason: 'Succeeded' };
    return { type, status, lastTransitionTime, reason: own.at(-1)?.message ?? '', failedNamespaces: [...new Set(own.map((f) => f.namespace))].sort() };
  });
  return { desired, succeeded, failed: desired - succeeded, observedGeneration: rd.metadata?.generation ?? 0, conditions };
}
