import { NotFoundError } from '../errors.js';
import type { KubeClient } from '../ports.js';
import { Resources, type Node } from '../resourceType.js';
import type { BackgroundWork } from './backgroundWork.js';
import { isJsonObject, type JsonObject, text } from './jsonValue.js';
import type { StoredEvent } from './memoryStore.js';
import { formatTime } from './objectValidation.js';
import { metaOf, type ClusterCore } from './writePipeline.js';

/** A simulated node, as `startTestCluster` takes them. */
export interface MemoryNodeSpec {
  /** Default `kwok-node-<i>`. */
  readonly name?: string;
  /** Extra labels (`kubernetes.io/hostname`, `type: kwok` and the os/arch labels are always set). */
  readonly labels?: Readonly<Record<string, string>>;
  /** Sets `topology.kubernetes.io/zone`. */
  readonly zone?: string;
  /** Allocatable and capacity (default cpu 32, memory 256Gi, pods 1k). */
  readonly allocatable?: Readonly<Record<string, string>>;
}

/**
 * The annotation every simulated node carries (`kwok.x-k8s.io/node: fake`); the test cluster's kwok
 * manages only the nodes that have it, so a real kubelet's node can join the same cluster.
 */
export const KWOK_NODE_ANNOTATION = 'kwok.x-k8s.io/node';

/** Returns the Node object of a spec, labelled and annotated as the test cluster harness does. */
export function nodeObject(spec: MemoryNodeSpec, index: number): Node {
  const name = spec.name ?? `kwok-node-${text(index)}`;
  return {
    metadata: {
      name,
      annotations: { [KWOK_NODE_ANNOTATION]: 'fake' },
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        type: 'kwok',
        ...(spec.zone === undefined ? {} : { 'topology.kubernetes.io/zone': spec.zone }),
        ...spec.labels,
      },
    },
    spec: {},
    status: spec.allocatable === undefined ? {} : { allocatable: { ...spec.allocatable }, capacity: { ...spec.allocatable } },
  };
}

const DEFAULT_RESOURCES = { cpu: '32', memory: '256Gi', pods: '1k' };
const CONDITIONS: readonly [string, string, string, string][] = [
  ['Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'],
  ['MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
  ['DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
  ['PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
  ['NetworkUnavailable', 'False', 'RouteCreated', 'RouteController created a route'],
];
const KWOK_VERSION = 'kwok-0.8.0';

/** Returns whether a node's Ready condition is True. */
export function isNodeReady(node: JsonObject): boolean {
  const conditions = isJsonObject(node.status) && Array.isArray(node.status.conditions) ? node.status.conditions : [];
  return conditions.some((c) => isJsonObject(c) && c.type === 'Ready' && c.status === 'True');
}

/** Returns the InternalIP address of a node, if it has one. */
export function nodeInternalIp(node: JsonObject | undefined): string | undefined {
  const addresses = node !== undefined && isJsonObject(node.status) && Array.isArray(node.status.addresses) ? node.status.addresses : [];
  const internal = addresses.find((a) => isJsonObject(a) && a.type === 'InternalIP');
  return isJsonObject(internal) && typeof internal.address === 'string' ? internal.address : undefined;
}

/**
 * Returns the stop function of the node simulation, which it starts (kwok's `node-initialize` stage, then the node lifecycle
 * controller): every Node that is not Ready gets Ready conditions, addresses (InternalIP
 * 192.168.0.<n> in order of appearance, Hostname), capacity and allocatable (kept when set),
 * node info and phase Running; then its `node.kubernetes.io/not-ready` taint is removed.
 */
export function startNodeSimulator(core: ClusterCore, client: KubeClient, work: BackgroundWork): () => void {
  const ips = new Map<string, string>();
  const ignoreMissing = (error: unknown): void => {
    if (!(error instanceof NotFoundError)) throw error;
  };

  async function initialize(name: string): Promise<void> {
    const node = core.store.get('/nodes', undefined, name);
    if (node === undefined) return;
    const status = isJsonObject(node.status) ? node.status : {};
    if (!isNodeReady(node)) {
      const now = formatTime(core.clock.now());
      const ip = ips.get(name) ?? `192.168.0.${text(ips.size + 1)}`;
      ips.set(name, ip);
      const body = {
        status: {
          conditions: CONDITIONS.map(([type, value, reason, message]) => ({ lastHeartbeatTime: now, lastTransitionTime: now, message, reason, status: value, type })),
          addresses: [
            { address: ip, type: 'InternalIP' },
            { address: name, type: 'Hostname' },
          ],
          allocatable: isJsonObject(status.allocatable) ? status.allocatable : DEFAULT_RESOURCES,
          capacity: isJsonObject(status.capacity) ? status.capacity : DEFAULT_RESOURCES,
          daemonEndpoints: { kubeletEndpoint: { Port: 0 } },
          nodeInfo: {
            machineID: '',
            systemUUID: '',
            bootID: '',
            kernelVersion: KWOK_VERSION,
            osImage: '',
            containerRuntimeVersion: KWOK_VERSION,
            kubeletVersion: KWOK_VERSION,
            kubeProxyVersion: KWOK_VERSION,
            operatingSystem: 'linux',
            architecture: 'amd64',
          },
          phase: 'Running',
        },
      };
      await client.patch(Resources.Node, { name }, { type: 'strategic', body }, { subresource: 'status', fieldManager: 'kwok' }).catch(ignoreMissing);
    }
    const latest = core.store.get('/nodes', undefined, name);
    const taints = latest !== undefined && isJsonObject(latest.spec) && Array.isArray(latest.spec.taints) ? latest.spec.taints : [];
    const kept = taints.filter((t) => !(isJsonObject(t) && t.key === 'node.kubernetes.io/not-ready'));
    if (latest !== undefined && isNodeReady(latest) && kept.length !== taints.length) {
      await client.patch(Resources.Node, { name }, { type: 'merge', body: { spec: { taints: kept.length === 0 ? null : kept } } }, { fieldManager: 'kube-controller-manager' }).catch(ignoreMissing);
    }
  }

  const onEvent = (event: StoredEvent): void => {
    if (event.resource !== '/nodes' || event.type === 'DELETED') return;
    const name = text(metaOf(event.object).name);
    const taints = isJsonObject(event.object.spec) && Array.isArray(event.object.spec.taints) ? event.object.spec.taints : [];
    const tainted = taints.some((t) => isJsonObject(t) && t.key === 'node.kubernetes.io/not-ready');
    if (!isNodeReady(event.object) || tainted) work.enqueue(`node/${name}`, () => initialize(name));
  };
  return core.store.subscribe(onEvent);
}
