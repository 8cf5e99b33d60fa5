import { isPodSelectedByTargetFilter, parseWorkloadSpread, sameTarget, type Pod, type WorkloadSpread } from '@kruise-ts/core';
import { defineResource, KruiseResources, type KubeReader } from '@kruise-ts/k8s-adapter';
import { readThrough } from '../ownWrites.js';
import { parsedOnce } from '../parsedOnce.js';

/** `parseWorkloadSpread`, once per cached object (the webhooks read the same cached WorkloadSpread on every pod). */
export const parseCachedWorkloadSpread = parsedOnce((object: object) => parseWorkloadSpread(object));

/** The pod owner kinds OpenKruise's webhook spreads (`apiGroup/kind`): CloneSet, ReplicaSet (Deployment), Job, StatefulSets. */
const SPREAD_OWNERS = new Set(['apps.kruise.io/CloneSet', 'apps/ReplicaSet', 'batch/Job', 'apps/StatefulSet', 'apps.kruise.io/StatefulSet']);

const groupOf = (apiVersion: string): string => (apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '');

const REPLICA_SET = defineResource({ group: 'apps', version: 'v1', kind: 'ReplicaSet', plural: 'replicasets', namespaced: true });

// The Deployment that controls a ReplicaSet, if any (a Deployment's pods are owned by its ReplicaSets).
// The ReplicaSet is read through to the apiserver on a cache miss: a Deployment's new ReplicaSet
// creates its first pods milliseconds after it is itself created, before the cache has seen it.
async function deploymentOf(reader: KubeReader, client: KubeReader, namespace: string, replicaSet: string, signal: AbortSignal): Promise<string | undefined> {
  const rs = await readThrough(reader, client, REPLICA_SET, { namespace, name: replicaSet }, signal);
  return (rs?.metadata.ownerReferences ?? []).find((o) => o.controller === true && o.kind === 'Deployment' && groupOf(o.apiVersion) === 'apps')?.name;
}

/**
 * Returns the WorkloadSpread of `namespace` whose targetRef names the workload controlling `pod`
 * (OpenKruise's `HandlePodCreation` matching: the controller owner by group, kind and name; a
 * ReplicaSet's pod matches a WorkloadSpread of its Deployment) and whose `targetFilter` selects the
 * pod (OpenKruise's `IsPodSelected`), or `undefined`. Pods of other owners, and unreadable
 * WorkloadSpreads, are skipped. `reader` is the manager's informer cache (`createCachedReader`), as
 * OpenKruise lists them from its cached client: a WorkloadSpread the cache has not seen yet spreads
 * no pod. A pod's ReplicaSet missing from the cache is read from `client` (the apiserver, one
 * GET; default `reader`). OpenKruise reads it from its cache only, and leaves the first pods of a
 * Deployment's new revision unspread while its cache lags (seen on a real apiserver: the new
 * ReplicaSet's first pod admitted with no subset).
 *
 * @example pod owned by CloneSet web, WorkloadSpread web-ws targeting CloneSet web → web-ws
 * @example the same WorkloadSpread with targetFilter.selector role=worker, a pod labelled role=ps → undefined
 */
export async function findWorkloadSpreadForPod(reader: KubeReader, pod: Pod, namespace: string, signal: AbortSignal, client: KubeReader = reader): Promise<WorkloadSpread | undefined> {
  const owner = (pod.metadata.ownerReferences ?? []).find((o) => o.controller === true);
  if (owner === undefined || !SPREAD_OWNERS.has(`${groupOf(owner.apiVersion)}/${owner.kind}`)) return undefined;
  const list = await reader.list(KruiseResources.WorkloadSpread, { namespace, signal });
  const spreads = list.items.flatMap((item) => {
    const parsed = parseCachedWorkloadSpread(item);
    const managed = parsed.kind === 'valid' && parsed.value.spec.targetRef !== undefined && isPodSelectedByTargetFilter(parsed.value.spec.targetFilter, pod.metadata.labels);
    return managed ? [parsed.value] : [];
  });
  if (spreads.length === 0) return undefined;
  const direct = spreads.find((ws) => ws.spec.targetRef !== undefined && sameTarget(ws.spec.targetRef, owner));
  if (direct !== undefined || owner.kind !== 'ReplicaSet') return direct;
  const byDeployment = spreads.filter((ws) => ws.spec.targetRef?.kind === 'Deployment' && groupOf(ws.spec.targetRef.apiVersion) === 'apps');
  if (byDeployment.length === 0) return undefined;
  const deployment = await deploymentOf(reader, client, namespace, owner.name, signal);
  return deployment === undefined ? undefined : byDeployment.find((ws) => ws.spec.targetRef?.name === deployment);
}
