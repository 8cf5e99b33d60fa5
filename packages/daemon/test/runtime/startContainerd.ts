import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { onAbnormalExit, pollUntil, startProcess } from '@kruise-ts/k8s-adapter/testing';
import { createCriClient, type CriClient } from '../../src/cri/createCriClient.js';
import { buildImage, type BuiltImage } from './buildImage.js';
import { containerdConfig, plainHttpHostsToml } from './containerdConfig.js';
import { connectCri } from './criCall.js';
import { runCommand, type CommandOutput } from './runCommand.js';
import { RUNTIME_TOOLS } from './runtimeTools.js';
import { teardownRuntimeDir } from './teardownRuntimeDir.js';

/** The reference the harness's pause image gets in containerd (the CRI `sandbox_image`). */
export const SANDBOX_IMAGE = 'kruise-ts.local/pause:3.9';

/** The containerd namespace the CRI plugin works in. */
export const CRI_NAMESPACE = 'k8s.io';

/** How to start containerd. */
export interface ContainerdOptions {
  /** Registries (`127.0.0.1:<port>`) the CRI plugin pulls from over plain http; more with `allowPlainHttp`. */
  readonly plainHttpRegistries?: readonly string[];
  /** Extra top-level CRI plugin settings, e.g. `{ restrict_oom_score_adj: true }`. */
  readonly cri?: Readonly<Record<string, string | boolean | number>>;
  /** Extra runc runtime options, e.g. `{ BinaryName: '/tmp/runc-wrapper' }`. */
  readonly runc?: Readonly<Record<string, string | boolean | number>>;
  /** Default 30 000 ms. */
  readonly startTimeoutMs?: number;
}

/** A running private containerd with its CRI plugin. */
export interface TestContainerd {
  /** The gRPC socket path (CRI and containerd API), e.g. `/tmp/kruise-ts-containerd-x/containerd.sock`. */
  readonly socket: string;
  /** `unix://<socket>`: what a kubelet's or the daemon's CRI endpoint setting takes. */
  readonly endpoint: string;
  /** The instance's temp directory. */
  readonly dir: string;
  /** Runs `ctr --address <socket> -n <namespace> …args` (namespace default `k8s.io`). */
  ctr(args: readonly string[], options?: { namespace?: string; timeoutMs?: number }): Promise<CommandOutput>;
  /** References of the images in the CRI namespace (`ctr -n k8s.io images ls -q`), sorted. */
  imageRefs(): Promise<string[]>;
  /** The daemon's CRI client (`createCriClient`) on this containerd, made once and closed by `stop()`. */
  cri(): CriClient;
  /** Lets the CRI plugin pull from `host` (`127.0.0.1:<port>`) over plain http (writes its hosts.toml). */
  allowPlainHttp(host: string): void;
  /** Imports a built image into the CRI namespace as `reference` without a registry. */
  importImage(image: BuiltImage, reference: string): Promise<void>;
  /** The last lines of containerd's log. */
  logTail(lines?: number): Promise<string>;
  /** Stops containerd, kills its shims and containers, unmounts and deletes everything. Idempotent. */
  stop(): Promise<void>;
}

const PATH = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin', process.env.PATH ?? ''].join(':');

/**
 * Starts Debian's containerd (1.6, config version 2) with its CRI plugin as root in a temp
 * directory on a private socket, with the harness's pause image (busybox, built with
 * {@link buildImage}) imported as the sandbox image, and resolves once the CRI plugin is loaded
 * and answers. Nothing is shared with a system containerd: root, state, runc state, network
 * namespaces, CNI config and IPAM state, the CNI bridge (`kts<hex>`) all belong to the instance,
 * and `stop()` — or the process exit hook, when a test fails or is interrupted — removes them all
 * (`stop()` first removes the pod sandboxes through CRI, so CNI releases their networks).
 * Typically ~0.5 s.
 */
