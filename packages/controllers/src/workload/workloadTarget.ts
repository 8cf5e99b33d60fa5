import type { EventSubject, KubeObject, ResourceType } from '@kruise-ts/k8s-adapter';

/** The workload a pass acts for: where it lives, what it is, and its expectations key. */
export interface WorkloadTarget {
  /** The workload's resource type (status and spec patches go there). */
  readonly resource: ResourceType;
  /** `namespace/name` (or `name` for a cluster-scoped kind): the expectations and work-queue key. */
  readonly key: string;
  readonly name: string;
  readonly namespace?: string | undefined;
  readonly uid: string;
  /** What events are recorded on. */
  readonly subject: EventSubject;
}

/**
 * Returns the {@link WorkloadTarget} of a workload object of `resource`.
 *
 * @example workloadTarget(Resources.CloneSet, 'default/web', cloneSet) // { key: 'default/web', subject: { kind: 'CloneSet', name: 'web', ... }, ... }
 */
export function workloadTarget(resource: ResourceType, key: string, object: KubeObject): WorkloadTarget {
  const { name = '', namespace, uid = '' } = object.metadata;
  const apiVersion = resource.group === '' ? resource.version : `${resource.group}/${resource.version}`;
  return { resource, key, name, namespace, uid, subject: { apiVersion, kind: resource.kind, name, namespace, uid } };
}
