/**
 * The demo from start to end: open the cluster, take the seeds' CloneSet through its steps while
 * the live view shows the pods, print the summary and the checks, and clean up.
 */
import { readFile } from 'node:fs/promises';
import { labelSelectorToString } from '@kruise-ts/core';
import { Resources, type KubeClient } from '@kruise-ts/k8s-adapter';
import { SEED_MANIFEST_URL, demoSteps, loadDemoCloneSet, type CloneSetObject, type DemoStep } from './demoCloneSet.js';
import { createLiveView, seconds, type LiveView, type StepFrame, type TextSink } from './liveView.js';
import { openDemoCluster, type DemoCluster } from './openDemoCluster.js';
import type { PodRow } from './podRows.js';
import { startRolloutRecorder, type RolloutRecorder } from './rolloutRecorder.js';
import { checkRollout, renderSummary, type Check, type StepReport } from './summary.js';

/** Options of {@link runDemo}. */
export interface DemoOptions {
  readonly out: TextSink;
  /** Redraw the view in place (a terminal); false = one plain line per change. */
  readonly tty: boolean;
  readonly color?: boolean | undefined;
  /** The terminal's width, read at each redraw (see `LiveViewOptions.width`); omitted = 80 for the redrawn view, plain lines whole. */
  readonly width?: (() => number) | undefined;
  /** A real cluster's kubeconfig; omitted = the in-memory cluster. */
  readonly kubeconfig?: string | undefined;
  /** Run the CloneSet controller in this process (default true). */
  readonly startManager?: boolean | undefined;
  readonly logFile?: string | undefined;
  /** Longest a step may take (default 60 000 ms). */
  readonly stepTimeoutMs?: number | undefined;
  /** Stops the demo (Ctrl-C); it cleans up and rejects. */
  readonly signal?: AbortSignal | undefined;
}

/** What the demo did, and whether the rollout passed its checks. */
export interface DemoReport {
  /** Where it ran (`in-memory cluster …` or the real cluster). */
  readonly where: string;
  readonly steps: readonly StepReport[];
  readonly checks: readonly Check[];
  readonly totalMs: number;
  /** The pods at the end. */
  readonly pods: readonly PodRow[];
  /** Every check passed. */
  readonly ok: boolean;
}

const TICK_MS = 100;

/** Returns whether a step is done: the controller saw the change and every pod is where the step puts it. */
function isStepDone(cloneSet: CloneSetObject, rows: readonly PodRow[], step: DemoStep): boolean {
  const s = cloneSet.status;
  if (s === undefined || s.observedGeneration !== cloneSet.metadata.generation || s.updateRevision === undefined) return false;
  const updated = step.replicas - step.partition;
  const live = rows.filter((r) => r.state !== 'terminating');
  return (
    live.length === step.replicas &&
    live.every((r) => r.available && r.state === 'ready') &&
    live.filter((r) => r.revision === s.updateRevision).length === updated &&
    s.replicas === step.replicas &&
    s.availableReplicas === step.replicas &&
    s.updatedReplicas === updated &&
    s.updatedReadyReplicas === updated
  );
}

async function applyStep(client: KubeClient, cloneSet: CloneSetObject, step: DemoStep): Promise<void> {
  const key = { name: cloneSet.metadata.name ?? '', namespace: cloneSet.metadata.namespace };
  if (step.specPatch === undefined) await client.create(Resources.CloneSet, cloneSet);
  else await client.patch(Resources.CloneSet, key, { type: 'merge', body: { spec: step.specPatch } });
}

interface StepContext {
  readonly cluster: DemoCluster;
  readonly recorder: RolloutRecorder;
  readonly view: LiveView;
  readonly cloneSet: CloneSetObject;
  readonly timeoutMs: number;
  readonly signal: AbortSignal | undefined;
}

