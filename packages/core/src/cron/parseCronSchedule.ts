import type { CronFieldsSpec, CronSpec } from './cronSpec.js';
import { parseGoDuration } from './parseGoDuration.js';

/** A parsed schedule, or why it does not parse (robfig/cron's wording). */
export type ParsedCronSchedule = { readonly kind: 'valid'; readonly spec: CronSpec } | { readonly kind: 'invalid'; readonly message: string };

interface Bounds {
  readonly min: number;
  readonly max: number;
  readonly names?: Readonly<Record<string, number>>;
}

const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

const MINUTES: Bounds = { min: 0, max: 59 };
const HOURS: Bounds = { min: 0, max: 23 };
const DAYS_OF_MONTH: Bounds = { min: 1, max: 31 };
const MONTHS: Bounds = { min: 1, max: 12, names: Object.fromEntries(MONTH_NAMES.map((name, i) => [name, i + 1])) };
const DAYS_OF_WEEK: Bounds = { min: 0, max: 6, names: Object.fromEntries(DAY_NAMES.map((name, i) => [name, i])) };

// robfig/cron's descriptors, as five-field schedules (its `all()` fields count as `*`).
const DESCRIPTORS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

class CronSyntaxError extends Error {}

function parseNumber(text: string, expr: string): number {
  // Go's strconv.Atoi: an optional sign and decimal digits.
  if (!/^[+-]?\d+$/.test(text)) throw new CronSyntaxError(`failed to parse int from ${text}: strconv.Atoi: parsing ${JSON.stringify(text)}: invalid syntax`);
  const value = Number(text);
  if (value < 0) throw new CronSyntaxError(`negative number (${value}) not allowed: ${expr}`);
  return value;
}

function parseValue(text: string, bounds: Bounds, expr: string): number {
  return bounds.names?.[text.toLowerCase()] ?? parseNumber(text, expr);
}

interface FieldValues {
  readonly values: Set<number>;
  star: boolean;
}

