import { z } from 'zod';
import { ObjectMetaSchema } from './objectMeta.js';

/**
 * `apps.kruise.io/v1beta1` PersistentPodState, the storage version: the node topology (and chosen
 * annotations) of each pod of a StatefulSet or Advanced StatefulSet, put back when a pod is
 * re-created (`apis/apps/v1beta1/persistentpodstate_types.go`; v1alpha1 has the same fields).
 */

/** `apiVersion` of the v1beta1 (storage) PersistentPodState. */
export const PERSISTENTPODSTATE_API_VERSION = 'apps.kruise.io/v1beta1';
/** `apiVersion` of the v1alpha1 PersistentPodState (the same fields, served through conversion). */
export const PERSISTENTPODSTATE_V1ALPHA1_API_VERSION = 'apps.kruise.io/v1alpha1';
/** `kind` of a PersistentPodState. */
export const PERSISTENTPODSTATE_KIND = 'PersistentPodState';

/** Workload annotation: `"true"` makes kruise generate the workload's PersistentPodState (with one of the topology annotations). */
export const AUTO_GENERATE_PERSISTENT_POD_STATE_ANNOTATION = 'kruise.io/auto-generate-persistent-pod-state';
/** Workload annotation: node label keys of `requiredPersistentTopology`, comma-separated (`topology.kubernetes.io/zone[,...]`). */
export const REQUIRED_PERSISTENT_TOPOLOGY_ANNOTATION = 'kruise.io/required-persistent-topology';
/** Workload annotation: node label keys of one `preferredPersistentTopology` term of weight 100, comma-separated. */
export const PREFERRED_PERSISTENT_TOPOLOGY_ANNOTATION = 'kruise.io/preferred-persistent-topology';
/** Workload annotation: pod annotation keys to persist, comma-separated. */
export const PERSISTENT_POD_ANNOTATIONS_ANNOTATION = 'kruise.io/persistent-pod-annotations';
/** Pod annotation the pod webhook sets: the name of the PersistentPodState whose topology it injected. */
export const INJECTED_PERSISTENT_POD_STATE_ANNOTATION = 'kruise.io/injected-persistent-pod-state';

/** Schema of `spec.targetRef`: the workload (`apps/v1` or `apps.kruise.io` StatefulSet). */
export const TargetReferenceSchema = z.looseObject({ apiVersion: z.string(), kind: z.string(), name: z.string() });
/** The workload a PersistentPodState follows. */
export type TargetReference = z.infer<typeof TargetReferenceSchema>;

/** Schema of a `NodeTopologyTerm`: node label keys. */
export const NodeTopologyTermSchema = z.looseObject({ nodeTopologyKeys: z.array(z.string()) });
/** Node label keys (`topology.kubernetes.io/zone`, `kubernetes.io/hostname`). */
export type NodeTopologyTerm = z.infer<typeof NodeTopologyTermSchema>;

/** Schema of a `PreferredTopologyTerm`. */
export const PreferredTopologyTermSchema = z.looseObject({ weight: z.int32(), preference: NodeTopologyTermSchema });
/** A preferred topology with its weight (1-100 for node affinity). */
export type PreferredTopologyTerm = z.infer<typeof PreferredTopologyTermSchema>;

/** Schema of `persistentPodStateRetentionPolicy`: `WhenScaled` (default: a state goes once its ordinal is scaled away) or `WhenDeleted` (kept until the workload goes). */
export const PersistentPodStateRetentionPolicySchema = z.enum(['WhenScaled', 'WhenDeleted']);
/** When a pod's recorded state is forgotten. */
export type PersistentPodStateRetentionPolicy = z.infer<typeof PersistentPodStateRetentionPolicySchema>;

/** Schema of the `spec`. */
export const PersistentPodStateSpecSchema = z.looseObject({
  targetRef: TargetReferenceSchema,
  /** Pod annotations to record (and re-inject). */
  persistentPodAnnotations: z.array(z.looseObject({ key: z.string() })).optional(),
  /** Node labels a re-created pod must match (injected as its nodeSelector). */
  requiredPersistentTopology: NodeTopologyTermSchema.optional(),
  /** Node labels a re-created pod prefers (injected as preferred node affinity). */
  preferredPersistentTopology: z.array(PreferredTopologyTermSchema).optional(),
  persistentPodStateRetentionPolicy: z.string().optional(),
});
/** The spec of a PersistentPodState. */
export type PersistentPodStateSpec = z.infer<typeof PersistentPodStateSpecSchema>;

/** Schema of one recorded pod state. */
export const PodStateSchema = z.looseObject({
  /** `spec.nodeName` of the pod when it was Ready. */
  nodeName: z.string().optional(),
  /** The node's labels of the topology keys, e.g. `{ 'topology.kubernetes.io/zone': 'zone-a' }`. */
  nodeTopologyLabels: z.record(z.string(), z.string()).optional(),
  /** The pod's annotations of `persistentPodAnnotations`. */
  annotations: z.record(z.string(), z.string()).optional(),
});
/** What was recorded of one pod. */
export type PodState = z.infer<typeof PodStateSchema>;

/** Schema of the `status`. */
export const PersistentPodStateStatusSchema = z.looseObject({
  observedGeneration: z.number().int().optional(),
  /** By pod name. */
  podStates: z.record(z.string(), PodStateSchema).optional(),
});
/** The observed state of a PersistentPodState. */
export type PersistentPodStateStatus = z.infer<typeof PersistentPodStateStatusSchema>;

/** Schema of an `apps.kruise.io` PersistentPodState (both versions). */
export const PersistentPodStateSchema = z.looseObject({
  apiVersion: z.string().optional(),
  kind: z.string().optional(),
  metadata: ObjectMetaSchema.optional(),
  spec: PersistentPodStateSpecSchema,
  status: PersistentPodStateStatusSchema.optional(),
});
/** A PersistentPodState. */
export type PersistentPodState = z.infer<typeof PersistentPodStateSchema>;
/** Schema of the v1alpha1 PersistentPodState: the v1beta1 fields. */
export const PersistentPodStateV1alpha1Schema = PersistentPodStateSchema;
