/**
 * Seeded random manager kills for every workload kind (issue 20, ADR 0022; not CI): SIGKILLs the
 * built kruise-ts-manager at a seeded random moment of each step of each scenario, restarting it
 * at once, and checks after every step exactly the desired pods, none created twice for an
 * instance (ordinal, instance id, node), none created or lost by an in-place change, never more
 * unavailable than maxUnavailable at an observed change, the PVCs kept, and convergence within
 * 2 × the fault-free time + 15 s. Prints the seed first (rerun with `--seed`), each run's line, then
 * the table (scenario, step, kills, violations, fault-free, worst and mean with a kill).
 *
 *   pnpm --filter @kruise-ts/bench chaos [--kills 20] [--seed N] [--replicas 20] [--scenarios cloneset,statefulset,daemonset,sidecarset,uniteddeployment]
 *
 * `--kills K` runs K killed runs after one fault-free run per scenario, one kill per step each.
 * The harness and the scenarios live in packages/controllers/test/chaos/, for an e2e short form to
 * share.
 */
import { appendFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { crdFile, startBenchManager, withBenchCluster, type BenchManager } from './clusterBench.js';
import { seededRandom } from '@kruise-ts/k8s-adapter/testing';
import { printChaosResults, runChaosScenario, runLine, type ChaosManager, type ChaosScenario } from '../packages/controllers/test/chaos/chaosHarness.js';
import { cloneSetScenario, daemonSetScenario, sidecarSetScenario, statefulSetScenario, unitedDeploymentScenario } from '../packages/controllers/test/chaos/chaosScenarios.js';

/** The command line: `--kills K --seed N --replicas R --scenarios a,b`. */
interface ChaosFlags {
  readonly kills: number;
  readonly seed: number;
  readonly replicas: number;
  /** Scenario names to run (all when empty). */
  readonly scenarios: readonly string[];
}

/** Returns the {@link ChaosFlags} of `argv` (defaults: 3 kills, a random seed, 20 replicas, every scenario). */
function chaosFlags(argv: readonly string[] = process.argv): ChaosFlags {
  const value = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    return i < 0 ? undefined : argv[i + 1];
  };
  const number = (name: string, fallback: number): number => {
    const raw = value(name);
    const n = raw === undefined ? fallback : Number(raw);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number, got ${String(raw)}`);
    return n;
  };
  return { kills: number('kills', 3), seed: number('seed', Math.floor(Math.random() * 2 ** 31)), replicas: number('replicas', 20), scenarios: (value('scenarios') ?? '').split(',').filter((s) => s !== '') };
}

/**
 * Starts the built manager for a run (startBenchManager); with CHAOS_MANAGER_LOG=<file>, every
 * manager's log lines (at CHAOS_MANAGER_LOG_LEVEL, default info) are appended there when it is
 * killed or stopped.
 */
function benchChaosManager(managerKubeconfig: string) {
  const logFile = process.env.CHAOS_MANAGER_LOG;
  return (controller: string, namespace: string): Promise<ChaosManager> => {
    const m: BenchManager = startBenchManager(managerKubeconfig, controller, namespace, logFile === undefined ? [] : [`--log-level=${process.env.CHAOS_MANAGER_LOG_LEVEL ?? 'info'}`]);
    const keepLog = (why: string): void => {
      if (logFile !== undefined) appendFileSync(logFile, `=== ${namespace}: manager ${String(m.pid)} ${why} at ${new Date().toISOString()}\n${m.output()}`);
    };
    return Promise.resolve({
      async kill(signal) {
        await m.kill(signal);
        keepLog(`killed (${signal})`);
      },
      async stop() {
        await m.stop();
        keepLog('stopped');
      },
    });
  };
}

const NODES = 10; // withBenchCluster's kwok nodes
const flags = chaosFlags();
const all: ChaosScenario[] = [cloneSetScenario(flags.replicas), statefulSetScenario(flags.replicas), daemonSetScenario(NODES), sidecarSetScenario(flags.replicas), unitedDeploymentScenario(flags.replicas)];
const unknown = flags.scenarios.filter((name) => !all.some((s) => s.name === name));
if (unknown.length > 0) throw new Error(`--scenarios: unknown ${unknown.join(', ')} (known: ${all.map((s) => s.name).join(', ')})`);
const scenarios = flags.scenarios.length === 0 ? all : all.filter((s) => flags.scenarios.includes(s.name));
const random = seededRandom(flags.seed);
process.stdout.write(
  `chaos: seed ${String(flags.seed)}, ${String(flags.kills)} killed runs per scenario, ${String(flags.replicas)} replicas, scenarios ${scenarios.map((s) => s.name).join(',')}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}` +
    ` (rerun: --seed ${String(flags.seed)} --kills ${String(flags.kills)} --replicas ${String(flags.replicas)} --scenarios ${scenarios.map((s) => s.name).join(',')})\n`,
);

const crds = ['apps.kruise.io_clonesets.yaml', 'apps.kruise.io_statefulsets.yaml', 'apps.kruise.io_daemonsets.yaml', 'apps.kruise.io_sidecarsets.yaml', 'apps.kruise.io_uniteddeployments.yaml'].map(crdFile);
const results = await withBenchCluster(crds, async ({ client, managerKubeconfig }) => {
  const out: { name: string; runs: Awaited<ReturnType<typeof runChaosScenario>> }[] = [];
  for (const scenario of scenarios) {
    const runs = await runChaosScenario(client, scenario, { kills: flags.kills, random, startManager: benchChaosManager(managerKubeconfig), onRun: (run) => process.stdout.write(`${runLine(scenario.name, run)}\n`) });
    out.push({ name: scenario.name, runs });
  }
  return out;
});

process.stdout.write('| scenario | step | kills | violations | fault-free | worst with a kill | mean with a kill |\n|---|---|---|---|---|---|---|\n');
let violations = 0;
for (const r of results) violations += printChaosResults(r.name, r.runs);
process.stdout.write(`invariant violations: ${String(violations)} (seed ${String(flags.seed)}, load average at the end ${loadavg().map((l) => l.toFixed(1)).join(' ')})\n`);
process.exitCode = violations > 0 ? 1 : 0;
