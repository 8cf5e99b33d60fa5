/**
 * Soak (issue 20; not CI): `--pods` pods across `--clonesets` CloneSets for `--minutes`, a random
 * spec edit every `--edit-every` seconds (an image change, rolled out in place, or a replicas
 * change of ±25 %), the manager SIGKILLed every `--kill-every` seconds on average (restarted at
 * once), all seeded; the last `--calm-minutes` of edits have no kill, so the manager alive at the
 * end has lived through them. Prints the manager's RSS and heap after its first sync and at the
 * end (once every CloneSet settled), the last manager's memory sampled every 30 s over its life,
 * its peak RSS, its writes (audit log), the kills, and the invariants once the edits stop and every
 * CloneSet settled: exactly the desired pods, every pod on its CloneSet's image and ready, no
 * instance id created twice, no pod created by an image change (in place only).
 *
 * The issue's long form: `--pods 2000 --clonesets 50 --minutes 30` (defaults are a 5-minute short form).
 *
 *   pnpm --filter @kruise-ts/bench soak [--pods 200] [--clonesets 10] [--minutes 5] [--calm-minutes M/3] [--edit-every 3] [--kill-every 60] [--seed N]
 */
import { loadavg } from 'node:os';
import { CLONESET_INSTANCE_ID_LABEL, type Pod } from '@kruise-ts/core';
import { aCloneSet } from '@kruise-ts/core/testing';
import { KruiseResources, Resources, TransportError } from '@kruise-ts/k8s-adapter';
import { auditMark, tallyWrites } from './auditWrites.js';
import { seededRandom } from '@kruise-ts/k8s-adapter/testing';
import { forCreate, isServing, watchPods } from '../packages/controllers/test/chaos/chaosHarness.js';
import { MANAGER_USER, crdFile, imagePatch, peakRssMiB, startBenchManager, until, withBenchCluster, type BenchManager } from './clusterBench.js';
import { positiveArg } from './positiveArg.js';

const arg = positiveArg;
const pods = arg('pods', 200);
const cloneSets = arg('clonesets', 10);
const minutes = arg('minutes', 5);
const editEverySeconds = arg('edit-every', 3);
const killEverySeconds = arg('kill-every', 60);
const calmMinutes = Math.min(minutes, arg('calm-minutes', Math.max(1, Math.round(minutes / 3))));
const seed = arg('seed', Math.floor(Math.random() * 2 ** 31));
const random = seededRandom(seed);
const perSet = Math.max(1, Math.floor(pods / cloneSets));
const ns = 'soak';
const names = Array.from({ length: cloneSets }, (_, i) => `web-${String(i)}`);

/**
 * Runs a request of the soak's own client again when the apiserver did not answer in time (at load
 * 20 on 2 cores a list of 2,000 pods has taken longer than the client's timeout): the soak measures
 * the manager, and its own reads must not end the run.
 */
async function patiently<T>(request: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await request();
    } catch (error) {
      if (!(error instanceof TransportError) || attempt >= 10) throw error;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

/** The manager's memory from its metrics endpoint (its URL is in its first log line). */
async function memoryOf(manager: BenchManager): Promise<{ rssMiB: number; heapMiB: number }> {
  const url = /"metrics":"([^"]+)"/.exec(manager.output())?.[1];
  if (url === undefined) throw new Error('the manager logged no metrics address');
  const text = await (await fetch(`${url.replace(/\/metrics$/, '')}/metrics`)).text();
  const value = (metric: string): number => Number(new RegExp(`^${metric} ([0-9.e+]+)`, 'm').exec(text)?.[1] ?? Number.NaN);
  return { rssMiB: value('process_resident_memory_bytes') / 2 ** 20, heapMiB: value('nodejs_heap_size_used_bytes') / 2 ** 20 };
}

