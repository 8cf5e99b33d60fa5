/**
 * The chaos harness (issue 20, ADR 0022): seeded SIGKILLs of a kruise-ts-manager process at random
 * moments of each step of a scenario, and the invariants checked after every step from a pod watch
 * that survives the kills (relisting after any break) and from the final state. A scenario is a
 * list of steps on one workload kind; {@link runChaosScenario} runs it once fault-free, then
 * `kills` times with one kill per step, each run in a namespace of its own. It lives beside the
 * e2e tests so that a short form in CI can run the same scenarios as the long form
 * (`bench/chaos.bench.ts`, the built manager): the caller says how a manager starts
 * ({@link ChaosRunOptions.startManager}) and how long a killed step may take.
 */
import type { Pod } from '@kruise-ts/core';
import { Resources, type KubeClient, type KubeObject, type Patch } from '@kruise-ts/k8s-adapter';

/** Polls `check` every 200 ms until it holds; throws after `timeoutMs`. */
export async function until(what: string, check: () => Promise<boolean>, timeoutMs = 900_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A JSON patch setting the image of the pod template's first container. */
export const imagePatch = (image: string): Patch => ({ type: 'json', operations: [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: image }] });

/** The status fields a CloneSet and an Advanced StatefulSet share about a rollout. */
interface RolloutStatus {
  readonly readyReplicas?: number | undefined;
  readonly updatedReadyReplicas?: number | undefined;
  readonly currentRevision?: string | undefined;
  readonly updateRevision?: string | undefined;
}

/** Whether a rollout away from `oldRevision` is done: every one of the `replicas` pods updated and ready, the update revision current. */
export function isRolledOut(status: RolloutStatus | undefined, oldRevision: string | undefined, replicas: number): boolean {
  return (
    status?.updateRevision !== oldRevision &&
    status?.updatedReadyReplicas === replicas &&
    status.updateRevision === status.currentRevision &&
    status.readyReplicas === replicas
  );
}

/** Returns a builder's object (`@kruise-ts/core/testing`) without the fields the apiserver sets (uid, generation), ready to create. */
export function forCreate<T>(object: T): T & KubeObject {
  const built = object as unknown as KubeObject;
  const { uid: _uid, generation: _generation, ...metadata } = built.metadata;
  return { ...built, metadata } as unknown as T & KubeObject;
}

/** Ready, and not in the middle of an in-place update (its `InPlaceUpdateReady` gate False). */
export const isServing = (p: Pod): boolean =>
  p.metadata.deletionTimestamp === undefined &&
  p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true &&
  p.status.conditions.every((c) => c.type !== 'InPlaceUpdateReady' || c.status !== 'False');

/** What a {@link watchPods} saw during one step. */
export interface PodObservation {
  /** Names of pods created, in order. */
  readonly created: string[];
  /** Names of pods deleted (gone from the API), in order. */
  readonly deleted: string[];
  /** Pods created per instance (ordinal, instance id, node): more than 1 is a pod created twice. */
  readonly createdPerInstance: Map<string, number>;
  /** Instances seen with two live pods at once. */
  readonly doubled: Set<string>;
  /** The most pods unavailable (desired − serving live pods) at any observed change. */
  maxUnavailable(): number;
  /** Resolves once the first list is in (what exists then is not counted as created). */
  readonly listed: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Watches the namespace's pods through kills and broken watches (a relist counts the difference
 * as created/deleted): what was created and deleted, per instance (`instanceOf`), and the most
 * unavailable of `desired()` at any change.
 */
