import type { EpochMs } from '../shared/podState.js';
import type { NextActivation } from '../cron/cronSpec.js';

/** Most missed start times OpenKruise walks through before it gives up (`starts > 100`). */
export const MAX_MISSED_START_TIMES = 100;

/** The schedule times a pass acts on, or why it cannot say. */
export type ScheduleWindow =
  | {
      readonly kind: 'window';
      /** The latest activation in (earliest, now], the run to start now; undefined when none was missed. */
      readonly missedMs: EpochMs | undefined;
      /** The first activation after now (undefined: none within the scheduler's horizon). */
      readonly nextMs: EpochMs | undefined;
    }
  | { readonly kind: 'too-many-missed'; readonly earliestMs: EpochMs };

/** What {@link mostRecentUnmetSchedule} reads. */
export interface ScheduleWindowInput {
  readonly next: NextActivation;
  readonly now: EpochMs;
  /** `status.lastScheduleTime`, else the creation time: nothing at or before it is run. */
  readonly lastScheduledMs: EpochMs;
  /** `spec.startingDeadlineSeconds`: activations older than now minus this are not started. */
  readonly startingDeadlineSeconds: number | undefined;
}

/**
 * Returns the run an AdvancedCronJob should start now and when it runs next, as OpenKruise's
 * `getNextSchedule`: from the later of the last scheduled time and `now - startingDeadlineSeconds`,
 * it walks the activations up to `now` and keeps the latest; more than 100 of them is
 * `too-many-missed` (a clock skew or a long outage: OpenKruise starts nothing).
 *
 * @example `*\/5 * * * *`, last 10:00, now 10:12 → { missedMs: 10:10, nextMs: 10:15 }
 * @example `* * * * *`, last 08:00, now 10:00 (120 missed), no deadline → { kind: 'too-many-missed', earliestMs: 08:00 }
 * @example the same with startingDeadlineSeconds 300 → walks from 09:55: { missedMs: 10:00, nextMs: 10:01 }
 */
export function mostRecentUnmetSchedule(input: ScheduleWindowInput): ScheduleWindow {
  const { next, now } = input;
  const deadline = input.startingDeadlineSeconds === undefined ? undefined : now - input.startingDeadlineSeconds * 1000;
  const earliestMs = deadline !== undefined && deadline > input.lastScheduledMs ? deadline : input.lastScheduledMs;
  if (earliestMs > now) return { kind: 'window', missedMs: undefined, nextMs: next(now) };
  let missedMs: EpochMs | undefined;
  let starts = 0;
  for (let t = next(earliestMs); t !== undefined && t <= now; t = next(t)) {
    missedMs = t;
    starts++;
    if (starts > MAX_MISSED_START_TIMES) return { kind: 'too-many-missed', earliestMs };
  }
  return { kind: 'window', missedMs, nextMs: next(now) };
}
