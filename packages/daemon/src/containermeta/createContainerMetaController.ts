import {
  CrrProbeHandlerSchema,
  RUNTIME_CONTAINERS_META_ANNOTATION,
  currentEnvFromMetadataHash,
  formatRuntimeContainerMetaSet,
  listEnvHashReads,
  planContainerMetaSync,
  readRuntimeContainerMetaSet,
  shouldSyncContainerMeta,
  type ContainerMetaRestart,
  type ContainerMetaRuntimeStatus,
  type Pod,
} from '@kruise-ts/core';
import { Resources, type KubeObject, type ObjectStore } from '@kruise-ts/k8s-adapter';
import type { ContainerInfo, ContainerRuntime } from '../cri/containerRuntime.js';
import { killContainer } from '../containerrecreate/killContainer.js';
import { KUBE_POD_UID_LABEL } from '../containerrecreate/planCrrDaemonSync.js';
import { createKeyedWorker } from '../createKeyedWorker.js';
import { runNodeLoop, type DaemonLoopOptions } from '../runNodeLoop.js';

type PodObject = Pod & KubeObject;

/** Options of {@link createContainerMetaController}. */
export interface ContainerMetaControllerOptions extends DaemonLoopOptions {
  readonly runtime: ContainerRuntime;
  /** Feature gate InPlaceUpdateEnvFromMetadata (default true, as OpenKruise's). */
  readonly envFromMetadata?: boolean | undefined;
  /** The runtime's name, the prefix of container ids in pod statuses (default `containerd`). */
  readonly runtimeName?: string | undefined;
}

/** The daemon's container meta loop for one node. */
export interface ContainerMetaController {
  /** Watches this node's pods, reports container meta and restarts containers until `signal` aborts. */
  run(signal: AbortSignal): Promise<void>;
  /** Whether the pod informer has listed. */
  isSynced(): boolean;
}

/** OpenKruise enqueues a pod 1 s after its event (kubelet status updates come in bursts). */
const ENQUEUE_DELAY_MS = 1000;

/** The newest runtime container of each name (highest attempt, then newest). */
function newestByName(containers: readonly ContainerInfo[], runtimeName: string): ContainerMetaRuntimeStatus[] {
  const newest = new Map<string, ContainerInfo>();
  for (const c of containers) {
    const seen = newest.get(c.name);
    if (seen === undefined || c.attempt > seen.attempt || (c.attempt === seen.attempt && c.createdAt > seen.createdAt)) newest.set(c.name, c);
  }
  return [...newest.values()].map((c) => ({ name: c.name, containerID: `${runtimeName}://${c.id}`, restartCount: c.attempt, running: c.state === 'CONTAINER_RUNNING' }));
}

/** Parses `env` output (`NAME=value` lines) into a map. */
function parseEnv(stdout: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of stdout.trim().split('\n')) {
    const at = line.trim().indexOf('=');
    if (at > 0) env[line.trim().slice(0, at)] = line.trim().slice(at + 1);
  }
  return env;
}

/**
 * Returns the daemon side of env-from-metadata in-place updates (OpenKruise's containermeta
 * controller and its restarter): an informer on this node's pods; a pod owned by an
 * `apps.kruise.io` workload (or injected by a SidecarSet) is synced when
 * {@link shouldSyncContainerMeta} says so. A sync lists the pod's containers in the runtime, reads
 * the env (`exec env`, 3 s) of containers it has no hash for, runs {@link planContainerMetaSync},
 * merge-patches `apps.kruise.io/runtime-containers-meta` through `pods/status` when it changed, and
 * stops each container to restart ({@link killContainer}: the pod's preStop and grace period, as the
 * kubelet restores them), recording a Normal `Killing` event; the kubelet starts it again with the
 * new env, and the manager's in-place update completes once the new id reports the expected hash.
 */
