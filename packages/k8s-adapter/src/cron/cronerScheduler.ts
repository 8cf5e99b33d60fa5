import type { CronFieldsSpec, CronScheduler, NextActivation } from '@kruise-ts/core';
import { Cron } from 'croner';

// robfig/cron gives up (returns the zero time) when no activation is found within five years.
const HORIZON_YEARS = 5;

const list = (values: readonly number[]): string => values.join(',');

/**
 * The croner pattern of a five-field schedule: every field an explicit list of the values robfig/cron
 * matched (so croner's own syntax never decides anything), day fields `*` where robfig saw a star
 * (croner then matches the other day field alone, as robfig's AND with a star does; with no star
 * both are lists and croner ORs them, as robfig does), and a seconds field `0-0/1`: a step makes
 * croner treat every schedule as an "interval job" in DST transitions, which is robfig's behaviour
 * for all schedules (a wall time skipped by spring-forward is skipped, one repeated by fall-back
 * runs twice). See docs/decisions/0009-cron-library.md.
 */
export function cronerPattern(spec: CronFieldsSpec): string {
  const dom = spec.daysOfMonthStar ? '*' : list(spec.daysOfMonth);
  const dow = spec.daysOfWeekStar ? '*' : list(spec.daysOfWeek);
  return `0-0/1 ${list(spec.minutes)} ${list(spec.hours)} ${dom} ${list(spec.months)} ${dow}`;
}

function fieldsNext(spec: CronFieldsSpec, timeZone: string): NextActivation {
  const cron = new Cron(cronerPattern(spec), { timezone: timeZone, domAndDow: false, mode: '6-part' });
  return (afterMs) => {
    const next = cron.nextRun(new Date(afterMs));
    if (next === null) return undefined;
    const ms = next.getTime();
    return new Date(ms).getUTCFullYear() > new Date(afterMs).getUTCFullYear() + HORIZON_YEARS ? undefined : ms;
  };
}

/**
 * The {@link CronScheduler} kruise-ts runs: core's parsed robfig/cron schedule, its next activation
 * computed by croner (calendar and time zone arithmetic through `Intl`; no timer is started, the
 * clock is never read: the time asked about is the argument). `@every <d>` is robfig's
 * constant delay: the time truncated to its second, plus `d`.
 *
 * @example cronerScheduler(parseCronSchedule('TZ=America/New_York 0 2 * * *', isTimeZone).spec, 'UTC')(Date.parse('2026-03-08T06:00:00Z'))
 *   === Date.parse('2026-03-09T06:00:00Z')  // 02:00 does not exist on 8 March 2026 in New York: skipped, as robfig/cron does
 */
export const cronerScheduler: CronScheduler = (spec, defaultTimeZone) => {
  const timeZone = spec.timeZone ?? defaultTimeZone;
  if (spec.kind === 'every') return (afterMs) => Math.floor(afterMs / 1000) * 1000 + spec.everyMs;
  return fieldsNext(spec, timeZone);
};
