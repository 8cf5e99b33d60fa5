import type { ControllerRevision, Job, ObjectMeta, PersistentVolumeClaim, Pod } from '@kruise-ts/core';
import { KruiseResources } from './kruiseResources.js';

/** Any Kubernetes object: apiVersion, kind, metadata, and whatever else its kind has. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

/**
 * Describes a REST resource of the apiserver: how to build its URLs. The type parameter is the
 * object type the client returns for it. Kruise kinds are in {@link KruiseResources}, built-in
 * kinds in {@link Resources}.
 *
 * @example
 * ```ts
 * const Services = defineResource({ group: '', version: 'v1', kind: 'Service', plural: 'services', namespaced: true });
 * ```
 */
export interface ResourceType<T extends KubeObject = KubeObject> {
  /** API group; `''` for the core group. */
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** Lower-case plural used in URLs (`pods`, `clonesets`). */
  readonly plural: string;
  readonly namespaced: boolean;
  /** Phantom field carrying the object type; never set. */
  readonly __type?: T;
}

/** Returns a resource descriptor (see {@link ResourceType}). */
export function defineResource<T extends KubeObject>(type: Omit<ResourceType<T>, '__type'>): ResourceType<T> {
  return type;
}

/** Returns `group/version`, or `version` for the core group (`v1`). */
export function apiVersionOf(type: ResourceType): string {
  return type.group === '' ? type.version : `${type.group}/${type.version}`;
}

/**
 * Returns the URL path of a collection or an object: `/api/v1/namespaces/ns/pods/name/status`,
 * `/apis/apps.kruise.io/v1beta1/clonesets` (all namespaces).
 */
export function resourcePath(type: ResourceType, target: { namespace?: string | undefined; name?: string | undefined; subresource?: string | undefined } = {}): string {
  const prefix = type.group === '' ? `/api/${type.version}` : `/apis/${type.group}/${type.version}`;
  const ns = type.namespaced && target.namespace !== undefined ? `/namespaces/${encodeURIComponent(target.namespace)}` : '';
  const name = target.name === undefined ? '' : `/${encodeURIComponent(target.name)}`;
  const sub = target.subresource === undefined || target.name === undefined ? '' : `/${target.subresource}`;
  return `${prefix}${ns}/${type.plural}${name}${sub}`;
}

/** A core/v1 Namespace. */
export interface Namespace extends KubeObject {
  spec?: { finalizers?: string[] };
  status?: { phase?: string };
}
/** A core/v1 Node (the fields the controllers read). */
export interface Node extends KubeObject {
  spec?: { unschedulable?: boolean; taints?: { key: string; value?: string; effect: string }[]; [field: string]: unknown };
  status?: { conditions?: { type: string; status: string }[]; allocatable?: Record<string, string>; capacity?: Record<string, string>; [field: string]: unknown };
}
/** A storage.k8s.io/v1 StorageClass (the fields the controllers read). */
export interface StorageClass extends KubeObject {
  provisioner?: string;
  /** Whether PVCs of this class may be expanded (Advanced StatefulSet's PVC resize reads it). */
  allowVolumeExpansion?: boolean;
}
/** A CustomResourceDefinition (apiextensions.k8s.io/v1); spec kept loosely. */
export interface CustomResourceDefinition extends KubeObject {
  spec: { group: string; names: { kind: string; plural: string; [field: string]: unknown }; [field: string]: unknown };
  status?: { conditions?: { type: string; status: string; reason?: string; message?: string }[]; [field: string]: unknown };
}

/**
 * Built-in resource types the adapters use, and the storage versions of the Kruise kinds
 * (`CloneSet`, `SidecarSet`: the same objects as in {@link KruiseResources}, which also has their
 * v1alpha1 versions).
 */
export const Resources = {
  Pod: defineResource<Pod & KubeObject>({ group: '', version: 'v1', kind: 'Pod', plural: 'pods', namespaced: true }),
  Node: defineResource<Node>({ group: '', version: 'v1', kind: 'Node', plural: 'nodes', namespaced: false }),
  Namespace: defineResource<Namespace>({ group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', namespaced: false }),
  PersistentVolumeClaim: defineResource<PersistentVolumeClaim & KubeObject>({
    group: '',
    version: 'v1',
    kind: 'PersistentVolumeClaim',
    plural: 'persistentvolumeclaims',
    namespaced: true,
  }),
  StorageClass: defineResource<StorageClass>({ group: 'storage.k8s.io', version: 'v1', kind: 'StorageClass', plural: 'storageclasses', namespaced: false }),
  ConfigMap: defineResource<KubeObject & { data?: Record<string, string> }>({ group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true }),
  Secret: defineResource<KubeObject & { data?: Record<string, string>; type?: string }>({ group: '', version: 'v1', kind: 'Secret', plural: 'secrets', namespaced: true }),
  Event: defineResource({ group: '', version: 'v1', kind: 'Event', plural: 'events', namespaced: true }),
  ControllerRevision: defineResource<ControllerRevision & KubeObject>({
    group: 'apps',
    version: 'v1',
    kind: 'ControllerRevision',
    plural: 'controllerrevisions',
    namespaced: true,
  }),
  /** `batch/v1` Jobs (AdvancedCronJob creates them). */
  Job: defineResource<Job & KubeObject>({ group: 'batch', version: 'v1', kind: 'Job', plural: 'jobs', namespaced: true }),
  Lease: defineResource({ group: 'coordination.k8s.io', version: 'v1', kind: 'Lease', plural: 'leases', namespaced: true }),
  CloneSet: KruiseResources.CloneSet,
  SidecarSet: KruiseResources.SidecarSet,
  /** Built-in `apps/v1` Deployments (a UnitedDeployment's children may be). */
  Deployment: defineResource({ group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments', namespaced: true }),
  /** Built-in `apps/v1` StatefulSets, not the Advanced StatefulSet (`KruiseResources.StatefulSet`). */
  AppsStatefulSet: defineResource({ group: 'apps', version: 'v1', kind: 'StatefulSet', plural: 'statefulsets', namespaced: true }),
  CustomResourceDefinition: defineResource<CustomResourceDefinition>({
    group: 'apiextensions.k8s.io',
    version: 'v1',
    kind: 'CustomResourceDefinition',
    plural: 'customresourcedefinitions',
    namespaced: false,
  }),
} as const;
