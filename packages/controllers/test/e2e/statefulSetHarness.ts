import type { StatefulSet } from '@kruise-ts/core';
import { aStatefulSet, type StatefulSetOptions } from '@kruise-ts/core/testing';
import { KruiseResources, Resources, kruiseCrdName, type KubeClient, type KubeObject, type ResourceType } from '@kruise-ts/k8s-adapter';
import { freePort, type TestCluster } from '@kruise-ts/k8s-adapter/testing';
import { afterAll, beforeAll, expect, vi } from 'vitest';
import { LONG_WAIT, isReady, isTerminating, type PodObject } from './cloneSetManifest.js';
import { startCloneSetCluster } from './useCloneSetCluster.js';
import type { PodSnapshot, PodWatch } from './watchCloneSetPods.js';
import { startManager, type ManagerProcess } from './managerProcess.js';
import { applyDeployManifests, startWebhookManager } from './webhookHarness.js';

// Helpers of the Advanced StatefulSet e2e files (statefulSet*.test.ts): a test cluster, the real
// kruise-ts-manager process (its webhooks called by the apiserver, its controllers running as the
// service account of deploy/), watches of pods with a fence, and the controller's own metrics to
// wait on instead of sleeping.

export type StatefulSetObject = StatefulSet & KubeObject;

/** The manager's service account, with exactly the RBAC of deploy/manager/rbac.yaml. */
const MANAGER_USER = 'system:serviceaccount:kruise-system:kruise-ts-manager';
const MANAGER_GROUPS = ['system:serviceaccounts', 'system:serviceaccounts:kruise-system'];

/** What a StatefulSet (or DaemonSet...) e2e file works with. */
export interface StatefulSetEnv {
  readonly cluster: TestCluster;
  readonly client: KubeClient;
  /** kubeconfig of the manager's service account (for more manager processes). */
  readonly managerKubeconfig: string;
  /** The manager serving the webhooks (and, unless `controllers: false`, running the controller under test). */
  readonly manager: ManagerProcess;
  /** The signals of the controller under test (meaningless with `controllers: false`). */
  readonly signals: StatefulSetSignals;
}

/** Options of {@link useManagerCluster}. */
export interface ManagerClusterOptions {
  /** The controller under test (`--controllers=<controller>`). */
  readonly controller: string;
  /** Its kind: the file waits until the apiserver converts it through the manager's webhook. */
  readonly resource: ResourceType;
  /** Starts the test cluster (its CRDs installed). */
  readonly startCluster: () => Promise<TestCluster>;
  /** Run the controller in every namespace (default), or, with false, in a namespace nobody uses. */
  readonly controllers?: boolean | undefined;
  /** More manager flags, e.g. `--feature-gates=...`. */
  readonly args?: readonly string[] | undefined;
  /** More deploy/ manifests applied after manager/rbac.yaml, e.g. a gated controller's `manager/rbac-resourcedistribution.yaml`. */
  readonly manifests?: readonly string[] | undefined;
  /** More environment of the manager process, e.g. `KRUISE_TS_CLOCK_OFFSET_MS`. */
  readonly env?: NodeJS.ProcessEnv | undefined;
}

/**
 * Registers `beforeAll`/`afterAll` hooks that start a test cluster and one kruise-ts-manager
 * process as its service account (deploy/'s RBAC): webhooks on (mutating, validating, conversion:
 * the apiserver calls them), the controller under test in every namespace, or with
 * `controllers: false` in a namespace nobody uses (the test then runs its own controller
 * processes). Read the fields inside the tests.
 */
