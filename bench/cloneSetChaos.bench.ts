/**
 * Seeded random manager kills (issue 20, ADR 0022; not CI): SIGKILLs the built kruise-ts-manager
 * (CloneSet controller only) at seeded random moments of a CloneSet scale-up (0 → N), an in-place
 * rollout (N, maxUnavailable 20 %) and a scale-down (N → N/4), restarting it at once, and checks
 * after every step: exactly the desired pods, no pod created twice or deleted during scale-up, no
 * pod created or lost during the in-place rollout (same uids), never more unavailable than
 * maxUnavailable, no pod created during scale-down. Prints the seed first (rerun with `--seed`),
 * then each step's time against the fault-free run.
 *
 *   pnpm --filter @kruise-ts/bench chaos [--kills 20] [--seed N] [--replicas 30]
 *
 * `--kills K` runs K killed runs after one fault-free run, one kill per step each (3 K kills).
 */
import type { Pod } from '@kruise-ts/core';
import { Resources, type KubeClient } from '@kruise-ts/k8s-adapter';
import { crdFile, imagePatch, isRolledOut, startBenchManager, until, withBenchCluster } from './clusterBench.js';

const flag = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : Number(process.argv[i + 1]);
};
const kills = flag('kills', 3);
const seed = flag('seed', Math.floor(Math.random() * 2 ** 31));
const replicas = flag('replicas', 30);
const scaledDown = Math.max(1, Math.floor(replicas / 4));
const maxUnavailable = Math.max(1, Math.floor(replicas / 5));

