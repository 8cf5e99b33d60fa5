import type { KubeClient } from '../ports.js';
import { Resources, type ResourceType } from '../resourceType.js';
import { createBackgroundWork } from './backgroundWork.js';
import { startCrdController } from './crdController.js';
import { createFakeClock, type FakeClock, type FakeClockOptions } from './fakeClock.js';
import { createFaultInjector, type ClusterFaults } from './faultInjector.js';
import { startGarbageCollector } from './garbageCollector.js';
import { checkImageDigests } from './imageDigests.js';
import { createIdSource } from './idSource.js';
import { startKubelet, type KubeletOptions, type SimulatedKubelet } from './kubelet.js';
import { createMemoryClient } from './memoryClient.js';
import { createMemoryStore } from './memoryStore.js';
import { startNamespaceController } from './namespaceController.js';
import { nodeObject, startNodeSimulator, type MemoryNodeSpec } from './nodeSimulator.js';
import { createResourceRegistry, resourceKey, type RegisterResourceOptions } from './resourceRegistry.js';
import { startScheduler } from './scheduler.js';
import { createObject, type ClusterCore } from './writePipeline.js';

/** Options of {@link createMemoryCluster}. */
export interface MemoryClusterOptions {
  /** Simulated nodes: a count (zones `zone-a`, `zone-b`, `zone-c` round-robin, as the test cluster) or specs. Default 1. */
  readonly nodes?: number | readonly MemoryNodeSpec[];
  /** A clock to use, or options of the fake clock to create (manual by default). */
  readonly clock?: FakeClock | FakeClockOptions;
  /** Seed of uids and generated names (default 0): the same seed gives the same identifiers. */
  readonly seed?: string | number;
  /** Field manager of the client's writes (default `kruise-ts`). */
  readonly fieldManager?: string;
  readonly kubelet?: KubeletOptions;
  /** Run the simple scheduler (default true). */
  readonly scheduler?: boolean;
  /** Fake-clock interval of BOOKMARK events on watches that allow them (default: only the initial one). */
  readonly bookmarkIntervalMs?: number;
  /** Events kept for watches from a resourceVersion (default 10 000); older ones answer 410 Gone. */
  readonly historyLimit?: number;
}

