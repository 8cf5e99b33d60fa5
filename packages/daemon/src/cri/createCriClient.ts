import { Metadata, credentials, loadPackageDefinition, status as grpcStatus, type Client, type ServiceError } from '@grpc/grpc-js';
import type { ContainerFilter, ContainerInfo, ContainerRuntime, ExecResult } from './containerRuntime.js';
import { CriError } from './criError.js';
import type { ImageInfo, ImageRuntime, PullImageOptions, RuntimeCallOptions } from './imageRuntime.js';
import { loadCriProto } from './loadCriProto.js';

/** Annotation OpenKruise puts on the sandbox config of every pull, so runtimes never see it empty. */
export const PULLING_IMAGE_BY_ANNOTATION = 'apps.kruise.io/pulling-image-by';

/** Options of {@link createCriClient}. */
export interface CriClientOptions {
  /** `unix:///run/containerd/containerd.sock` (kubelet's form) or a plain socket path. */
  readonly endpoint: string;
  /** Deadline of every call but PullImage (default 120000 ms, kubelet's runtime-request-timeout). */
  readonly callTimeoutMs?: number | undefined;
  /** Largest response accepted (default 16 MiB, as OpenKruise: long image lists). */
  readonly maxReceiveMessageBytes?: number | undefined;
}

/** A CRI client: both ports over one gRPC channel, and `close()` to release it. */
export interface CriClient extends ImageRuntime, ContainerRuntime {
  /** The runtime's name and version (CRI `Version`), e.g. `{ runtimeName: 'containerd', runtimeVersion: '1.7.24' }`. */
  version(options?: RuntimeCallOptions): Promise<{ runtimeName: string; runtimeVersion: string; runtimeApiVersion: string }>;
  close(): void;
}

/**
 * Returns the gRPC target for a CRI endpoint: `unix:///run/containerd/containerd.sock` and
 * `/run/containerd/containerd.sock` both give `unix:///run/containerd/containerd.sock`. Throws for
 * any other scheme (the daemon talks to a local runtime only).
 */
export function criTarget(endpoint: string): string {
  if (endpoint.startsWith('unix://')) {
    const path = endpoint.slice('unix://'.length);
    if (path.startsWith('/')) return `unix://${path}`;
  } else if (endpoint.startsWith('/')) {
    return `unix://${endpoint}`;
  }
  throw new Error(`--runtime-endpoint ${JSON.stringify(endpoint)} is not a unix socket: use unix:///path/to/socket or /path/to/socket`);
}

type Unary = (request: unknown, metadata: Metadata, options: { deadline?: Date }, callback: (error: ServiceError | null, response: unknown) => void) => { cancel(): void };
type ServiceClient = Client & Record<string, Unary>;
interface CriPackage { runtime: { v1: { ImageService: new (...args: unknown[]) => ServiceClient; RuntimeService: new (...args: unknown[]) => ServiceClient } } }

/**
 * Returns a CRI v1 client over a unix socket, implementing {@link ImageRuntime} and
 * {@link ContainerRuntime}. Every call has a deadline (pulls are bounded by their `signal`
 * instead: the pull workers give each attempt its timeout), and every failure is a
 * {@link CriError} naming the method, the image and the gRPC status.
 *
 * @example
 * ```ts
 * const cri = createCriClient({ endpoint: 'unix:///run/containerd/containerd.sock' });
 * await cri.pullImage('127.0.0.1:5000/busybox:1.36', { auth: { username: 'u', password: 'p' } }); // 'sha256:…'
 * ```
 */
