import { z } from 'zod';
import { ObjectMetaSchema } from './objectMeta.js';

/**
 * A subset of core/v1 Pod, sufficient for the workload algorithms. Every object is a
 * `looseObject`: fields this subset does not name are kept as they are, so a pod read from the
 * apiserver and written back through these types loses nothing.
 */

/** Schema of a Kubernetes quantity or integer (`"100m"`, `"1Gi"`, `2`). */
export const QuantityValueSchema = z.union([z.string(), z.number()]);

/** Schema of `ResourceRequirements`: `limits` and `requests` by resource name. */
export const ResourceRequirementsSchema = z.looseObject({
  limits: z.record(z.string(), QuantityValueSchema).optional(),
  requests: z.record(z.string(), QuantityValueSchema).optional(),
});
export type ResourceRequirements = z.infer<typeof ResourceRequirementsSchema>;

/** Schema of an `ObjectFieldSelector` (`fieldRef`), e.g. `metadata.labels['app']`. */
export const ObjectFieldSelectorSchema = z.looseObject({
  apiVersion: z.string().optional(),
  fieldPath: z.string(),
});

/** Schema of a container environment variable. */
export const EnvVarSchema = z.looseObject({
  name: z.string(),
  value: z.string().optional(),
  valueFrom: z
    .looseObject({
      fieldRef: ObjectFieldSelectorSchema.optional(),
      configMapKeyRef: z.looseObject({ name: z.string().optional(), key: z.string(), optional: z.boolean().optional() }).optional(),
      secretKeyRef: z.looseObject({ name: z.string().optional(), key: z.string(), optional: z.boolean().optional() }).optional(),
      resourceFieldRef: z.looseObject({ containerName: z.string().optional(), resource: z.string() }).optional(),
    })
    .optional(),
});
export type EnvVar = z.infer<typeof EnvVarSchema>;

/** Schema of a `VolumeMount`. */
export const VolumeMountSchema = z.looseObject({
  name: z.string(),
  mountPath: z.string(),
  readOnly: z.boolean().optional(),
  subPath: z.string().optional(),
});
export type VolumeMount = z.infer<typeof VolumeMountSchema>;

/** Schema of a `ContainerPort`. */
export const ContainerPortSchema = z.looseObject({
  name: z.string().optional(),
  containerPort: z.number().int(),
  protocol: z.string().optional(),
  hostPort: z.number().int().optional(),
});

/** Schema of a `ContainerResizePolicy` entry (`NotRequired` or `RestartContainer`). */
export const ContainerResizePolicySchema = z.looseObject({
  resourceName: z.string(),
  restartPolicy: z.string(),
});

/** Schema of a `Container` (also used for init containers). */
export const ContainerSchema = z.looseObject({
  name: z.string(),
  image: z.string().optional(),
  command: z.array(z.string()).optional(),
  args: z.array(z.string()).optional(),
  env: z.array(EnvVarSchema).optional(),
  ports: z.array(ContainerPortSchema).optional(),
  resources: ResourceRequirementsSchema.optional(),
  resizePolicy: z.array(ContainerResizePolicySchema).optional(),
  volumeMounts: z.array(VolumeMountSchema).optional(),
  imagePullPolicy: z.string().optional(),
  restartPolicy: z.string().optional(),
});
export type Container = z.infer<typeof ContainerSchema>;

/** Schema of a pod `Volume` (the source is kept loosely: `emptyDir`, `secret`, `persistentVolumeClaim`...). */
export const VolumeSchema = z.looseObject({
  name: z.string(),
  persistentVolumeClaim: z.looseObject({ claimName: z.string(), readOnly: z.boolean().optional() }).optional(),
});
export type Volume = z.infer<typeof VolumeSchema>;

/** Schema of a `TopologySpreadConstraint` (only what the scale-down ranker reads is named). */
export const TopologySpreadConstraintSchema = z.looseObject({
  maxSkew: z.number().int(),
  topologyKey: z.string(),
  whenUnsatisfiable: z.string(),
});
export type TopologySpreadConstraint = z.infer<typeof TopologySpreadConstraintSchema>;

/** Schema of a `PodReadinessGate`. */
export const PodReadinessGateSchema = z.looseObject({ conditionType: z.string() });