function addRange(expr: string, bounds: Bounds, into: FieldValues): void {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = (rangeAndStep[0] ?? '').split('-');
  const first = lowAndHigh[0] ?? '';
  let star = false;
  let start: number;
  let end: number;
  if (first === '*' || first === '?') {
    [start, end, star] = [bounds.min, bounds.max, true];
  } else {
    if (lowAndHigh.length > 2) throw new CronSyntaxError(`too many hyphens: ${expr}`);
    start = parseValue(first, bounds, expr);
    end = lowAndHigh.length === 2 ? parseValue(lowAndHigh[1] ?? '', bounds, expr) : start;
  }
  if (rangeAndStep.length > 2) throw new CronSyntaxError(`too many slashes: ${expr}`);
  let step = 1;
  if (rangeAndStep.length === 2) {
    step = parseNumber(rangeAndStep[1] ?? '', expr);
    // "N/step" means "N-max/step".
    if (lowAndHigh.length === 1) end = bounds.max;
    if (step > 1) star = false;
  }
  if (start < bounds.min) throw new CronSyntaxError(`beginning of range (${start}) below minimum (${bounds.min}): ${expr}`);
  if (end > bounds.max) throw new CronSyntaxError(`end of range (${end}) above maximum (${bounds.max}): ${expr}`);
  if (start > end) throw new CronSyntaxError(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new CronSyntaxError(`step of range should be a positive number: ${expr}`);
  for (let v = start; v <= end; v += step) into.values.add(v);
  into.star ||= star;
}

function parseField(field: string, bounds: Bounds): { values: number[]; star: boolean } {
  const into: FieldValues = { values: new Set(), star: false };
  // Go's strings.FieldsFunc: empty parts between commas are skipped.
  for (const part of field.split(',').filter((p) => p !== '')) addRange(part, bounds, into);
  return { values: [...into.values].sort((a, b) => a - b), star: into.star };
}

function parseFields(text: string, timeZone: string | undefined): CronFieldsSpec {
  const fields = text.split(/\s+/).filter((f) => f !== '');
  if (fields.length !== 5) throw new CronSyntaxError(`expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`);
  const [minute, hour, dom, month, dow] = fields as [string, string, string, string, string];
  const daysOfMonth = parseField(dom, DAYS_OF_MONTH);
  const daysOfWeek = parseField(dow, DAYS_OF_WEEK);
  return {
    kind: 'fields',
    minutes: parseField(minute, MINUTES).values,
    hours: parseField(hour, HOURS).values,
    daysOfMonth: daysOfMonth.values,
    months: parseField(month, MONTHS).values,
    daysOfWeek: daysOfWeek.values,
    daysOfMonthStar: daysOfMonth.star,
    daysOfWeekStar: daysOfWeek.star,
    timeZone,
  };
}

function parseDescriptor(text: string, timeZone: string | undefined): CronSpec {
  if (text.startsWith('@every ')) {
    const duration = parseGoDuration(text.slice('@every '.length));
    if (duration.kind === 'invalid') throw new CronSyntaxError(`failed to parse duration ${text}: ${duration.message}`);
    // robfig/cron's Every: at least one second, whole seconds.
    const seconds = Math.max(1, Math.trunc(duration.ms / 1000));
    return { kind: 'every', everyMs: seconds * 1000, timeZone };
  }
  const fields = DESCRIPTORS[text];
  if (fields === undefined) throw new CronSyntaxError(`unrecognized descriptor: ${text}`);
  return parseFields(fields, timeZone);
}

/**
 * Returns a schedule read as robfig/cron v3's `ParseStandard` reads it (OpenKruise's
 * AdvancedCronJob validation and controller): an optional `TZ=<zone> ` or `CRON_TZ=<zone> ` prefix,
 * then a descriptor (`@yearly`, `@annually`, `@monthly`, `@weekly`, `@daily`, `@midnight`,
 * `@hourly`, `@every <Go duration>`) or exactly five fields — minute, hour, day of month, month
 * (1-12 or JAN-DEC), day of week (0-6 or SUN-SAT; 7 is refused, as robfig does) — each a comma
 * list of `*`, `?` (the same as `*`), `N`, `N-M`, any of them with `/step` (`N/step` = `N-max/step`).
 * Names are case-insensitive. `isTimeZone` decides whether a prefix zone exists (Go's
 * `time.LoadLocation`; `UTC`, `Local` and `""` are always accepted, the last two meaning the
 * scheduler's default zone). Errors carry robfig/cron's message.
 *
 * @example parseCronSchedule('*\/15 9-17 * * MON-FRI', isTimeZone).kind === 'valid'  (minutes [0, 15, 30, 45], hours [9..17], days of week [1..5])
 * @example parseCronSchedule('0 0 * * 7', isTimeZone) → { kind: 'invalid', message: 'end of range (7) above maximum (6): 7' }
 */
export function parseCronSchedule(schedule: string, isTimeZone: (name: string) => boolean): ParsedCronSchedule {
  if (schedule === '') return { kind: 'invalid', message: 'empty spec string' };
  try {
    let text = schedule;
    let timeZone: string | undefined;
    if (text.startsWith('TZ=') || text.startsWith('CRON_TZ=')) {
      const space = text.indexOf(' ');
      const zone = text.slice(text.indexOf('=') + 1, space === -1 ? undefined : space);
      if (space === -1) throw new CronSyntaxError(`provided bad location ${zone}: missing the schedule after the zone`);
      if (zone !== '' && zone !== 'Local' && zone !== 'UTC' && !isTimeZone(zone)) throw new CronSyntaxError(`provided bad location ${zone}: unknown time zone ${zone}`);
      timeZone = zone === '' || zone === 'Local' ? undefined : zone;
      text = text.slice(space).trim();
    }
    const spec = text.startsWith('@') ? parseDescriptor(text, timeZone) : parseFields(text, timeZone);
    return { kind: 'valid', spec };
  } catch (error) {
    if (error instanceof CronSyntaxError) return { kind: 'invalid', message: error.message };
    throw error;
  }
}
