import { z } from 'zod';
import { IntOrPercentSchema } from '../shared/intOrPercent.js';
import { LabelSelectorSchema } from '../shared/selector.js';
import { ObjectMetaSchema } from './objectMeta.js';
import { ContainerSchema, ObjectFieldSelectorSchema, VolumeSchema } from './pod.js';
import { UpdatePriorityStrategySchema, UpdateScatterStrategySchema } from './pub.js';

/**
 * `apps.kruise.io/v1beta1` SidecarSet, the storage version: a cluster-scoped policy that injects
 * sidecar containers into every matching pod at creation and upgrades them in place later. Every
 * object is a `looseObject` (unknown fields survive a parse); optional fields are optional exactly
 * as in OpenKruise's Go types and are defaulted by `withSidecarSetDefaults`, not by the schema.
 */

/** API group of SidecarSet. */
export const SIDECARSET_GROUP = 'apps.kruise.io';
/** `apiVersion` of the v1beta1 (storage) SidecarSet. */
export const SIDECARSET_API_VERSION = 'apps.kruise.io/v1beta1';
/** `kind` of a SidecarSet. */
export const SIDECARSET_KIND = 'SidecarSet';

/** Annotation `"true"` marking a canary SidecarSet: it stands in for its base SidecarSet in the pods it selects. */
export const SIDECARSET_CANARY_ANNOTATION = 'apps.kruise.io/sidecarset-canary';
/** Annotation of a canary SidecarSet naming its base SidecarSet (immutable). */
export const SIDECARSET_BASE_ANNOTATION = 'apps.kruise.io/sidecarset-base';

/**
 * Returns the name of the SidecarSet `ss` is a canary of: its `apps.kruise.io/sidecarset-base`
 * annotation when `apps.kruise.io/sidecarset-canary` is `"true"`, else undefined.
 *
 * @example canaryBaseOf({ metadata: { annotations: { 'apps.kruise.io/sidecarset-canary': 'true', 'apps.kruise.io/sidecarset-base': 'log' } }, spec }) → 'log'
 */
export function canaryBaseOf(ss: { readonly metadata?: { readonly annotations?: Readonly<Record<string, string>> | undefined } | undefined }): string | undefined {
  const annotations = ss.metadata?.annotations;
  if (annotations?.[SIDECARSET_CANARY_ANNOTATION] !== 'true') return undefined;
  const base = annotations[SIDECARSET_BASE_ANNOTATION] ?? '';
  return base === '' ? undefined : base;
}

/** Schema of `podInjectPolicy`: where a sidecar goes relative to the pod's own containers. */
export const PodInjectPolicySchema = z.enum(['BeforeAppContainer', 'AfterAppContainer']);
/** `BeforeAppContainer` (default for containers) or `AfterAppContainer` (default for initContainers). */
export type PodInjectPolicy = z.infer<typeof PodInjectPolicySchema>;

/** Schema of `upgradeStrategy.upgradeType`. */
export const SidecarContainerUpgradeTypeSchema = z.enum(['ColdUpgrade', 'HotUpgrade']);
/** `ColdUpgrade` (restart the container with the new image, default) or `HotUpgrade` (two containers, swapped). */
export type SidecarContainerUpgradeType = z.infer<typeof SidecarContainerUpgradeTypeSchema>;

/** Schema of a sidecar container's `upgradeStrategy`. */
export const SidecarContainerUpgradeStrategySchema = z.looseObject({
  upgradeType: SidecarContainerUpgradeTypeSchema.optional(),
  /** HotUpgrade only: an image like the sidecar's (same command, probes) that does nothing. */
  hotUpgradeEmptyImage: z.string().optional(),
});
/** How a sidecar container is upgraded. */
export type SidecarContainerUpgradeStrategy = z.infer<typeof SidecarContainerUpgradeStrategySchema>;

/** Schema of `shareVolumePolicy` / `shareVolumeDevicePolicy`: `{ type: 'enabled' | 'disabled' }`. */
export const ShareVolumePolicySchema = z.looseObject({ type: z.enum(['enabled', 'disabled']).optional() });
/** Whether the sidecar gets the volume mounts (or devices) of the pod's own containers. */
export type ShareVolumePolicy = z.infer<typeof ShareVolumePolicySchema>;

