import { request as httpsRequest } from 'node:https';
import { rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { createKubeClient } from '../client/createKubeClient.js';
import { loadKubeConfig } from '../client/loadKubeConfig.js';
import { ConflictError, InvalidError } from '../errors.js';
import type { KubeClient } from '../ports.js';
import { checkImageDigests, type ImageDigests } from '../memory/imageDigests.js';
import { KWOK_NODE_ANNOTATION, nodeObject, type MemoryNodeSpec } from '../memory/nodeSimulator.js';
import { Resources } from '../resourceType.js';
import { AUDIT_POLICY, readAuditLog, type AuditEvent } from './auditLog.js';
import { adminKubeconfig, createClusterPki, userKubeconfig, type ClusterPki } from './clusterPki.js';
import { apiServerArgs, controllerManagerArgs, etcdArgs, kwokConfig, schedulerConfig } from './componentArgs.js';
import { ensureEnvtestBinaries, type EnvtestBinary, type ProgressSink } from './envtestBinaries.js';
import { freePort } from './freePort.js';
import { installCrds } from './installCrds.js';
import { onAbnormalExit, startProcess, type ManagedProcess } from './managedProcess.js';
import { pollUntil } from './pollUntil.js';
import { TestClusterError } from './testClusterError.js';

/** A simulated node of the test cluster (the same shape the memory cluster takes). */
export type TestNodeSpec = MemoryNodeSpec;

/** Options of {@link startTestCluster}. */
export interface TestClusterOptions {
  /** Simulated nodes: a count (zones `zone-a`, `zone-b`, `zone-c` round-robin) or specs. Default 1. */
  readonly nodes?: number | readonly TestNodeSpec[];
  /**
   * CRD YAML files installed (and Established) before kube-controller-manager starts, so its
   * garbage collector knows the custom kinds from its first discovery (otherwise up to 30 s).
   */
  readonly crds?: readonly string[];
  /**
   * Image references mapped to the content digest a registry would resolve them to, e.g.
   * `{ 'nginx:1.25': 'sha256:aaa…', 'nginx:stable': 'sha256:aaa…' }`: kwok then reports a
   * container's imageID as `<repository>@<digest>`, the same for two tags of one image. References
   * not in the map keep `<repository>@sha256:<sha256 of the reference>`. A digest that is not
   * `<algorithm>:<hex>` throws a `TypeError`. The memory cluster takes the same map
   * (`createMemoryCluster({ kubelet: { imageDigests } })`).
   */
  readonly imageDigests?: ImageDigests;
  /** Run kube-controller-manager (garbage collection, namespace deletion). Default false. */
  readonly controllerManager?: boolean;
  /** More kube-controller-manager controllers to run, e.g. `['job-controller']` (with `controllerManager`). */
  readonly controllerManagerControllers?: readonly string[];
  /** Run kube-scheduler (pods without `nodeName` get scheduled). Default false. */
  readonly scheduler?: boolean;
  /** Extra kube-apiserver flags. */
  readonly apiServerArgs?: readonly string[];
  /**
   * Audit every write (policy {@link AUDIT_POLICY}, JSON lines in `<dir>/logs/audit.log`, kept
   * across `restartApiServer()`), read back with `auditEvents()`: who wrote what, when. Default false.
   */
  readonly audit?: boolean;
  /** Fixed ports instead of free ones (a taken port fails with `port-in-use`). */
  readonly ports?: { readonly etcd?: number; readonly apiServer?: number };
  /** Build missing binaries with Go (default true; `KRUISE_TS_ENVTEST_BUILD=0` turns it off). */
  readonly build?: boolean;
  /** Environment used to find binaries (`KUBEBUILDER_ASSETS`, `KRUISE_TS_CACHE_DIR`). */
  readonly env?: NodeJS.ProcessEnv;
  /** Where progress lines go (default stderr). */
  readonly progress?: ProgressSink;
  /** Keep the temporary directory (logs, etcd data) after stop; also `KRUISE_TS_KEEP_TEST_CLUSTER=1`. */
  readonly keepDir?: boolean;
  /** Time each component may take to become ready, in ms (default 60 000). */
  readonly startTimeoutMs?: number;
}

/** A running test cluster. Always `stop()` it (or `await using`). */
export interface TestCluster {
  /** Admin credentials (system:masters) for the cluster. */
  readonly kubeConfig: KubeConfig;
  /** The same kubeconfig as a file, for other processes (the manager, kubectl). */
  readonly kubeconfigPath: string;
  /** An adapter client logged in as admin. */
  readonly client: KubeClient;
  /** `https://127.0.0.1:<port>`. */
  readonly server: string;
  /** PEM of the CA that signed the apiserver's serving certificate and the admin certificate. */
  readonly caPem: string;
  /** The temporary directory holding certificates, logs and etcd data. */
  readonly dir: string;
  /** Names of the simulated nodes (those created at start). */
  readonly nodes: readonly string[];
  /**
   * Creates one more kwok node (name `kwok-node-<n>` by default), waits until kwok reports it
   * Ready and lifts the not-ready taint the apiserver gave it (no node lifecycle controller runs);
   * returns its name.
   */
  addNode(spec?: TestNodeSpec): Promise<string>;
  /**
   * Writes a kubeconfig that authenticates as `user` (with `groups`) and returns its path: test
   * what RBAC lets a component do, e.g. `system:serviceaccount:kruise-system:kruise-ts-manager`.
   */
  kubeconfigFor(user: string, groups?: readonly string[]): Promise<string>;
  /** Returns the last lines of a component's log (`etcd`, `kube-apiserver`, `kwok`...). */
  logTail(component: string, lines?: number): Promise<string>;
  /**
   * Fault injection: stops kube-apiserver (SIGTERM: its watches end, its clients see connection
   * errors), starts it again on the same port with the same flags, and resolves once it is ready.
   * etcd keeps the data, so resourceVersions stay valid; a watch resumed from one the new
   * apiserver's watch cache no longer holds gets 410 Gone.
   */
  restartApiServer(): Promise<void>;
  /**
   * Fault injection: freezes etcd (SIGSTOP) for `ms`, then lets it go on (SIGCONT). Meanwhile
   * kube-apiserver answers reads from its watch cache and writes time out.
   */
  pauseEtcd(ms: number): Promise<void>;
  /** The writes audited so far, in order (empty unless started with `audit: true`). */
  auditEvents(): Promise<AuditEvent[]>;
  /** Stops every process and removes the directory. Safe to call twice. */
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

function nodeSpecs(nodes: TestClusterOptions['nodes']): TestNodeSpec[] {
  if (typeof nodes === 'object') return [...nodes];
  const zones = ['zone-a', 'zone-b', 'zone-c'];
  return Array.from({ length: nodes ?? 1 }, (_, i) => ({ zone: zones[i % zones.length] ?? 'zone-a' }));
}

/**
 * Lifts the not-ready/unreachable taints of node `name`, guarded by its resourceVersion. kwok's
 * heartbeats write the node meanwhile, so a failed `test` (422) or a conflict (409) reads it again
 * and retries (CI saw the 422 once).
 */
async function removeNotReadyTaints(client: KubeClient, name: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const node = await client.get(Resources.Node, { name });
    const taints = node.spec?.taints ?? [];
    const kept = taints.filter((t) => t.key !== 'node.kubernetes.io/not-ready' && t.key !== 'node.kubernetes.io/unreachable');
    if (kept.length === taints.length) return;
    try {
      await client.patch(Resources.Node, { name }, { type: 'json', operations: [{ op: 'test', path: '/metadata/resourceVersion', value: node.metadata.resourceVersion }, { op: 'replace', path: '/spec/taints', value: kept }] });
      return;
    } catch (error) {
      if (!(error instanceof InvalidError || error instanceof ConflictError) || attempt >= 10) throw error;
    }
  }
}

/** Returns the HTTP status of GET `url` with the admin client certificate. */
function httpsStatus(url: string, pki: ClusterPki): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { ca: pki.ca.certPem, cert: pki.admin.certPem, key: pki.admin.keyPem, timeout: 2_000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

/**
 * Starts a real Kubernetes control plane on loopback for tests and returns its admin client:
 * etcd and kube-apiserver, optionally kube-controller-manager and kube-scheduler, and kwok
 * simulating `nodes` nodes and their kubelets. Everything runs in a temporary directory on free
 * ports and is removed by `stop()`; processes die with the test process even if it is killed.
 *
 * Binaries come from `KUBEBUILDER_ASSETS` or the cache and are built with Go when missing (see
 * `ensureEnvtestBinaries`). A failure names the component, why, and its last log lines.
 *
 * @example
 * ```ts
 * await using cluster = await startTestCluster({ nodes: 3, controllerManager: true });
 * const pods = await cluster.client.list(Resources.Pod, { namespace: 'default' });
 * ```
 */
export async function startTestCluster(options: TestClusterOptions = {}): Promise<TestCluster> {
  if (options.imageDigests !== undefined) checkImageDigests(options.imageDigests);
  const binaries = await ensureEnvtestBinaries({
    ...(options.build === undefined ? {} : { build: options.build }),
    ...(options.progress === undefined ? {} : { progress: options.progress }),
    ...(options.env === undefined ? {} : { env: options.env }),
  });
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(binaries, options);
    } catch (error) {
      // Free ports can be taken between probing and binding: retry with new ones.
      const retry = error instanceof TestClusterError && error.failure === 'port-in-use' && options.ports === undefined && attempt < 3;
      if (!retry) throw error;
    }
  }
}

