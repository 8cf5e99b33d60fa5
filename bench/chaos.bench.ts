/**
 * Seeded random manager kills for every workload kind (issue 20, ADR 0022; not CI): SIGKILLs the
 * built kruise-ts-manager at a seeded random moment of each step of each scenario (chaosScenarios.ts),
 * restarting it at once, and checks after every step exactly the desired pods, none created twice
 * for an instance (ordinal, instance id, node), none created or lost by an in-place change, never
 * more unavailable than maxUnavailable at an observed change, the PVCs kept, and convergence within
 * 2 × the fault-free time + 15 s. Prints the seed first (rerun with `--seed`), each run's line, then
 * the table (scenario, step, kills, violations, fault-free, worst and mean with a kill).
 *
 *   pnpm --filter @kruise-ts/bench chaos [--kills 20] [--seed N] [--replicas 20] [--scenarios cloneset,statefulset,daemonset,sidecarset]
 *
 * `--kills K` runs K killed runs after one fault-free run per scenario, one kill per step each.
 */
import { loadavg } from 'node:os';
import { crdFile, withBenchCluster } from './clusterBench.js';
import { seededRandom } from '@kruise-ts/k8s-adapter/testing';
import { chaosFlags, printChaosResults, runChaosScenario, runLine, type ChaosScenario } from './chaosHarness.js';
import { cloneSetScenario, daemonSetScenario, sidecarSetScenario, statefulSetScenario } from './chaosScenarios.js';

const NODES = 10; // withBenchCluster's kwok nodes
const flags = chaosFlags();
const all: ChaosScenario[] = [cloneSetScenario(flags.replicas), statefulSetScenario(flags.replicas), daemonSetScenario(NODES), sidecarSetScenario(flags.replicas)];
const unknown = flags.scenarios.filter((name) => !all.some((s) => s.name === name));
if (unknown.length > 0) throw new Error(`--scenarios: unknown ${unknown.join(', ')} (known: ${all.map((s) => s.name).join(', ')})`);
const scenarios = flags.scenarios.length === 0 ? all : all.filter((s) => flags.scenarios.includes(s.name));
const random = seededRandom(flags.seed);
process.stdout.write(
  `chaos: seed ${String(flags.seed)}, ${String(flags.kills)} killed runs per scenario, ${String(flags.replicas)} replicas, scenarios ${scenarios.map((s) => s.name).join(',')}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}` +
    ` (rerun: --seed ${String(flags.seed)} --kills ${String(flags.kills)} --replicas ${String(flags.replicas)} --scenarios ${scenarios.map((s) => s.name).join(',')})\n`,
);

const crds = ['apps.kruise.io_clonesets.yaml', 'apps.kruise.io_statefulsets.yaml', 'apps.kruise.io_daemonsets.yaml', 'apps.kruise.io_sidecarsets.yaml'].map(crdFile);
const results = await withBenchCluster(crds, async ({ client, managerKubeconfig }) => {
  const out: { name: string; runs: Awaited<ReturnType<typeof runChaosScenario>> }[] = [];
  for (const scenario of scenarios) {
    const runs = await runChaosScenario(client, managerKubeconfig, scenario, flags, random, (run) => process.stdout.write(`${runLine(scenario.name, run)}\n`));
    out.push({ name: scenario.name, runs });
  }
  return out;
});

process.stdout.write('| scenario | step | kills | violations | fault-free | worst with a kill | mean with a kill |\n|---|---|---|---|---|---|---|\n');
let violations = 0;
for (const r of results) violations += printChaosResults(r.name, r.runs);
process.stdout.write(`invariant violations: ${String(violations)} (seed ${String(flags.seed)}, load average at the end ${loadavg().map((l) => l.toFixed(1)).join(' ')})\n`);
process.exitCode = violations > 0 ? 1 : 0;
