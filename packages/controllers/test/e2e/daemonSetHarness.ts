import type { DaemonSet } from '@kruise-ts/core';
import { aDaemonSet, type DaemonSetOptions } from '@kruise-ts/core/testing';
import { KruiseResources, Resources, type KubeClient, type KubeObject } from '@kruise-ts/k8s-adapter';
import { startTestCluster, type TestCluster } from '@kruise-ts/k8s-adapter/testing';
import { expect, vi } from 'vitest';
import { LONG_WAIT, isReady, isTerminating, type PodObject } from './cloneSetManifest.js';
import type { ManagerProcess } from './managerProcess.js';
import { startControllerManager, useManagerCluster, watchNamespacePods, type NamespacePodWatch, type StatefulSetEnv, type StatefulSetSignals } from './statefulSetHarness.js';
import { ALL_CRDS } from './allCrds.js';

// Helpers of the Advanced DaemonSet e2e files (daemonSet*.test.ts): a test cluster of 10 kwok
// nodes in 3 zones (node 9 tainted dedicated=infra:NoSchedule), the real kruise-ts-manager
// process as the service account of deploy/, and watches that check a rollout's budget node by
// node.

export type DaemonSetObject = DaemonSet & KubeObject;

/** Nodes of the cluster: kwok-node-0..9, zones a, b, c in turn. */
export const NODE_COUNT = 10;
/** The node tainted `dedicated=infra:NoSchedule` (a template without the toleration leaves it out). */
export const TAINTED_NODE = 'kwok-node-9';
export const TAINT = { key: 'dedicated', value: 'infra', effect: 'NoSchedule' } as const;
/** The toleration of {@link TAINT}. */
export const TOLERATION = { key: 'dedicated', operator: 'Exists' } as const;
/** The zone label of the nodes. */
export const ZONE_LABEL = 'topology.kubernetes.io/zone';


/** Names of nodes `from`..`to` (inclusive). */
export const nodeNames = (from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, i) => `kwok-node-${String(from + i)}`);

/** What a DaemonSet e2e file works with (the manager's signals are its DaemonSet controller's). */
export type DaemonSetEnv = StatefulSetEnv;

/** Starts the test cluster: 10 kwok nodes in 3 zones, node 9 tainted; scheduler, garbage collector. */
async function startDaemonSetCluster(): Promise<TestCluster> {
  const cluster = await startTestCluster({ nodes: NODE_COUNT, controllerManager: true, scheduler: true, crds: ALL_CRDS });
  await cluster.client.patch(Resources.Node, { name: TAINTED_NODE }, { type: 'merge', body: { spec: { taints: [TAINT] } } });
  return cluster;
}

/**
 * Registers `beforeAll`/`afterAll` hooks that start the DaemonSet test cluster and one
 * kruise-ts-manager (see `useManagerCluster`) with controller `daemonset` in every namespace, or
 * with `controllers: false` in a namespace nobody uses (the test runs its own controller processes).
 */
export function useDaemonSetCluster(options: { controllers?: boolean } = {}): DaemonSetEnv {
  return useManagerCluster({ controller: 'daemonset', resource: KruiseResources.DaemonSet, startCluster: startDaemonSetCluster, controllers: options.controllers });
}

/** Starts a kruise-ts-manager running only the DaemonSet controller, no webhooks, no leader election; resolves once it is ready. */
export function startDaemonSetManager(kubeconfig: string): Promise<ManagerProcess> {
  return startControllerManager(kubeconfig, 'daemonset');
}

/**
 * Returns a v1beta1 Advanced DaemonSet manifest in `namespace` from the core builder's options
 * (name `agent`, selector and pod label `app: agent`, container `main` running `nginx:1`) without
 * the builder's uid and generation, its pod template changed by `template`.
 */
export function daemonSetManifest(namespace: string, options: DaemonSetOptions = {}, template: (spec: DaemonSet['spec']['template']['spec']) => DaemonSet['spec']['template']['spec'] = (s) => s): DaemonSetObject {
  const built = aDaemonSet({ ...options, namespace }) as DaemonSetObject;
  const { uid: _uid, generation: _generation, ...metadata } = built.metadata;
  return { ...built, metadata, spec: { ...built.spec, template: { ...built.spec.template, spec: template(built.spec.template.spec) } } };
}

