/**
 * Shutdown soak (issue 21; not CI): starts the manager (from its sources through tsx, as the e2e
 * tests do, all controllers, debug logging) `--rounds` times on one test cluster, each time in a
 * namespace of its own with a CloneSet of `--replicas` pods being created or rolled out in place,
 * and sends SIGTERM at a random moment of that work (seeded). Prints each exit's time and the
 * distribution; a manager still running `--deadline` seconds after its SIGTERM is reported with
 * what it was doing (CPU, threads, its JavaScript stack: `hangReport`) and ends the run with exit 1.
 *
 *   pnpm --filter @kruise-ts/bench shutdown [--rounds 40] [--replicas 60] [--deadline 10] [--seed N]
 */
import { loadavg } from 'node:os';
import { Resources } from '@kruise-ts/k8s-adapter';
import { seededRandom } from '@kruise-ts/k8s-adapter/testing';
import { cloneSetManifest } from '../packages/controllers/test/e2e/cloneSetManifest.js';
import { startManager } from '../packages/controllers/test/e2e/managerProcess.js';
import { startCloneSetCluster } from '../packages/controllers/test/e2e/useCloneSetCluster.js';
import { positiveArg } from './positiveArg.js';

const arg = positiveArg;
const rounds = arg('rounds', 40);
const replicas = arg('replicas', 60);
const deadlineSeconds = arg('deadline', 10);
const seed = arg('seed', Math.floor(Math.random() * 2 ** 31));
const random = seededRandom(seed);

const cluster = await startCloneSetCluster();
const exits: number[] = [];
let hung = false;
try {
  for (let round = 1; round <= rounds && !hung; round++) {
    const ns = `shutdown-${String(round)}`;
    await cluster.client.create(Resources.Namespace, { metadata: { name: ns } });
    const leaderElection = round % 2 === 0;
    const manager = startManager(cluster.kubeconfigPath, leaderElection ? [`--leader-election-namespace=${ns}`, `--namespace=${ns}`] : ['--no-enable-leader-election', `--namespace=${ns}`]);
    await manager.waitForLog('starting controllers', 120_000);
    await cluster.client.create(
      Resources.CloneSet,
      cloneSetManifest('web', ns, { replicas, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { podUpdatePolicy: 'InPlaceIfPossible', maxUnavailable: '50%' } } }),
    );
    // Half the rounds roll the image out in place after a moment; the signal comes 0.2-6 s in.
    if (random() < 0.5) {
      await new Promise((resolve) => setTimeout(resolve, 1000 + 3000 * random()));
      await cluster.client.patch(Resources.CloneSet, { name: 'web', namespace: ns }, { type: 'json', operations: [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'nginx:1.26' }] });
    }
    await new Promise((resolve) => setTimeout(resolve, 200 + 5800 * random()));
    await manager.metrics();
    const signalledAt = Date.now();
    try {
      const code = await manager.kill('SIGTERM', deadlineSeconds * 1000);
      const ms = Date.now() - signalledAt;
      exits.push(ms);
      process.stdout.write(`round ${String(round)}: exit ${String(code)} after ${String(ms)} ms (leader election ${String(leaderElection)}, load ${loadavg()[0]?.toFixed(1) ?? '?'})\n`);
    } catch (error) {
      hung = true;
      process.stdout.write(`round ${String(round)}: HUNG (leader election ${String(leaderElection)})\n${error instanceof Error ? error.message : String(error)}\n`);
    }
  }
} finally {
  await cluster.stop();
}
const sorted = [...exits].sort((a, b) => a - b);
const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
process.stdout.write(`seed ${String(seed)}: ${String(exits.length)} exits, median ${String(at(0.5))} ms, p90 ${String(at(0.9))} ms, max ${String(sorted.at(-1) ?? NaN)} ms${hung ? ', and one manager hung' : ''}\n`);
process.exitCode = hung ? 1 : 0;
