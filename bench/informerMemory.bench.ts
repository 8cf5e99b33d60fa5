/**
 * Memory of the informer caches with many pods: a real test cluster (etcd + kube-apiserver + 10
 * kwok nodes) holding N pods (default 10,000) pinned to the nodes (kwok runs them; no scheduler),
 * then, in this process, one informer per kind started in turn (nodes, pods whole, pods
 * without managedFields as the manager caches them), each measured after a forced GC: heap used
 * and bytes per object. Last, the built kruise-ts-manager (CloneSet controller, watching the same
 * namespace) is started and its resident set read once its memory stops growing. Never asserts.
 *
 *   pnpm --filter @kruise-ts/bench memory [pods] [--memory-limit=512]   (builds every package first)
 *
 * The manager runs with the `kruise-ts-manager` command's node flags; `--memory-limit=<MiB>` also
 * starts it in a memory cgroup of that size, as in its container under the chart's limit (node
 * sizes its heap from it; root only, see memoryCgroup.ts).
 */
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Resources, createInformer, type KubeClient, type KubeObject, type ResourceType } from '@kruise-ts/k8s-adapter';
import { startTestCluster } from '@kruise-ts/k8s-adapter/testing';
import { crdFile, MANAGER_USER, replicasArg, startBenchManager, until } from './clusterBench.js';

const PODS = replicasArg(10_000);
const MEMORY_LIMIT = process.argv.find((a) => a.startsWith('--memory-limit='))?.slice('--memory-limit='.length);
const MEMORY_LIMIT_MIB = MEMORY_LIMIT === undefined ? undefined : Number(MEMORY_LIMIT);
const NODES = 10;
const NAMESPACE = 'bench-memory';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Heap used after two full collections, in bytes. */
function heapUsed(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** Resident set of process `pid` now (VmRSS), in MiB. */
function rssMiB(pid: number): number {
  const kib = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${String(pid)}/status`, 'utf8'))?.[1] ?? 0);
  return kib / 1024;
}

/** Creates `count` pods pinned round-robin to the kwok nodes, 64 requests in flight. */
async function createPods(client: KubeClient, nodes: readonly string[], count: number): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < count; i = next++) {
      const name = `pod-${String(i).padStart(5, '0')}`;
      await client.create(Resources.Pod, {
        metadata: { name, namespace: NAMESPACE, labels: { app: 'bench', shard: String(i % 16) } },
        spec: { nodeName: nodes[i % nodes.length] ?? '', containers: [{ name: 'app', image: 'nginx:1.25', resources: { requests: { cpu: '10m', memory: '16Mi' } } }] },
      });
    }
  };
  await Promise.all(Array.from({ length: 64 }, worker));
}

/**
 * Starts an informer over `type` (with `transform`, default the informers' own: managedFields
 * dropped), waits for its list, and returns the heap it added and its object count.
 */
async function measure<T extends KubeObject>(client: KubeClient, type: ResourceType<T>, transform?: (o: T) => T): Promise<{ bytes: number; objects: number; stop: () => void }> {
  const before = heapUsed();
  const informer = createInformer(client, type, { ...(type.namespaced ? { namespace: NAMESPACE } : {}), ...(transform === undefined ? {} : { transform }) });
  await informer.synced;
  return { bytes: heapUsed() - before, objects: informer.store.list().length, stop: () => {
      informer.stop();
    } };
}

const cluster = await startTestCluster({
  nodes: Array.from({ length: NODES }, (_, i) => ({ zone: `zone-${String(i % 3)}`, allocatable: { cpu: '1000', memory: '4096Gi', pods: String(PODS) } })),
  crds: [crdFile('apps.kruise.io_clonesets.yaml')],
});
const lines: string[] = [];
try {
  const { client } = cluster;
  await client.create(Resources.Namespace, { metadata: { name: NAMESPACE } });
  const nodes = (await client.list(Resources.Node)).items.map((n) => n.metadata.name ?? '');
  const t0 = performance.now();
  await createPods(client, nodes, PODS);
  lines.push(`${String(PODS)} pods created in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  await until('kwok runs every pod', async () => (await client.list(Resources.Pod, { namespace: NAMESPACE })).items.filter((p) => p.status?.phase === 'Running').length === PODS);

  const row = (label: string, m: { bytes: number; objects: number }): string =>
    `${label.padEnd(36)} ${String(m.objects).padStart(6)} objects  heap ${(m.bytes / 2 ** 20).toFixed(1).padStart(7)} MiB  ${(m.bytes / Math.max(1, m.objects) / 1024).toFixed(2).padStart(6)} KiB/object`;
  const baseline = heapUsed();
  lines.push(`this process: heap used before any informer ${(baseline / 2 ** 20).toFixed(1)} MiB`);
  const nodeCache = await measure(client, Resources.Node);
  lines.push(row('nodes (managedFields dropped)', nodeCache));
  const whole = await measure(client, Resources.Pod, (o) => o);
  lines.push(row('pods, whole objects', whole));
  whole.stop();
  const slim = await measure(client, Resources.Pod);
  lines.push(row('pods (managedFields dropped, default)', slim));
  slim.stop();
  nodeCache.stop();

  const kubeconfig = await cluster.kubeconfigFor(MANAGER_USER, ['system:masters']);
  const manager = startBenchManager(kubeconfig, 'cloneset', NAMESPACE, [], { memoryLimitMiB: MEMORY_LIMIT_MIB });
  // The manager's informers list every pod of the namespace; its memory settles once they synced.
  let previous = 0;
  let stable = 0;
  await until('the manager memory settles', () => {
    const now = rssMiB(manager.pid);
    stable = Math.abs(now - previous) < 1 ? stable + 1 : 0;
    previous = now;
    return Promise.resolve(stable >= 50); // 10 s without growing by 1 MiB
  });
  const peak = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${String(manager.pid)}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  const limit = MEMORY_LIMIT_MIB === undefined ? 'no memory limit' : `memory cgroup of ${String(MEMORY_LIMIT_MIB)} MiB`;
  lines.push(`kruise-ts-manager (CloneSet controller, ${limit}) with ${String(PODS)} pods cached: RSS ${previous.toFixed(0)} MiB, peak ${peak.toFixed(0)} MiB`);
  await manager.stop();
} finally {
  await cluster.stop();
}
process.stdout.write(`\nInformer memory on a real apiserver + kwok (node ${process.version}):\n${lines.join('\n')}\n`);
