import type { UnitedDeployment } from './unitedDeployment.js';

/** Default `spec.revisionHistoryLimit` of a UnitedDeployment. */
export const DEFAULT_UNITEDDEPLOYMENT_REVISION_HISTORY_LIMIT = 10;

/** A UnitedDeployment with OpenKruise's defaults applied (what {@link withUnitedDeploymentDefaults} returns). */
export type DefaultedUnitedDeployment = UnitedDeployment & {
  readonly spec: UnitedDeployment['spec'] & {
    readonly revisionHistoryLimit: number;
    readonly updateStrategy: NonNullable<UnitedDeployment['spec']['updateStrategy']> & { readonly type: 'Manual' | '' };
  };
};

/**
 * Returns a copy of a v1beta1 UnitedDeployment with the defaults OpenKruise's mutating webhook
 * sets (`SetDefaultsUnitedDeployment` in `apis/apps/defaults/v1beta1.go`): `revisionHistoryLimit`
 * 10, `updateStrategy.type` Manual and, for Manual, `updateStrategy.manualUpdate: {}`. `replicas`
 * stays unset (then every subset must say its replicas); the child template's pod spec gets no
 * defaults. Set values are never changed; applying it twice gives the same object.
 *
 * @example `{ spec: { selector, template } }` → `spec.revisionHistoryLimit` 10, `updateStrategy` `{ type: 'Manual', manualUpdate: {} }`
 */
export function withUnitedDeploymentDefaults(ud: UnitedDeployment): DefaultedUnitedDeployment {
  const strategy = ud.spec.updateStrategy;
  const type = strategy?.type === undefined || strategy.type === '' ? 'Manual' : strategy.type;
  // `Manual` is the only type: it always gets a manualUpdate.
  const manualUpdate = strategy?.manualUpdate ?? {};
  return {
    ...ud,
    spec: {
      ...ud.spec,
      revisionHistoryLimit: ud.spec.revisionHistoryLimit ?? DEFAULT_UNITEDDEPLOYMENT_REVISION_HISTORY_LIMIT,
      updateStrategy: { ...strategy, type, manualUpdate },
    },
  };
}
