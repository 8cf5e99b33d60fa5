import type { IntOrPercent } from '../shared/intOrPercent.js';
import type { DaemonSet, DaemonSetUpdateStrategy, RollingUpdateDaemonSet } from './daemonSet.js';
import type { DaemonSetV1alpha1 } from './daemonSetV1alpha1.js';

/** Default `spec.burstReplicas` of an Advanced DaemonSet: most pods created in one reconcile. */
export const DEFAULT_DAEMONSET_BURST_REPLICAS = 250;
/** Default `spec.revisionHistoryLimit` of an Advanced DaemonSet. */
export const DEFAULT_DAEMONSET_REVISION_HISTORY_LIMIT = 10;
/** Default `rollingUpdate.maxUnavailable` of an Advanced DaemonSet, when `maxSurge` is not set either. */
export const DEFAULT_DAEMONSET_MAX_UNAVAILABLE = 1;
/** Default `rollingUpdate.maxSurge` of an Advanced DaemonSet, when `maxUnavailable` is not set either. */
export const DEFAULT_DAEMONSET_MAX_SURGE = 0;

/**
 * An Advanced DaemonSet with OpenKruise's defaults applied (what {@link withDaemonSetDefaults}
 * returns): the fields it always defaults are present. `rollingUpdate` is defaulted only for
 * `type: RollingUpdate`.
 */
export type DefaultedDaemonSet = DaemonSet & {
  readonly spec: DaemonSet['spec'] & {
    readonly burstReplicas: IntOrPercent;
    readonly revisionHistoryLimit: number;
    readonly updateStrategy: DaemonSetUpdateStrategy & { readonly type: NonNullable<DaemonSetUpdateStrategy['type']> };
  };
};

function withRollingUpdateDefaults(ru: RollingUpdateDaemonSet | undefined): RollingUpdateDaemonSet {
  // Only when neither budget is set: one set alone means the other is 0 (validation refuses both 0).
  const budgets = ru?.maxUnavailable === undefined && ru?.maxSurge === undefined ? { maxUnavailable: DEFAULT_DAEMONSET_MAX_UNAVAILABLE, maxSurge: DEFAULT_DAEMONSET_MAX_SURGE } : {};
  return { ...ru, rollingUpdateType: ru?.rollingUpdateType ?? 'Standard', ...budgets };
}

/**
 * Returns a copy of a v1beta1 Advanced DaemonSet with the defaults OpenKruise's mutating webhook
 * sets (`SetDefaultsDaemonSetV1beta1` in `apis/apps/defaults/v1beta1.go`): `burstReplicas` 250,
 * `revisionHistoryLimit` 10, `updateStrategy.type` RollingUpdate and, for RollingUpdate only,
 * `rollingUpdate.rollingUpdateType` Standard and, when neither budget is set, `maxUnavailable: 1,
 * maxSurge: 0` (one of them set leaves the other unset). Nothing else: no `partition`, no
 * `minReadySeconds`, no `scaleStrategy`, and no pod template defaults (OpenKruise's DaemonSet
 * webhook defaults no template). Set values are never changed; applying it twice gives the same
 * object.
 *
 * @example `{ spec: { selector, template } }` → `spec.burstReplicas` 250, `revisionHistoryLimit` 10,
 *   `updateStrategy` `{ type: 'RollingUpdate', rollingUpdate: { rollingUpdateType: 'Standard', maxUnavailable: 1, maxSurge: 0 } }`
 * @example `rollingUpdate: { maxSurge: '10%' }` → `{ maxSurge: '10%', rollingUpdateType: 'Standard' }` (maxUnavailable stays unset: 0)
 */
export function withDaemonSetDefaults(ds: DaemonSet): DefaultedDaemonSet {
  const spec = ds.spec;
  const type = spec.updateStrategy?.type ?? 'RollingUpdate';
  const rollingUpdate = type === 'RollingUpdate' ? withRollingUpdateDefaults(spec.updateStrategy?.rollingUpdate) : spec.updateStrategy?.rollingUpdate;
  return {
    ...ds,
    spec: {
      ...spec,
      burstReplicas: spec.burstReplicas ?? DEFAULT_DAEMONSET_BURST_REPLICAS,
      updateStrategy: { ...spec.updateStrategy, type, ...(rollingUpdate !== undefined && { rollingUpdate }) },
      revisionHistoryLimit: spec.revisionHistoryLimit ?? DEFAULT_DAEMONSET_REVISION_HISTORY_LIMIT,
    },
  };
}

/**
 * Returns a v1alpha1 Advanced DaemonSet with its deprecated `rollingUpdateType: Surging` turned into
 * `Standard` the way OpenKruise's v1alpha1 defaulting does (`SetDefaultsDaemonSet` in
 * `apis/apps/defaults/v1alpha1.go`): unset budgets become `maxSurge: 1` and `maxUnavailable: 0`,
 * so the set keeps surging. Run it before `convertDaemonSetToV1beta1`, which maps Surging to
 * Standard without touching the budgets (OpenKruise's conversion). Anything else is returned as is.
 *
 * @example `rollingUpdate: { rollingUpdateType: 'Surging' }` → `{ rollingUpdateType: 'Standard', maxSurge: 1, maxUnavailable: 0 }`
 */
export function withDaemonSetSurgingDefaults(ds: DaemonSetV1alpha1): DaemonSetV1alpha1 {
  const strategy = ds.spec.updateStrategy;
  const ru = strategy?.rollingUpdate;
  if (ru?.rollingUpdateType !== 'Surging' || (strategy?.type ?? 'RollingUpdate') !== 'RollingUpdate') return ds;
  const rollingUpdate = { ...ru, rollingUpdateType: 'Standard' as const, maxSurge: ru.maxSurge ?? 1, maxUnavailable: ru.maxUnavailable ?? 0 };
  return { ...ds, spec: { ...ds.spec, updateStrategy: { ...strategy, rollingUpdate } } };
}
