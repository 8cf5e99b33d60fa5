import { isTimeZone, parseCronSchedule, type CronFieldsSpec, type CronSpec } from '@kruise-ts/core';
import fc from 'fast-check';
import { Cron } from 'croner';
import { describe, expect, it } from 'vitest';
import { cronerPattern, cronerScheduler } from './cronerScheduler.js';

function specOf(schedule: string): CronSpec {
  const parsed = parseCronSchedule(schedule, isTimeZone);
  if (parsed.kind === 'invalid') throw new Error(parsed.message);
  return parsed.spec;
}

/** The first activation after `from` (an ISO time with offset), as an ISO time in UTC, or '' for none. */
function next(schedule: string, from: string, defaultZone = 'UTC'): string {
  const ms = cronerScheduler(specOf(schedule), defaultZone)(Date.parse(from));
  return ms === undefined ? '' : new Date(ms).toISOString();
}

const utc = (iso: string): string => new Date(iso).toISOString();

// robfig/cron v3 spec_test.go TestNext, the five-field and DST cases (its seconds field dropped).
describe('cronerScheduler matches robfig/cron v3 (spec_test.go TestNext)', () => {
  it.each([
    ['0/15 * * * *', '2012-07-09T14:45:00Z', '2012-07-09T15:00:00Z'],
    ['0/15 * * * *', '2012-07-09T14:59:00Z', '2012-07-09T15:00:00Z'],
    ['0/15 * * * *', '2012-07-09T14:59:59Z', '2012-07-09T15:00:00Z'],
    ['20-35/15 * * * *', '2012-07-09T15:45:00Z', '2012-07-09T16:20:00Z'],
    ['*/15 * * * *', '2012-07-09T23:46:00Z', '2012-07-10T00:00:00Z'],
    ['20-35/15 * * * *', '2012-07-09T23:45:00Z', '2012-07-10T00:20:00Z'],
    ['20-35/15 1/2 * * *', '2012-07-09T23:35:51Z', '2012-07-10T01:20:00Z'],
    ['20-35/15 10-12 * * *', '2012-07-09T23:35:51Z', '2012-07-10T10:20:00Z'],
    ['20-35/15 1/2 */2 * *', '2012-07-09T23:35:51Z', '2012-07-11T01:20:00Z'],
    ['20-35/15 * 9-20 * *', '2012-07-09T23:35:51Z', '2012-07-10T00:20:00Z'],
    ['20-35/15 * 9-20 Jul *', '2012-07-09T23:35:51Z', '2012-07-10T00:20:00Z'],
    ['0 0 9 Apr-Oct ?', '2012-07-09T23:35:00Z', '2012-08-09T00:00:00Z'],
    ['0 0 */5 Apr,Aug,Oct Mon', '2012-07-09T23:35:00Z', '2012-08-01T00:00:00Z'],
    ['0 0 */5 Oct Mon', '2012-07-09T23:35:00Z', '2012-10-01T00:00:00Z'],
    ['0 0 * Feb Mon', '2012-07-09T23:35:00Z', '2013-02-04T00:00:00Z'],
    ['0 0 * Feb Mon/2', '2012-07-09T23:35:00Z', '2013-02-01T00:00:00Z'],
    ['* * * * *', '2012-12-31T23:59:45Z', '2013-01-01T00:00:00Z'],
    ['0 0 29 Feb ?', '2012-07-09T23:35:00Z', '2016-02-29T00:00:00Z'],
    // Daylight saving time 2am EST (-5) -> 3am EDT (-4)
    ['TZ=America/New_York 30 2 11 Mar ?', '2012-03-11T00:00:00-05:00', '2013-03-11T02:30:00-04:00'],
    // hourly job
    ['TZ=America/New_York 0 * * * ?', '2012-03-11T00:00:00-05:00', '2012-03-11T01:00:00-05:00'],
    ['TZ=America/New_York 0 * * * ?', '2012-03-11T01:00:00-05:00', '2012-03-11T03:00:00-04:00'],
    ['TZ=America/New_York 0 * * * ?', '2012-03-11T03:00:00-04:00', '2012-03-11T04:00:00-04:00'],
    ['CRON_TZ=America/New_York 0 * * * ?', '2012-03-11T04:00:00-04:00', '2012-03-11T05:00:00-04:00'],
    // 1am nightly job
    ['TZ=America/New_York 0 1 * * ?', '2012-03-11T00:00:00-05:00', '2012-03-11T01:00:00-05:00'],
    ['TZ=America/New_York 0 1 * * ?', '2012-03-11T01:00:00-05:00', '2012-03-12T01:00:00-04:00'],
    // 2am nightly job (skipped)
    ['TZ=America/New_York 0 2 * * ?', '2012-03-11T00:00:00-05:00', '2012-03-12T02:00:00-04:00'],
    // Daylight saving time 2am EDT (-4) => 1am EST (-5)
    ['TZ=America/New_York 30 2 04 Nov ?', '2012-11-04T00:00:00-04:00', '2012-11-04T02:30:00-05:00'],
    ['TZ=America/New_York 30 1 04 Nov ?', '2012-11-04T01:45:00-04:00', '2012-11-04T01:30:00-05:00'],
    // hourly job
    ['TZ=America/New_York 0 * * * ?', '2012-11-04T00:00:00-04:00', '2012-11-04T01:00:00-04:00'],
    ['TZ=America/New_York 0 * * * ?', '2012-11-04T01:00:00-04:00', '2012-11-04T01:00:00-05:00'],
    ['TZ=America/New_York 0 * * * ?', '2012-11-04T01:00:00-05:00', '2012-11-04T02:00:00-05:00'],
    // 1am nightly job (runs twice)
    ['TZ=America/New_York 0 1 * * ?', '2012-11-04T00:00:00-04:00', '2012-11-04T01:00:00-04:00'],
    ['TZ=America/New_York 0 1 * * ?', '2012-11-04T01:00:00-04:00', '2012-11-04T01:00:00-05:00'],
    ['TZ=America/New_York 0 1 * * ?', '2012-11-04T01:00:00-05:00', '2012-11-05T01:00:00-05:00'],
    // 2am and 3am nightly jobs
    ['TZ=America/New_York 0 2 * * ?', '2012-11-04T00:00:00-04:00', '2012-11-04T02:00:00-05:00'],
    ['TZ=America/New_York 0 2 * * ?', '2012-11-04T02:00:00-05:00', '2012-11-05T02:00:00-05:00'],
    ['TZ=America/New_York 0 3 * * ?', '2012-11-04T00:00:00-04:00', '2012-11-04T03:00:00-05:00'],
    ['TZ=America/New_York 0 3 * * ?', '2012-11-04T03:00:00-05:00', '2012-11-05T03:00:00-05:00'],
    // the zone as the scheduler's default (robfig: the location of the time asked about)
    ['0 1 * * ?', '2012-11-04T01:00:00-04:00', '2012-11-04T01:00:00-05:00'],
    // Monthly job
    ['TZ=America/New_York 0 3 3 * ?', '2012-11-04T00:00:00-04:00', '2012-12-03T03:00:00-05:00'],
    // DST making midnight not a valid time (robfig/cron#157)
    ['TZ=America/Sao_Paulo 0 9 10 * ?', '2018-10-17T05:00:00-04:00', '2018-11-10T06:00:00-05:00'],
    ['TZ=America/Sao_Paulo 0 9 22 * ?', '2018-02-14T05:00:00-05:00', '2018-02-22T07:00:00-05:00'],
    // Unsatisfiable
    ['0 0 30 Feb ?', '2012-07-09T23:35:00Z', ''],
    ['0 0 31 Apr ?', '2012-07-09T23:35:00Z', ''],
  ])('%s after %s → %s', (schedule, from, expected) => {
    const defaultZone = schedule.startsWith('0 1 * * ?') ? 'America/New_York' : 'UTC';
    expect(next(schedule, from, defaultZone)).toBe(expected === '' ? '' : utc(expected));
  });
});