/** Returns the set `name`. */
export function getDaemonSet(client: KubeClient, namespace: string, name = 'agent'): Promise<DaemonSetObject> {
  return client.get(KruiseResources.DaemonSet, { name, namespace });
}

/** Replaces the image of the template's first container. */
export function setDaemonSetImage(client: KubeClient, namespace: string, image: string, name = 'agent'): Promise<DaemonSetObject> {
  return client.patch(KruiseResources.DaemonSet, { name, namespace }, { type: 'json', operations: [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: image }] });
}

/** Live pods of set `name` (label `app=<name>`) in `namespace` by node (sorted by node name). */
export async function podsByNode(client: KubeClient, namespace: string, name = 'agent'): Promise<Record<string, PodObject[]>> {
  const pods = (await client.list(Resources.Pod, { namespace, labelSelector: `app=${name}` })).items.filter((p) => !isTerminating(p));
  const byNode: Record<string, PodObject[]> = {};
  for (const pod of pods) (byNode[pod.spec.nodeName ?? ''] ??= []).push(pod);
  return Object.fromEntries(Object.entries(byNode).sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true })));
}

/**
 * Waits until the set is settled on exactly `nodes`: status observed for its generation with
 * every count at `nodes.length` (`updated` of them updated, default all), and one live pod, Ready,
 * on each of those nodes and on no other.
 */
export async function waitForDaemonSetSettled(client: KubeClient, namespace: string, nodes: readonly string[], updated = nodes.length, name = 'agent'): Promise<DaemonSetObject> {
  let settled: DaemonSetObject | undefined;
  await vi.waitFor(async () => {
    const ds = await getDaemonSet(client, namespace, name);
    const s = ds.status;
    expect(s?.observedGeneration).toBe(ds.metadata.generation);
    const n = nodes.length;
    expect({
      desired: s?.desiredNumberScheduled ?? 0,
      current: s?.currentNumberScheduled ?? 0,
      ready: s?.numberReady ?? 0,
      available: s?.numberAvailable ?? 0,
      updated: s?.updatedNumberScheduled ?? 0,
      misscheduled: s?.numberMisscheduled ?? 0,
    }).toEqual({ desired: n, current: n, ready: n, available: n, updated, misscheduled: 0 });
    const all = (await client.list(Resources.Pod, { namespace, labelSelector: `app=${name}` })).items;
    expect(all.filter(isTerminating)).toEqual([]);
    const byNode = await podsByNode(client, namespace, name);
    expect(Object.keys(byNode)).toEqual([...nodes].sort((a, b) => a.localeCompare(b, 'en', { numeric: true })));
    expect(Object.values(byNode).every((pods) => pods.length === 1 && isReady(pods[0] as PodObject))).toBe(true);
    settled = ds;
  }, LONG_WAIT);
  return settled as DaemonSetObject;
}

/** Whether the watch's pod counts as available on its node: Ready, InPlaceUpdateReady not False, not terminating. */
const isAvailable = (pod: PodObject): boolean => !isTerminating(pod) && isReady(pod) && pod.status?.conditions?.find((c) => c.type === 'InPlaceUpdateReady')?.status !== 'False';

/**
 * Follows, at every pod event of the watch, how many of `nodes` have an available pod: the
 * fewest seen, and the most nodes seen without one.
 */
export function trackNodeAvailability(watch: NamespacePodWatch, nodes: readonly string[]): { leastAvailable: () => number; mostUnavailable: () => number } {
  let least = nodes.length;
  watch.onChange((pods) => {
    const covered = new Set([...pods.values()].filter(isAvailable).map((p) => p.spec.nodeName ?? ''));
    least = Math.min(least, nodes.filter((n) => covered.has(n)).length);
  });
  return { leastAvailable: () => least, mostUnavailable: () => nodes.length - least };
}

/**
 * Wakes the controller of set `name` without asking anything of it (an annotation changes),
 * `times` times, each time waiting until it finished a reconcile since and is idle.
 */
export async function pokeDaemonSetAndSettle(client: KubeClient, signals: StatefulSetSignals, namespace: string, name = 'agent', times = 2): Promise<void> {
  for (let i = 0; i < times; i++) {
    const before = await signals.reconciles();
    await client.patch(KruiseResources.DaemonSet, { name, namespace }, { type: 'merge', body: { metadata: { annotations: { 'kruise-ts.test/poke': `${String(Date.now())}-${String(i)}` } } } });
    await signals.waitForReconciles(before, 1);
  }
}

export { watchNamespacePods };
