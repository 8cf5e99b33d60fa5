/**
 * The daemon's pod probe loop on a busy node, on the in-memory cluster, the fake container runtime
 * and the fake clock: one NodePodProbe with 100 pods × 2 exec probes (period 1 s, thresholds 1),
 * each probe flipping between Succeeded and Failed every 20 s (phases spread over the pods), for
 * 120 s of fake time. Runs the real controller (`createPodProbeController`: informer, one worker per
 * probe, results manager, throttled status writer) and prints: probe runs (CRI execs), result
 * changes, NodePodProbe status writes (and what OpenKruise's 0.5/s, burst-5 limit allows), status
 * size, process CPU time. Never asserts a number.
 *
 *   pnpm --filter @kruise-ts/bench podprobe
 */
import { performance } from 'node:perf_hooks';
import type { NodePodProbe } from '@kruise-ts/core';
import { createPodProbeController } from '@kruise-ts/daemon';
import { createFakeContainerRuntime } from '@kruise-ts/daemon/testing';
import { KruiseResources, createMemoryCluster } from '@kruise-ts/k8s-adapter';

const PODS = 100;
const PROBES = ['ready', 'idle'];
const FLIP_MS = 20_000;
const RUN_MS = 120_000;

const cluster = await createMemoryCluster({ nodes: 0, historyLimit: 50 });
cluster.registerResource(KruiseResources.NodePodProbe);
const runtime = createFakeContainerRuntime();
const podOf = new Map<string, number>();
for (let i = 0; i < PODS; i++) podOf.set(runtime.add({ podUid: `u${String(i)}`, name: 'main', createdAt: cluster.clock.now() - 60_000 }), i);
const start = cluster.clock.now();
runtime.setExec((id, cmd) => {
  const phase = (podOf.get(id) ?? 0) * 997 + (cmd[1] === '/idle' ? 5_000 : 0);
  const ok = Math.floor((cluster.clock.now() - start + phase) / FLIP_MS) % 2 === 0;
  return ok ? { exitCode: 0, stdout: 'ok', stderr: '' } : { exitCode: 1, stdout: '', stderr: 'not yet' };
});
const npp = {
  apiVersion: 'apps.kruise.io/v1alpha1',
  kind: 'NodePodProbe',
  metadata: { name: 'node-a' },
  spec: { podProbes: Array.from({ length: PODS }, (_, i) => ({ name: `web-${String(i)}`, namespace: 'default', uid: `u${String(i)}`, IP: '10.0.0.5', probes: PROBES.map((p) => ({ name: `game#${p}`, containerName: 'main', probe: { exec: { command: ['cat', `/${p}`] }, periodSeconds: 1 } })) })) },
} satisfies NodePodProbe;
await cluster.client.create(KruiseResources.NodePodProbe, npp);

let seed = 42;
const random = (): number => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
const cpu = process.cpuUsage();
const wall = performance.now();
let changes = 0;
const controller = createPodProbeController({ client: cluster.client, nodeName: 'node-a', runtime, clock: cluster.clock, random, events: { emit: () => { changes += 1; } } });
const abort = new AbortController();
const running = controller.run(abort.signal);
for (let t = 0; t < RUN_MS; t += 1000) await cluster.clock.advance(1000);
const cpuUsed = process.cpuUsage(cpu);
const wallMs = performance.now() - wall;
const writes = cluster.faults.writes({ resource: 'nodepodprobes', subresource: 'status' }).succeeded;
const status = (await cluster.client.get(KruiseResources.NodePodProbe, { name: 'node-a' })).status;
abort.abort();
await running;
await cluster.close();
const execs = runtime.calls.filter((c) => c.kind === 'exec').length;
process.stdout.write(
  [
    `${String(PODS)} pods × ${String(PROBES.length)} exec probes, period 1 s, each flipping every ${String(FLIP_MS / 1000)} s, ${String(RUN_MS / 1000)} s of fake time`,
    `  probe runs ${String(execs)}, probe state changes written ${String(changes)} (as KruiseProbe events)`,
    `  NodePodProbe status writes ${String(writes)} (OpenKruise's limit 0.5/s burst 5 allows ${String(5 + Math.floor((RUN_MS / 1000) * 0.5))}), ${String(Math.round(JSON.stringify(status).length / 1024))} KiB each`,
    `  cpu ${((cpuUsed.user + cpuUsed.system) / 1000).toFixed(0)} ms (wall ${wallMs.toFixed(0)} ms)`,
    '',
  ].join('\n'),
);
