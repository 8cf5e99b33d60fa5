import type { RuntimeCallOptions } from './imageRuntime.js';

/** One container as CRI's `Container` message describes it (the fields ContainerRecreateRequest needs). */
export interface ContainerInfo {
  readonly id: string;
  readonly podSandboxId: string;
  /** Container name in the pod (`metadata.name`). */
  readonly name: string;
  /** Restart count of this container name in the pod (`metadata.attempt`). */
  readonly attempt: number;
  readonly image: string;
  readonly state: 'CONTAINER_CREATED' | 'CONTAINER_RUNNING' | 'CONTAINER_EXITED' | 'CONTAINER_UNKNOWN';
  readonly labels: Readonly<Record<string, string>>;
  /** Creation time (epoch ms; CRI `created_at` is in ns). */
  readonly createdAt: number;
}

/** What {@link ContainerRuntime.execSync} returns: the command's exit code and output. */
export interface ExecResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Filter of {@link ContainerRuntime.listContainers}: by pod sandbox and/or labels (all must match). */
export interface ContainerFilter {
  readonly podSandboxId?: string | undefined;
  readonly labels?: Readonly<Record<string, string>> | undefined;
}

/**
 * The container port of the daemon (CRI RuntimeService): what container recreation
 * (ContainerRecreateRequest, issue 16) needs. Implemented over CRI by `createCriClient`.
 */
export interface ContainerRuntime {
  /** Containers matching `filter` (all when omitted). */
  listContainers(filter?: ContainerFilter, options?: RuntimeCallOptions): Promise<ContainerInfo[]>;
  /** Stops container `id`, killing it after `timeoutSeconds` of grace (the kubelet then restarts it). */
  stopContainer(id: string, timeoutSeconds: number, options?: RuntimeCallOptions): Promise<void>;
  /** Runs `cmd` in container `id` (CRI `ExecSync`), giving up after `timeoutSeconds` (0: no limit). */
  execSync(id: string, cmd: readonly string[], timeoutSeconds: number, options?: RuntimeCallOptions): Promise<ExecResult>;
  /** The pod IP of sandbox `podSandboxId` (CRI `PodSandboxStatus` network ip; '' when it has none). */
  podSandboxIp(podSandboxId: string, options?: RuntimeCallOptions): Promise<string>;
}
