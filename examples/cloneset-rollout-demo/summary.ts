/**
 * The demo's verdict: per step what happened to the pods, and the checks the rollout must pass
 * (OpenKruise's promises for an in-place update with a partition and maxUnavailable).
 */
import type { CloneSetStatus } from '@kruise-ts/core';
import type { DemoStep } from './demoCloneSet.js';
import { seconds } from './liveView.js';
import type { StepRecord } from './rolloutRecorder.js';

/** One finished step. */
export interface StepReport {
  readonly step: DemoStep;
  readonly durationMs: number;
  readonly record: StepRecord;
  /** The CloneSet's status when the step ended. */
  readonly status: CloneSetStatus;
  /** Pods at the update revision when the step ended (counted from the pods, not the status). */
  readonly podsAtUpdateRevision: number;
}

/** A check of the whole rollout. */
export interface Check {
  readonly ok: boolean;
  /** What was checked, with the numbers seen. */
  readonly text: string;
}

/**
 * Returns the rollout's checks: each update step moved exactly `replicas − partition` pods to the
 * new revision, all in place (no pod created or deleted; every pod keeps its UID, node and IP),
 * and never more than its `maxUnavailable` pods were unavailable at once.
 *
 * @example replicas 6, partition 2 → 4 pods at the new revision after step 3; partition 0 → 6 after step 4, 2 of them updated in step 4
 */
export function checkRollout(reports: readonly StepReport[]): Check[] {
  let inPlaceSoFar = 0;
  return reports
    .filter((r) => r.step.updates)
    .flatMap(({ step, record, podsAtUpdateRevision }) => {
      const expected = step.replicas - step.partition;
      const limit = step.maxUnavailable ?? 0;
      inPlaceSoFar += record.updatedInPlace;
      return [
        {
          // Every pod at the new revision got there in place: the in-place updates add up to it.
          ok: podsAtUpdateRevision === expected && inPlaceSoFar === expected,
          text: `partition ${step.partition}: ${podsAtUpdateRevision} of ${step.replicas} pods at the new revision (replicas ${step.replicas} − partition ${step.partition} = ${expected}); ${record.updatedInPlace} updated in place in this step, ${inPlaceSoFar} in all`,
        },
        {
          ok: record.created === 0 && record.deleted === 0 && record.podsKept === record.podsBefore,
          text: `partition ${step.partition}: ${record.created} pods created, ${record.deleted} deleted; ${record.podsKept} of ${record.podsBefore} keep their UID, node and IP`,
        },
        { ok: record.maxUnavailable <= limit, text: `partition ${step.partition}: at most ${record.maxUnavailable} unavailable at once (maxUnavailable ${limit})` },
      ];
    });
}

/**
 * Returns the summary table (one row per step: duration, pods created / deleted / updated in
 * place, most unavailable at once, pods kept with their UID) and the checks, one per line.
 */
export function renderSummary(reports: readonly StepReport[], checks: readonly Check[], totalMs: number): string[] {
  const header = ['step', 'took', 'created', 'deleted', 'in place', 'max unavailable', 'UIDs unchanged'];
  const rows = reports.map(({ step, durationMs, record }, i) => [
    `${i + 1} ${step.title}`,
    seconds(durationMs),
    String(record.created),
    String(record.deleted),
    String(record.updatedInPlace),
    step.maxUnavailable === undefined ? String(record.maxUnavailable) : `${record.maxUnavailable} (limit ${step.maxUnavailable})`,
    record.podsBefore === 0 ? '-' : `${record.podsKept === record.podsBefore ? 'yes' : 'no'} (${record.podsKept}/${record.podsBefore})`,
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: readonly string[]): string => `  ${cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join('  ')}`.trimEnd();
  return [
    `Summary (${reports.length} steps in ${seconds(totalMs)})`,
    line(header),
    ...rows.map(line),
    '',
    ...checks.map((c) => `  ${c.ok ? '✓' : '✗'} ${c.text}`),
  ];
}