export async function startContainerd(options: ContainerdOptions = {}): Promise<TestContainerd> {
  const dir = mkdtempSync(join(tmpdir(), 'kruise-ts-containerd-'));
  const random = randomBytes(6);
  const bridge = `kts${random.subarray(0, 4).toString('hex')}`;
  const subnet = `10.${String(128 + ((random[4] ?? 0) % 120))}.${String(random[5] ?? 0)}.0/24`;
  const teardown = (): void => {
    teardownRuntimeDir({ dir, processNeedle: dir, bridge });
  };
  const cancelExitHook = onAbnormalExit(teardown);
  try {
    const files = containerdConfig({ dir, sandboxImage: SANDBOX_IMAGE, bridge, subnet, ...(options.cri ? { cri: options.cri } : {}), ...(options.runc ? { runc: options.runc } : {}) });
    for (const [path, content] of files.files) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, content);
    }
    mkdirSync(files.hostsDir, { recursive: true });
    const allowPlainHttp = (host: string): void => {
      if (!/^[\w.-]+(:\d+)?$/.test(host)) throw new Error(`allowPlainHttp: "${host}" is not a registry host[:port]`);
      mkdirSync(join(files.hostsDir, host), { recursive: true });
      writeFileSync(join(files.hostsDir, host, 'hosts.toml'), plainHttpHostsToml(host));
    };
    for (const host of options.plainHttpRegistries ?? []) allowPlainHttp(host);
    const env = { ...process.env, PATH };
    const proc = startProcess({ name: 'containerd', command: RUNTIME_TOOLS.containerd, args: ['--config', files.configPath], logFile: join(dir, 'containerd.log'), env });
    const ctr = (args: readonly string[], opts: { namespace?: string; timeoutMs?: number } = {}): Promise<CommandOutput> =>
      runCommand(RUNTIME_TOOLS.ctr, ['--address', files.socket, '-n', opts.namespace ?? CRI_NAMESPACE, ...args], { env, ...(opts.timeoutMs === undefined ? {} : { timeoutMs: opts.timeoutMs }) });
    await pollUntil(
      async () => {
        const { stdout } = await ctr(['plugins', 'ls'], { timeoutMs: 5_000 });
        const cri = stdout.split('\n').find((line) => /^io\.containerd\.grpc\.v1\s+cri\s/.test(line));
        if (cri === undefined) return undefined;
        if (!/\bok\s*$/.test(cri)) throw new Error(`the CRI plugin did not load: ${cri.trim()}`);
        // …and the CRI RuntimeService answers on the socket.
        const connection = connectCri(files.socket);
        try {
          await connection.call('RuntimeService', 'Version', { version: 'v1' }, 5_000);
        } finally {
          connection.close();
        }
        return true;
      },
      {
        timeoutMs: options.startTimeoutMs ?? 30_000,
        intervalMs: 50,
        what: `containerd's CRI plugin on ${files.socket}`,
        abort: proc.exited.then(async (exit) => `containerd exited (${String(exit.code ?? exit.signal)}): ${await proc.logTail()}`),
      },
    );
    const importImage = async (image: BuiltImage, reference: string): Promise<void> => {
      const archive = join(dir, `import-${randomBytes(4).toString('hex')}.tar`);
      try {
        await runCommand(RUNTIME_TOOLS.skopeo, ['copy', '--insecure-policy', '--quiet', image.source, `docker-archive:${archive}:${reference}`], { env: { ...env, TMPDIR: dir } });
        await ctr(['images', 'import', archive]);
      } finally {
        rmSync(archive, { force: true });
      }
    };
    await importImage(await buildImage(pauseImageSpec), SANDBOX_IMAGE);
    let stopped = false;
    let client: CriClient | undefined;
    return {
      socket: files.socket,
      endpoint: `unix://${files.socket}`,
      dir,
      ctr,
      imageRefs: async () => (await ctr(['images', 'ls', '-q'])).stdout.split('\n').filter((line) => line !== '').sort(),
      cri: () => (client ??= createCriClient({ endpoint: `unix://${files.socket}` })),
      allowPlainHttp,
      importImage,
      logTail: (n) => proc.logTail(n),
      stop: async () => {
        if (stopped) return;
        stopped = true;
        client?.close();
        await removePodSandboxes(files.socket).catch(() => undefined);
        await proc.stop(5_000);
        teardown();
        cancelExitHook();
      },
    };
  } catch (error) {
    teardown();
    cancelExitHook();
    throw error;
  }
}

/**
 * Stops and removes every pod sandbox through CRI, so CNI tears their networks down (veth, IPAM,
 * libcni's cache) as on a node, before containerd itself is stopped.
 */
async function removePodSandboxes(socket: string): Promise<void> {
  const cri = connectCri(socket);
  try {
    const { items } = await cri.call<{ items: { id: string }[] }>('RuntimeService', 'ListPodSandbox', {}, 10_000);
    await Promise.all(
      items.map(async ({ id }) => {
        await cri.call('RuntimeService', 'StopPodSandbox', { podSandboxId: id }, 20_000);
        await cri.call('RuntimeService', 'RemovePodSandbox', { podSandboxId: id }, 20_000);
      }),
    );
  } finally {
    cri.close();
  }
}

/** The pause image: a shell that sleeps, exits on SIGTERM and reaps what it started. */
const pauseImageSpec = {
  name: 'pause',
  tag: '3.9',
  entrypoint: ['/bin/sh', '-c', 'trap "exit 0" TERM INT; while true; do sleep 3600 & wait $!; done'],
  cmd: [],
} as const;
