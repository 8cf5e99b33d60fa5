/**
 * Times the kruise-ts-manager (built, `packages/controllers/dist/main.js`, CloneSet controller only, no
 * webhooks) on a real test cluster
 * (etcd + kube-apiserver + kube-scheduler + kwok, 10 simulated nodes): a CloneSet going 0→500
 * Ready pods, an in-place image rollout of the 500 pods (maxUnavailable 20%), then 500→0, once at
 * the manager's default client rate limit (--rest-config-qps 30, burst 50) and once unlimited.
 * Prints seconds, pods/second, the manager's peak RSS (VmHWM) and CPU seconds, and the manager's API
 * writes per pod for each phase (by verb and resource, events and 409 conflicts), counted from the
 * kube-apiserver's audit log (the manager runs as its own user). The physical limit comes first: a
 * bare client creating the same pods (all at once, through a 30/50 rate limit), waiting until they
 * are Ready, then deleting them. Never asserts a time.
 *
 *   pnpm --filter @kruise-ts/bench cluster [replicas] [--node-options="..."] [--memory-limit=512] [--scenarios=bare,default-qps,unlimited-qps]
 *
 * (builds every package first). `--node-options` is the manager's NODE_OPTIONS, to measure V8
 * flags (default `--max-semi-space-size=4`, what the `kruise-ts-manager` command runs with);
 * `--memory-limit=<MiB>` runs the manager in a memory cgroup of that size, as in its container
 * under the chart's limit (512Mi; node sizes its heap from it; root only, see memoryCgroup.ts);
 * `--scenarios` runs only the named ones.
 */
import { loadavg } from 'node:os';
import { Resources, createKubeClient, loadKubeConfig, type KubeClient } from '@kruise-ts/k8s-adapter';
import { perPod } from './auditWrites.js';
import { cpuSeconds, crdFile, imagePatch, isRolledOut, managerWrites, peakRssMiB, phase, replicasArg, startBenchManager, until, withBenchCluster } from './clusterBench.js';

const REPLICAS = replicasArg();
const option = (name: string): string | undefined => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
// The flags the `kruise-ts-manager` command starts node with (bin/kruise-ts-manager.js, ADR 0024):
// this bench runs dist/main.js itself. `--node-options=` (empty) measures node's defaults.
const NODE_OPTIONS = option('node-options') ?? '--max-semi-space-size=4';
const SCENARIOS = (option('scenarios') ?? 'bare,default-qps,unlimited-qps').split(',');
const MEMORY_LIMIT = option('memory-limit');
const MEMORY_LIMIT_MIB = MEMORY_LIMIT === undefined ? undefined : Number(MEMORY_LIMIT);

async function scenario(client: KubeClient, kubeconfig: string, auditLog: string, label: string, qpsArgs: string[]): Promise<string[]> {
  const ns = `bench-${label}`;
  await client.create(Resources.Namespace, { metadata: { name: ns } });
  // The manager inherits this process's environment when it is spawned.
  const inherited = process.env.NODE_OPTIONS;
  process.env.NODE_OPTIONS = NODE_OPTIONS;
  const manager = startBenchManager(kubeconfig, 'cloneset', ns, qpsArgs, { memoryLimitMiB: MEMORY_LIMIT_MIB, nodeArgs: [] });
  if (inherited === undefined) delete process.env.NODE_OPTIONS;
  else process.env.NODE_OPTIONS = inherited;
  const labels = { app: 'bench' };
  const cloneSet = {
    metadata: { name: 'bench', namespace: ns },
    spec: {
      replicas: REPLICAS,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'nginx:1.25' }] } },
      updateStrategy: { type: 'RollingUpdate' as const, rollingUpdate: { podUpdatePolicy: 'InPlaceIfPossible' as const, maxUnavailable: '20%' } },
    },
  };
  const status = async () => (await client.get(Resources.CloneSet, { name: 'bench', namespace: ns })).status;
  const scale = await phase(auditLog, async () => {
    await client.create(Resources.CloneSet, cloneSet);
    await until('all pods ready', async () => (await status())?.readyReplicas === REPLICAS);
  });
  const oldRevision = (await status())?.updateRevision;
  const rollout = await phase(
    auditLog,
    async () => {
      await client.patch(Resources.CloneSet, { name: 'bench', namespace: ns }, imagePatch('nginx:1.26'));
      await until('rollout done', async () => isRolledOut(await status(), oldRevision, REPLICAS));
    },
    scale,
  );
  const down = await phase(
    auditLog,
    async () => {
      await client.patch(Resources.CloneSet, { name: 'bench', namespace: ns }, { type: 'merge', body: { spec: { replicas: 0 } } });
      await until('all pods gone', async () => (await client.list(Resources.Pod, { namespace: ns })).items.length === 0);
    },
    rollout,
  );
  const rss = peakRssMiB(manager.pid);
  const cpu = cpuSeconds(manager.pid);
  const stopping = performance.now();
  await manager.stop();
  const exitMs = performance.now() - stopping;
  const rate = (s: number): string => (REPLICAS / s).toFixed(1);
  const [scaleWrites, rolloutOnly, downWrites] = await managerWrites(auditLog, ns, [scale, rollout, down]);
  return [
    `${label.padEnd(28)} 0→${String(REPLICAS)} ready ${scale.seconds.toFixed(1).padStart(6)} s (${rate(scale.seconds).padStart(6)} pods/s)   in-place rollout ${rollout.seconds.toFixed(1).padStart(6)} s (${rate(rollout.seconds).padStart(6)} pods/s)   ${String(REPLICAS)}→0 ${down.seconds.toFixed(1).padStart(6)} s`,
    `${''.padEnd(28)} manager peak RSS ${rss.toFixed(0)} MiB, CPU ${cpu.toFixed(1)} s, exit after SIGTERM ${exitMs.toFixed(0)} ms, writes in the run ${String(scaleWrites.total + rolloutOnly.total + downWrites.total)}, load average (1, 5 min) ${loadavg().slice(0, 2).map((l) => l.toFixed(1)).join(', ')}`,
    `${''.padEnd(28)} manager writes, 0→${String(REPLICAS)}: ${perPod(scaleWrites, REPLICAS)}`,
    `${''.padEnd(28)} manager writes, in-place rollout: ${perPod(rolloutOnly, REPLICAS)}`,
    `${''.padEnd(28)} manager writes, ${String(REPLICAS)}→0: ${perPod(downWrites, REPLICAS)}`,
  ];
}

