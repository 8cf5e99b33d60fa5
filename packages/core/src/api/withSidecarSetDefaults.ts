import type { PodInjectPolicy, SidecarContainer, SidecarSet, SidecarSetSpec } from './sidecarSet.js';
import { withContainerDefaults, withVolumeDefaults } from './sidecarSetContainerDefaults.js';

/** Default `spec.revisionHistoryLimit` of a SidecarSet. */
export const DEFAULT_SIDECARSET_REVISION_HISTORY_LIMIT = 10;
/** Default `spec.updateStrategy.maxUnavailable` of a SidecarSet. */
export const DEFAULT_SIDECARSET_MAX_UNAVAILABLE = 1;

/**
 * Returns a sidecar container with OpenKruise's defaults: `podInjectPolicy` (the given one),
 * `upgradeStrategy.upgradeType: ColdUpgrade`, `shareVolumePolicy.type: disabled`, and the
 * Kubernetes container defaults (`withContainerDefaults`). `shareVolumeDevicePolicy` stays absent
 * (OpenKruise keeps it unset so that old hashes do not change).
 *
 * @example withSidecarContainerDefaults({ name: 'log', image: 'fluentd:1' }, 'BeforeAppContainer') →
 *   `{ ..., podInjectPolicy: 'BeforeAppContainer', upgradeStrategy: { upgradeType: 'ColdUpgrade' }, shareVolumePolicy: { type: 'disabled' } }`
 */
export function withSidecarContainerDefaults(container: SidecarContainer, injectPolicy: PodInjectPolicy): SidecarContainer {
  const defaulted = withContainerDefaults(container);
  return {
    ...defaulted,
    podInjectPolicy: container.podInjectPolicy ?? injectPolicy,
    upgradeStrategy: { ...container.upgradeStrategy, upgradeType: container.upgradeStrategy?.upgradeType ?? 'ColdUpgrade' },
    shareVolumePolicy: { ...container.shareVolumePolicy, type: container.shareVolumePolicy?.type ?? 'disabled' },
    ...(container.transferEnv && {
      transferEnv: container.transferEnv.map((t) => {
        const fieldRef = t.sourceContainerNameFrom?.fieldRef;
        return fieldRef === undefined ? t : { ...t, sourceContainerNameFrom: { ...t.sourceContainerNameFrom, fieldRef: { apiVersion: 'v1', ...fieldRef } } };
      }),
    }),
  };
}

function strategiesWithDefaults(spec: SidecarSetSpec): Pick<SidecarSetSpec, 'updateStrategy' | 'injectionStrategy'> {
  const us = spec.updateStrategy;
  const revision = spec.injectionStrategy?.revision;
  return {
    updateStrategy: { ...us, type: us?.type ?? 'RollingUpdate', maxUnavailable: us?.maxUnavailable ?? DEFAULT_SIDECARSET_MAX_UNAVAILABLE, partition: us?.partition ?? 0 },
    ...(spec.injectionStrategy !== undefined && {
      injectionStrategy: { ...spec.injectionStrategy, ...(revision && { revision: { ...revision, policy: revision.policy ?? 'Always' } }) },
    }),
  };
}

/**
 * Returns a copy of a v1beta1 SidecarSet with the defaults OpenKruise's mutating webhook sets
 * (`SetDefaultsSidecarSet`): `updateStrategy` `{ type: RollingUpdate, maxUnavailable: 1,
 * partition: 0 }`; containers `podInjectPolicy: BeforeAppContainer`, initContainers
 * `AfterAppContainer`, both `ColdUpgrade` and `shareVolumePolicy: disabled` plus the Kubernetes
 * container defaults; volume defaults; `revisionHistoryLimit` 10; `patchPolicy: Retain`;
 * `injectionStrategy.revision.policy: Always` when a revision is pinned. Set values are never
 * changed; applying it twice gives the same object. The hash annotations are a separate step
 * (`withSidecarSetHashAnnotations`).
 *
 * @example `{ spec: { selector, containers: [{ name: 'log', image: 'fluentd:1' }] } }` → `spec.updateStrategy`
 *   `{ type: 'RollingUpdate', maxUnavailable: 1, partition: 0 }`, `spec.revisionHistoryLimit` 10, the container defaulted
 */
export function withSidecarSetDefaults(ss: SidecarSet): SidecarSet {
  const spec = ss.spec;
  return {
    ...ss,
    spec: {
      ...spec,
      ...strategiesWithDefaults(spec),
      ...(spec.initContainers && { initContainers: spec.initContainers.map((c) => withSidecarContainerDefaults(c, 'AfterAppContainer')) }),
      ...(spec.containers && { containers: spec.containers.map((c) => withSidecarContainerDefaults(c, 'BeforeAppContainer')) }),
      ...(spec.volumes && { volumes: spec.volumes.map(withVolumeDefaults) }),
      revisionHistoryLimit: spec.revisionHistoryLimit ?? DEFAULT_SIDECARSET_REVISION_HISTORY_LIMIT,
      ...(spec.patchPodMetadata && { patchPodMetadata: spec.patchPodMetadata.map((p) => ({ ...p, patchPolicy: p.patchPolicy ?? 'Retain' })) }),
    },
  };
}
