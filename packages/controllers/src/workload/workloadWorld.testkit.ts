import { KRUISE_POD_READY_CONDITION, type Pod } from '@kruise-ts/core';
import {
  Resources,
  createMemoryCluster,
  createSharedInformerFactory,
  type KubeClient,
  type KubeEvent,
  type KubeObject,
  type MemoryCluster,
  type MemoryClusterOptions,
  type Patch,
  type ResourceType,
  type WriteCounts,
  type WriteFilter,
} from '@kruise-ts/k8s-adapter';
import { Registry } from 'prom-client';
import type { ControllerDeps, RunningController } from '../runtime/controllerDeps.js';
import { createLogger } from '../runtime/logger.js';
import { createRuntimeMetrics } from '../runtime/metrics.js';

/** A pod as the memory cluster returns it. */
export type PodObject = Pod & KubeObject;
/** An event the controller recorded, with the fake-clock time it was recorded at. */
export type RecordedEvent = KubeEvent & { readonly at: number };

/** The field manager of the controller's writes (the cluster's default client). */
export const CONTROLLER_FIELD_MANAGER = 'kruise-ts';
/** The field manager of the test's own writes (`world.user`): never counted as the controller's. */
export const USER_FIELD_MANAGER = 'kubectl';

/** Returns the names of `pods`, sorted. */
export const namesOf = (pods: readonly Pod[]): string[] => pods.map((p) => p.metadata.name ?? '').sort();

/** Returns the status of condition `type` of a pod (`undefined` when absent). */
export const podCondition = (pod: Pod, type: string): string | undefined => pod.status?.conditions?.find((c) => c.type === type)?.status;

/** What a workload controller factory gets from {@link startWorkloadWorld}: the shared deps, scoped to namespace `apps`. */
export type WorldControllerDeps = ControllerDeps & { readonly namespace: string };

/**
 * A memory cluster with one workload controller running on it, for controller-level tests of any
 * kind: the workload's objects live in namespace `apps`.
 */
export interface WorkloadWorld<W extends KubeObject> {
  readonly cluster: MemoryCluster;
  readonly controller: RunningController;
  /** A client writing as {@link USER_FIELD_MANAGER}: what a user or another operator does. */
  readonly user: KubeClient;
  /** Events the controller recorded, in order. */
  readonly events: RecordedEvent[];
  /** The metrics registry the controller reports to. */
  readonly registry: Registry;
  /** Changes the workload's spec (read, change, replace; retried on conflict). */
  update(name: string, change: (workload: W) => W): Promise<void>;
  /** Sets the image of the first container of the workload's pod template. */
  setImage(image: string, name?: string): Promise<void>;
  get(name?: string): Promise<W>;
  /** Pods of namespace `apps`, not terminating. */
  pods(): Promise<PodObject[]>;
  /** Pods of namespace `apps`, terminating ones included. */
  allPods(): Promise<PodObject[]>;
  /** Reads pod `name` of namespace `apps`. */
  pod(name: string): Promise<PodObject>;
  /** Patches pod `name` (strategic merge) as the user. */
  patchPod(name: string, body: Record<string, unknown>, subresource?: string): Promise<PodObject>;
  /**
   * Sets `KruisePodReady` True on the pods that carry its readiness gate but not the condition yet,
   * as OpenKruise's pod-readiness controller does (kruise-ts has none); returns their names.
   */
  markKruisePodReady(): Promise<string[]>;
  /** Write requests of the controller (`faults.writes` narrowed to its field manager). */
  writes(filter?: WriteFilter): WriteCounts;
  /** Lets the controller, the kubelet and the watches run, moving the fake clock 100 ms a step, until `condition` holds. */
  until(condition: () => Promise<boolean> | boolean, steps?: number): Promise<void>;
  /**
   * Annotates the workload (a change that asks nothing of it) and lets everything run until a
   * reconcile has finished since: a pass that looked at everything as it is now.
   */
  poke(name?: string): Promise<void>;
  /** Lets everything run for `ms` of fake time. */
  idle(ms: number): Promise<void>;
  /** Reconciles the controller finished so far (`controller_runtime_reconcile_total`). */
  reconciles(): Promise<number>;
  /** The value of metric `name` summed over the series matching `labels` (0 when absent). */
  metric(name: string, labels?: Readonly<Record<string, string>>): Promise<number>;
  /**
   * Follows the objects of `type` in namespace `apps`: calls `onChange` with each object listed
   * now, then with every changed object, each time with every object of the kind as they are
   * after that change (the watch's view: exact at each resourceVersion). Returns a function that
   * stops following.
   */
  follow<T extends KubeObject>(type: ResourceType<T>, onChange: (changed: T, all: readonly T[]) => void): () => void;
  close(): Promise<void>;
}

/** Options of {@link startWorkloadWorld}. */
export interface WorkloadWorldOptions<W extends KubeObject> extends MemoryClusterOptions {
  /** The workload's resource type (served by the memory cluster with a scale subresource). */
  readonly resource: ResourceType<W>;
  /** More custom resources to serve (with a scale subresource), e.g. the children of a UnitedDeployment. */
  readonly extraResources?: readonly ResourceType[];
  /** Makes the controller under test from the world's dependencies. */
  readonly createController: (deps: WorldControllerDeps) => RunningController;
  /** Log level of the controller (default silent). */
  readonly logLevel?: 'debug' | 'info' | 'warn' | 'silent';
}

type WithTemplate = KubeObject & { spec: { template: { spec: { containers: readonly { name: string; image?: string }[] } } } };

/**
 * Returns a memory cluster (3 nodes by default) serving `resource` (with its scale subresource)
 * and namespace `apps`, with the controller `createController` makes running on it.
 */