export function watchPods(client: KubeClient, namespace: string, desired: () => number, instanceOf: (p: Pod) => string): PodObservation {
  const pods = new Map<string, Pod>();
  const created: string[] = [];
  const deleted: string[] = [];
  const createdPerInstance = new Map<string, number>();
  const doubled = new Set<string>();
  let maxUnavailable = 0;
  let listed = false;
  let firstList: () => void = () => undefined;
  const listedOnce = new Promise<void>((resolve) => (firstList = resolve));
  const abort = new AbortController();
  const add = (p: Pod): void => {
    created.push(p.metadata.name ?? '');
    const instance = instanceOf(p);
    createdPerInstance.set(instance, (createdPerInstance.get(instance) ?? 0) + 1);
  };
  const record = (): void => {
    const live = [...pods.values()].filter((p) => p.metadata.deletionTimestamp === undefined);
    maxUnavailable = Math.max(maxUnavailable, desired() - live.filter(isServing).length);
    const perInstance = new Map<string, number>();
    for (const p of live) perInstance.set(instanceOf(p), (perInstance.get(instanceOf(p)) ?? 0) + 1);
    for (const [instance, count] of perInstance) if (count > 1) doubled.add(instance);
  };
  const done = (async () => {
    while (!abort.signal.aborted) {
      try {
        const list = await client.list(Resources.Pod, { namespace });
        const names = new Set(list.items.map((p) => p.metadata.name ?? ''));
        if (listed) {
          for (const p of list.items) if (!pods.has(p.metadata.name ?? '')) add(p);
          for (const name of pods.keys()) if (!names.has(name)) deleted.push(name);
        }
        listed = true;
        pods.clear();
        for (const p of list.items) pods.set(p.metadata.name ?? '', p);
        record();
        firstList();
        for await (const e of client.watch(Resources.Pod, { namespace, resourceVersion: list.resourceVersion, signal: abort.signal })) {
          if (e.type === 'BOOKMARK') continue;
          const name = e.object.metadata.name ?? '';
          if (e.type === 'ADDED' && !pods.has(name)) add(e.object);
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
    created,
    deleted,
    createdPerInstance,
    doubled,
    maxUnavailable: () => maxUnavailable,
    listed: listedOnce,
    async stop() {
      abort.abort();
      await done;
    },
  };
}

/** What a step is given: the admin client and the run's namespace. */
export interface StepContext {
  readonly client: KubeClient;
  readonly namespace: string;
}

/** One step of a scenario (create, scale, roll out...) and the invariants it must keep. */
export interface ChaosStep {
  readonly name: string;
  /** Pods that should exist once it is done (and the base of the unavailable count). */
  readonly desired: number;
  /** Never more unavailable than this at an observed change (unchecked when absent). */
  readonly maxUnavailable?: number | undefined;
  /** Exactly this many pods created (and, with `deleted`, deleted) during the step. */
  readonly created: number;
  readonly deleted: number;
  /** The same pod names and uids before and after (an in-place change). */
  readonly sameUids?: boolean | undefined;
  /** Starts the step (writes the change). */
  act(ctx: StepContext): Promise<void>;
  /** Whether the step is done (polled every 200 ms). */
  done(ctx: StepContext): Promise<boolean>;
  /** More invariants of the final state (e.g. the PVCs); returns the violations. */
  check?(ctx: StepContext): Promise<string[]>;
}

/** A scenario: the manager's controller, how a pod maps to its instance, and the steps. */
export interface ChaosScenario {
  readonly name: string;
  /** The manager's `--controllers` (comma-separated when the kind needs several, e.g. `uniteddeployment,cloneset`). */
  readonly controller: string;
  /** The instance a pod stands for: its ordinal, instance id, node... */
  readonly instanceOf: (p: Pod) => string;
  /** Fresh steps for one run (they may keep state between steps of the run). */
  readonly steps: () => readonly ChaosStep[];
  /** Runs before the manager starts in a run's namespace (e.g. a PV binder); returns its stop function. */
  readonly prepare?: ((ctx: StepContext) => Promise<() => Promise<void>>) | undefined;
}

/** One run's result for one step. */
export interface StepResult {
  readonly step: string;
  readonly seconds: number;
  /** Seconds after the step started that the manager was killed (killed runs). */
  readonly killedAt?: number | undefined;
  /** The kill came once the step was already done (it then tests only the restart). */
  readonly killedAfterDone?: boolean | undefined;
  readonly violations: readonly string[];
}

/** One run: fault-free or killed. */
export interface RunResult {
  readonly run: string;
  readonly steps: readonly StepResult[];
}

/** A manager process the harness kills and replaces. */
export interface ChaosManager {
  /** Kills it with `signal` (the injected fault) and resolves once it exited. */
  kill(signal: NodeJS.Signals): Promise<unknown>;
  /** Stops it (SIGTERM) and resolves once it exited. */
  stop(): Promise<unknown>;
  /** Resolves once its controller has nothing queued and runs nothing (awaited before each step's final checks; optional). */
  settled?(): Promise<void>;
}

/** How {@link runChaosScenario} runs a scenario. */
export interface ChaosRunOptions {
  /** Killed runs after the fault-free one. */
  readonly kills: number;
  /** Draws the kill moments (seeded: `seededRandom(seed)` of `@kruise-ts/k8s-adapter/testing`). */
  readonly random: () => number;
  /**
   * Starts a manager running only `controller` in `namespace`; resolves once it may be killed (the
   * harness times the fault-free run's first start and passes it to `bound`).
   */
  readonly startManager: (controller: string, namespace: string) => Promise<ChaosManager>;
  /**
   * The seconds a killed step may take, from the step's fault-free seconds and the seconds the
   * fault-free run's manager took to start (default {@link convergenceBound}).
   */
  readonly bound?: ((faultFreeSeconds: number, startSeconds: number) => number) | undefined;
  /** Prefix of each run's namespace (`<prefix>-<scenario>-<run>`, default `chaos`). */
  readonly namespacePrefix?: string | undefined;
  /** Called with each run as it ends. */
  readonly onRun?: ((run: RunResult) => void) | undefined;
}

/**
 * The default bound of a killed step: twice its fault-free time, plus 15 s for the restart (the
 * built manager took 2.5-5.4 s from spawn to its first log line on the shared 2-core machine at
 * load 10-12) and its cache sync.
 *
 * @example convergenceBound(6.2) // 27.4 (s): a step done in 6.2 s fault-free may take 27.4 s with a kill
 */
export const convergenceBound = (faultFreeSeconds: number): number => 2 * faultFreeSeconds + 15;

async function checkStep(step: ChaosStep, ctx: StepContext, seen: PodObservation, before: Map<string, string>, seconds: number, bound: number | undefined): Promise<string[]> {
  const live = (await ctx.client.list(Resources.Pod, { namespace: ctx.namespace })).items.filter((p) => p.metadata.deletionTimestamp === undefined);
  const after = new Map(live.map((p) => [p.metadata.name ?? '', p.metadata.uid ?? '']));
  const twice = [...seen.createdPerInstance].filter(([, n]) => n > 1).map(([instance]) => instance);
  return [
    ...(live.length === step.desired ? [] : [`${String(live.length)} pods left for ${String(step.desired)}`]),
    ...(seen.created.length === step.created ? [] : [`created ${String(seen.created.length)} for ${String(step.created)}`]),
    ...(seen.deleted.length === step.deleted ? [] : [`deleted ${String(seen.deleted.length)} for ${String(step.deleted)}`]),
    ...(twice.length === 0 ? [] : [`created twice: ${twice.join(' ')}`]),
    ...(seen.doubled.size === 0 ? [] : [`two live pods at once: ${[...seen.doubled].join(' ')}`]),
    ...(step.maxUnavailable === undefined || seen.maxUnavailable() <= step.maxUnavailable ? [] : [`${String(seen.maxUnavailable())} unavailable > ${String(step.maxUnavailable)}`]),
    ...(step.sameUids !== true || (after.size === before.size && [...before].every(([n, uid]) => after.get(n) === uid)) ? [] : ['pods recreated or lost']),
    ...(bound === undefined || seconds <= bound ? [] : [`converged in ${seconds.toFixed(1)} s > bound ${bound.toFixed(1)} s`]),
    ...((await step.check?.(ctx)) ?? []),
  ];
}

/**
 * Runs `scenario` once fault-free, then `options.kills` times, each killing the manager once per
 * step at a moment drawn from `options.random` within the step's fault-free time (a new one
 * started at once), and returns each run's steps: seconds, kill moment, invariant violations.
 */
export async function runChaosScenario(client: KubeClient, scenario: ChaosScenario, options: ChaosRunOptions): Promise<RunResult[]> {
  const bound = options.bound ?? convergenceBound;
  const baseline: number[] = [];
  let startSeconds = 0;
  const results: RunResult[] = [];
  for (let run = 0; run <= options.kills; run++) {
    const namespace = `${options.namespacePrefix ?? 'chaos'}-${scenario.name}-${String(run)}`;
    await client.create(Resources.Namespace, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
    const ctx: StepContext = { client, namespace };
    const stopPrepared = (await scenario.prepare?.(ctx)) ?? (() => Promise.resolve());
    const started = performance.now();
    let manager: ChaosManager = await options.startManager(scenario.controller, namespace);
    if (run === 0) startSeconds = (performance.now() - started) / 1000;
    const steps: StepResult[] = [];
    try {
      for (const [index, step] of scenario.steps().entries()) {
        const before = new Map((await client.list(Resources.Pod, { namespace })).items.map((p) => [p.metadata.name ?? '', p.metadata.uid ?? '']));
        const seen = watchPods(client, namespace, () => step.desired, scenario.instanceOf);
        await seen.listed;
        const t0 = performance.now();
        await step.act(ctx);
        let killedAt: number | undefined;
        let killedAfterDone = false;
        if (run > 0) {
          const killAfterMs = options.random() * (baseline[index] ?? 1) * 1000;
          await until('the kill moment or the end of the step', async () => performance.now() - t0 >= killAfterMs || (killedAfterDone = await step.done(ctx)));
          await manager.kill('SIGKILL');
          killedAt = Math.round((performance.now() - t0) / 100) / 10;
          manager = await options.startManager(scenario.controller, namespace);
        }
        await until(`${scenario.name} ${step.name} of run ${String(run)}`, () => step.done(ctx), 600_000);
        const seconds = (performance.now() - t0) / 1000;
        await manager.settled?.();
        await seen.stop();
        const limit = run === 0 ? undefined : bound(baseline[index] ?? 0, startSeconds);
        steps.push({ step: step.name, seconds, killedAt, killedAfterDone, violations: await checkStep(step, ctx, seen, before, seconds, limit) });
      }
    } finally {
      await manager.stop();
      await stopPrepared();
    }
    if (run === 0) baseline.push(...steps.map((s) => s.seconds));
    const result: RunResult = { run: run === 0 ? 'fault-free' : `kill ${String(run)}`, steps };
    results.push(result);
    options.onRun?.(result);
  }
  return results;
}

/** Returns one run's line: each step's time (and kill moment), then its violations. */
export function runLine(scenario: string, r: RunResult): string {
  const cells = r.steps.map((s) => `${s.step} ${s.seconds.toFixed(1)} s${s.killedAt === undefined ? '' : ` (killed at ${String(s.killedAt)} s${s.killedAfterDone === true ? ', once done' : ''})`}`);
  const bad = r.steps.flatMap((s) => s.violations.map((v) => `${s.step}: ${v}`));
  return `${scenario.padEnd(12)} ${r.run.padEnd(11)} ${cells.join(', ')}${bad.length > 0 ? `  VIOLATIONS: ${bad.join('; ')}` : ''}`;
}

/** Writes the table rows of a scenario (step, kills, violations, fault-free vs worst and mean with a kill); returns its violations. */
export function printChaosResults(scenario: string, runs: readonly RunResult[], write: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): number {
  const violations = runs.reduce((n, r) => n + r.steps.reduce((m, s) => m + s.violations.length, 0), 0);
  const [faultFree, ...killed] = runs;
  for (const [i, s] of (faultFree?.steps ?? []).entries()) {
    const times = killed.map((r) => r.steps[i]?.seconds ?? 0);
    const stepViolations = runs.reduce((n, r) => n + (r.steps[i]?.violations.length ?? 0), 0);
    const worst = times.length === 0 ? 0 : Math.max(...times);
    const mean = times.length === 0 ? 0 : times.reduce((a, b) => a + b, 0) / times.length;
    const midStep = killed.filter((r) => r.steps[i]?.killedAfterDone !== true).length;
    write(`| ${scenario} | ${s.step} | ${String(killed.length)} (${String(midStep)} mid-step) | ${String(stepViolations)} | ${s.seconds.toFixed(1)} s | ${worst.toFixed(1)} s | ${mean.toFixed(1)} s |`);
  }
  return violations;
}