/** Schema of a `transferEnv` entry: copy env vars of another container of the pod into the sidecar. */
export const TransferEnvVarSchema = z.looseObject({
  /** Name of the pod container to copy from. */
  sourceContainerName: z.string().optional(),
  /** Or: the container name read from a pod label/annotation (`metadata.labels['k']`). */
  sourceContainerNameFrom: z.looseObject({ fieldRef: ObjectFieldSelectorSchema.optional() }).optional(),
  /** One env var to copy. */
  envName: z.string().optional(),
  /** Several env vars to copy. */
  envNames: z.array(z.string()).optional(),
});
/** Env vars to copy from another container of the pod. */
export type TransferEnvVar = z.infer<typeof TransferEnvVarSchema>;

// Expressions such as `max(cpu*50%, 50m)` over the matching containers' resources.
const ResourceExprSchema = z.looseObject({ cpu: z.string().optional(), memory: z.string().optional() });

/** Schema of `resourcesPolicy` (sidecar resources computed from the pod's containers at injection). */
export const SidecarResourcesPolicySchema = z.looseObject({
  /** `sum` (add the target containers' resources) or `max` (the largest); checked by the webhook. */
  targetContainersMode: z.string().optional(),
  /** Go regular expression (unanchored) of the pod containers to size the sidecar after. */
  targetContainersNameRegex: z.string().optional(),
  /** Expressions over `cpu` / `memory` (the aggregated value), e.g. `max(cpu*50%, 50m)`. */
  resourcesExpr: z.looseObject({ limits: ResourceExprSchema.optional(), requests: ResourceExprSchema.optional() }).optional(),
});
/** Resources of the sidecar computed at injection from the pod's matching containers (`computeResourcesPolicy`). */
export type SidecarResourcesPolicy = z.infer<typeof SidecarResourcesPolicySchema>;

/** Schema of a `SidecarContainer`: a Kubernetes container plus the injection settings. */
export const SidecarContainerSchema = ContainerSchema.extend({
  podInjectPolicy: PodInjectPolicySchema.optional(),
  upgradeStrategy: SidecarContainerUpgradeStrategySchema.optional(),
  shareVolumePolicy: ShareVolumePolicySchema.optional(),
  shareVolumeDevicePolicy: ShareVolumePolicySchema.optional(),
  transferEnv: z.array(TransferEnvVarSchema).optional(),
  resourcesPolicy: SidecarResourcesPolicySchema.optional(),
});
/** A sidecar (or init) container of a SidecarSet. */
export type SidecarContainer = z.infer<typeof SidecarContainerSchema>;

/** Schema of `updateStrategy.type`. */
export const SidecarSetUpdateStrategyTypeSchema = z.enum(['NotUpdate', 'RollingUpdate']);
/** `RollingUpdate` (upgrade injected pods in place, default) or `NotUpdate` (only inject new pods). */
export type SidecarSetUpdateStrategyType = z.infer<typeof SidecarSetUpdateStrategyTypeSchema>;

/** Schema of `spec.updateStrategy`. */
export const SidecarSetUpdateStrategySchema = z.looseObject({
  type: SidecarSetUpdateStrategyTypeSchema.optional(),
  /** Stop upgrading pods (injection goes on). */
  paused: z.boolean().optional(),
  /** Only pods matching it are upgraded. */
  selector: LabelSelectorSchema.optional(),
  /** Pods kept on old revisions (int or percentage, rounded up; see `calculatePartitionReplicas`). */
  partition: IntOrPercentSchema.optional(),
  /** Most pods unavailable at once (default 1; percentage of matched pods rounded up). */
  maxUnavailable: IntOrPercentSchema.optional(),
  priorityStrategy: UpdatePriorityStrategySchema.optional(),
  /** Scatter terms; a value of `*` stands for every value of that label among the pods. */
  scatterStrategy: UpdateScatterStrategySchema.optional(),
});
/** How a SidecarSet upgrades the pods it injected. */
export type SidecarSetUpdateStrategy = z.infer<typeof SidecarSetUpdateStrategySchema>;

