import { apiGroupOf, type LabelSelector, type Pod } from '@kruise-ts/core';
import { KruiseResources, NotFoundError, Resources, type KubeObject, type KubeReader, type ResourceType } from '@kruise-ts/k8s-adapter';

/** A workload as a PodUnavailableBudget sees it (OpenKruise's `ScaleAndSelector`). */
export interface PubWorkload {
  readonly uid: string;
  /** `spec.replicas` (1 when unset). */
  readonly replicas: number;
  readonly selector: LabelSelector | undefined;
  readonly deleting: boolean;
}

/** The workload kinds a budget can count, by `group/kind` (OpenKruise's controller finder). */
const KINDS: Readonly<Record<string, ResourceType>> = {
  'apps.kruise.io/CloneSet': KruiseResources.CloneSet,
  'apps.kruise.io/StatefulSet': KruiseResources.StatefulSet,
  'apps/StatefulSet': Resources.AppsStatefulSet,
  'apps/Deployment': Resources.Deployment,
  'apps/ReplicaSet': { group: 'apps', version: 'v1', kind: 'ReplicaSet', plural: 'replicasets', namespaced: true },
};

type Scaled = KubeObject & { spec?: { replicas?: number; selector?: LabelSelector } };

/**
 * Returns the workload `apiVersion`/`kind`/`name` refers to in `namespace`, or `undefined` when it
 * does not exist or is not a kind budgets count. A ReplicaSet owned by a Deployment stands for the
 * Deployment (OpenKruise's `GetScaleAndSelectorForRef`); with `uid`, an object of another uid is
 * not the one referred to.
 *
 * @example { apiVersion: 'apps.kruise.io/v1beta1', kind: 'CloneSet', name: 'web' } → { uid, replicas: 5, selector, deleting: false }
 */
export async function findPubWorkload(client: Pick<KubeReader, 'get'>, namespace: string, ref: { readonly apiVersion?: string | undefined; readonly kind?: string | undefined; readonly name?: string | undefined; readonly uid?: string | undefined }, signal?: AbortSignal): Promise<PubWorkload | undefined> {
  const type = KINDS[`${apiGroupOf(ref.apiVersion ?? '')}/${ref.kind ?? ''}`];
  if (type === undefined || !ref.name) return undefined;
  let object: Scaled;
  try {
    object = (await client.get(type, { namespace, name: ref.name }, signal === undefined ? {} : { signal }));
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
  if (ref.uid !== undefined && object.metadata.uid !== ref.uid) return undefined;
  if (ref.kind === 'ReplicaSet') {
    const owner = (object.metadata.ownerReferences ?? []).find((o) => o.controller === true && o.kind === 'Deployment');
    if (owner !== undefined) return findPubWorkload(client, namespace, { ...owner }, signal);
  }
  return { uid: object.metadata.uid ?? '', replicas: object.spec?.replicas ?? 1, selector: object.spec?.selector, deleting: object.metadata.deletionTimestamp !== undefined };
}

/**
 * Returns the replicas of each distinct workload that controls one of `pods` (OpenKruise's
 * `GetExpectedScaleForPods`): pods without a controller and workloads being deleted count nothing.
 *
 * @example three pods of CloneSet web (replicas 5) and one bare pod → Map { web-uid → 5 }
 */
export async function workloadReplicasOfPods(client: Pick<KubeReader, 'get'>, pods: readonly Pod[], signal?: AbortSignal): Promise<Map<string, number>> {
  const seen = new Set<string>();
  const replicas = new Map<string, number>();
  for (const pod of pods) {
    const ref = (pod.metadata.ownerReferences ?? []).find((o) => o.controller === true);
    if (ref === undefined || seen.has(ref.uid)) continue;
    seen.add(ref.uid);
    const workload = await findPubWorkload(client, pod.metadata.namespace ?? 'default', ref, signal);
    if (workload !== undefined && !workload.deleting) replicas.set(workload.uid, workload.replicas);
  }
  return replicas;
}
