import type {
  PodManagementPolicy,
  RollingUpdateStatefulSetStrategy,
  StatefulSet,
  StatefulSetPersistentVolumeClaimRetentionPolicy,
  StatefulSetUpdateStrategy,
} from './statefulSet.js';

/** Default `spec.replicas` of an Advanced StatefulSet. */
export const DEFAULT_STATEFULSET_REPLICAS = 1;
/** Default `spec.revisionHistoryLimit` of an Advanced StatefulSet. */
export const DEFAULT_STATEFULSET_REVISION_HISTORY_LIMIT = 10;
/** Default `rollingUpdate.maxUnavailable` of an Advanced StatefulSet (one pod at a time). */
export const DEFAULT_STATEFULSET_MAX_UNAVAILABLE = 1;

/** The OpenKruise feature gates the Advanced StatefulSet defaults read. */
export interface StatefulSetDefaultsGates {
  /** Default `persistentVolumeClaimRetentionPolicy` Retain/Retain; on unless set to false, as in OpenKruise. */
  readonly StatefulSetAutoDeletePVC?: boolean | undefined;
  /** Default `volumeClaimUpdateStrategy.type` OnDelete; off unless set to true, as in OpenKruise. */
  readonly StatefulSetAutoResizePVCGate?: boolean | undefined;
}

/**
 * An Advanced StatefulSet with OpenKruise's defaults applied (what {@link withStatefulSetDefaults}
 * returns): the fields it always defaults are present. `rollingUpdate` is defaulted only for
 * `type: RollingUpdate`.
 */
export type DefaultedStatefulSet = StatefulSet & {
  readonly spec: StatefulSet['spec'] & {
    readonly replicas: number;
    readonly revisionHistoryLimit: number;
    readonly podManagementPolicy: PodManagementPolicy;
    readonly updateStrategy: StatefulSetUpdateStrategy & { readonly type: NonNullable<StatefulSetUpdateStrategy['type']> };
  };
};

function withRollingUpdateDefaults(ru: RollingUpdateStatefulSetStrategy | undefined): RollingUpdateStatefulSetStrategy {
  return {
    ...ru,
    partition: ru?.partition ?? 0,
    maxUnavailable: ru?.maxUnavailable ?? DEFAULT_STATEFULSET_MAX_UNAVAILABLE,
    podUpdatePolicy: ru?.podUpdatePolicy ?? 'ReCreate',
    minReadySeconds: ru?.minReadySeconds ?? 0,
  };
}

function withRetentionDefaults(policy: StatefulSetPersistentVolumeClaimRetentionPolicy | undefined): StatefulSetPersistentVolumeClaimRetentionPolicy {
  return { ...policy, whenDeleted: policy?.whenDeleted ?? 'Retain', whenScaled: policy?.whenScaled ?? 'Retain' };
}

/**
 * Returns a copy of a v1beta1 Advanced StatefulSet with the defaults OpenKruise's mutating webhook
 * sets (`SetDefaultsStatefulSet` in `apis/apps/defaults/v1beta1.go`): `replicas` 1,
 * `revisionHistoryLimit` 10, `podManagementPolicy` OrderedReady, `updateStrategy.type`
 * RollingUpdate and, for RollingUpdate only, `rollingUpdate` `{ partition: 0, maxUnavailable: 1,
 * podUpdatePolicy: 'ReCreate', minReadySeconds: 0 }`; with the StatefulSetAutoDeletePVC gate (on
 * unless `gates` turns it off) `persistentVolumeClaimRetentionPolicy` Retain/Retain; with
 * StatefulSetAutoResizePVCGate (off unless turned on) `volumeClaimUpdateStrategy.type` OnDelete.
 * Set values are never changed; applying it twice gives the same object. Unlike CloneSet's, no
 * empty `inPlaceUpdateStrategy` is added for the in-place policies (OpenKruise adds none). The pod
 * template is not defaulted here: the webhook does it with `withPodTemplateDefaults` when the
 * template is new or changed.
 *
 * @example `{ spec: { selector, template } }` → `spec.replicas` 1, `podManagementPolicy` 'OrderedReady',
 *   `updateStrategy` `{ type: 'RollingUpdate', rollingUpdate: { partition: 0, maxUnavailable: 1, podUpdatePolicy: 'ReCreate', minReadySeconds: 0 } }`,
 *   `persistentVolumeClaimRetentionPolicy` `{ whenDeleted: 'Retain', whenScaled: 'Retain' }`
 */
export function withStatefulSetDefaults(sts: StatefulSet, gates: StatefulSetDefaultsGates = {}): DefaultedStatefulSet {
  const spec = sts.spec;
  const type = spec.updateStrategy?.type ?? 'RollingUpdate';
  const rollingUpdate = type === 'RollingUpdate' ? withRollingUpdateDefaults(spec.updateStrategy?.rollingUpdate) : spec.updateStrategy?.rollingUpdate;
  const retention = gates.StatefulSetAutoDeletePVC === false ? spec.persistentVolumeClaimRetentionPolicy : withRetentionDefaults(spec.persistentVolumeClaimRetentionPolicy);
  const claimUpdate = gates.StatefulSetAutoResizePVCGate === true ? { ...spec.volumeClaimUpdateStrategy, type: spec.volumeClaimUpdateStrategy?.type ?? 'OnDelete' } : spec.volumeClaimUpdateStrategy;
  return {
    ...sts,
    spec: {
      ...spec,
      replicas: spec.replicas ?? DEFAULT_STATEFULSET_REPLICAS,
      revisionHistoryLimit: spec.revisionHistoryLimit ?? DEFAULT_STATEFULSET_REVISION_HISTORY_LIMIT,
      podManagementPolicy: spec.podManagementPolicy ?? 'OrderedReady',
      updateStrategy: { ...spec.updateStrategy, type, ...(rollingUpdate !== undefined && { rollingUpdate }) },
      ...(retention !== undefined && { persistentVolumeClaimRetentionPolicy: retention }),
      ...(claimUpdate !== undefined && { volumeClaimUpdateStrategy: claimUpdate }),
    },
  };
}