export function useManagerCluster(options: ManagerClusterOptions): StatefulSetEnv {
  const env = {} as { -readonly [K in keyof StatefulSetEnv]: StatefulSetEnv[K] };
  // What to stop, as far as beforeAll got.
  let cluster: TestCluster | undefined;
  let manager: ManagerProcess | undefined;
  beforeAll(async () => {
    cluster = await options.startCluster();
    env.cluster = cluster;
    env.client = env.cluster.client;
    await applyDeployManifests(env.client, 'manager/namespace.yaml');
    await applyDeployManifests(env.client, 'manager/rbac.yaml');
    for (const manifest of options.manifests ?? []) await applyDeployManifests(env.client, manifest);
    env.managerKubeconfig = await env.cluster.kubeconfigFor(MANAGER_USER, MANAGER_GROUPS);
    const scope = options.controllers === false ? ['--namespace=controllers-elsewhere'] : [];
    manager = await startWebhookManager(env.managerKubeconfig, await freePort(), [`--controllers=${options.controller}`, ...scope, ...(options.args ?? [])], options.env);
    env.manager = manager;
    env.signals = controllerSignals(env.manager, options.controller);
    await vi.waitFor(async () => {
      const crd = await env.client.get(Resources.CustomResourceDefinition, { name: kruiseCrdName(options.resource) });
      expect((crd.spec.conversion as { strategy?: string } | undefined)?.strategy).toBe('Webhook');
    }, LONG_WAIT);
    await waitForManagerReady(env.manager);
  });
  afterAll(async () => {
    await manager?.kill('SIGKILL');
    await cluster?.stop();
  });
  return env;
}

/**
 * {@link useManagerCluster} for Advanced StatefulSets: 3 kwok nodes, scheduler, garbage
 * collector, controller `statefulset`.
 */
export function useStatefulSetCluster(options: { controllers?: boolean } = {}): StatefulSetEnv {
  return useManagerCluster({ controller: 'statefulset', resource: KruiseResources.StatefulSet, startCluster: () => startCloneSetCluster(), controllers: options.controllers });
}

/** Starts a kruise-ts-manager running only controller `controller`, no webhooks, no leader election; resolves once it is ready. */
export async function startControllerManager(kubeconfig: string, controller: string, args: readonly string[] = []): Promise<ManagerProcess> {
  const manager = startManager(kubeconfig, ['--no-enable-leader-election', `--controllers=${controller}`, ...args]);
  try {
    await waitForManagerReady(manager);
  } catch (error) {
    await manager.kill('SIGKILL');
    throw error;
  }
  return manager;
}

/** Starts a kruise-ts-manager running only the StatefulSet controller, no webhooks, no leader election; resolves once it is ready. */
export function startStatefulSetManager(kubeconfig: string, args: readonly string[] = []): Promise<ManagerProcess> {
  return startControllerManager(kubeconfig, 'statefulset', args);
}

/** The URLs the manager logged at start (`metrics`, `probes`). */
async function managerUrls(manager: ManagerProcess): Promise<{ metrics: string; probes: string }> {
  const started = manager.logs.find((line) => line.msg === 'kruise-ts-manager starting') ?? (await manager.waitForLog('kruise-ts-manager starting', 90_000));
  return { metrics: String(started.metrics), probes: String(started.probes) };
}

/** Resolves once the manager's `/readyz` answers 200 (every controller past its cache sync). */
export async function waitForManagerReady(manager: ManagerProcess): Promise<void> {
  const { probes } = await managerUrls(manager);
  await vi.waitFor(async () => {
    expect((await fetch(`${probes}/readyz`)).status).toBe(200);
  }, LONG_WAIT);
}

/**
 * What the manager's StatefulSet controller says about its work, from its `/metrics`
 * (`controller_runtime_reconcile_total`, `workqueue_depth`, `controller_runtime_active_workers`
 * with `controller="statefulset"`): lets a test prove that "nothing more happens" by waiting for
 * the controller to be done rather than by sleeping.
 */
export interface StatefulSetSignals {
  /** Reconciles finished so far. */
  reconciles(): Promise<number>;
  /**
   * Resolves once at least `count` reconciles finished since `since` (an earlier `reconciles()`)
   * and the controller is idle (no key queued, no reconcile running) at two readings in a row
   * with no reconcile in between.
   */
  waitForReconciles(since: number, count: number): Promise<void>;
}