async function startOnce(binaries: Record<EnvtestBinary, string>, options: TestClusterOptions): Promise<TestCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'kruise-ts-cluster-'));
  const keep = options.keepDir === true || process.env.KRUISE_TS_KEEP_TEST_CLUSTER === '1';
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  const processes: ManagedProcess[] = [];
  let stopped = false;
  const cancelExitCleanup = keep ? () => false : onAbnormalExit(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    cancelExitCleanup();
    const order = ['kwok', 'kube-scheduler', 'kube-controller-manager', 'kube-apiserver', 'etcd'];
    for (const name of order) await Promise.all(processes.filter((p) => p.name === name).map((p) => p.stop(5_000)));
    if (!keep) await rm(dir, { recursive: true, force: true });
  };
  const start = (name: EnvtestBinary, args: readonly string[]): ManagedProcess => {
    const p = startProcess({ name, command: binaries[name], args, logFile: join(dir, 'logs', `${name}.log`) });
    processes.push(p);
    return p;
  };
  /** Waits for `ready`, failing fast (with the log) when `proc` exits. */
  const awaitReady = async (proc: ManagedProcess, what: string, ready: () => Promise<true | undefined>): Promise<void> => {
    const exited = proc.exited.then((e) => `${proc.name} exited (code ${String(e.code)}, signal ${String(e.signal)})`);
    try {
      await pollUntil(ready, { timeoutMs, what, abort: exited, intervalMs: 100 });
    } catch (error) {
      const logTail = await proc.logTail(25);
      const portInUse = /address already in use/i.test(logTail);
      throw new TestClusterError({
        component: proc.name,
        failure: portInUse ? 'port-in-use' : proc.isRunning() ? 'not-ready' : 'exited-early',
        message: `${portInUse ? 'port already in use' : 'did not become ready'}: ${error instanceof Error ? error.message : String(error)}`,
        hint: portInUse ? 'another process holds the port; choose other ports or stop it' : `full log: ${proc.logFile}${keep ? '' : ' (set KRUISE_TS_KEEP_TEST_CLUSTER=1 to keep it)'}`,
        logTail,
        cause: error,
      });
    }
  };

  try {
    await mkdir(join(dir, 'logs'));
    const pki = await createClusterPki(dir);
    const etcdPort = options.ports?.etcd ?? (await freePort());
    const apiPort = options.ports?.apiServer ?? (await freePort());
    const etcd = start('etcd', etcdArgs(dir, etcdPort, await freePort()));
    await awaitReady(etcd, 'etcd /health', async () => {
      const res = await fetch(`http://127.0.0.1:${String(etcdPort)}/health`, { signal: AbortSignal.timeout(2_000) });
      return res.ok ? true : undefined;
    });

    const server = `https://127.0.0.1:${String(apiPort)}`;
    const auditLog = join(dir, 'logs', 'audit.log');
    const auditArgs: string[] = [];
    if (options.audit === true) {
      const policy = join(dir, 'audit-policy.yaml');
      await writeFile(policy, AUDIT_POLICY);
      auditArgs.push(`--audit-policy-file=${policy}`, `--audit-log-path=${auditLog}`, '--audit-log-format=json', '--audit-log-mode=blocking', '--audit-log-maxsize=0');
    }
    const apiserverArgs = [...apiServerArgs(dir, apiPort, etcdPort, pki), ...auditArgs, ...(options.apiServerArgs ?? [])];
    const startApiServer = async (): Promise<void> => {
      const apiserver = start('kube-apiserver', apiserverArgs);
      await awaitReady(apiserver, 'kube-apiserver /readyz', async () => ((await httpsStatus(`${server}/readyz`, pki)) === 200 ? true : undefined));
    };
    await startApiServer();

    const kubeconfigPath = join(dir, 'admin.kubeconfig');
    await writeFile(kubeconfigPath, adminKubeconfig(server, pki), { mode: 0o600 });
    const kubeConfig = await loadKubeConfig(kubeconfigPath);
    const client = createKubeClient(kubeConfig, { fieldManager: 'kruise-ts-test' });

    if (options.crds !== undefined && options.crds.length > 0) await installCrds(client, options.crds);
    if (options.controllerManager === true) start('kube-controller-manager', controllerManagerArgs(kubeconfigPath, pki, options.controllerManagerControllers));
    if (options.scheduler === true) {
      const config = join(dir, 'scheduler.yaml');
      await writeFile(config, schedulerConfig(kubeconfigPath));
      start('kube-scheduler', [`--config=${config}`, '--bind-address=127.0.0.1', '--secure-port=0']);
    }
    const specs = nodeSpecs(options.nodes);
    const nodes = specs.map(nodeObject);
    let added = 0;
    if (nodes.length > 0) {
      const config = join(dir, 'kwok.yaml');
      await writeFile(config, await kwokConfig(options.imageDigests === undefined ? {} : { imageDigests: options.imageDigests }));
      const kwok = start('kwok', [
        `--kubeconfig=${kubeconfigPath}`,
        `--config=${config}`,
        // Only the harness's nodes (a real kubelet's node next to them is not kwok's to heartbeat).
        `--manage-nodes-with-annotation-selector=${KWOK_NODE_ANNOTATION}=fake`,
        '--cidr=10.64.0.0/12',
        '--node-ip=192.168.0.1',
        '--node-lease-duration-seconds=40',
      ]);
      for (const node of nodes) await client.create(Resources.Node, node);
      await awaitReady(kwok, `${String(nodes.length)} kwok node(s) Ready`, async () => {
        const list = await client.list(Resources.Node, { labelSelector: 'type=kwok' });
        const ready = list.items.filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true);
        return ready.length >= nodes.length ? true : undefined;
      });
      // The apiserver taints new nodes not-ready; without node-lifecycle-controller (left off so
      // a late kwok heartbeat never evicts pods) nobody lifts it: do what it would do once.
      for (const node of nodes) await removeNotReadyTaints(client, node.metadata.name ?? '');
    }
    for (const p of processes) {
      if (!p.isRunning()) throw new TestClusterError({ component: p.name, failure: 'exited-early', message: 'exited during start-up', logTail: await p.logTail(25) });
    }

    return {
      kubeConfig,
      kubeconfigPath,
      client,
      server,
      caPem: pki.ca.certPem,
      dir,
      nodes: nodes.map((n) => n.metadata.name ?? ''),
      addNode: async (spec = {}) => {
        const node = nodeObject(spec, specs.length + added++);
        const name = node.metadata.name ?? '';
        await client.create(Resources.Node, node);
        await pollUntil(async () => {
          const current = await client.get(Resources.Node, { name });
          return current.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true ? true : undefined;
        }, { timeoutMs: 60_000, intervalMs: 100, what: `kwok node ${name} Ready` });
        await removeNotReadyTaints(client, name);
        return name;
      },
      kubeconfigFor: async (user, groups = []) => {
        const path = join(dir, `${user.replace(/[^a-zA-Z0-9-]/g, '_')}.kubeconfig`);
        await writeFile(path, userKubeconfig(server, pki, user, groups), { mode: 0o600 });
        return path;
      },
      logTail: async (component, lines) => (await processes.findLast((p) => p.name === component)?.logTail(lines)) ?? '',
      restartApiServer: async () => {
        const old = processes.filter((p) => p.name === 'kube-apiserver');
        await Promise.all(old.map((p) => p.stop(10_000)));
        processes.splice(0, processes.length, ...processes.filter((p) => !old.includes(p)));
        await startApiServer();
      },
      pauseEtcd: async (ms) => {
        const etcdProcess = processes.find((p) => p.name === 'etcd');
        if (etcdProcess === undefined) throw new Error('pauseEtcd: etcd is not running');
        process.kill(-etcdProcess.pid, 'SIGSTOP');
        try {
          await new Promise((resolve) => setTimeout(resolve, ms));
        } finally {
          process.kill(-etcdProcess.pid, 'SIGCONT');
        }
      },
      auditEvents: () => (options.audit === true ? readAuditLog(auditLog) : Promise.resolve([])),
      stop,
      [Symbol.asyncDispose]: stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