// robfig/cron v3 spec_test.go TestActivation (five-field form): `next(t - 1s) === t` when active.
describe('cronerScheduler activations as robfig/cron v3 (spec_test.go TestActivation)', () => {
  it.each([
    ['2012-07-09T15:00:00Z', '0/15 * * * *', true],
    ['2012-07-09T15:45:00Z', '0/15 * * * *', true],
    ['2012-07-09T15:40:00Z', '0/15 * * * *', false],
    ['2012-07-09T15:05:00Z', '5/15 * * * *', true],
    ['2012-07-09T15:20:00Z', '5/15 * * * *', true],
    ['2012-07-09T15:50:00Z', '5/15 * * * *', true],
    ['2012-07-15T15:00:00Z', '0/15 * * Jul *', true],
    ['2012-07-15T15:00:00Z', '0/15 * * Jun *', false],
    ['2012-07-15T08:30:00Z', '30 08 ? Jul Sun', true],
    ['2012-07-15T08:30:00Z', '30 08 15 Jul ?', true],
    ['2012-07-16T08:30:00Z', '30 08 ? Jul Sun', false],
    ['2012-07-16T08:30:00Z', '30 08 15 Jul ?', false],
    ['2012-07-09T15:00:00Z', '@hourly', true],
    ['2012-07-09T15:04:00Z', '@hourly', false],
    ['2012-07-09T15:00:00Z', '@daily', false],
    ['2012-07-09T00:00:00Z', '@daily', true],
    ['2012-07-09T00:00:00Z', '@weekly', false],
    ['2012-07-08T00:00:00Z', '@weekly', true],
    ['2012-07-08T01:00:00Z', '@weekly', false],
    ['2012-07-08T00:00:00Z', '@monthly', false],
    ['2012-07-01T00:00:00Z', '@monthly', true],
    // If both day fields are restricted, one of them needs to match.
    ['2012-07-15T00:00:00Z', '* * 1,15 * Sun', true],
    ['2012-06-15T00:00:00Z', '* * 1,15 * Sun', true],
    ['2012-08-01T00:00:00Z', '* * 1,15 * Sun', true],
    ['2012-07-15T00:00:00Z', '* * */10 * Sun', true],
    // However, if one has a star, then both need to match.
    ['2012-07-15T00:00:00Z', '* * * * Mon', false],
    ['2012-07-09T00:00:00Z', '* * 1,15 * *', false],
    ['2012-07-15T00:00:00Z', '* * 1,15 * *', true],
    ['2012-07-15T00:00:00Z', '* * */2 * Sun', true],
  ])('%s with %s: %s', (time, schedule, active) => {
    const t = Date.parse(time);
    expect(cronerScheduler(specOf(schedule), 'UTC')(t - 1000) === t).toBe(active);
  });
});