/** Sums the samples of `name` with `controller="<controller>"` in a Prometheus text exposition. */
function metricSum(text: string, name: string, controller: string): number {
  let sum = 0;
  const label = new RegExp(`(^|,)controller="${controller}"(,|$)`);
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)\{(.*)\} (\S+)$/.exec(line);
    if (match?.[1] !== name || !label.test(match[2] ?? '')) continue;
    sum += Number(match[3]);
  }
  return sum;
}

/** Returns the {@link StatefulSetSignals} of a manager process. */
export function statefulSetSignals(manager: ManagerProcess): StatefulSetSignals {
  return controllerSignals(manager, 'statefulset');
}

/** Returns the reconcile signals (see {@link StatefulSetSignals}) of controller `controller` of a manager process. */
export function controllerSignals(manager: ManagerProcess, controller: string): StatefulSetSignals {
  const read = async () => {
    const text = await (await fetch(`${(await managerUrls(manager)).metrics}/metrics`)).text();
    const total = metricSum(text, 'controller_runtime_reconcile_total', controller);
    const idle = metricSum(text, 'workqueue_depth', controller) === 0 && metricSum(text, 'controller_runtime_active_workers', controller) === 0;
    return { total, idle };
  };
  return {
    reconciles: async () => (await read()).total,
    async waitForReconciles(since, count) {
      let idleAt: number | undefined;
      await vi.waitFor(async () => {
        const { total, idle } = await read();
        const previous = idleAt;
        idleAt = idle ? total : undefined;
        expect(total).toBeGreaterThanOrEqual(since + count);
        expect(idle).toBe(true);
        expect(previous).toBe(total);
      }, LONG_WAIT);
    },
  };
}

/**
 * Wakes the controller of set `name` without asking anything of it (an annotation changes),
 * `times` times, each time waiting until it finished a reconcile since and is idle: passes that
 * saw everything as it is now, and are over.
 */
export async function pokeAndSettle(client: KubeClient, signals: StatefulSetSignals, namespace: string, name: string, times = 2): Promise<void> {
  for (let i = 0; i < times; i++) {
    const before = await signals.reconciles();
    await client.patch(KruiseResources.StatefulSet, { name, namespace }, { type: 'merge', body: { metadata: { annotations: { 'kruise-ts.test/poke': `${String(Date.now())}-${String(i)}` } } } });
    await signals.waitForReconciles(before, 1);
  }
}

/** The readiness gate the tests use to play an application that warms up (see `warmUpPods`). */
export const WARM_GATE = 'kruise-ts.test/warm';

/**
 * Returns a v1beta1 Advanced StatefulSet manifest in `namespace` from the core builder's options
 * (name `web`, selector and pod label `app: <name>`, one container `main` running `nginx:1`),
 * without the builder's uid and generation; `readinessGates` are added to the pod template.
 */
export function statefulSetManifest(namespace: string, options: StatefulSetOptions & { readinessGates?: readonly string[] } = {}): StatefulSetObject {
  const { readinessGates = [], ...builder } = options;
  const built = aStatefulSet({ ...builder, namespace }) as StatefulSetObject;
  const { uid: _uid, generation: _generation, ...metadata } = built.metadata;
  const templateSpec = built.spec.template.spec;
  const gates = [...(templateSpec.readinessGates ?? []), ...readinessGates.map((conditionType) => ({ conditionType }))];
  return {
    ...built,
    metadata,
    spec: { ...built.spec, template: { ...built.spec.template, spec: { ...templateSpec, ...(gates.length === 0 ? {} : { readinessGates: gates }) } } },
  };
}

/** Returns the set `name`. */
export function getStatefulSet(client: KubeClient, namespace: string, name = 'web'): Promise<StatefulSetObject> {
  return client.get(KruiseResources.StatefulSet, { name, namespace });
}

