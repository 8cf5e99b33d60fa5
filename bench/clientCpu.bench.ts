/**
 * CPU per request of the kruise-ts KubeClient (`createKubeClient`) against a real kube-apiserver:
 * what the manager's HTTP path costs for each GET, merge PATCH (with its response parsed) and
 * watch event, on objects the size of a kwok pod (about 4 KiB of JSON). The manager's CPU in the
 * 500-pod cluster bench is mostly this path and the JSON it parses.
 *
 *   pnpm --filter @kruise-ts/bench client-cpu [requests]
 *
 * Prints microseconds of this process's CPU (user + system, `process.cpuUsage`) per request, 8
 * requests in flight, no rate limit; the watch line is the CPU of a patch loop with a watch open
 * minus the same loop without one, per event. Never asserts a time.
 */
import { Resources, createKubeClient, loadKubeConfig, type KubeClient } from '@kruise-ts/k8s-adapter';
import { startTestCluster } from '@kruise-ts/k8s-adapter/testing';

const REQUESTS = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 3000);
const OBJECTS = 100;
const IN_FLIGHT = 8;
const NS = 'client-cpu';

// About the JSON size of a kwok pod with its managedFields.
const payload = (i: number): Record<string, string> => Object.fromEntries(Array.from({ length: 40 }, (_, k) => [`key-${String(k)}`, `value-${String(i)}-${String(k)}-`.padEnd(80, 'x')]));

async function inFlight(count: number, one: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
    while (next < count) await one(next++);
  }));
}

function cpuMicros(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

async function measure(label: string, count: number, body: () => Promise<void>): Promise<number> {
  const before = cpuMicros();
  const started = performance.now();
  await body();
  const micros = cpuMicros() - before;
  const seconds = (performance.now() - started) / 1000;
  console.log(`${label.padEnd(34)} ${String(count).padStart(6)} × ${(micros / count).toFixed(0).padStart(5)} µs CPU each  (${(count / seconds).toFixed(0)}/s)`);
  return micros;
}

async function main(): Promise<void> {
  const cluster = await startTestCluster({ nodes: 0 });
  try {
    const client: KubeClient = createKubeClient(await loadKubeConfig(cluster.kubeconfigPath));
    await client.create(Resources.Namespace, { metadata: { name: NS } });
    await inFlight(OBJECTS, (i) => client.create(Resources.ConfigMap, { metadata: { name: `cm-${String(i)}`, namespace: NS }, data: payload(i) }));
    // Warm up: connection, TLS, JIT.
    await inFlight(200, (i) => client.get(Resources.ConfigMap, { namespace: NS, name: `cm-${String(i % OBJECTS)}` }));
    console.log(`\nKubeClient CPU per request (real kube-apiserver, node ${process.version}, ${String(IN_FLIGHT)} in flight, ConfigMaps of ${String(JSON.stringify(payload(0)).length)} bytes of data):`);
    await measure('GET', REQUESTS, () => inFlight(REQUESTS, (i) => client.get(Resources.ConfigMap, { namespace: NS, name: `cm-${String(i % OBJECTS)}` })));
    const patch = (i: number) => client.patch(Resources.ConfigMap, { namespace: NS, name: `cm-${String(i % OBJECTS)}` }, { type: 'merge', body: { metadata: { labels: { round: String(i) } } } });
    const patches = await measure('merge PATCH', REQUESTS, () => inFlight(REQUESTS, patch));
    await measure(`LIST of ${String(OBJECTS)}`, 50, () => inFlight(50, () => client.list(Resources.ConfigMap, { namespace: NS })));
    // A second client's watch sees every patch: its CPU is the difference.
    const watcher = createKubeClient(await loadKubeConfig(cluster.kubeconfigPath));
    const stop = new AbortController();
    let events = 0;
    const { resourceVersion } = await watcher.list(Resources.ConfigMap, { namespace: NS });
    const watching = (async () => {
      for await (const event of watcher.watch(Resources.ConfigMap, { namespace: NS, resourceVersion, signal: stop.signal })) if (event.type === 'MODIFIED') events++;
    })().catch(() => undefined);
    const before = cpuMicros();
    await inFlight(REQUESTS, (i) => patch(i + REQUESTS));
    while (events < REQUESTS) await new Promise((resolve) => setTimeout(resolve, 20));
    const withWatch = cpuMicros() - before;
    stop.abort();
    await watching;
    console.log(`${'watch event (decoded)'.padEnd(34)} ${String(events).padStart(6)} × ${((withWatch - patches) / events).toFixed(0).padStart(5)} µs CPU each`);
  } finally {
    await cluster.stop();
  }
}

await main();
