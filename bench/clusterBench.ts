/**
 * What the cluster benchmarks (cloneSetCluster.bench.ts, statefulSetCluster.bench.ts) share: a
 * real test cluster (etcd + kube-apiserver with an audit log + kube-scheduler +
 * kube-controller-manager + 10 kwok nodes), the built kruise-ts-manager run as a process of its own
 * under its own user (one controller, no webhooks, no leader election), polling, and the manager's
 * peak RSS. Writes are counted with auditWrites.ts.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KubeClient } from '@kruise-ts/k8s-adapter';
import { startTestCluster } from '@kruise-ts/k8s-adapter/testing';
import { auditFlags, auditMark, tallyWrites, type AuditMark, type WriteTally } from './auditWrites.js';
import { memoryCgroup } from './memoryCgroup.js';

// Defined by the chaos harness (packages/controllers/test/chaos/), which the benches share with the e2e tests.
export { imagePatch, isRolledOut, until } from '../packages/controllers/test/chaos/chaosHarness.js';

/** The user the manager runs as: its writes are told apart from the others' by it. */
export const MANAGER_USER = 'kruise-ts-manager';

const managerMain = fileURLToPath(new URL('../packages/controllers/dist/main.js', import.meta.url));

/** Returns the path of a CRD manifest of deploy/crds/ (e.g. `apps.kruise.io_clonesets.yaml`). */
export const crdFile = (name: string): string => fileURLToPath(new URL(`../deploy/crds/${name}`, import.meta.url));

/** Returns the CPU seconds (user + system) process `pid` used so far, from `/proc/<pid>/stat` (clock ticks of 10 ms). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${String(pid)}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Returns the peak resident set size (VmHWM) of process `pid`, in MiB. */
export function peakRssMiB(pid: number): number {
  const status = readFileSync(`/proc/${String(pid)}/status`, 'utf8');
  const kib = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kib / 1024;
}

/** A running test cluster of a benchmark. */
export interface BenchCluster {
  /** An admin client (not the manager's user). */
  readonly client: KubeClient;
  /** kubeconfig of {@link MANAGER_USER} (in `system:masters`). */
  readonly managerKubeconfig: string;
  /** The kube-apiserver's audit log (JSON lines, every write). */
  readonly auditLog: string;
}

/**
 * Starts a benchmark cluster with the given CRDs installed, runs `body` on it and stops it (and
 * removes the audit log) whatever happens; returns what `body` returns.
 */
export async function withBenchCluster<T>(crds: readonly string[], body: (cluster: BenchCluster) => Promise<T>): Promise<T> {
  const auditDir = mkdtempSync(join(tmpdir(), 'kruise-ts-bench-audit-'));
  const audit = auditFlags(auditDir);
  try {
    const cluster = await startTestCluster({
      apiServerArgs: audit.args,
      nodes: Array.from({ length: 10 }, (_, i) => ({ zone: `zone-${String(i % 3)}`, allocatable: { cpu: '64', memory: '512Gi', pods: '1000' } })),
      scheduler: true,
      controllerManager: true,
      crds,
    });
    try {
      const managerKubeconfig = await cluster.kubeconfigFor(MANAGER_USER, ['system:masters']);
      return await body({ client: cluster.client, managerKubeconfig, auditLog: audit.logPath });
    } finally {
      await cluster.stop();
    }
  } finally {
    rmSync(auditDir, { recursive: true, force: true });
  }
}

/** A kruise-ts-manager process of a benchmark. */
export interface BenchManager {
  readonly pid: number;
  /** Stops it (SIGTERM) and resolves once it exited. */
  stop(): Promise<void>;
  /** Kills it with `signal` (an injected fault, e.g. SIGKILL: not reported as an early exit) and resolves once it exited. */
  kill(signal: NodeJS.Signals): Promise<void>;
  /** What it wrote to stdout so far (its log lines; past 16 KiB, only the last 256 KiB). */
  output(): string;
}

/** How {@link startBenchManager} runs the manager. */
export interface BenchManagerOptions {
  /**
   * Run it in a memory cgroup of this many MiB, as in its container under the chart's memory
   * limit (node then sizes its heap from it; see memoryCgroup.ts). Unset: no limit.
   */
  readonly memoryLimitMiB?: number | undefined;
  /**
   * Node's flags before the manager's script; default {@link MANAGER_NODE_FLAGS}, what the
   * `kruise-ts-manager` command starts node with. `[]` with NODE_OPTIONS set measures other flags.
   */
  readonly nodeArgs?: readonly string[] | undefined;
}

