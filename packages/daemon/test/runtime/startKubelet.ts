import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, onAbnormalExit, pollUntil, startProcess } from '@kruise-ts/k8s-adapter/testing';
import type { TestContainerd } from './startContainerd.js';
import { guardKubeletHostChanges } from './guardKubeletHostChanges.js';
import { teardownRuntimeDir } from './teardownRuntimeDir.js';

/** How to start a kubelet against a test cluster and a harness containerd. */
export interface KubeletOptions {
  /** The kubelet binary (built by `scripts/runtime/build-kubelet.sh` into ~/.cache/kruise-ts/kubelet). */
  readonly binary: string;
  /** A kubeconfig file the kubelet registers with (the test cluster's admin one). */
  readonly kubeconfigPath: string;
  readonly containerd: TestContainerd;
  /** The node name, e.g. `real-node-1`. */
  readonly nodeName: string;
  /** Node labels, e.g. `{ 'kruise.io/real-node': 'true' }`. */
  readonly labels?: Readonly<Record<string, string>>;
  /** Default 60 000 ms until the process answers /healthz. */
  readonly startTimeoutMs?: number;
}

/** A running kubelet. */
export interface TestKubelet {
  readonly nodeName: string;
  readonly dir: string;
  logTail(lines?: number): Promise<string>;
  /** Stops the kubelet (the pods' containers stay in containerd until it stops). Idempotent. */
  stop(): Promise<void>;
}

const IPTABLES_STUB = '#!/bin/sh\n# kruise-ts test kubelet: iptables is a no-op here (the host firewall is not the test\'s)\ncase "$*" in *--version*) echo "iptables v1.8.9 (nf_tables)";; esac\nexit 0\n';

/** The first non-loopback IPv4 address of this machine (the kubelet refuses a loopback node IP). */
function nodeIp(): string | undefined {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) if (address.family === 'IPv4' && !address.internal) return address.address;
  }
  return undefined;
}

/**
 * KubeletConfiguration for a kubelet in this sandbox: cgroupfs on a cgroup v1 host
 * (`failCgroupV1: false`), no QoS cgroups and no node-allocatable enforcement, swap tolerated,
 * `oomScoreAdj: 0` (lowering it needs CAP_SYS_RESOURCE), no eviction thresholds and no image GC
 * (the tests own the disk), loopback-only servers with anonymous AlwaysAllow auth, the harness's
 * containerd as runtime and image service, pod logs under `dir`.
 */
export function kubeletConfig(input: { dir: string; endpoint: string; port: number; healthzPort: number }): string {
  const config = {
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    kind: 'KubeletConfiguration',
    cgroupDriver: 'cgroupfs',
    failCgroupV1: false,
    cgroupsPerQOS: false,
    enforceNodeAllocatable: [],
    failSwapOn: false,
    oomScoreAdj: 0,
    address: '127.0.0.1',
    port: input.port,
    readOnlyPort: 0,
    healthzBindAddress: '127.0.0.1',
    healthzPort: input.healthzPort,
    authentication: { anonymous: { enabled: true }, webhook: { enabled: false } },
    authorization: { mode: 'AlwaysAllow' },
    containerRuntimeEndpoint: input.endpoint,
    imageServiceEndpoint: input.endpoint,
    podLogsDir: join(input.dir, 'pod-logs'),
    staticPodPath: '',
    serializeImagePulls: false,
    evictionHard: { 'memory.available': '0%', 'nodefs.available': '0%', 'imagefs.available': '0%', 'nodefs.inodesFree': '0%' },
    imageGCHighThresholdPercent: 100,
    imageGCLowThresholdPercent: 99,
    nodeStatusUpdateFrequency: '5s',
    syncFrequency: '5s',
    fileCheckFrequency: '5s',
    protectKernelDefaults: false,
    localStorageCapacityIsolation: false,
    resolvConf: '',
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

/**
 * Starts a kubelet (as root) that registers node `nodeName` with the test cluster and runs its
 * pods on the harness's containerd through CRI; resolves once it answers /healthz (the node is
 * Ready about a second later). Everything it leaves is undone by `stop()` or the exit hook: its
 * temp dir (root dir, certificates, pod logs, volume mounts), the kernel settings it rewrites and
 * /var/lib/kubelet (see {@link guardKubeletHostChanges}); its iptables calls are no-ops. The pods'
 * containers belong to containerd: stop it too. The test cluster's kwok leaves this node alone
 * (it manages only nodes annotated `kwok.x-k8s.io/node: fake`).
 */
export async function startKubelet(options: KubeletOptions): Promise<TestKubelet> {
  const dir = mkdtempSync(join(tmpdir(), 'kruise-ts-kubelet-'));
  const releaseHost = guardKubeletHostChanges();
  const cancelExitHook = onAbnormalExit(() => {
    teardownRuntimeDir({ dir, processNeedle: dir });
  });
  try {
    const [port, healthzPort] = [await freePort(), await freePort()];
    mkdirSync(join(dir, 'pod-logs'), { recursive: true });
    const config = join(dir, 'kubelet.json');
    writeFileSync(config, kubeletConfig({ dir, endpoint: options.containerd.endpoint, port, healthzPort }));
    // The kubelet adds iptables chains (KUBE-FIREWALL, canaries) to the host's tables, which would
    // outlive the test: it gets no-op iptables commands first in its PATH instead.
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    for (const name of ['iptables', 'ip6tables', 'iptables-save', 'iptables-restore', 'ip6tables-save', 'ip6tables-restore']) {
      writeFileSync(join(bin, name), IPTABLES_STUB, { mode: 0o755 });
    }
    const env = { ...process.env, PATH: [bin, '/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'].join(':') };
    const ip = nodeIp();
    const labels = Object.entries(options.labels ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
    const args = [
      `--kubeconfig=${options.kubeconfigPath}`,
      `--config=${config}`,
      `--root-dir=${join(dir, 'root')}`,
      `--cert-dir=${join(dir, 'pki')}`,
      `--hostname-override=${options.nodeName}`,
      ...(ip === undefined ? [] : [`--node-ip=${ip}`]),
      ...(labels === '' ? [] : [`--node-labels=${labels}`]),
      '--v=2',
    ];
    const proc = startProcess({ name: 'kubelet', command: options.binary, args, logFile: join(dir, 'kubelet.log'), env });
    await pollUntil(
      async () => {
        const response = await fetch(`http://127.0.0.1:${String(healthzPort)}/healthz`);
        return response.ok ? true : undefined;
      },
      {
        timeoutMs: options.startTimeoutMs ?? 60_000,
        intervalMs: 200,
        what: `kubelet ${options.nodeName} /healthz`,
        abort: proc.exited.then(async (exit) => `kubelet exited (${String(exit.code ?? exit.signal)}): ${await proc.logTail(40)}`),
      },
    );
    let stopped = false;
    return {
      nodeName: options.nodeName,
      dir,
      logTail: (n) => proc.logTail(n),
      stop: async () => {
        if (stopped) return;
        stopped = true;
        await proc.stop(5_000);
        teardownRuntimeDir({ dir, processNeedle: dir });
        cancelExitHook();
        releaseHost();
      },
    };
  } catch (error) {
    teardownRuntimeDir({ dir, processNeedle: dir });
    cancelExitHook();
    releaseHost();
    throw error;
  }
}