/** Merge-patches the set's spec (e.g. `{ replicas: 2 }`). */
export function patchStatefulSetSpec(client: KubeClient, namespace: string, name: string, spec: Record<string, unknown>): Promise<StatefulSetObject> {
  return client.patch(KruiseResources.StatefulSet, { name, namespace }, { type: 'merge', body: { spec } });
}

/** Replaces the image of the template's first container. */
export function setStatefulSetImage(client: KubeClient, namespace: string, name: string, image: string): Promise<StatefulSetObject> {
  return client.patch(KruiseResources.StatefulSet, { name, namespace }, { type: 'json', operations: [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: image }] });
}

/** Returns the ordinal of a pod named `<set>-<n>` (NaN for another name). */
export const ordinalOf = (podName: string): number => Number(/-(\d+)$/.exec(podName)?.[1] ?? Number.NaN);

/** Returns the pods of set `name` (label `app=<name>`) that are not terminating, by ordinal. */
export async function livePods(client: KubeClient, namespace: string, name = 'web'): Promise<PodObject[]> {
  const pods = (await client.list(Resources.Pod, { namespace, labelSelector: `app=${name}` })).items;
  return pods.filter((p) => !isTerminating(p)).sort((a, b) => ordinalOf(a.metadata.name ?? '') - ordinalOf(b.metadata.name ?? ''));
}

/**
 * Waits until the set `name` is settled at `replicas`: status observed for its generation, every
 * count at `replicas`, current revision = update revision (unless `partial`, where `updated`
 * replicas are at the update revision), and exactly `replicas` pods, all Ready, none terminating.
 */
export async function waitForSettled(client: KubeClient, namespace: string, name: string, replicas: number, partial?: { updated: number }): Promise<StatefulSetObject> {
  let settled: StatefulSetObject | undefined;
  await vi.waitFor(async () => {
    const set = await getStatefulSet(client, namespace, name);
    expect(set.status?.observedGeneration).toBe(set.metadata.generation);
    // Counts Go omits at 0 (readyReplicas, updatedReplicas...) read as 0.
    const count = (key: 'replicas' | 'readyReplicas' | 'availableReplicas' | 'updatedReplicas') => set.status?.[key] ?? 0;
    expect({ replicas: count('replicas'), ready: count('readyReplicas'), available: count('availableReplicas'), updated: count('updatedReplicas') }).toEqual({
      replicas,
      ready: replicas,
      available: replicas,
      updated: partial?.updated ?? replicas,
    });
    if (partial === undefined) expect(set.status?.currentRevision).toBe(set.status?.updateRevision);
    const pods = (await client.list(Resources.Pod, { namespace, labelSelector: `app=${name}` })).items;
    expect(pods.filter((p) => isReady(p) && !isTerminating(p))).toHaveLength(replicas);
    expect(pods).toHaveLength(replicas);
    settled = set;
  }, LONG_WAIT);
  return settled as StatefulSetObject;
}

/** The Events of `namespace` about StatefulSet `name` (`count` as aggregated by the recorder). */
export async function statefulSetEvents(client: KubeClient, namespace: string, name = 'web'): Promise<{ type: string; reason: string; message: string; count: number }[]> {
  type CoreEvent = { involvedObject: { kind: string; name: string }; type: string; reason: string; message: string; count?: number };
  const events = (await client.list(Resources.Event, { namespace })).items as unknown as CoreEvent[];
  return events
    .filter((e) => e.involvedObject.kind === 'StatefulSet' && e.involvedObject.name === name)
    .map((e) => ({ type: e.type, reason: e.reason, message: e.message, count: e.count ?? 1 }));
}

/** Label of the fence pods of a {@link NamespacePodWatch} (not in its snapshot). */
const FENCE_LABEL = 'kruise-ts.test/fence';

/** One pod event a {@link NamespacePodWatch} saw. */
export interface SeenPodEvent {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  readonly name: string;
  readonly uid: string;
  readonly pod: PodObject;
}