/** An in-memory Kubernetes API with simulated nodes. Always `close()` it (or `await using`). */
export interface MemoryCluster {
  /** A client of the cluster, the same port as `createKubeClient` gives for a real one. */
  readonly client: KubeClient;
  /** The cluster's time: creation timestamps, kubelet delays, watch timeouts. */
  readonly clock: FakeClock;
  /** Names of the simulated nodes added so far. */
  readonly nodes: readonly string[];
  /** Controls of the simulated kubelet. */
  readonly kubelet: SimulatedKubelet;
  /** Returns a client writing as another field manager (e.g. `kubectl`). */
  readonly clientFor: (fieldManager: string) => KubeClient;
  /** Serves a kind (custom resources: status subresource and generation by default). Creating a CRD through the client does this too. */
  readonly registerResource: (type: ResourceType, options?: RegisterResourceOptions) => void;
  /** Adds a simulated node and resolves with its name once it is Ready. */
  readonly addNode: (spec?: MemoryNodeSpec) => Promise<string>;
  /** Resolves once the cluster's controllers (kubelet, scheduler, GC...) have nothing left to do now. */
  readonly settle: () => Promise<void>;
  /** Forgets the watch history: watches from an older resourceVersion then fail with 410 Gone. */
  readonly compact: () => void;
  /**
   * Injected API faults (failed writes, lost or late watch events) and a tally of write requests,
   * for every client of the cluster; the simulated kubelet, scheduler and GC are spared unless a
   * rule names them. See {@link ClusterFaults}.
   *
   * @example
   * ```ts
   * // The controller's next status write of CloneSet web times out after being applied: the
   * // status is stored and watchers see it, but the controller gets a TransportError.
   * cluster.faults.failWrites({ resource: 'clonesets', subresource: 'status', name: 'web', error: 'timeout-after' });
   * // The 3rd pod create answers 429 (retryAfterSeconds 1), then creates go through.
   * cluster.faults.failWrites({ resource: 'pods', verb: 'create', error: 'too-many-requests', nth: 3 });
   * // Pod changes reach watchers 2 s of the fake clock late.
   * cluster.faults.delayWatchEvents({ resource: 'pods', ms: 2000, times: Infinity });
   * cluster.faults.writes({ resource: 'pods', verb: 'create' }); // { succeeded: 4, failed: 1, rows: [...] } after 5 creates
   * ```
   */
  readonly faults: ClusterFaults;
  /** Stops the controllers and the clock. */
  readonly close: () => Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

function specsOf(nodes: MemoryClusterOptions['nodes']): MemoryNodeSpec[] {
  if (typeof nodes === 'object') return [...nodes];
  const zones = ['zone-a', 'zone-b', 'zone-c'];
  return Array.from({ length: nodes ?? 1 }, (_, i) => ({ zone: zones[i % zones.length] ?? 'zone-a' }));
}

/**
 * Returns an in-memory cluster with Kubernetes semantics, checked against a real kube-apiserver
 * by the adapter's contract suite: one resourceVersion counter, optimistic concurrency, status
 * and scale subresources, generation, label and field selectors, every patch type, watches from a
 * resourceVersion, finalizers, graceful pod deletion, ownerReference garbage collection,
 * namespaces; plus simulated nodes, a kubelet (kwok's stages), a scheduler, and a fake clock.
 * Deterministic: uids, names and pod IPs come from counters, time from the clock.
 *
 * @example
 * ```ts
 * await using cluster = await createMemoryCluster({ nodes: 3 });
 * await cluster.client.create(Resources.Pod, pod);
 * await cluster.clock.advance(1000); // the kubelet starts it: Running and Ready
 * ```
 */
export async function createMemoryCluster(options: MemoryClusterOptions = {}): Promise<MemoryCluster> {
  // Checked before anything starts, so a bad option leaves nothing running.
  if (options.kubelet?.imageDigests !== undefined) checkImageDigests(options.kubelet.imageDigests);
  const clock = options.clock !== undefined && 'advance' in options.clock ? options.clock : createFakeClock(options.clock ?? {});
  const core: ClusterCore = { store: createMemoryStore(options.historyLimit), registry: createResourceRegistry(), clock, ids: createIdSource(options.seed ?? 0) };
  const work = createBackgroundWork();
  const closing = new AbortController();
  const faults = createFaultInjector();
  // Decide the fate of each change as it is committed, before any watch sees it, so that rules
  // count stored changes whether or not someone watches.
  const unsubscribeFaults = core.store.subscribe((event) => faults.watchDelivery(event));
  const watch = { bookmarkIntervalMs: options.bookmarkIntervalMs, closed: closing.signal, delivery: faults.watchDelivery };
  const clientFor = (fieldManager: string): KubeClient => createMemoryClient(core, { fieldManager, watch, interceptWrite: faults.interceptWrite });
  const client = clientFor(options.fieldManager ?? 'kruise-ts');
  const system = clientFor('kube-apiserver');
  const register = (type: ResourceType, o?: RegisterResourceOptions): void => {
    const key = core.registry.register(type, o);
    core.store.markServed(key);
  };
  for (const name of SYSTEM_NAMESPACES) {
    const ctx = { request: { verb: 'POST', path: '/api/v1/namespaces' }, behaviour: core.registry.find(Resources.Namespace) ?? fail(), manager: 'kube-apiserver', subresource: undefined, dryRun: false };
    createObject(core, ctx, { metadata: { name } });
  }
  for (const behaviour of core.registry.all()) core.store.markServed(resourceKey(behaviour.type));
  const stops = [
    startGarbageCollector(core, clientFor('generic-garbage-collector'), work),
    startNamespaceController(core, clientFor('namespace-controller'), work),
    startCrdController(core, system, work, register),
    startNodeSimulator(core, clientFor('kwok'), work),
    ...(options.scheduler === false ? [] : [startScheduler(core, work, faults.interceptWrite)]),
    unsubscribeFaults,
  ];
  const kubelet = startKubelet(core, clientFor('kwok'), work, options.kubelet ?? {}, closing.signal);
  const nodes: string[] = [];

  const settle = async (): Promise<void> => {
    await clock.flush();
    await work.idle();
  };
  const addNode = async (spec: MemoryNodeSpec = {}): Promise<string> => {
    const node = nodeObject(spec, nodes.length);
    const created = await client.create(Resources.Node, node, { fieldManager: 'kruise-ts-test' });
    const name = created.metadata.name ?? '';
    nodes.push(name);
    await settle();
    return name;
  };
  const close = async (): Promise<void> => {
    closing.abort();
    work.close();
    kubelet.stop();
    for (const stop of stops) stop();
    if (options.clock === undefined || !('advance' in options.clock)) clock.dispose();
    await Promise.resolve();
  };
  for (const spec of specsOf(options.nodes)) await addNode(spec);

  return {
    client,
    clock,
    get nodes() {
      return [...nodes];
    },
    kubelet,
    clientFor,
    registerResource: register,
    addNode,
    settle,
    compact: () => {
      core.store.compact();
    },
    faults,
    close,
    [Symbol.asyncDispose]: close,
  };
}

function fail(): never {
  throw new Error('the memory cluster has no Namespace kind');
}