/** The physical limit: a bare client at QPS 30/50 creates the pods at once and waits until they are Ready, then deletes them. */
async function bareClient(client: KubeClient, kubeconfig: string): Promise<string[]> {
  const ns = 'bench-bare';
  await client.create(Resources.Namespace, { metadata: { name: ns } });
  const limited = createKubeClient(await loadKubeConfig(kubeconfig), { rateLimit: { qps: 30, burst: 50 }, userAgent: 'bench-bare-client' });
  const names = Array.from({ length: REPLICAS }, (_, i) => `bare-${String(i)}`);
  const ready = async (): Promise<number> =>
    (await client.list(Resources.Pod, { namespace: ns })).items.filter((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length;
  const t0 = performance.now();
  await Promise.all(names.map((name) => limited.create(Resources.Pod, { metadata: { name, namespace: ns }, spec: { containers: [{ name: 'app', image: 'nginx:1.25' }] } })));
  await until('bare pods ready', async () => (await ready()) === REPLICAS);
  const createSeconds = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  await Promise.all(names.map((name) => limited.delete(Resources.Pod, { name, namespace: ns })));
  await until('bare pods gone', async () => (await client.list(Resources.Pod, { namespace: ns })).items.length === 0);
  const deleteSeconds = (performance.now() - t1) / 1000;
  return [`${'bare client, QPS 30/50'.padEnd(28)} 0→${String(REPLICAS)} ready ${createSeconds.toFixed(1).padStart(6)} s   ${String(REPLICAS)}→0 ${deleteSeconds.toFixed(1).padStart(6)} s   (${String(2 * REPLICAS)} writes)`];
}

const lines = await withBenchCluster([crdFile('apps.kruise.io_clonesets.yaml')], async ({ client, managerKubeconfig, auditLog }) => [
  ...(SCENARIOS.includes('bare') ? await bareClient(client, managerKubeconfig) : []),
  ...(SCENARIOS.includes('default-qps') ? await scenario(client, managerKubeconfig, auditLog, 'default-qps', []) : []),
  ...(SCENARIOS.includes('unlimited-qps') ? await scenario(client, managerKubeconfig, auditLog, 'unlimited-qps', ['--rest-config-qps=0']) : []),
]);
const load = loadavg().map((l) => l.toFixed(1)).join(' ');
process.stdout.write(
  `\nCloneSet on a real apiserver + kwok (${String(REPLICAS)} replicas, manager from dist/, node ${process.version}, manager NODE_OPTIONS "${NODE_OPTIONS}", ${MEMORY_LIMIT_MIB === undefined ? 'no memory limit' : `memory cgroup of ${String(MEMORY_LIMIT_MIB)} MiB`}, load average at the end ${load}):\n${lines.join('\n')}\n`,
);