export function createCriClient(options: CriClientOptions): CriClient {
  const target = criTarget(options.endpoint);
  const callTimeoutMs = options.callTimeoutMs ?? 120_000;
  const pkg = loadPackageDefinition(loadCriProto()) as unknown as CriPackage;
  const channelOptions = { 'grpc.max_receive_message_length': options.maxReceiveMessageBytes ?? 16 * 1024 * 1024 };
  const images = new pkg.runtime.v1.ImageService(target, credentials.createInsecure(), channelOptions);
  const runtime = new pkg.runtime.v1.RuntimeService(target, credentials.createInsecure(), channelOptions);

  const call = <T>(client: ServiceClient, method: string, subject: string, request: unknown, signal: AbortSignal | undefined, timeoutMs: number | undefined): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (signal?.aborted === true) {
        reject(new CriError({ method, subject, code: 'CANCELLED', details: abortReason(signal) }, { cause: signal.reason }));
        return;
      }
      const fn = client[method];
      if (fn === undefined) throw new Error(`CRI method ${method} is not in the vendored proto`);
      const callOptions = timeoutMs === undefined ? {} : { deadline: new Date(Date.now() + timeoutMs) };
      const onAbort = (): void => { pending.cancel(); };
      const pending = fn.call(client, request, new Metadata(), callOptions, (error, response) => {
        signal?.removeEventListener('abort', onAbort);
        if (error === null) resolve(response as T);
        else {
          const code = grpcStatus[error.code] as string | undefined;
          const details = error.code === grpcStatus.CANCELLED && signal?.aborted === true ? abortReason(signal) : error.details || error.message;
          reject(new CriError({ method, subject, code: code ?? String(error.code), details }, { cause: error }));
        }
      });
      signal?.addEventListener('abort', onAbort, { once: true });
    });

  return {
    async pullImage(image: string, pull: PullImageOptions = {}): Promise<string> {
      const annotations = { ...pull.sandboxConfig?.annotations, [PULLING_IMAGE_BY_ANNOTATION]: 'kruise-daemon' };
      const auth = pull.auth === undefined ? undefined : 'auth' in pull.auth ? { auth: pull.auth.auth } : { username: pull.auth.username, password: pull.auth.password };
      const request = { image: { image }, auth, sandboxConfig: { labels: { ...pull.sandboxConfig?.labels }, annotations } };
      const response = await call<{ imageRef: string }>(images, 'PullImage', image, request, pull.signal, undefined);
      pull.onProgress?.(100);
      return response.imageRef;
    },
    async listImages(opts: RuntimeCallOptions = {}): Promise<ImageInfo[]> {
      const response = await call<{ images: RawImage[] }>(images, 'ListImages', '', {}, opts.signal, callTimeoutMs);
      return response.images.map(toImageInfo);
    },
    async imageStatus(image: string, opts: RuntimeCallOptions = {}): Promise<ImageInfo | undefined> {
      const response = await call<{ image: RawImage | null }>(images, 'ImageStatus', image, { image: { image } }, opts.signal, callTimeoutMs);
      return response.image === null || response.image.id === '' ? undefined : toImageInfo(response.image);
    },
    async removeImage(image: string, opts: RuntimeCallOptions = {}): Promise<void> {
      await call(images, 'RemoveImage', image, { image: { image } }, opts.signal, callTimeoutMs);
    },
    async listContainers(filter: ContainerFilter = {}, opts: RuntimeCallOptions = {}): Promise<ContainerInfo[]> {
      const request = { filter: { podSandboxId: filter.podSandboxId ?? '', labelSelector: { ...filter.labels } } };
      const response = await call<{ containers: RawContainer[] }>(runtime, 'ListContainers', '', request, opts.signal, callTimeoutMs);
      return response.containers.map(toContainerInfo);
    },
    async stopContainer(id: string, timeoutSeconds: number, opts: RuntimeCallOptions = {}): Promise<void> {
      await call(runtime, 'StopContainer', id, { containerId: id, timeout: timeoutSeconds }, opts.signal, callTimeoutMs + timeoutSeconds * 1000);
    },
    async execSync(id: string, cmd: readonly string[], timeoutSeconds: number, opts: RuntimeCallOptions = {}): Promise<ExecResult> {
      const response = await call<{ stdout: Buffer; stderr: Buffer; exitCode: number }>(runtime, 'ExecSync', id, { containerId: id, cmd, timeout: timeoutSeconds }, opts.signal, callTimeoutMs + timeoutSeconds * 1000);
      return { exitCode: response.exitCode, stdout: Buffer.from(response.stdout).toString('utf8'), stderr: Buffer.from(response.stderr).toString('utf8') };
    },
    async podSandboxIp(podSandboxId: string, opts: RuntimeCallOptions = {}): Promise<string> {
      const response = await call<{ status: { network: { ip: string } | null } | null }>(runtime, 'PodSandboxStatus', podSandboxId, { podSandboxId }, opts.signal, callTimeoutMs);
      return response.status?.network?.ip ?? '';
    },
    async version(opts: RuntimeCallOptions = {}) {
      return call<{ runtimeName: string; runtimeVersion: string; runtimeApiVersion: string }>(runtime, 'Version', '', { version: 'v1' }, opts.signal, callTimeoutMs);
    },
    close(): void {
      images.close();
      runtime.close();
    },
  };
}

interface RawImage { id: string; repoTags: string[]; repoDigests: string[]; size: number }
interface RawContainer { id: string; podSandboxId: string; metadata: { name: string; attempt: number } | null; image: { image: string } | null; state: ContainerInfo['state']; labels: Record<string, string>; createdAt: string | number }

function toImageInfo(raw: RawImage): ImageInfo {
  return { id: raw.id, repoTags: raw.repoTags, repoDigests: raw.repoDigests, size: raw.size };
}

function toContainerInfo(raw: RawContainer): ContainerInfo {
  return { id: raw.id, podSandboxId: raw.podSandboxId, name: raw.metadata?.name ?? '', attempt: raw.metadata?.attempt ?? 0, image: raw.image?.image ?? '', state: raw.state, labels: raw.labels, createdAt: Math.floor(Number(raw.createdAt) / 1e6) };
}

function abortReason(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason.message : 'cancelled by the caller';
}
