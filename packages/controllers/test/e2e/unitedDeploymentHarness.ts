import { SUBSET_NAME_LABEL, type UnitedDeployment } from '@kruise-ts/core';
import { aUnitedDeployment, type UnitedDeploymentOptions } from '@kruise-ts/core/testing';
import { KruiseResources, Resources, type KubeClient, type KubeObject } from '@kruise-ts/k8s-adapter';
import { startTestCluster, type TestCluster } from '@kruise-ts/k8s-adapter/testing';
import { isReady, isTerminating, type PodObject } from './cloneSetManifest.js';
import { useManagerCluster, type StatefulSetEnv } from './statefulSetHarness.js';
import { ALL_CRDS } from './allCrds.js';

// Helpers of the UnitedDeployment e2e file: a test cluster of 3 kwok nodes in zones zone-a,
// zone-b, zone-c (kwok-node-0, -1, -2), and the real kruise-ts-manager process running the
// UnitedDeployment, CloneSet and Advanced StatefulSet controllers (and every webhook).

export type UnitedDeploymentObject = UnitedDeployment & KubeObject;
/** A child workload as the apiserver returns it. */
export type ChildObject = KubeObject & { spec: { replicas?: number; updateStrategy?: Record<string, unknown>; template: { spec: Record<string, unknown> } } };

/** The zone of each node. */
export const NODE_ZONES: Readonly<Record<string, string>> = { 'kwok-node-0': 'zone-a', 'kwok-node-1': 'zone-b', 'kwok-node-2': 'zone-c' };


const CHILD_TYPES = [KruiseResources.CloneSet, KruiseResources.StatefulSet, Resources.AppsStatefulSet, Resources.Deployment] as const;

async function startZonedCluster(): Promise<TestCluster> {
  return startTestCluster({ nodes: 3, controllerManager: true, scheduler: true, crds: ALL_CRDS });
}

/**
 * Registers `beforeAll`/`afterAll` hooks that start the three-zone cluster and one
 * kruise-ts-manager (service account of deploy/, webhooks on) running the UnitedDeployment,
 * CloneSet and Advanced StatefulSet controllers.
 */
export function useUnitedDeploymentCluster(): StatefulSetEnv {
  return useManagerCluster({ controller: 'uniteddeployment,cloneset,statefulset', resource: KruiseResources.UnitedDeployment, startCluster: startZonedCluster });
}

/** Returns a v1beta1 UnitedDeployment manifest in `namespace` from the builder's options (name `web`), without uid and generation. */
export function unitedDeploymentManifest(namespace: string, options: UnitedDeploymentOptions): UnitedDeploymentObject {
  const built = aUnitedDeployment({ ...options, namespace }) as UnitedDeploymentObject;
  const { uid: _uid, generation: _generation, ...metadata } = built.metadata;
  return { ...built, metadata };
}

/** The children of every kind in `namespace`, by subset (the oldest of each). */
export async function childrenBySubset(client: KubeClient, namespace: string): Promise<Record<string, ChildObject>> {
  const all = (await Promise.all(CHILD_TYPES.map(async (type) => (await client.list(type as typeof Resources.Deployment, { namespace })).items as ChildObject[]))).flat();
  const result: Record<string, ChildObject> = {};
  for (const child of all.sort((a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? ''))) result[child.metadata.labels?.[SUBSET_NAME_LABEL] ?? ''] ??= child;
  return Object.fromEntries(Object.entries(result).sort(([a], [b]) => a.localeCompare(b)));
}

/** Every child object of every kind in `namespace`. */
export async function allChildren(client: KubeClient, namespace: string): Promise<ChildObject[]> {
  return (await Promise.all(CHILD_TYPES.map(async (type) => (await client.list(type as typeof Resources.Deployment, { namespace })).items as ChildObject[]))).flat();
}

/** Live, Ready pods of `namespace` counted by the zone of their node. */
export async function readyPodsByZone(client: KubeClient, namespace: string): Promise<Record<string, number>> {
  const pods = (await client.list(Resources.Pod, { namespace })).items.filter((p: PodObject) => !isTerminating(p) && isReady(p));
  const result: Record<string, number> = {};
  for (const pod of pods) {
    const zone = NODE_ZONES[pod.spec.nodeName ?? ''] ?? 'none';
    result[zone] = (result[zone] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(result).sort(([a], [b]) => a.localeCompare(b)));
}