describe('why the adapter writes its own croner pattern (ADR 0009)', () => {
  const nextOf = (pattern: string, from: string, options: ConstructorParameters<typeof Cron>[1] = {}) =>
    new Cron(pattern, { timezone: 'America/New_York', ...(options as object) }).nextRun(new Date(from))?.toISOString() ?? '';

  it('croner alone runs a fixed-time job skipped by spring-forward after the gap; robfig skips it', () => {
    expect(nextOf('0 2 * * *', '2012-03-11T00:00:00-05:00')).toBe(utc('2012-03-11T03:00:00-04:00'));
    expect(next('TZ=America/New_York 0 2 * * *', '2012-03-11T00:00:00-05:00')).toBe(utc('2012-03-12T02:00:00-04:00'));
  });

  it('croner alone runs a fixed-time job repeated by fall-back once; robfig runs it twice', () => {
    expect(nextOf('0 1 * * *', '2012-11-04T01:00:00-04:00')).toBe(utc('2012-11-05T01:00:00-05:00'));
    expect(next('TZ=America/New_York 0 1 * * *', '2012-11-04T01:00:00-04:00')).toBe(utc('2012-11-04T01:00:00-05:00'));
  });

  it('croner refuses robfig’s N/step and accepts what robfig refuses (7, L, #, six fields); core’s parser decides instead', () => {
    expect(() => new Cron('5/15 * * * *')).toThrow();
    expect(() => new Cron('0 0 * * 7')).not.toThrow();
    expect(() => new Cron('0 0 L * *')).not.toThrow();
    expect(parseCronSchedule('5/15 * * * *', isTimeZone).kind).toBe('valid');
    for (const schedule of ['0 0 * * 7', '0 0 L * *', '0 0 * * 5#2', '0 0 0 * * *']) expect(parseCronSchedule(schedule, isTimeZone).kind).toBe('invalid');
  });
});

describe('cronerScheduler beyond robfig’s tests', () => {
  it('@every is the time truncated to its second plus the delay', () => {
    expect(next('@every 90s', '2026-01-01T00:00:00.700Z')).toBe('2026-01-01T00:01:30.000Z');
  });

  it('gives up past five years, as robfig/cron does (29 Feb 2104 from 2097)', () => {
    expect(next('0 0 29 Feb *', '2097-03-01T00:00:00Z')).toBe('');
    expect(next('0 0 29 Feb *', '2099-03-01T00:00:00Z')).toBe('2104-02-29T00:00:00.000Z');
  });

  it('writes explicit lists, stars only where robfig saw them, and a stepped seconds field', () => {
    expect(cronerPattern(specOf('*/20 9-11 * * MON,FRI') as CronFieldsSpec)).toBe('0-0/1 0,20,40 9,10,11 * 1,2,3,4,5,6,7,8,9,10,11,12 1,5');
  });
});

// ---- properties: next(t) > t, next is a match, nothing matches in between (minute granularity) ----

const ZONES = ['UTC', 'America/New_York', 'Europe/Berlin', 'Asia/Kolkata', 'Australia/Sydney', 'America/Sao_Paulo'];

