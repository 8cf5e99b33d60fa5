import type { CloneSet, Pod } from '@kruise-ts/core';
import { aCloneSet, type CloneSetOptions } from '@kruise-ts/core/testing';
import { Resources, createMemoryCluster, createSharedInformerFactory, type KubeEvent, type KubeObject, type MemoryCluster, type MemoryClusterOptions } from '@kruise-ts/k8s-adapter';
import { Registry } from 'prom-client';
import { createLogger } from '../runtime/logger.js';
import { createRuntimeMetrics } from '../runtime/metrics.js';
import { createCloneSetController, type CloneSetController } from './createCloneSetController.js';

/** A pod as the memory cluster returns it. */
export type PodObject = Pod & KubeObject;
/** A CloneSet as the memory cluster returns it. */
export type CloneSetObject = CloneSet & KubeObject;

/** A memory cluster with the CloneSet controller running on it, for controller-level tests. */
export interface CloneSetWorld {
  readonly cluster: MemoryCluster;
  readonly controller: CloneSetController;
  /** Events the controller recorded, in order. */
  readonly events: KubeEvent[];
  /** The metrics registry the controller reports to. */
  readonly registry: Registry;
  /** Creates a CloneSet in namespace `apps` from builder options (name `web` by default). */
  create(options: CloneSetOptions): Promise<CloneSetObject>;
  /** Changes the CloneSet's spec (read, change, replace; retried on conflict). */
  update(name: string, change: (cloneSet: CloneSetObject) => CloneSetObject): Promise<void>;
  get(name?: string): Promise<CloneSetObject>;
  /** Pods of namespace `apps`, not terminating. */
  pods(): Promise<PodObject[]>;
  /** Lets the controller, the kubelet and the watches run, moving the fake clock 100 ms a step, until `condition` holds. */
  until(condition: () => Promise<boolean> | boolean, steps?: number): Promise<void>;
  /** Lets everything run for `ms` of fake time. */
  idle(ms: number): Promise<void>;
  /** Reconciles the controller finished so far (`controller_runtime_reconcile_total`). */
  reconciles(): Promise<number>;
  close(): Promise<void>;
}

/** Options of {@link startCloneSetWorld}. */
export interface CloneSetWorldOptions extends MemoryClusterOptions {
  /** Feature gates of the controller (OpenKruise defaults otherwise). */
  readonly featureGates?: Readonly<Record<string, boolean>>;
  /** Log level of the controller (default silent). */
  readonly logLevel?: 'debug' | 'info' | 'warn' | 'silent';
}

/**
 * Returns a memory cluster (3 nodes by default) with the CloneSet CRD served and the CloneSet
 * controller running, instance ids drawn from a counter so runs repeat.
 */
export async function startCloneSetWorld(options: CloneSetWorldOptions = {}): Promise<CloneSetWorld> {
  const cluster = await createMemoryCluster({ nodes: 3, ...options });
  cluster.registerResource(Resources.CloneSet, { scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.labelSelector' } });
  await cluster.client.create(Resources.Namespace, { metadata: { name: 'apps' } });
  const events: KubeEvent[] = [];
  const registry = new Registry();
  let next = 0;
  const informers = createSharedInformerFactory(cluster.client, { clock: cluster.clock });
  const controller = createCloneSetController({
    client: cluster.client,
    clock: cluster.clock,
    informers,
    events: { emit: (e) => events.push(e) },
    logger: createLogger({ level: options.logLevel ?? 'silent' }),
    metrics: createRuntimeMetrics(registry),
    featureGates: (options.featureGates ?? {}),
    namespace: 'apps',
    instanceIdSuffix: () => `i${String(next++).padStart(4, '0')}`,
  });
  const abort = new AbortController();
  const running = controller.controller.start(abort.signal);
  const step = async (ms: number): Promise<void> => {
    await cluster.settle();
    await cluster.clock.advance(ms);
    await cluster.settle();
  };
  const world: CloneSetWorld = {
    cluster,
    controller,
    events,
    registry,
    async create(cs) {
      const object = aCloneSet({ namespace: 'apps', ...cs }) as CloneSetObject;
      return cluster.client.create(Resources.CloneSet, object);
    },
    async update(name, change) {
      for (;;) {
        const current = await cluster.client.get(Resources.CloneSet, { name, namespace: 'apps' });
        try {
          await cluster.client.replace(Resources.CloneSet, change(current));
          return;
        } catch (error) {
          if (!(error instanceof Error && error.name === 'ConflictError')) throw error;
        }
      }
    },
    get: (name = 'web') => cluster.client.get(Resources.CloneSet, { name, namespace: 'apps' }),
    pods: async () => (await cluster.client.list(Resources.Pod, { namespace: 'apps' })).items.filter((p) => p.metadata.deletionTimestamp === undefined),
    async until(condition, steps = 600) {
      for (let i = 0; i < steps; i++) {
        await step(100);
        if (await condition()) return;
      }
      throw new Error('condition not reached');
    },
    async idle(ms) {
      for (let left = ms; left > 0; left -= 100) await step(Math.min(100, left));
    },
    async reconciles() {
      const metric = await registry.getSingleMetric('controller_runtime_reconcile_total')?.get();
      return (metric?.values ?? []).reduce((sum, v) => sum + v.value, 0);
    },
    async close() {
      abort.abort();
      await running.catch(() => undefined);
      await controller.stop();
      await cluster.close();
    },
  };
  return world;
}
