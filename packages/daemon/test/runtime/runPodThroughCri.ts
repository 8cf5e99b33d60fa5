import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectCri } from './criCall.js';
import type { TestContainerd } from './startContainerd.js';

/** One container of a {@link PodThroughCriSpec}. */
export interface CriContainerSpec {
  readonly name: string;
  /** Image reference; pulled through CRI first when containerd does not have it. */
  readonly image: string;
  /** Overrides the image entrypoint, e.g. `['/bin/sh', '-c', 'echo hi; sleep 3600']`. */
  readonly command?: readonly string[];
  readonly args?: readonly string[];
}

/** A pod to run the way a kubelet does (sandbox, then each container created and started). */
export interface PodThroughCriSpec {
  readonly name: string;
  /** Default `default`. */
  readonly namespace?: string;
  /** Default a random UUID. */
  readonly uid?: string;
  /** Share the node's network namespace instead of a CNI network (`hostNetwork: true`). */
  readonly hostNetwork?: boolean;
  readonly containers: readonly CriContainerSpec[];
  /** Credentials for pulling the containers' images, when missing. */
  readonly auth?: { readonly username: string; readonly password: string };
}

/** A running pod sandbox and its containers. */
export interface PodThroughCri {
  readonly podSandboxId: string;
  /** The pod IP CNI gave the sandbox (`''` with hostNetwork). */
  readonly ip: string;
  /** Container id by container name. */
  readonly containerIds: Readonly<Record<string, string>>;
  /** What container `name` (attempt 0) wrote to stdout/stderr so far, in CRI log format. */
  logs(name: string): string;
  /** StopPodSandbox + RemovePodSandbox (the containers go with it). Idempotent. */
  remove(): Promise<void>;
}

/**
 * Runs a pod on containerd through the CRI RuntimeService as a kubelet would: RunPodSandbox
 * (pause image, CNI bridge network or host network), then per container PullImage when missing,
 * CreateContainer (with the kubelet's `io.kubernetes.*` labels, so container lookups by pod work as
 * on a real node) and StartContainer. `runPodThroughCri(containerd, { name: 'web', containers:
 * [{ name: 'app', image }] })` → `{ podSandboxId, ip: '10.137.4.2', containerIds: { app: '65d4…' } }`.
 */
export async function runPodThroughCri(containerd: TestContainerd, spec: PodThroughCriSpec): Promise<PodThroughCri> {
  if (spec.containers.length === 0) throw new Error(`runPodThroughCri ${spec.name}: containers must not be empty`);
  const cri = connectCri(containerd.socket);
  const namespace = spec.namespace ?? 'default';
  const uid = spec.uid ?? randomUUID();
  const logDirectory = join(containerd.dir, 'pods', `${namespace}_${spec.name}_${uid}`);
  mkdirSync(logDirectory, { recursive: true });
  const podLabels = { 'io.kubernetes.pod.name': spec.name, 'io.kubernetes.pod.namespace': namespace, 'io.kubernetes.pod.uid': uid };
  const config = {
    metadata: { name: spec.name, namespace, uid, attempt: 0 },
    hostname: spec.name,
    logDirectory,
    labels: podLabels,
    linux: { securityContext: { namespaceOptions: { network: spec.hostNetwork === true ? 'NODE' : 'POD', pid: 'CONTAINER', ipc: 'POD' } } },
  };
  let podSandboxId: string | undefined;
  let removed = false;
  const remove = async (): Promise<void> => {
    if (removed || podSandboxId === undefined) return;
    removed = true;
    try {
      await cri.call('RuntimeService', 'StopPodSandbox', { podSandboxId });
      await cri.call('RuntimeService', 'RemovePodSandbox', { podSandboxId });
    } finally {
      cri.close();
    }
  };
  try {
    podSandboxId = (await cri.call<{ podSandboxId: string }>('RuntimeService', 'RunPodSandbox', { config })).podSandboxId;
    const containerIds: Record<string, string> = {};
    for (const container of spec.containers) {
      const status = await cri.call<{ image: { id: string } | null }>('ImageService', 'ImageStatus', { image: { image: container.image } });
      if (status.image === null || status.image.id === '') {
        await cri.call('ImageService', 'PullImage', { image: { image: container.image }, auth: spec.auth, sandboxConfig: config }, 120_000);
      }
      mkdirSync(join(logDirectory, container.name), { recursive: true });
      const created = await cri.call<{ containerId: string }>('RuntimeService', 'CreateContainer', {
        podSandboxId,
        config: {
          metadata: { name: container.name, attempt: 0 },
          image: { image: container.image },
          command: container.command ?? [],
          args: container.args ?? [],
          logPath: `${container.name}/0.log`,
          labels: { ...podLabels, 'io.kubernetes.container.name': container.name },
        },
        sandboxConfig: config,
      });
      await cri.call('RuntimeService', 'StartContainer', { containerId: created.containerId });
      containerIds[container.name] = created.containerId;
    }
    const sandbox = await cri.call<{ status: { network: { ip: string } | null } | null }>('RuntimeService', 'PodSandboxStatus', { podSandboxId });
    return {
      podSandboxId,
      ip: sandbox.status?.network?.ip ?? '',
      containerIds,
      logs: (name) => {
        try {
          return readFileSync(join(logDirectory, name, '0.log'), 'utf8');
        } catch {
          return '';
        }
      },
      remove,
    };
  } catch (error) {
    await remove().catch(() => undefined);
    cri.close();
    throw error;
  }
}