/** mulberry32: a small seeded generator of [0, 1). */
function seeded(s: number): () => number {
  let a = s >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ready = (p: Pod): boolean => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;

/**
 * Watches the namespace's pods: what was added and deleted, and the most that were not ready (of
 * `desired()`) at any event. A broken watch relists (the difference counts as added/deleted) and
 * watches again.
 */
function watchPods(client: KubeClient, namespace: string, desired: () => number) {
  const pods = new Map<string, Pod>();
  const added: string[] = [];
  const deleted: string[] = [];
  let maxUnready = 0;
  let listed = false;
  const abort = new AbortController();
  const record = (): void => {
    const live = [...pods.values()].filter((p) => p.metadata.deletionTimestamp === undefined);
    maxUnready = Math.max(maxUnready, Math.max(desired() - live.filter(ready).length, 0));
  };
  const done = (async () => {
    while (!abort.signal.aborted) {
      try {
        const list = await client.list(Resources.Pod, { namespace });
        const names = new Set(list.items.map((p) => p.metadata.name ?? ''));
        if (listed) {
          for (const name of names) if (!pods.has(name)) added.push(name);
          for (const name of pods.keys()) if (!names.has(name)) deleted.push(name);
        }
        listed = true;
        pods.clear();
        for (const p of list.items) pods.set(p.metadata.name ?? '', p);
        record();
        for await (const e of client.watch(Resources.Pod, { namespace, resourceVersion: list.resourceVersion, signal: abort.signal })) {
          if (e.type === 'BOOKMARK') continue;
          const name = e.object.metadata.name ?? '';
          if (e.type === 'ADDED' && !pods.has(name)) added.push(name);
          if (e.type === 'DELETED') {
            deleted.push(name);
            pods.delete(name);
          } else pods.set(name, e.object);
          record();
        }
      } catch {
        // the watch broke (or was stopped): relist and watch again
      }
    }
  })();
  return {
    added,
    deleted,
    maxUnready: () => maxUnready,
    async stop() {
      abort.abort();
      await done;
    },
  };
}

interface StepResult {
  readonly seconds: number;
  readonly violations: string[];
}

const random = seeded(seed);
process.stdout.write(`chaos: seed ${String(seed)}, ${String(kills)} killed runs × 3 steps, ${String(replicas)} replicas (rerun: --seed ${String(seed)} --kills ${String(kills)} --replicas ${String(replicas)})\n`);

const rows = await withBenchCluster([crdFile('apps.kruise.io_clonesets.yaml')], async ({ client, managerKubeconfig }) => {
  const baseline: number[] = [];
  const results: { run: string; steps: StepResult[]; killedAt: number[] }[] = [];
  for (let run = 0; run <= kills; run++) {
    const ns = `chaos-${String(run)}`;
    await client.create(Resources.Namespace, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    let manager = startBenchManager(managerKubeconfig, 'cloneset', ns);
    let desired = 0;
    const killedAt: number[] = [];
    /** Runs `act`, kills the manager once at a seeded moment of the fault-free time (not in the fault-free run), restarts it, waits for `done`. */
    const step = async (index: number, act: () => Promise<void>, done: () => Promise<boolean>): Promise<number> => {
      const t0 = performance.now();
      await act();
      const killAfterMs = run === 0 ? undefined : random() * (baseline[index] ?? 1) * 1000;
      if (killAfterMs !== undefined) {
        await until('the kill moment or the end of the step', async () => performance.now() - t0 >= killAfterMs || (await done()));
        await manager.kill('SIGKILL');
        killedAt.push(Math.round((performance.now() - t0) / 100) / 10);
        manager = startBenchManager(managerKubeconfig, 'cloneset', ns);
      }
      await until(`step ${String(index)} of run ${String(run)}`, done, 600_000);
      return (performance.now() - t0) / 1000;
    };
    const steps: StepResult[] = [];
    const status = async () => (await client.get(Resources.CloneSet, { name: 'web', namespace: ns })).status;
    const readyPods = async () => (await client.list(Resources.Pod, { namespace: ns })).items.filter((p) => p.metadata.deletionTimestamp === undefined && ready(p));

    // Scale-up 0 → N: N pods created, none twice, none deleted.
    desired = replicas;
    let watch = watchPods(client, ns, () => desired);
    let seconds = await step(0, async () => {
      await client.create(Resources.CloneSet, {
        apiVersion: `${Resources.CloneSet.group}/${Resources.CloneSet.version}`,
        kind: 'CloneSet',
        metadata: { name: 'web', namespace: ns },
        spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx:1.25' }] } }, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { podUpdatePolicy: 'InPlaceIfPossible', maxUnavailable } } },
      } as never);
    }, async () => (await readyPods()).length === replicas && (await status())?.readyReplicas === replicas);
    await watch.stop();
    steps.push({ seconds, violations: [...(watch.added.length !== replicas ? [`scale-up created ${String(watch.added.length)} pods for ${String(replicas)}`] : []), ...(watch.deleted.length > 0 ? [`scale-up deleted ${String(watch.deleted.length)}`] : [])] });

    // In-place rollout: same uids, never more than maxUnavailable not ready.
    const before = new Map((await client.list(Resources.Pod, { namespace: ns })).items.map((p) => [p.metadata.name, p.metadata.uid]));
    watch = watchPods(client, ns, () => desired);
    const oldRevision = (await status())?.updateRevision;
    seconds = await step(1, () => client.patch(Resources.CloneSet, { name: 'web', namespace: ns }, imagePatch('nginx:1.26')).then(() => undefined), async () => {
      const cs = await client.get(Resources.CloneSet, { name: 'web', namespace: ns });
      return cs.status?.observedGeneration === cs.metadata.generation && isRolledOut(cs.status, oldRevision, replicas);
    });
    await watch.stop();
    const after = new Map((await client.list(Resources.Pod, { namespace: ns })).items.map((p) => [p.metadata.name, p.metadata.uid]));
    const sameUids = after.size === before.size && [...before].every(([name, uid]) => after.get(name) === uid);
    steps.push({
      seconds,
      violations: [...(sameUids ? [] : ['in-place rollout recreated or lost pods']), ...(watch.added.length > 0 ? [`rollout created ${String(watch.added.length)}`] : []), ...(watch.maxUnready() > maxUnavailable ? [`${String(watch.maxUnready())} unavailable > ${String(maxUnavailable)}`] : [])],
    });

    // Scale-down N → N/4: none created, exactly N/4 left.
    desired = scaledDown;
    watch = watchPods(client, ns, () => desired);
    seconds = await step(2, () => client.patch(Resources.CloneSet, { name: 'web', namespace: ns }, { type: 'merge', body: { spec: { replicas: scaledDown } } }).then(() => undefined), async () => (await client.list(Resources.Pod, { namespace: ns })).items.length === scaledDown && (await status())?.readyReplicas === scaledDown);
    await watch.stop();
    steps.push({ seconds, violations: [...(watch.added.length > 0 ? [`scale-down created ${String(watch.added.length)}`] : []), ...(watch.deleted.length !== replicas - scaledDown ? [`scale-down deleted ${String(watch.deleted.length)} for ${String(replicas - scaledDown)}`] : [])] });

    await manager.stop();
    if (run === 0) baseline.push(...steps.map((s) => s.seconds));
    results.push({ run: run === 0 ? 'fault-free' : `kill ${String(run)}`, steps, killedAt });
  }
  return results;
});

const names = ['scale-up', 'in-place', 'scale-down'];
let violations = 0;
for (const r of rows) {
  const cells = r.steps.map((s, i) => `${names[i] ?? ''} ${s.seconds.toFixed(1)} s${r.killedAt[i] === undefined ? '' : ` (killed at ${String(r.killedAt[i])} s)`}`);
  const bad = r.steps.flatMap((s) => s.violations);
  violations += bad.length;
  process.stdout.write(`${r.run.padEnd(11)} ${cells.join(', ')}${bad.length > 0 ? `  VIOLATIONS: ${bad.join('; ')}` : ''}\n`);
}
const killed = rows.slice(1);
for (const [i, name] of names.entries()) {
  const base = rows[0]?.steps[i]?.seconds ?? 0;
  const times = killed.map((r) => r.steps[i]?.seconds ?? 0);
  if (times.length > 0) process.stdout.write(`${name}: fault-free ${base.toFixed(1)} s, with a kill worst ${Math.max(...times).toFixed(1)} s, mean ${(times.reduce((a, b) => a + b, 0) / times.length).toFixed(1)} s\n`);
}
process.stdout.write(`invariant violations: ${String(violations)} (seed ${String(seed)})\n`);
process.exitCode = violations > 0 ? 1 : 0;
