/**
 * Where the demo runs: the embedded in-memory cluster (default), or a real cluster from a
 * kubeconfig. Either way the demo gets a namespace of its own and the CloneSet controller running
 * in this process, and `close()` undoes everything.
 */
import { fileURLToPath } from 'node:url';
import {
  KruiseResources,
  NotFoundError,
  Resources,
  createKubeClient,
  createFakeClock,
  createMemoryCluster,
  kruiseCrdName,
  loadKubeConfig,
  systemClock,
  type Clock,
  type KubeClient,
  type KubeConfig,
} from '@kruise-ts/k8s-adapter';
import { installCrds } from '@kruise-ts/k8s-adapter/testing';
import { startManager, type RunningManager } from './startManager.js';

/** The CloneSet CRD the manager ships (deploy/crds). */
export const CLONESET_CRD_FILE = fileURLToPath(new URL('../../deploy/crds/apps.kruise.io_clonesets.yaml', import.meta.url));

/** Options of {@link openDemoCluster}. */
export interface DemoClusterOptions {
  /** Kubeconfig of a real cluster; omitted = the in-memory cluster. An empty string = client-go's default lookup. */
  readonly kubeconfig?: string | undefined;
  /** The in-memory namespace (the seed's); a real cluster gets a fresh `<namespace>-xxxxx`. */
  readonly namespace: string;
  /** Run the CloneSet controller in this process (default true); false when the cluster runs a manager already. */
  readonly startManager?: boolean | undefined;
  /** Append the manager's logs to this file. */
  readonly logFile?: string | undefined;
  /** In-memory kubelet: ms from a pod bound to a node to Running (default 300–700, per pod). */
  readonly startDelayMs?: number | undefined;
}

/** A cluster ready for the demo. */
export interface DemoCluster {
  readonly client: KubeClient;
  readonly clock: Clock;
  /** The demo's namespace, created for it. */
  readonly namespace: string;
  /** The cluster has a default StorageClass for the PVC template (the memory cluster needs none: its pods start without bound claims). */
  readonly provisionsVolumes: boolean;
  /** One line saying where the demo runs, e.g. `in-memory cluster, 3 nodes (kwok-node-0 …)`. */
  readonly description: string;
  /** What stopped the in-process controllers early, if anything did. */
  readonly managerFailure: () => Error | undefined;
  /** Stops the controllers, then closes the memory cluster or deletes the namespace. */
  close(): Promise<void>;
}

/** Returns the in-memory kubelet's start delay of a pod: 300–700 ms by the last letter of its name, so pods start one by one. */
const spreadStartDelay = (pod: { metadata?: unknown }): number => {
  const name = typeof pod.metadata === 'object' && pod.metadata !== null && 'name' in pod.metadata ? String(pod.metadata.name) : '';
  const last = name.length === 0 ? 0 : name.charCodeAt(name.length - 1);
  return 300 + (last % 5) * 100;
};

/**
 * Returns the demo's cluster. In memory: 3 simulated nodes, a fake clock moved with the wall clock
 * (the controller's timers and the kubelet's delays take real time, so the rollout can be
 * watched), the CloneSet CRD installed. Real: the CRD and at least one node must be there already (the demo
 * checks and says what is missing). Throws with a message naming the missing piece.
 */
export async function openDemoCluster(options: DemoClusterOptions): Promise<DemoCluster> {
  const base = options.kubeconfig === undefined ? await openMemory(options) : await openReal(options.kubeconfig, options.namespace);
  let manager: RunningManager | undefined;
  try {
    if (options.startManager !== false) manager = await startManager({ client: base.client, clock: base.clock, namespace: base.namespace, logFile: options.logFile });
  } catch (error) {
    await base.close();
    throw error;
  }
  return {
    ...base,
    description: `${base.description}; ${manager === undefined ? 'controllers: the cluster’s own manager' : 'controllers: kruise-ts-manager’s CloneSet controller, in this process'}`,
    managerFailure: () => manager?.failure(),
    async close() {
      try {
        await manager?.stop();
      } finally {
        await base.close();
      }
    },
  };
}

type BaseCluster = Omit<DemoCluster, 'managerFailure'>;

async function openMemory(options: DemoClusterOptions): Promise<BaseCluster> {
  const delay = options.startDelayMs;
  const clock = createFakeClock({ mode: 'realtime', start: Date.now() });
  const cluster = await createMemoryCluster({ nodes: 3, clock, kubelet: { startDelayMs: delay ?? spreadStartDelay } });
  const close = async (): Promise<void> => {
    await cluster.close();
    clock.dispose();
  };
  try {
    await installCrds(cluster.client, [CLONESET_CRD_FILE]);
    await cluster.client.create(Resources.Namespace, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: options.namespace } });
  } catch (error) {
    await close();
    throw error;
  }
  return {
    client: cluster.client,
    clock: cluster.clock,
    namespace: options.namespace,
    provisionsVolumes: true,
    description: `in-memory cluster (createMemoryCluster), ${cluster.nodes.length} nodes: ${cluster.nodes.join(', ')}`,
    close,
  };
}

async function openReal(kubeconfig: string, namespacePrefix: string): Promise<BaseCluster> {
  let config: KubeConfig;
  try {
    config = await loadKubeConfig(kubeconfig);
  } catch (error) {
    throw new Error(`cannot load the kubeconfig ${kubeconfig === '' ? '(default lookup)' : kubeconfig}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const client = createKubeClient(config, { fieldManager: 'kruise-ts-demo', userAgent: 'kruise-ts-demo' });
  const server = config.getCurrentCluster()?.server ?? '?';
  try {
    await client.get(Resources.CustomResourceDefinition, { name: kruiseCrdName(KruiseResources.CloneSet) });
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    throw new Error(`the cluster at ${server} has no CloneSet CRD; install it first: kubectl apply -f deploy/crds/apps.kruise.io_clonesets.yaml`, { cause: error });
  }
  const nodes = (await client.list(Resources.Node)).items;
  if (nodes.length === 0) throw new Error(`the cluster at ${server} has no nodes to run the demo's pods`);
  type StorageClassList = { items?: { metadata?: { annotations?: Record<string, string> } }[] };
  const classes = (await client.request('GET', '/apis/storage.k8s.io/v1/storageclasses').catch(() => ({}))) as StorageClassList;
  const provisionsVolumes = (classes.items ?? []).some((c) => c.metadata?.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true');
  const created = await client.create(Resources.Namespace, { apiVersion: 'v1', kind: 'Namespace', metadata: { generateName: `${namespacePrefix}-` } });
  const namespace = created.metadata.name ?? '';
  return {
    client,
    clock: systemClock(),
    namespace,
    provisionsVolumes,
    description: `cluster ${config.getCurrentContext()} at ${server}, ${nodes.length} node(s), namespace ${namespace} (deleted at the end)`,
    async close() {
      await client.delete(Resources.Namespace, { name: namespace }, { propagationPolicy: 'Background' }).catch((error: unknown) => {
        if (!(error instanceof NotFoundError)) throw error;
      });
    },
  };
}
