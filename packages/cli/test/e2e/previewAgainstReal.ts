import { KruiseResources, Resources, systemClock, type KubeClient, type ResourceType } from '@kruise-ts/k8s-adapter';
import { expect } from 'vitest';
import { captureOn } from '../../src/cliCapture.testkit.js';
import { EXIT, applyTemplateChanges, parseTemplateSets, recordRollout, runCli, type RecordedRollout, type RolloutKind, type RolloutPreview } from '../../src/index.js';

/** A prediction and the real rollout it predicted, compared. */
export interface PreviewComparison {
  readonly predicted: RolloutPreview;
  readonly real: RecordedRollout;
  readonly realTotalMs: number;
  /** Positions where the real order (the API's) names the predicted pod. */
  readonly matching: number;
  /** The real order with each pass's pods (same `afterBack`) in the predicted order. */
  readonly byPass: readonly string[];
  /** How many pods each real pass updated. */
  readonly passes: readonly number[];
  /** The predicted totals with `bounds` (each pod's time to Ready at the stage's least and most), in ms. */
  readonly boundsMs: readonly number[];
}

const TYPE_WORD: Readonly<Record<RolloutKind, string>> = { CloneSet: 'cs', StatefulSet: 'asts', DaemonSet: 'ads' };

/**
 * Runs `kruise-ts preview TYPE/NAME --set ... -o json` against the test cluster, then makes the
 * same change for real and records the rollout until `kruise-ts rollout status` says it is done.
 * The controller writes the pods of one pass concurrently, so the API takes them in any order:
 * `byPass` puts each pass's pods (same `afterBack`) in the predicted order.
 */
export async function previewAgainstReal(
  client: KubeClient,
  options: { kind: RolloutKind; namespace: string; name: string; sets: readonly string[]; readyAfter: string; bounds?: readonly string[]; timeout: string },
): Promise<PreviewComparison> {
  const { kind, namespace, name } = options;
  const ref = `${TYPE_WORD[kind]}/${name}`;
  const run = async (readyAfter: string): Promise<RolloutPreview> => {
    const preview = captureOn(client, systemClock());
    const code = await runCli(['preview', ref, '-n', namespace, ...options.sets.flatMap((s) => ['--set', s]), `--ready-after=${readyAfter}`, '-o', 'json'], preview.io);
    expect([code, preview.err()]).toEqual([EXIT.ok, '']);
    const predicted = JSON.parse(preview.out()) as RolloutPreview;
    expect(predicted.end).toBe('done');
    return predicted;
  };
  const predicted = await run(options.readyAfter);
  const boundsMs: number[] = [];
  for (const bound of options.bounds ?? []) boundsMs.push((await run(bound)).totalMs);

  const changes = parseTemplateSets(options.sets);
  if ('kind' in changes) throw new Error(changes.message);
  const type = KruiseResources[kind] as unknown as ResourceType;
  const listed = await client.list(Resources.Pod, { namespace });
  const clock = systemClock();
  const startMs = clock.now();
  const recorder = recordRollout(client, clock, { namespace, since: listed.resourceVersion, oldPods: listed.items, startMs });
  const workload = (await client.get(type, { namespace, name })) as unknown as { spec: { template: Parameters<typeof applyTemplateChanges>[0] } };
  await client.patch(type, { namespace, name }, { type: 'merge', body: { spec: { template: applyTemplateChanges(workload.spec.template, changes) } } });
  expect(await runCli(['rollout', 'status', ref, '-n', namespace, `--timeout=${options.timeout}`], captureOn(client, clock).io)).toBe(EXIT.ok);
  const realTotalMs = clock.now() - startMs;
  const real = recorder.result();
  recorder.stop();
  const predictedOrder = predicted.pods.map((p) => p.pod);
  const rank = new Map(predictedOrder.map((pod, i) => [pod, i]));
  return {
    predicted,
    real,
    realTotalMs,
    matching: predictedOrder.filter((pod, i) => real.pods[i]?.pod === pod).length,
    byPass: [...real.pods].sort((a, b) => a.afterBack - b.afterBack || (rank.get(a.pod) ?? 0) - (rank.get(b.pod) ?? 0)).map((p) => p.pod),
    passes: [...new Set(real.pods.map((p) => p.afterBack))].map((n) => real.pods.filter((p) => p.afterBack === n).length),
    boundsMs,
  };
}

/** One line of numbers for the test log: totals, matches, passes, both orders. */
export function comparisonLine(c: PreviewComparison): string {
  const { predicted, real } = c;
  return JSON.stringify({ kind: predicted.kind, predictedTotalMs: predicted.totalMs, realTotalMs: c.realTotalMs, boundsMs: c.boundsMs, matching: c.matching, of: real.pods.length, passes: c.passes, predictedOrder: predicted.pods.map((p) => p.pod), realOrder: real.pods.map((p) => p.pod) });
}