export async function startWorkloadWorld<W extends KubeObject>(options: WorkloadWorldOptions<W>): Promise<WorkloadWorld<W>> {
  const cluster = await createMemoryCluster({ nodes: 3, ...options });
  const scale = { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.labelSelector' };
  for (const type of [options.resource, ...(options.extraResources ?? [])]) cluster.registerResource(type, { scale });
  const user = cluster.clientFor(USER_FIELD_MANAGER);
  await user.create(Resources.Namespace, { metadata: { name: 'apps' } });
  const events: RecordedEvent[] = [];
  const registry = new Registry();
  const informers = createSharedInformerFactory(cluster.client, { clock: cluster.clock });
  const controller = options.createController({
    client: cluster.client,
    clock: cluster.clock,
    informers,
    events: { emit: (e) => events.push({ ...e, at: cluster.clock.now() }) },
    logger: createLogger({ level: options.logLevel ?? 'silent' }),
    metrics: createRuntimeMetrics(registry),
    namespace: 'apps',
  });
  const abort = new AbortController();
  const followers = new AbortController();
  const running = controller.controller.start(abort.signal);
  const step = async (ms: number): Promise<void> => {
    await cluster.settle();
    await cluster.clock.advance(ms);
    await cluster.settle();
  };
  const inApps = (name: string) => ({ name, namespace: 'apps' });
  let pokes = 0;
  const world: WorkloadWorld<W> = {
    cluster,
    controller,
    user,
    events,
    registry,
    async update(name, change) {
      for (;;) {
        const current = await user.get(options.resource, inApps(name));
        try {
          await user.replace(options.resource, change(current));
          return;
        } catch (error) {
          if (!(error instanceof Error && error.name === 'ConflictError')) throw error;
        }
      }
    },
    setImage: (image, name = 'web') =>
      world.update(name, (w) => {
        const workload = w as unknown as WithTemplate;
        const [first, ...rest] = workload.spec.template.spec.containers;
        const containers = [{ ...first, name: first?.name ?? 'main', image }, ...rest];
        return { ...workload, spec: { ...workload.spec, template: { ...workload.spec.template, spec: { ...workload.spec.template.spec, containers } } } } as unknown as W;
      }),
    get: (name = 'web') => user.get(options.resource, inApps(name)),
    pods: async () => (await world.allPods()).filter((p) => p.metadata.deletionTimestamp === undefined),
    allPods: async () => (await user.list(Resources.Pod, { namespace: 'apps' })).items,
    pod: (name) => user.get(Resources.Pod, inApps(name)),
    patchPod: (name, body, subresource) => user.patch(Resources.Pod, inApps(name), { type: 'strategic', body } satisfies Patch, subresource === undefined ? {} : { subresource }),
    async markKruisePodReady() {
      const gated = (await world.pods()).filter((p) => (p.spec.readinessGates ?? []).some((g) => g.conditionType === KRUISE_POD_READY_CONDITION) && podCondition(p, KRUISE_POD_READY_CONDITION) === undefined);
      for (const pod of gated) await world.patchPod(pod.metadata.name ?? '', { status: { conditions: [{ type: KRUISE_POD_READY_CONDITION, status: 'True' }] } }, 'status');
      return namesOf(gated);
    },
    writes: (filter = {}) => cluster.faults.writes({ ...filter, fieldManager: CONTROLLER_FIELD_MANAGER }),
    async until(condition, steps = 600) {
      for (let i = 0; i < steps; i++) {
        await step(100);
        if (await condition()) return;
      }
      throw new Error(`condition not reached in ${String(steps)} steps of 100 ms`);
    },
    async poke(name = 'web') {
      const before = await world.reconciles();
      const poke = String(++pokes);
      await world.update(name, (w) => ({ ...w, metadata: { ...w.metadata, annotations: { ...w.metadata.annotations, 'example.com/poke': poke } } }));
      await world.until(async () => (await world.reconciles()) > before);
    },
    async idle(ms) {
      for (let left = ms; left > 0; left -= 100) await step(Math.min(100, left));
    },
    async reconciles() {
      return world.metric('controller_runtime_reconcile_total');
    },
    async metric(name, labels = {}) {
      const metric = await registry.getSingleMetric(name)?.get();
      const matching = (metric?.values ?? []).filter((v) => Object.entries(labels).every(([k, value]) => v.labels[k] === value));
      return matching.reduce((sum, v) => sum + v.value, 0);
    },
    follow<T extends KubeObject>(type: ResourceType<T>, onChange: (changed: T, all: readonly T[]) => void) {
      const stop = new AbortController();
      const halt = (): void => {
        stop.abort();
      };
      followers.signal.addEventListener('abort', halt, { once: true });
      const objects = new Map<string, T>();
      void (async () => {
        const list = await user.list(type, { namespace: 'apps' });
        for (const item of list.items) objects.set(item.metadata.name ?? '', item);
        for (const item of list.items) onChange(item, [...objects.values()]);
        let resourceVersion = list.resourceVersion;
        while (!stop.signal.aborted) {
          for await (const event of user.watch(type, { namespace: 'apps', resourceVersion, signal: stop.signal, allowWatchBookmarks: false })) {
            if (event.type === 'BOOKMARK') continue;
            const name = event.object.metadata.name ?? '';
            resourceVersion = event.object.metadata.resourceVersion ?? resourceVersion;
            if (event.type === 'DELETED') objects.delete(name);
            else objects.set(name, event.object);
            onChange(event.object, [...objects.values()]);
          }
        }
      })().catch(() => undefined);
      return halt;
    },
    async close() {
      followers.abort();
      abort.abort();
      await running.catch(() => undefined);
      await controller.stop();
      await cluster.close();
    },
  };
  return world;
}