process.stdout.write(`soak: seed ${String(seed)}, ${String(perSet * cloneSets)} pods in ${String(cloneSets)} CloneSets, ${String(minutes)} min, an edit every ${String(editEverySeconds)} s, a kill every ~${String(killEverySeconds)} s, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);

await withBenchCluster([crdFile('apps.kruise.io_clonesets.yaml')], async ({ client, managerKubeconfig, auditLog }) => {
  await client.create(Resources.Namespace, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  const start = (): BenchManager => startBenchManager(managerKubeconfig, 'cloneset', ns, ['--log-level=info']);
  let manager = start();
  // Whatever ends this process (a failed check included), the manager it started ends with it.
  process.on('exit', () => {
    try {
      process.kill(manager.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  });
  const desired = new Map(names.map((n) => [n, perSet]));
  const images = new Map(names.map((n) => [n, 'nginx:1.25']));
  const total = (): number => [...desired.values()].reduce((a, b) => a + b, 0);
  const seen = watchPods(client, ns, total, (p: Pod) => p.metadata.labels?.[CLONESET_INSTANCE_ID_LABEL] ?? p.metadata.name ?? '');
  await seen.listed;
  const from = auditMark(auditLog);
  for (const name of names) {
    await client.create(KruiseResources.CloneSet, forCreate(aCloneSet({ name, namespace: ns, replicas: perSet, maxUnavailable: '20%', podUpdatePolicy: 'InPlaceIfPossible', containers: [{ name: 'app', image: 'nginx:1.25' }] })));
  }
  const settled = async (): Promise<boolean> => {
    const live = (await patiently(() => client.list(Resources.Pod, { namespace: ns }))).items.filter((p) => p.metadata.deletionTimestamp === undefined);
    for (const name of names) {
      const cs = await patiently(() => client.get(KruiseResources.CloneSet, { name, namespace: ns }));
      const mine = live.filter((p) => p.metadata.labels?.app === name);
      const want = desired.get(name) ?? 0;
      const status = cs.status;
      if (status === undefined || status.observedGeneration !== cs.metadata.generation || status.updatedReadyReplicas !== want || status.readyReplicas !== want) return false;
      if (mine.length !== want || !mine.every((p) => p.spec.containers[0]?.image === images.get(name) && isServing(p))) return false;
    }
    return true;
  };
  // One check every 5 s: each lists every pod (2,000 in the long form), a load of its own.
  const settledNow = async (): Promise<boolean> => {
    await new Promise((r) => setTimeout(r, 5000));
    return settled();
  };
  const t0 = performance.now();
  await until('the first sync', settledNow, 900_000);
  const startup = (performance.now() - t0) / 1000;
  const before = await memoryOf(manager);
  const createdBeforeEdits = seen.created.length;
  process.stdout.write(`created and ready in ${startup.toFixed(1)} s; manager RSS ${before.rssMiB.toFixed(0)} MiB, heap ${before.heapMiB.toFixed(0)} MiB\n`);

  let edits = 0;
  let imageEdits = 0;
  let scaleUps = 0;
  let kills = 0;
  let peak = peakRssMiB(manager.pid);
  const end = performance.now() + minutes * 60_000;
  const lastKillAt = end - calmMinutes * 60_000;
  // The memory of the manager now running, every 30 s (reset when a kill replaces it).
  let samples: { atSeconds: number; rssMiB: number; heapMiB: number }[] = [];
  let startedAt = performance.now();
  const sampler = setInterval(() => {
    void memoryOf(manager).then(
      (m) => samples.push({ atSeconds: (performance.now() - startedAt) / 1000, ...m }),
      () => undefined, // the manager is restarting: no sample
    );
  }, 30_000);
  let nextKill = performance.now() + random() * 2 * killEverySeconds * 1000;
  let version = 25;
  while (performance.now() < end) {
    await new Promise((r) => setTimeout(r, editEverySeconds * 1000));
    const name = names[Math.floor(random() * names.length)] ?? 'web-0';
    if (random() < 0.6) {
      const image = `nginx:1.${String(++version)}`;
      images.set(name, image);
      await patiently(() => client.patch(KruiseResources.CloneSet, { name, namespace: ns }, imagePatch(image)));
      imageEdits++;
    } else {
      const next = Math.max(1, Math.round(perSet * (0.75 + random() * 0.5)));
      if (next > (desired.get(name) ?? 0)) scaleUps += next - (desired.get(name) ?? 0);
      desired.set(name, next);
      await patiently(() => client.patch(KruiseResources.CloneSet, { name, namespace: ns }, { type: 'merge', body: { spec: { replicas: next } } }));
    }
    edits++;
    if (performance.now() >= nextKill && performance.now() < lastKillAt) {
      peak = Math.max(peak, peakRssMiB(manager.pid));
      await manager.kill('SIGKILL');
      manager = start();
      samples = [];
      startedAt = performance.now();
      kills++;
      nextKill = performance.now() + random() * 2 * killEverySeconds * 1000;
    }
  }
  const t1 = performance.now();
  await until('every CloneSet settled after the edits', settledNow, 900_000);
  const settleSeconds = (performance.now() - t1) / 1000;
  clearInterval(sampler);
  await new Promise((r) => setTimeout(r, 30_000)); // idle: what the caches and the heap keep at rest
  const after = await memoryOf(manager);
  const lifeMinutes = (performance.now() - startedAt) / 60_000;
  const sampled = samples.length === 0 ? 'no samples' : [samples[0], samples[Math.floor(samples.length / 2)], samples.at(-1)].map((m) => (m === undefined ? '' : `${(m.atSeconds / 60).toFixed(1)} min: RSS ${m.rssMiB.toFixed(0)} heap ${m.heapMiB.toFixed(0)}`)).join(', ');
  peak = Math.max(peak, peakRssMiB(manager.pid));
  await seen.stop();
  await manager.stop();
  await new Promise((r) => setTimeout(r, 1000)); // the audit log is written as requests complete
  const writes = tallyWrites(auditLog, from, MANAGER_USER, ns);

  const live = (await patiently(() => client.list(Resources.Pod, { namespace: ns }))).items.filter((p) => p.metadata.deletionTimestamp === undefined);
  const twice = [...seen.createdPerInstance].filter(([, n]) => n > 1).map(([id]) => id);
  const violations = [
    ...(live.length === total() ? [] : [`${String(live.length)} pods for ${String(total())}`]),
    ...(twice.length === 0 ? [] : [`instance ids created twice: ${twice.join(' ')}`]),
    ...(seen.doubled.size === 0 ? [] : [`two live pods for one instance id: ${[...seen.doubled].join(' ')}`]),
    // Image changes are in place: pods are created only by scale-ups (at most their sum).
    ...(seen.created.length - createdBeforeEdits <= scaleUps ? [] : [`${String(seen.created.length - createdBeforeEdits)} pods created for at most ${String(scaleUps)} by scale-ups`]),
  ];
  process.stdout.write(
    [
      `edits ${String(edits)} (${String(imageEdits)} image, ${String(edits - imageEdits)} replicas), kills ${String(kills)}, settled ${settleSeconds.toFixed(1)} s after the last edit`,
      `pods created during the edits ${String(seen.created.length - createdBeforeEdits)} (scale-ups asked ${String(scaleUps)}), deleted ${String(seen.deleted.length)}`,
      `manager memory: after the first sync RSS ${before.rssMiB.toFixed(0)} MiB heap ${before.heapMiB.toFixed(0)} MiB; at the end, settled and 30 s idle, RSS ${after.rssMiB.toFixed(0)} MiB heap ${after.heapMiB.toFixed(0)} MiB (${kills > 0 ? 'the manager started by the last kill' : 'the first manager'}, alive ${lifeMinutes.toFixed(1)} min, no kill in the last ${String(calmMinutes)} min of edits); peak RSS of any ${peak.toFixed(0)} MiB`,
      `the last manager's memory over its life (MiB, every 30 s: first, middle, last of ${String(samples.length)}): ${sampled}`,
      `manager writes ${String(writes.total)} (${[...writes.byKind].map(([k, n]) => `${k} ${String(n)}`).join(', ')}), refused ${String(writes.refused)}, conflicts ${String(writes.conflicts)}`,
      `invariant violations: ${String(violations.length)}${violations.length > 0 ? `: ${violations.join('; ')}` : ''} (seed ${String(seed)}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')})`,
    ].join('\n') + '\n',
  );
  process.exitCode = violations.length > 0 ? 1 : 0;
});