/** The node flags `bin/kruise-ts-manager.js` starts the manager with (ADR 0024). */
export const MANAGER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4'];

/**
 * Starts the built manager (`packages/controllers/dist/main.js`, with the command's node flags
 * unless `options.nodeArgs` says otherwise) running only `controller` in
 * `namespace`, no webhooks, no leader election, warnings only, plus `args` (e.g.
 * `--rest-config-qps=0`). If it exits before {@link BenchManager.stop}, its output is printed
 * and the benchmark exits with status 1.
 */
export function startBenchManager(kubeconfig: string, controller: string, namespace: string, args: readonly string[] = [], options: BenchManagerOptions = {}): BenchManager {
  const managerArgs = [...(options.nodeArgs ?? MANAGER_NODE_FLAGS), managerMain, `--kubeconfig=${kubeconfig}`, '--no-enable-leader-election', '--no-enable-webhooks', `--controllers=${controller}`, '--metrics-addr=127.0.0.1:0', '--health-probe-addr=127.0.0.1:0', '--log-level=warn', `--namespace=${namespace}`, ...args];
  const cgroup = options.memoryLimitMiB === undefined ? undefined : memoryCgroup(`kruise-ts-bench-${String(process.pid)}-${namespace}`, options.memoryLimitMiB);
  const { command, args: commandArgs } = cgroup?.wrap(process.execPath, managerArgs) ?? { command: process.execPath, args: managerArgs };
  const proc = spawn(command, commandArgs, { stdio: ['ignore', 'pipe', 'inherit'] });
  proc.on('exit', () => cgroup?.remove());
  let output = '';
  let stopping = false;
  // Its first 16 KiB (the startup line) and its last 256 KiB: a long soak logs more than is worth keeping.
  let head = '';
  proc.stdout.on('data', (chunk: Buffer) => {
    if (head.length < 16_384) head += chunk.toString();
    else output = (output + chunk.toString()).slice(-262_144);
  });
  const exited = new Promise((resolve) => proc.on('exit', resolve));
  proc.on('exit', (code) => {
    if (!stopping) {
      process.stderr.write(`manager exited early (code ${String(code)}):\n${head}${output}\n`);
      process.exit(1);
    }
  });
  return {
    pid: proc.pid ?? 0,
    async stop() {
      stopping = true;
      proc.kill('SIGTERM');
      await exited;
    },
    async kill(signal) {
      stopping = true;
      proc.kill(signal);
      await exited;
    },
    output: () => head + output,
  };
}

/** One timed step of a benchmark: its seconds, and where it starts and ends in the audit log. */
export interface Phase {
  readonly seconds: number;
  readonly from: AuditMark;
  readonly to: AuditMark;
}

/**
 * Runs `step` (e.g. create a set and wait until its pods are ready), timing it and marking the
 * audit log around it; after `previous`, its writes count from where `previous` ended.
 */
export async function phase(auditLog: string, step: () => Promise<void>, previous?: Phase): Promise<Phase> {
  const from = previous?.to ?? auditMark(auditLog);
  const t0 = performance.now();
  await step();
  const seconds = (performance.now() - t0) / 1000;
  return { seconds, from, to: auditMark(auditLog) };
}

/**
 * Returns the writes {@link MANAGER_USER} made in `namespace` during each phase. Call it once the
 * manager stopped: it first waits a second, since the audit log is written as requests complete
 * and the last ones need a moment to land.
 */
export async function managerWrites<const P extends readonly Phase[]>(auditLog: string, namespace: string, phases: P): Promise<{ -readonly [K in keyof P]: WriteTally }> {
  await new Promise((r) => setTimeout(r, 1000));
  return phases.map((p) => tallyWrites(auditLog, p.from, MANAGER_USER, namespace, p.to)) as { -readonly [K in keyof P]: WriteTally };
}

/** Returns the pod count of the command line (`… bench.ts [replicas]`), default `fallback` (500). */
export const replicasArg = (fallback = 500): number => Number(process.argv[2] ?? fallback);