async function runStep(ctx: StepContext, step: DemoStep, index: number, count: number): Promise<StepReport> {
  const { cluster, recorder, view } = ctx;
  const key = { name: ctx.cloneSet.metadata.name ?? '', namespace: cluster.namespace };
  recorder.beginStep(step.replicas);
  const started = Date.now();
  await applyStep(cluster.client, ctx.cloneSet, step);
  for (;;) {
    const failure = cluster.managerFailure() ?? recorder.failure() ?? (ctx.signal?.aborted === true ? new Error('interrupted') : undefined);
    if (failure !== undefined) throw failure;
    const current = await cluster.client.get(Resources.CloneSet, key);
    const rows = recorder.rows();
    const elapsedMs = Date.now() - started;
    // The recorder counts at every pod event; the frame shows its running maximum.
    const maxSeen = recorder.peekMaxUnavailable();
    const images = current.spec.template.spec.containers.map((c) => c.image ?? '');
    const frame: StepFrame = { index, count, title: step.title, elapsedMs, status: current.status, images, rows, replicas: step.replicas, maxUnavailable: step.maxUnavailable, maxSeen };
    if (isStepDone(current, rows, step)) {
      const record = recorder.endStep();
      view.finish({ ...frame, maxSeen: record.maxUnavailable }, `✓ step ${index} done in ${seconds(elapsedMs)}`);
      const status = current.status ?? {};
      return { step, durationMs: elapsedMs, record, status, podsAtUpdateRevision: rows.filter((r) => r.revision === status.updateRevision).length };
    }
    if (elapsedMs > ctx.timeoutMs) {
      view.finish(frame, `✗ step ${index} timed out`);
      const hint = current.status?.observedGeneration === undefined ? ' (no controller has reported on the CloneSet: is one running?)' : '';
      throw new Error(`step ${index} (${step.title}) did not finish within ${seconds(ctx.timeoutMs)}${hint}: CloneSet status ${JSON.stringify(current.status ?? {})}`);
    }
    view.show(frame);
    await new Promise((resolve) => setTimeout(resolve, TICK_MS));
  }
}

/**
 * Runs the demo and returns its report (`ok` false when a check failed); rejects, after cleaning
 * up, when a step fails or times out. Prints the header, the live view, the summary and the
 * checks to `options.out`.
 *
 * @example
 * ```ts
 * const report = await runDemo({ out: process.stdout, tty: process.stdout.isTTY });
 * // report.steps[2].record.updatedInPlace === 4 (replicas 6 − partition 2)
 * ```
 */
export async function runDemo(options: DemoOptions): Promise<DemoReport> {
  const begun = Date.now();
  const out = options.out;
  const seed = await readFile(SEED_MANIFEST_URL, 'utf8');
  out.write('kruise-ts CloneSet rollout demo\n');
  const seedNamespace = loadDemoCloneSet(seed).cloneSet.metadata.namespace ?? 'default';
  const cluster = await openDemoCluster({ kubeconfig: options.kubeconfig, namespace: seedNamespace, startManager: options.startManager, logFile: options.logFile });
  const view = createLiveView(out, { tty: options.tty, color: options.color ?? options.tty, width: options.width });
  let recorder: RolloutRecorder | undefined;
  try {
    const { cloneSet, changes } = loadDemoCloneSet(seed, { namespace: cluster.namespace, volumeClaims: cluster.provisionsVolumes });
    view.print(`Cluster: ${cluster.description}`, `CloneSet ${cluster.namespace}/${cloneSet.metadata.name ?? ''}: the seeds' (examples/plan-only/cloneset.yaml), with these changes:`, ...changes.map((c) => `  - ${c}`), '');
    recorder = await startRolloutRecorder(cluster.client, cluster.clock, cluster.namespace, labelSelectorToString(cloneSet.spec.selector));
    const ctx: StepContext = { cluster, recorder, view, cloneSet, timeoutMs: options.stepTimeoutMs ?? 60_000, signal: options.signal };
    const steps = demoSteps(cloneSet);
    const reports: StepReport[] = [];
    for (const [i, step] of steps.entries()) reports.push(await runStep(ctx, step, i + 1, steps.length));
    const checks = checkRollout(reports);
    const totalMs = Date.now() - begun;
    view.print(...renderSummary(reports, checks, totalMs));
    const pods = recorder.rows();
    return { where: cluster.description, steps: reports, checks, totalMs, pods, ok: checks.every((c) => c.ok) };
  } finally {
    view.close();
    await recorder?.stop();
    await cluster.close();
  }
}

