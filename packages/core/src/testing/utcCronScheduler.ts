import type { CronScheduler, CronSpec } from '../cron/cronSpec.js';

const DAY_MS = 86_400_000;
const HORIZON_DAYS = 5 * 366;

function dayMatches(spec: Extract<CronSpec, { kind: 'fields' }>, day: Date): boolean {
  if (!spec.months.includes(day.getUTCMonth() + 1)) return false;
  const dom = spec.daysOfMonth.includes(day.getUTCDate());
  const dow = spec.daysOfWeek.includes(day.getUTCDay());
  return spec.daysOfMonthStar || spec.daysOfWeekStar ? dom && dow : dom || dow;
}

/**
 * A {@link CronScheduler} for tests of planners in core: robfig/cron's matching in UTC only (a
 * schedule naming another zone is refused), computed day by day without a library. Kubernetes
 * controllers use `cronerScheduler` from `@kruise-ts/k8s-adapter`, which knows time zones.
 *
 * @example utcCronScheduler(spec of '*\/5 * * * *', 'UTC')(Date.parse('2025-01-01T00:07:00Z')) === Date.parse('2025-01-01T00:10:00Z')
 */
export const utcCronScheduler: CronScheduler = (spec, defaultTimeZone) => {
  const zone = spec.timeZone ?? defaultTimeZone;
  if (zone !== 'UTC') throw new Error(`utcCronScheduler knows UTC only, not ${zone}`);
  if (spec.kind === 'every') return (afterMs) => Math.floor(afterMs / 1000) * 1000 + spec.everyMs;
  return (afterMs) => {
    const firstDay = Math.floor(afterMs / DAY_MS) * DAY_MS;
    for (let day = firstDay; day < firstDay + HORIZON_DAYS * DAY_MS; day += DAY_MS) {
      if (!dayMatches(spec, new Date(day))) continue;
      for (const hour of spec.hours) {
        for (const minute of spec.minutes) {
          const t = day + hour * 3_600_000 + minute * 60_000;
          if (t > afterMs) return t;
        }
      }
    }
    return undefined;
  };
};
