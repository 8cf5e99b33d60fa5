import type { AdvancedCronJobSpec } from '../api/advancedCronJob.js';
import { isTimeZone } from '../cron/isTimeZone.js';

/**
 * Returns the schedule an AdvancedCronJob runs on, as OpenKruise's `formatSchedule` builds it: the
 * schedule as written when it mentions `TZ` (a `TZ=` or `CRON_TZ=` prefix), else prefixed with
 * `TZ=<timeZone> ` when `timeZone` is a zone that exists, else as written (the scheduler's
 * default zone applies).
 *
 * @example effectiveSchedule({ schedule: '0 9 * * *', timeZone: 'Asia/Tokyo' }) // 'TZ=Asia/Tokyo 0 9 * * *'
 * @example effectiveSchedule({ schedule: 'CRON_TZ=UTC 0 9 * * *', timeZone: 'Asia/Tokyo' }) // 'CRON_TZ=UTC 0 9 * * *'
 */
export function effectiveSchedule(spec: Pick<AdvancedCronJobSpec, 'schedule' | 'timeZone'>): string {
  if (spec.schedule.includes('TZ') || spec.timeZone === undefined) return spec.schedule;
  return spec.timeZone === 'UTC' || isTimeZone(spec.timeZone) ? `TZ=${spec.timeZone} ${spec.schedule}` : spec.schedule;
}