/**
 * A watch of every pod of a namespace from a list (a {@link PodWatch}: `warmUpPods` and
 * `trackUnavailable` of watchCloneSetPods.ts work on it), with the full events and a fence.
 */
export interface NamespacePodWatch extends PodWatch {
  /** Every event, in order, with the pod as it was. */
  readonly seen: readonly SeenPodEvent[];
  /**
   * Creates a fence pod (outside the snapshot) and resolves once the watch saw it: every pod
   * event the apiserver had before the call has been seen.
   */
  fence(): Promise<void>;
}

/** Starts a {@link NamespacePodWatch} on `namespace`, listing it first. */
export async function watchNamespacePods(client: KubeClient, namespace: string): Promise<NamespacePodWatch> {
  const listed = await client.list(Resources.Pod, { namespace });
  const pods = new Map<string, PodObject>(listed.items.filter((p) => p.metadata.labels?.[FENCE_LABEL] === undefined).map((p) => [p.metadata.name ?? '', p]));
  const events: { type: string; name: string; resourceVersion: string }[] = [];
  const seen: SeenPodEvent[] = [];
  const fences = new Set<string>();
  const listeners: ((pods: PodSnapshot, event: { type: string; pod: PodObject }) => void)[] = [];
  const abort = new AbortController();
  let failure: Error | undefined;
  let resourceVersion = listed.resourceVersion;
  const loop = (async () => {
    // A watch may end when the server's timeout passes: resume from the last resourceVersion.
    while (!abort.signal.aborted) {
      for await (const event of client.watch(Resources.Pod, { namespace, resourceVersion, signal: abort.signal })) {
        if (event.type === 'BOOKMARK') {
          resourceVersion = event.resourceVersion;
          continue;
        }
        const pod = event.object;
        const name = pod.metadata.name ?? '';
        resourceVersion = pod.metadata.resourceVersion ?? resourceVersion;
        if (pod.metadata.labels?.[FENCE_LABEL] !== undefined) {
          fences.add(name);
          continue;
        }
        if (event.type === 'DELETED') pods.delete(name);
        else pods.set(name, pod);
        events.push({ type: event.type, name, resourceVersion: pod.metadata.resourceVersion ?? '' });
        seen.push({ type: event.type, name, uid: pod.metadata.uid ?? '', pod });
        for (const listener of listeners) listener(pods, { type: event.type, pod });
      }
    }
  })().catch((error: unknown) => {
    if (abort.signal.aborted) return;
    failure = error instanceof Error ? error : new Error(String(error));
  });
  return {
    pods,
    events,
    seen,
    eventCount: () => events.length,
    onChange: (listener) => listeners.push(listener),
    async fence() {
      const fence = await client.create(Resources.Pod, {
        metadata: { generateName: 'fence-', namespace, labels: { [FENCE_LABEL]: 'true' } },
        spec: { containers: [{ name: 'fence', image: 'nginx:1' }] },
      });
      await vi.waitFor(() => {
        if (failure !== undefined) throw failure;
        expect(fences.has(fence.metadata.name ?? '')).toBe(true);
      }, LONG_WAIT);
    },
    async stop() {
      abort.abort();
      await loop;
      if (failure !== undefined) throw failure;
    },
  };
}

/** Names of the pods the watch saw created (ADDED), in order. */
export const createdNames = (watch: NamespacePodWatch): string[] => watch.seen.filter((e) => e.type === 'ADDED').map((e) => e.name);

/** Names of the pods in the order the watch first saw them terminating (deletionTimestamp set, or deleted). */
export function deletionOrder(watch: NamespacePodWatch): string[] {
  const order: string[] = [];
  for (const event of watch.seen) {
    if ((event.type === 'DELETED' || isTerminating(event.pod)) && !order.includes(`${event.name}/${event.uid}`)) order.push(`${event.name}/${event.uid}`);
  }
  return order.map((key) => key.split('/')[0] ?? '');
}
