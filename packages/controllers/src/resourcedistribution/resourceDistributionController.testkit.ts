import type { ResourceDistribution } from '@kruise-ts/core';
import { aResourceDistribution, type ResourceDistributionOptions } from '@kruise-ts/core/testing';
import { KruiseResources, Resources, createMemoryCluster, createSharedInformerFactory, type KubeClient, type KubeObject, type MemoryCluster } from '@kruise-ts/k8s-adapter';
import { Registry } from 'prom-client';
import type { RunningController } from '../runtime/controllerDeps.js';
import { createLogger } from '../runtime/logger.js';
import { createRuntimeMetrics } from '../runtime/metrics.js';
import { USER_FIELD_MANAGER, type RecordedEvent } from '../workload/workloadWorld.testkit.js';
import { createResourceDistributionController } from './createResourceDistributionController.js';

/** A ResourceDistribution as the memory cluster returns it. */
export type ResourceDistributionObject = ResourceDistribution & KubeObject;
/** A Secret or ConfigMap as the memory cluster returns it. */
export type DataObject = KubeObject & { data?: Record<string, string> };

/** A memory cluster serving ResourceDistributions, with their controller running. */
export interface ResourceDistributionWorld {
  readonly cluster: MemoryCluster;
  /** A client writing as a user (`kubectl`). */
  readonly user: KubeClient;
  readonly events: RecordedEvent[];
  /** Creates a namespace with labels. */
  namespace(name: string, labels?: Readonly<Record<string, string>>): Promise<void>;
  /** Replaces the labels of a namespace. */
  label(name: string, labels: Readonly<Record<string, string>>): Promise<void>;
  /** Creates a distribution from builder options (its uid is the cluster's). */
  create(options: ResourceDistributionOptions): Promise<ResourceDistributionObject>;
  /** Changes the spec of distribution `name`. */
  update(name: string, change: (rd: ResourceDistributionObject) => ResourceDistributionObject): Promise<void>;
  get(name?: string): Promise<ResourceDistributionObject>;
  /** The Secret `name` in each namespace that has one, by namespace. */
  secrets(name?: string): Promise<Record<string, DataObject>>;
  /** Runs the cluster and the controller, 100 ms of fake time a step, until `condition` holds. */
  until(condition: () => Promise<boolean> | boolean, steps?: number): Promise<void>;
  close(): Promise<void>;
}

/** Returns a memory cluster (no nodes) serving ResourceDistributions, with the controller running on its fake clock. */
export async function startResourceDistributionWorld(): Promise<ResourceDistributionWorld> {
  const cluster = await createMemoryCluster({ nodes: 0 });
  cluster.registerResource(KruiseResources.ResourceDistribution);
  const user = cluster.clientFor(USER_FIELD_MANAGER);
  const events: RecordedEvent[] = [];
  const informers = createSharedInformerFactory(cluster.client, { clock: cluster.clock });
  const controller: RunningController = createResourceDistributionController({
    client: cluster.client,
    clock: cluster.clock,
    informers,
    events: { emit: (e) => events.push({ ...e, at: cluster.clock.now() }) },
    logger: createLogger({ level: 'silent' }),
    metrics: createRuntimeMetrics(new Registry()),
  });
  const abort = new AbortController();
  const running = controller.controller.start(abort.signal);
  const world: ResourceDistributionWorld = {
    cluster,
    user,
    events,
    async namespace(name, labels = {}) {
      await user.create(Resources.Namespace, { metadata: { name, labels: { ...labels } } });
    },
    async label(name, labels) {
      const ns = await user.get(Resources.Namespace, { name });
      await user.replace(Resources.Namespace, { ...ns, metadata: { ...ns.metadata, labels: { ...labels } } });
    },
    async create(options) {
      const { metadata, ...rest } = aResourceDistribution(options);
      const { uid: _uid, ...kept } = metadata ?? {};
      return user.create(KruiseResources.ResourceDistribution, { ...rest, metadata: kept } as ResourceDistributionObject);
    },
    async update(name, change) {
      for (;;) {
        const current = await user.get(KruiseResources.ResourceDistribution, { name });
        try {
          await user.replace(KruiseResources.ResourceDistribution, change(current));
          return;
        } catch (error) {
          if (!(error instanceof Error && error.name === 'ConflictError')) throw error;
        }
      }
    },
    get: (name = 'rd-creds') => user.get(KruiseResources.ResourceDistribution, { name }),
    async secrets(name = 'creds') {
      const items = (await user.list(Resources.Secret)).items.filter((s) => s.metadata.name === name);
      return Object.fromEntries(items.map((s) => [s.metadata.namespace ?? '', s as DataObject]));
    },
    async until(condition, steps = 300) {
      for (let i = 0; i < steps; i++) {
        await cluster.settle();
        await cluster.clock.advance(100);
        await cluster.settle();
        if (await condition()) return;
      }
      throw new Error(`condition not reached in ${String(steps)} steps of 100 ms`);
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