const formatters = new Map<string, Intl.DateTimeFormat>();
function wallClock(ms: number, zone: string): { minute: number; hour: number; day: number; month: number; weekday: number } {
  let format = formatters.get(zone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', minute: 'numeric', hour: 'numeric', day: 'numeric', month: 'numeric', weekday: 'short' });
    formatters.set(zone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(parts['weekday'] ?? '');
  return { minute: Number(parts['minute']), hour: Number(parts['hour']), day: Number(parts['day']), month: Number(parts['month']), weekday };
}

/** Whether the wall clock of instant `ms` in `zone` matches (robfig's day rule: AND when a day field is a star, else OR). */
function matches(spec: CronFieldsSpec, ms: number, zone: string): boolean {
  if (ms % 60_000 !== 0) return false;
  const w = wallClock(ms, zone);
  const dom = spec.daysOfMonth.includes(w.day);
  const dow = spec.daysOfWeek.includes(w.weekday);
  const day = spec.daysOfMonthStar || spec.daysOfWeekStar ? dom && dow : dom || dow;
  return spec.minutes.includes(w.minute) && spec.hours.includes(w.hour) && spec.months.includes(w.month) && day;
}

const field = (min: number, max: number): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constant('*'),
    fc.integer({ min: 2, max: Math.max(2, Math.floor((max - min) / 2)) }).map((step) => `*/${step}`),
    fc.tuple(fc.integer({ min, max }), fc.integer({ min, max })).map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`),
    fc.uniqueArray(fc.integer({ min, max }), { minLength: 1, maxLength: 4 }).map((values) => values.join(',')),
    fc.tuple(fc.integer({ min, max }), fc.integer({ min: 1, max: 7 })).map(([start, step]) => `${start}/${step}`),
  );

// Dense enough to fire within the checked window most of the time: months and days of month stay wide.
const schedules = fc.record({
  minute: field(0, 59),
  hour: field(0, 23),
  dom: fc.oneof(fc.constant('*'), fc.constant('?'), field(1, 31)),
  dow: fc.oneof(fc.constant('*'), fc.constant('?'), field(0, 6)),
  zone: fc.constantFrom(...ZONES),
});

const WINDOW_MINUTES = 2 * 24 * 60;

// Around DST changes (second Sunday of March, first Sunday of November in New York; Europe's last
// Sundays) and anywhere in 2015-2030.
const instants = fc.oneof(
  fc.integer({ min: Date.parse('2015-01-01T00:00:00Z'), max: Date.parse('2030-12-31T00:00:00Z') }),
  fc.tuple(fc.constantFrom('2021-03-14T07:00:00Z', '2021-11-07T06:00:00Z', '2026-03-08T07:00:00Z', '2026-11-01T06:00:00Z', '2026-03-29T01:00:00Z', '2026-10-25T01:00:00Z', '2026-04-05T16:00:00Z'), fc.integer({ min: -2 * 86_400_000, max: 86_400_000 })).map(
    ([base, offset]) => Date.parse(base) + offset,
  ),
);

describe('cronerScheduler properties (random schedules, zones and instants)', () => {
  it('next(t) is after t, is a match, and no whole minute in between matches (checked over two days)', () => {
    fc.assert(
      fc.property(schedules, instants, (s, t) => {
        const spec = specOf(`${s.minute} ${s.hour} ${s.dom} * ${s.dow}`) as CronFieldsSpec;
        const next = cronerScheduler(spec, s.zone)(t);
        const end = t + WINDOW_MINUTES * 60_000;
        if (next !== undefined) {
          expect(next).toBeGreaterThan(t);
          expect(matches(spec, next, s.zone)).toBe(true);
        }
        for (let m = Math.floor(t / 60_000) * 60_000 + 60_000; m < Math.min(next ?? end, end); m += 60_000) {
          if (matches(spec, m, s.zone)) expect.fail(`${new Date(m).toISOString()} matches ${s.minute} ${s.hour} ${s.dom} * ${s.dow} in ${s.zone} before ${next === undefined ? 'none' : new Date(next).toISOString()}`);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('@every d: next(t) - t is in (d - 1 s, d]', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 86_400 }), fc.integer({ min: 0, max: 4_000_000_000_000 }), (seconds, t) => {
        const next = cronerScheduler({ kind: 'every', everyMs: seconds * 1000, timeZone: undefined }, 'UTC')(t)!;
        expect(next - t).toBeGreaterThan(seconds * 1000 - 1000);
        expect(next - t).toBeLessThanOrEqual(seconds * 1000);
      }),
    );
  });
});
