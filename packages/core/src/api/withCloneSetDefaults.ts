import type { CloneSet, CloneSetUpdateStrategy, RollingUpdateCloneSetStrategy } from './cloneSet.js';
import { DEFAULT_CLONESET_MAX_UNAVAILABLE } from './cloneSet.js';

/** Default `spec.replicas` of a CloneSet. */
export const DEFAULT_CLONESET_REPLICAS = 1;
/** Default `spec.revisionHistoryLimit` of a CloneSet. */
export const DEFAULT_CLONESET_REVISION_HISTORY_LIMIT = 10;

/**
 * A CloneSet with OpenKruise's defaults applied (what {@link withCloneSetDefaults} returns): the
 * fields it defaults are present, so the algorithms read them without fallbacks.
 */
export type DefaultedCloneSet = CloneSet & {
  readonly spec: CloneSet['spec'] & {
    readonly replicas: number;
    readonly revisionHistoryLimit: number;
    readonly updateStrategy: CloneSetUpdateStrategy & { readonly type: NonNullable<CloneSetUpdateStrategy['type']>; readonly rollingUpdate: RollingUpdateCloneSetStrategy };
  };
};

function withRollingUpdateDefaults(
  rollingUpdate: RollingUpdateCloneSetStrategy | undefined,
  type: CloneSetUpdateStrategy['type'],
): RollingUpdateCloneSetStrategy {
  const ru = rollingUpdate ?? {};
  const podUpdatePolicy = ru.podUpdatePolicy ?? (type === 'RollingUpdate' ? 'ReCreate' : undefined);
  const inPlace = podUpdatePolicy === 'InPlaceIfPossible' || podUpdatePolicy === 'InPlaceOnly';
  return {
    ...ru,
    partition: ru.partition ?? 0,
    maxUnavailable: ru.maxUnavailable ?? DEFAULT_CLONESET_MAX_UNAVAILABLE,
    maxSurge: ru.maxSurge ?? 0,
    ...(podUpdatePolicy !== undefined && { podUpdatePolicy }),
    ...((ru.inPlaceUpdateStrategy !== undefined || inPlace) && { inPlaceUpdateStrategy: ru.inPlaceUpdateStrategy ?? {} }),
  };
}

/**
 * Returns a copy of a v1beta1 CloneSet with the defaults OpenKruise's mutating webhook sets
 * (`apis/apps/defaults`): `replicas` 1, `revisionHistoryLimit` 10, `updateStrategy.type`
 * `RollingUpdate`, `rollingUpdate.podUpdatePolicy` `ReCreate` (RollingUpdate only), `partition` 0,
 * `maxUnavailable` `"20%"`, `maxSurge` 0, and an empty `inPlaceUpdateStrategy` for the in-place
 * policies. Set values are never changed; applying it twice gives the same object. The pod
 * template is not defaulted (OpenKruise does that only when the template changes, through
 * Kubernetes' own pod defaults), and `scaleStrategy.enablePVCReuse` stays absent (false).
 *
 * @example `{ spec: { selector, template } }` → `spec.replicas` 1, and
 *   `spec.updateStrategy` `{ type: 'RollingUpdate', rollingUpdate: { partition: 0, maxUnavailable: '20%', maxSurge: 0, podUpdatePolicy: 'ReCreate' } }`
 */
export function withCloneSetDefaults(cs: CloneSet): DefaultedCloneSet {
  const type = cs.spec.updateStrategy?.type ?? 'RollingUpdate';
  return {
    ...cs,
    spec: {
      ...cs.spec,
      replicas: cs.spec.replicas ?? DEFAULT_CLONESET_REPLICAS,
      revisionHistoryLimit: cs.spec.revisionHistoryLimit ?? DEFAULT_CLONESET_REVISION_HISTORY_LIMIT,
      updateStrategy: {
        ...cs.spec.updateStrategy,
        type,
        rollingUpdate: withRollingUpdateDefaults(cs.spec.updateStrategy?.rollingUpdate, type),
      },
    },
  };
}
