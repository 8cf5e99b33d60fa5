/**
 * A cron schedule read the way robfig/cron v3's `ParseStandard` reads it (the parser OpenKruise's
 * AdvancedCronJob uses): which minutes, hours, days, months and weekdays match, in which zone.
 * Data only; an adapter (`@kruise-ts/k8s-adapter`'s `cronerScheduler`) turns it into "the next
 * activation after t".
 */
export type CronSpec = CronFieldsSpec | CronEverySpec;

/**
 * A five-field schedule or a descriptor (`@hourly`, `@daily`...), as sets of matching values.
 * Day-of-month and day-of-week combine as in robfig/cron: when either field is a bare `*` or `?`
 * (its `...Star` flag), a day must match both; otherwise it must match one of them.
 *
 * @example parseCronSchedule('TZ=America/New_York 30 2 * * 1-5') → { kind: 'fields', minutes: [30], hours: [2], daysOfMonth: [1..31],
 *   months: [1..12], daysOfWeek: [1, 2, 3, 4, 5], daysOfMonthStar: true, daysOfWeekStar: false, timeZone: 'America/New_York' }
 */
export interface CronFieldsSpec {
  readonly kind: 'fields';
  /** Minutes 0-59 that match, ascending. */
  readonly minutes: readonly number[];
  /** Hours 0-23 that match, ascending. */
  readonly hours: readonly number[];
  /** Days of the month 1-31 that match, ascending. */
  readonly daysOfMonth: readonly number[];
  /** Months 1-12 that match, ascending. */
  readonly months: readonly number[];
  /** Days of the week 0-6 (Sunday 0) that match, ascending. */
  readonly daysOfWeek: readonly number[];
  /** Day-of-month was `*` or `?` (without a step above 1). */
  readonly daysOfMonthStar: boolean;
  /** Day-of-week was `*` or `?` (without a step above 1). */
  readonly daysOfWeekStar: boolean;
  /** IANA zone of a `TZ=`/`CRON_TZ=` prefix; undefined: the scheduler's default zone. */
  readonly timeZone: string | undefined;
}

/**
 * `@every <duration>`: activations every `everyMs` milliseconds (whole seconds, at least 1 s),
 * counted from the time asked about truncated to its second.
 *
 * @example parseCronSchedule('@every 1h30m') → { kind: 'every', everyMs: 5_400_000, timeZone: undefined }
 */
export interface CronEverySpec {
  readonly kind: 'every';
  readonly everyMs: number;
  readonly timeZone: string | undefined;
}

/**
 * The first activation of a schedule strictly after a time (epoch milliseconds), or undefined when
 * there is none within robfig/cron's search horizon (5 years: `0 0 30 2 *` never runs).
 *
 * @example with `*\/15 * * * *` in UTC: next(Date.parse('2026-03-08T06:59:00Z')) === Date.parse('2026-03-08T07:00:00Z')
 */
export type NextActivation = (afterMs: number) => number | undefined;

/**
 * Compiles a parsed schedule into its {@link NextActivation}, using `defaultTimeZone` when the
 * schedule names none. A port: core computes no calendar arithmetic in time zones itself.
 */
export type CronScheduler = (spec: CronSpec, defaultTimeZone: string) => NextActivation;