export function createContainerMetaController(options: ContainerMetaControllerOptions): ContainerMetaController {
  const { client, runtime, clock } = options;
  const runtimeName = options.runtimeName ?? 'containerd';
  const envFromMetadata = options.envFromMetadata ?? true;
  let synced = false;

  return {
    isSynced: () => synced,
    async run(signal) {
      let store: ObjectStore<PodObject> | undefined;
      const killing = new Set<string>();

      async function readEnvHash(pod: PodObject, name: string, containerID: string): Promise<[string, number] | undefined> {
        const spec = pod.spec.containers.find((c) => c.name === name);
        try {
          const result = await runtime.execSync(containerID.slice(containerID.indexOf('://') + 3), ['env'], 3, { signal });
          if (spec === undefined || result.exitCode !== 0) throw new Error(`env exited with ${String(result.exitCode)}: ${result.stderr.trim()}`);
          return [containerID, currentEnvFromMetadataHash(spec, parseEnv(result.stdout))];
        } catch (error) {
          options.log?.('warn', { pod: `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`, container: name, err: error instanceof Error ? error.message : String(error) }, 'reading the env of a container failed');
          return undefined;
        }
      }

      async function restart(pod: PodObject, target: ContainerMetaRestart, containers: readonly ContainerInfo[]): Promise<void> {
        const id = target.containerID.slice(target.containerID.indexOf('://') + 3);
        const info = containers.find((c) => c.id === id);
        // OpenKruise's restarter: only a container still running is stopped, once.
        if (info?.state !== 'CONTAINER_RUNNING' || killing.has(id)) return;
        killing.add(id);
        try {
          const spec = pod.spec.containers.find((c) => c.name === target.name);
          const preStop = CrrProbeHandlerSchema.safeParse((spec?.lifecycle as { preStop?: unknown } | undefined)?.preStop);
          options.events?.emit({ subject: { apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name ?? '', namespace: pod.metadata.namespace, uid: pod.metadata.uid }, type: 'Normal', reason: 'Killing', message: `Stopping containerID ${target.containerID} by container meta restarter` });
          const outcome = await killContainer(runtime, { id, podSandboxId: info.podSandboxId }, pod.spec.terminationGracePeriodSeconds ?? 30, preStop.success ? preStop.data : undefined, { now: () => clock.now(), signal });
          options.log?.('info', { pod: `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`, container: target.name, containerID: target.containerID, outcome: outcome.kind }, 'restarting a container for its env from metadata');
          if (outcome.kind === 'failed') throw new Error(outcome.message);
        } finally {
          killing.delete(id);
        }
      }

      async function sync(key: string): Promise<number | undefined> {
        const [namespace = '', name = ''] = key.split('/');
        const pod = store?.get({ namespace, name });
        if (pod === undefined || pod.metadata.deletionTimestamp !== undefined || (pod.status?.containerStatuses ?? []).length === 0) return undefined;
        if (!(pod.status?.containerStatuses ?? []).some((s) => (s.containerID ?? '') !== '')) return undefined;
        const containers = await runtime.listContainers({ labels: { [KUBE_POD_UID_LABEL]: pod.metadata.uid ?? '' } }, { signal });
        const statuses = newestByName(containers, runtimeName);
        const reads = await Promise.all(listEnvHashReads(pod, statuses, envFromMetadata).map((r) => readEnvHash(pod, r.name, r.containerID)));
        const plan = planContainerMetaSync({ pod, runtime: statuses, envHashes: Object.fromEntries(reads.filter((r) => r !== undefined)), envFromMetadata });
        if (plan.changed) {
          const text = formatRuntimeContainerMetaSet(plan.metaSet);
          options.log?.('info', { pod: key, meta: text }, 'reporting container meta');
          await client.patch(Resources.Pod, { namespace, name }, { type: 'merge', body: { metadata: { annotations: { [RUNTIME_CONTAINERS_META_ANNOTATION]: text } } } }, { subresource: 'status', signal });
        }
        for (const target of plan.restarts) await restart(pod, target, containers);
        return plan.requeueAfterMs;
      }

      const worker = createKeyedWorker({
        clock,
        signal,
        sync: async (key) => {
          const requeue = await sync(key);
          if (requeue !== undefined) worker.later(key, requeue);
        },
        onError: (key, error) => { options.log?.('warn', { pod: key, err: error instanceof Error ? error.message : String(error) }, 'container meta sync failed; retrying'); },
      });

      await runNodeLoop(options, {
        type: Resources.Pod,
        select: { fieldSelector: `spec.nodeName=${options.nodeName}` },
        onStart: (cache) => { store = cache; },
        onEvent: (event) => {
          if (event.type === 'deleted') return;
          const pod = event.object;
          if (pod.metadata.deletionTimestamp !== undefined || (pod.status?.containerStatuses ?? []).length === 0) return;
          // OpenKruise's AddFunc: pods that never had meta are left alone until they change.
          if (event.type === 'added' && readRuntimeContainerMetaSet(pod) === undefined) return;
          if (shouldSyncContainerMeta(event.type === 'updated' ? event.previous : undefined, pod, envFromMetadata)) worker.later(`${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`, ENQUEUE_DELAY_MS);
        },
        onSynced: () => { synced = true; },
        onStop: () => worker.settle(),
      }, signal);
    },
  };
}