/** Schema of `injectionStrategy.revision`: which ControllerRevision to inject into new pods. */
export const SidecarSetInjectRevisionSchema = z.looseObject({
  /** Latest revision labelled `apps.kruise.io/sidecarset-custom-version` with this value. */
  customVersion: z.string().optional(),
  /** A revision by name (takes precedence over customVersion). */
  revisionName: z.string().optional(),
  /** `Always` (default): always the pinned revision; `Partial`: latest for pods the update may reach. */
  policy: z.enum(['Always', 'Partial']).optional(),
});
/** The pinned revision to inject. */
export type SidecarSetInjectRevision = z.infer<typeof SidecarSetInjectRevisionSchema>;

/** Schema of `spec.injectionStrategy`. */
export const SidecarSetInjectionStrategySchema = z.looseObject({
  /** Inject nothing into new pods (injected pods keep being upgraded). */
  paused: z.boolean().optional(),
  revision: SidecarSetInjectRevisionSchema.optional(),
});
/** How a SidecarSet injects new pods. */
export type SidecarSetInjectionStrategy = z.infer<typeof SidecarSetInjectionStrategySchema>;

/** Schema of a `patchPodMetadata` entry. */
export const SidecarSetPatchPodMetadataSchema = z.looseObject({
  annotations: z.record(z.string(), z.string()).optional(),
  /** `Retain` (default: keep the pod's value), `Overwrite`, or `MergePatchJson` (JSON merge patch of the value). */
  patchPolicy: z.enum(['Retain', 'Overwrite', 'MergePatchJson']).optional(),
});
/** Annotations a SidecarSet puts on the pods it injects. */
export type SidecarSetPatchPodMetadata = z.infer<typeof SidecarSetPatchPodMetadataSchema>;

/** Schema of the v1beta1 `spec`. */
export const SidecarSetSpecSchema = z.looseObject({
  /** Pods to inject; a missing or empty selector matches no pod. */
  selector: LabelSelectorSchema.optional(),
  /** Namespaces whose pods are injected (matched against the namespace's labels); absent = all. */
  namespaceSelector: LabelSelectorSchema.optional(),
  /** Init containers injected at pod creation only (after the pod's own by default, sorted by name). */
  initContainers: z.array(SidecarContainerSchema).optional(),
  /** Sidecar containers injected at creation and upgraded in place. */
  containers: z.array(SidecarContainerSchema).optional(),
  /** Volumes the sidecars mount (stored schemaless); a pod volume with the same name wins. */
  volumes: z.array(VolumeSchema).optional(),
  updateStrategy: SidecarSetUpdateStrategySchema.optional(),
  injectionStrategy: SidecarSetInjectionStrategySchema.optional(),
  /** Added to the pod's imagePullSecrets at creation (duplicates dropped). */
  imagePullSecrets: z.array(z.looseObject({ name: z.string().optional() })).optional(),
  /** Revisions kept in history (default 10). */
  revisionHistoryLimit: z.int32().optional(),
  patchPodMetadata: z.array(SidecarSetPatchPodMetadataSchema).optional(),
  /** Version recorded on this SidecarSet's revisions (v1alpha1: the custom-version label). */
  customVersion: z.string().optional(),
});
/** The desired state of a v1beta1 SidecarSet. */
export type SidecarSetSpec = z.infer<typeof SidecarSetSpecSchema>;

/** Schema of the `status`. */
export const SidecarSetStatusSchema = z.looseObject({
  observedGeneration: z.int().optional(),
  /** Injected pods that still match. */
  matchedPods: z.int32().optional(),
  /** Matched pods at the SidecarSet's current hash. */
  updatedPods: z.int32().optional(),
  /** Matched pods ready with consistent sidecars. */
  readyPods: z.int32().optional(),
  updatedReadyPods: z.int32().optional(),
  /** Name of the ControllerRevision of the current spec. */
  latestRevision: z.string().optional(),
  collisionCount: z.int32().optional(),
});
/** The observed state of a SidecarSet. */
export type SidecarSetStatus = z.infer<typeof SidecarSetStatusSchema>;

/** Schema of an `apps.kruise.io/v1beta1` SidecarSet. */
export const SidecarSetSchema = z.looseObject({
  apiVersion: z.string().optional(),
  kind: z.string().optional(),
  metadata: ObjectMetaSchema.optional(),
  spec: SidecarSetSpecSchema,
  status: SidecarSetStatusSchema.optional(),
});
/** An `apps.kruise.io/v1beta1` SidecarSet. */
export type SidecarSet = z.infer<typeof SidecarSetSchema>;