/** Schema of a `PodSpec`. */
export const PodSpecSchema = z.looseObject({
  containers: z.array(ContainerSchema),
  initContainers: z.array(ContainerSchema).optional(),
  volumes: z.array(VolumeSchema).optional(),
  nodeName: z.string().optional(),
  nodeSelector: z.record(z.string(), z.string()).optional(),
  readinessGates: z.array(PodReadinessGateSchema).optional(),
  restartPolicy: z.string().optional(),
  activeDeadlineSeconds: z.number().int().optional(),
  terminationGracePeriodSeconds: z.number().int().optional(),
  topologySpreadConstraints: z.array(TopologySpreadConstraintSchema).optional(),
  imagePullSecrets: z.array(z.looseObject({ name: z.string().optional() })).optional(),
  hostname: z.string().optional(),
  subdomain: z.string().optional(),
});
export type PodSpec = z.infer<typeof PodSpecSchema>;

/** Schema of a `PodTemplateSpec`: the metadata and spec every pod of a workload is made from. */
export const PodTemplateSpecSchema = z.looseObject({
  metadata: ObjectMetaSchema.optional(),
  spec: PodSpecSchema,
});
export type PodTemplateSpec = z.infer<typeof PodTemplateSpecSchema>;

/** Schema of a `PodCondition` (`Ready`, `InPlaceUpdateReady`, `KruisePodReady`...). */
export const PodConditionSchema = z.looseObject({
  type: z.string(),
  status: z.enum(['True', 'False', 'Unknown']),
  reason: z.string().optional(),
  message: z.string().optional(),
  lastTransitionTime: z.string().optional(),
  lastProbeTime: z.string().nullable().optional(),
});
export type PodCondition = z.infer<typeof PodConditionSchema>;

/** Schema of a `ContainerStatus`. */
export const ContainerStatusSchema = z.looseObject({
  name: z.string(),
  image: z.string().optional(),
  imageID: z.string().optional(),
  containerID: z.string().optional(),
  ready: z.boolean().optional(),
  started: z.boolean().optional(),
  restartCount: z.number().int().optional(),
  state: z.record(z.string(), z.unknown()).optional(),
  resources: ResourceRequirementsSchema.optional(),
});
export type ContainerStatus = z.infer<typeof ContainerStatusSchema>;

/** Schema of a `PodStatus`. */
export const PodStatusSchema = z.looseObject({
  phase: z.enum(['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown']).optional(),
  conditions: z.array(PodConditionSchema).optional(),
  containerStatuses: z.array(ContainerStatusSchema).optional(),
  initContainerStatuses: z.array(ContainerStatusSchema).optional(),
  podIP: z.string().optional(),
  hostIP: z.string().optional(),
  startTime: z.string().optional(),
  qosClass: z.string().optional(),
  resize: z.string().optional(),
});
export type PodStatus = z.infer<typeof PodStatusSchema>;

/** Schema of a core/v1 `Pod`. */
export const PodSchema = z.looseObject({
  apiVersion: z.string().optional(),
  kind: z.string().optional(),
  metadata: ObjectMetaSchema,
  spec: PodSpecSchema,
  status: PodStatusSchema.optional(),
});
/** A core/v1 Pod (the subset the algorithms read; other fields pass through untouched). */
export type Pod = z.infer<typeof PodSchema>;

/** Schema of a `PersistentVolumeClaim` (spec kept loosely). */
export const PersistentVolumeClaimSchema = z.looseObject({
  apiVersion: z.string().optional(),
  kind: z.string().optional(),
  metadata: ObjectMetaSchema,
  spec: z.looseObject({
    accessModes: z.array(z.string()).optional(),
    resources: ResourceRequirementsSchema.optional(),
    storageClassName: z.string().optional(),
  }).optional(),
  status: z.looseObject({
    phase: z.string().optional(),
    /** What the volume provides (`storage`), once bound. */
    capacity: z.record(z.string(), QuantityValueSchema).optional(),
    /** `Resizing`, `FileSystemResizePending`... */
    conditions: z.array(z.looseObject({ type: z.string(), status: z.string() })).optional(),
  }).optional(),
});
/** A core/v1 PersistentVolumeClaim. */
export type PersistentVolumeClaim = z.infer<typeof PersistentVolumeClaimSchema>;
