import { loadavg } from 'node:os';
import { seededRandom, startTestCluster, type TestCluster } from '@kruise-ts/k8s-adapter/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { printChaosResults, runChaosScenario, runLine, type ChaosManager, type ChaosScenario } from '../chaos/chaosHarness.js';
import { cloneSetScenario, daemonSetScenario, sidecarSetScenario, statefulSetScenario, unitedDeploymentScenario } from '../chaos/chaosScenarios.js';
import { ALL_CRDS } from './allCrds.js';
import { startManager as startManager_, type ManagerProcess } from './managerProcess.js';
import { controllerSignals, waitForManagerReady } from './statefulSetHarness.js';

// Issue 20, the chaos suite's short form in CI: the scenarios of the long form
// (bench/chaos.bench.ts, same harness and scenarios) with one SIGKILL of the manager per step, at a
// seeded moment of the step's fault-free time. Each scenario runs once fault-free, then once killed,
// in namespaces of its own, one scenario after the other, under one manager process running the
// controllers of the five kinds (CloneSet, Advanced StatefulSet, Advanced DaemonSet, SidecarSet,
// UnitedDeployment; replaced at each kill). After every step: exactly
// the desired pods, the expected creates and deletes, no instance (instance id, ordinal, node)
// created twice or live twice at once, the same uids after an in-place change, the PVCs kept, one
// child per UnitedDeployment subset,
// never more than maxUnavailable unavailable at an observed change, and the killed step done within
// 3 × (its fault-free time + the first manager's start time), both measured in this run.
//
// KRUISE_TS_CHAOS_SEED=<n> reruns a seed (printed first); the long form: pnpm --filter @kruise-ts/bench chaos.

const seedText = process.env.KRUISE_TS_CHAOS_SEED ?? String(Math.floor(Math.random() * 2 ** 31));
const SEED = Number(seedText);
if (!Number.isInteger(SEED) || SEED < 0) throw new Error(`KRUISE_TS_CHAOS_SEED must be a whole number ≥ 0, got ${seedText}`);
const KILLS = 1;
const REPLICAS = 8;
const NODES = 6;

const scenarios: readonly ChaosScenario[] = [cloneSetScenario(REPLICAS), statefulSetScenario(REPLICAS), daemonSetScenario(NODES), sidecarSetScenario(REPLICAS), unitedDeploymentScenario(REPLICAS)];
const CONTROLLERS = [...new Set(scenarios.flatMap((s) => s.controller.split(',')))];

describe(`chaos, short form: one SIGKILL of the manager per step of each kind's scenario (seed ${String(SEED)}; real kube-apiserver, kwok)`, () => {
  let cluster: TestCluster;
  const managers = new Set<ManagerProcess>();
  const crashed: string[] = [];
  beforeAll(async () => {
    process.stdout.write(`chaos: seed ${String(SEED)} (rerun: KRUISE_TS_CHAOS_SEED=${String(SEED)}), ${String(KILLS)} killed run per scenario, ${String(REPLICAS)} replicas, ${String(NODES)} nodes, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
    cluster = await startTestCluster({ nodes: NODES, controllerManager: true, scheduler: true, crds: ALL_CRDS });
  });
  afterAll(async () => {
    await Promise.all([...managers].map((m) => m.kill('SIGKILL')));
    await cluster.stop();
  });

  /**
   * One manager for the whole file, every kind's controller in every namespace, started from the
   * build (`pnpm run build` first; from the sources through tsx one start took 5-60 s here at load
   * 5-25, and each kill costs a start): each run only starts it if it is not
   * running, each kill ends it, and a run's stop leaves it for the next run. The scenarios run one
   * after the other, so a kill lands in one scenario's step only.
   */
  let shared: ManagerProcess | undefined;
  /** Seconds the first manager took to be ready (every kill's bound counts one such start). */
  let firstStartSeconds = 0;
  /** A killed step's bound: generous multiples of what this run measured (the machine is shared, load 5-25). */
  const bound = (faultFreeSeconds: number): number => 3 * (faultFreeSeconds + firstStartSeconds);
  const startManager = async (): Promise<ChaosManager> => {
    if (shared === undefined) {
      const t0 = performance.now();
      const spawned = startManager_(cluster.kubeconfigPath, ['--no-enable-leader-election', `--controllers=${CONTROLLERS.join(',')}`, '--log-level=info'], {}, { built: true });
      managers.add(spawned);
      await spawned.waitForLog('kruise-ts-manager starting', 300_000);
      await waitForManagerReady(spawned);
      if (firstStartSeconds === 0) firstStartSeconds = (performance.now() - t0) / 1000;
      shared = spawned;
    }
    const manager = shared;
    const exited = (why: string): void => {
      if (manager.process.exitCode !== null || manager.process.signalCode !== null) crashed.push(`the manager exited by itself (${String(manager.process.exitCode ?? manager.process.signalCode)}) before ${why}`);
    };
    return {
      async kill(signal) {
        exited('its kill');
        managers.delete(manager);
        shared = undefined;
        return manager.kill(signal);
      },
      stop() {
        exited('the end of a run');
        return Promise.resolve();
      },
      // Every pass started by what the step did is over (a pod it were to create or delete late is seen).
      settled: async () => {
        for (const controller of CONTROLLERS) {
          const signals = controllerSignals(manager, controller);
          await signals.waitForReconciles(await signals.reconciles(), 0);
        }
      },
    };
  };

  it.each(scenarios.map((s, i) => [s.name, s, i] as const))('%s', async (_name, scenario, index) => {
    // Each scenario its own seeded stream: a scenario rerun alone (-t) kills at the same moments.
    // Kills land within 10-80 % of the step's fault-free time: mid-step, not at its very start or end.
    const random = seededRandom(SEED + index);
    const runs = await runChaosScenario(cluster.client, scenario, {
      kills: KILLS,
      random: () => 0.1 + 0.7 * random(),
      startManager,
      bound,
      onRun: (run) => process.stdout.write(`${runLine(scenario.name, run)}\n`),
    });
    const lines: string[] = [];
    printChaosResults(scenario.name, runs, (line) => lines.push(line));
    process.stdout.write(`| scenario | step | kills | violations | fault-free | worst with a kill | mean with a kill |\n${lines.join('\n')}\n(seed ${String(SEED)}, load ${loadavg().map((l) => l.toFixed(1)).join(' ')})\n`);

    const killed = runs.slice(1).flatMap((r) => r.steps);
    expect(killed.length).toBe(KILLS * (runs[0]?.steps.length ?? 0));
    expect(killed.every((s) => s.killedAt !== undefined)).toBe(true);
    expect(runs.flatMap((r) => r.steps.flatMap((s) => s.violations.map((v) => `${r.run} ${s.step}: ${v}`)))).toEqual([]);
    expect(crashed).toEqual([]);
  }, 900_000);
});
