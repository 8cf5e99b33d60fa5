import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isTimeZone } from './isTimeZone.js';
import { parseCronSchedule } from './parseCronSchedule.js';
import { parseGoDuration } from './parseGoDuration.js';

const range = (from: number, to: number, step = 1): number[] => Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, i) => from + i * step);
const parse = (text: string) => parseCronSchedule(text, isTimeZone);

describe('parseCronSchedule (robfig/cron v3 ParseStandard)', () => {
  it.each([
    ['*/15 9-17 * * MON-FRI', { minutes: [0, 15, 30, 45], hours: range(9, 17), daysOfWeek: [1, 2, 3, 4, 5], daysOfMonthStar: true, daysOfWeekStar: false }],
    ['5/15 * * * *', { minutes: [5, 20, 35, 50] }],
    ['20-35/15 * * * *', { minutes: [20, 35] }],
    ['0 0 ? Jul Sun', { months: [7], daysOfWeek: [0], daysOfMonthStar: true, daysOfWeekStar: false }],
    ['0 0 1,15 * Sun', { daysOfMonth: [1, 15], daysOfMonthStar: false, daysOfWeekStar: false }],
    ['* * */10 * Sun', { daysOfMonth: [1, 11, 21, 31], daysOfMonthStar: false }],
    ['* * */1 * *', { daysOfMonth: range(1, 31), daysOfMonthStar: true }],
    ['0 0 * Feb Mon/2', { months: [2], daysOfWeek: [1, 3, 5] }],
    ['0 0 1,,15 * *', { daysOfMonth: [1, 15] }],
    ['  0   0  *  *  *  ', { minutes: [0], hours: [0] }],
    ['@hourly', { minutes: [0], hours: range(0, 23), daysOfMonthStar: true, daysOfWeekStar: true }],
    ['@weekly', { minutes: [0], hours: [0], daysOfWeek: [0], daysOfMonthStar: true, daysOfWeekStar: false }],
    ['@annually', { daysOfMonth: [1], months: [1] }],
    ['TZ=America/New_York 30 2 * * *', { minutes: [30], hours: [2], timeZone: 'America/New_York' }],
    ['CRON_TZ=Asia/Tokyo @daily', { hours: [0], timeZone: 'Asia/Tokyo' }],
    ['TZ=UTC 0 0 * * *', { timeZone: 'UTC' }],
    ['TZ=Local 0 0 * * *', { timeZone: undefined }],
  ])('%s parses', (text, expected) => {
    const parsed = parse(text);
    expect(parsed).toMatchObject({ kind: 'valid', spec: { kind: 'fields', ...expected } });
  });

  it.each([
    ['', 'empty spec string'],
    ['0 0 * *', 'expected exactly 5 fields, found 4: [0 0 * *]'],
    ['0 0 0 * * *', 'expected exactly 5 fields, found 6: [0 0 0 * * *]'],
    ['60 * * * *', 'end of range (60) above maximum (59): 60'],
    ['* 24 * * *', 'end of range (24) above maximum (23): 24'],
    ['* * 0 * *', 'beginning of range (0) below minimum (1): 0'],
    ['0 0 * * 7', 'end of range (7) above maximum (6): 7'],
    ['0 0 * * XYZ', 'failed to parse int from XYZ: strconv.Atoi: parsing "XYZ": invalid syntax'],
    ['5-3 * * * *', 'beginning of range (5) beyond end of range (3): 5-3'],
    ['1-2-3 * * * *', 'too many hyphens: 1-2-3'],
    ['*/5/2 * * * *', 'too many slashes: */5/2'],
    ['15/0 * * * *', 'step of range should be a positive number: 15/0'],
    ['0 0 L * *', 'failed to parse int from L: strconv.Atoi: parsing "L": invalid syntax'],
    ['0 0 * * 5#2', 'failed to parse int from 5#2: strconv.Atoi: parsing "5#2": invalid syntax'],
    ['@reboot', 'unrecognized descriptor: @reboot'],
    ['@every 5', 'failed to parse duration @every 5: time: missing unit in duration "5"'],
    ['TZ=Mars/Olympus 0 0 * * *', 'provided bad location Mars/Olympus: unknown time zone Mars/Olympus'],
    ['TZ=America/New_York', 'provided bad location America/New_York: missing the schedule after the zone'],
  ])('%j is refused: %s', (text, message) => {
    expect(parse(text)).toEqual({ kind: 'invalid', message });
  });

  it.each([
    ['@every 1h30m', 5_400_000],
    ['@every 90s', 90_000],
    ['@every 1500ms', 1000],
    ['@every 10ms', 1000],
    ['TZ=Europe/Berlin @every 2m', 120_000],
  ])('%s runs every %d ms (whole seconds, at least one)', (text, everyMs) => {
    expect(parse(text)).toMatchObject({ kind: 'valid', spec: { kind: 'every', everyMs } });
  });

  it('a field of values in its bounds always parses, to values in its bounds, sorted and unique', () => {
    const value = fc.integer({ min: 0, max: 59 });
    fc.assert(
      fc.property(fc.array(fc.tuple(value, value, fc.integer({ min: 1, max: 7 })), { minLength: 1, maxLength: 4 }), (parts) => {
        const field = parts.map(([a, b, step]) => `${Math.min(a, b)}-${Math.max(a, b)}/${step}`).join(',');
        const parsed = parse(`${field} * * * *`);
        if (parsed.kind !== 'valid' || parsed.spec.kind !== 'fields') return false;
        const { minutes } = parsed.spec;
        return minutes.every((m, i) => m >= 0 && m <= 59 && (i === 0 || m > (minutes[i - 1] ?? -1)));
      }),
    );
  });
});

describe('parseGoDuration', () => {
  it.each([
    ['0', 0],
    ['1h', 3_600_000],
    ['1.5h', 5_400_000],
    ['2m3s', 123_000],
    ['-1s', -1000],
    ['300ms', 300],
    ['1us', 0.001],
  ])('%s = %d ms', (text, ms) => {
    expect(parseGoDuration(text)).toEqual({ kind: 'valid', ms });
  });

  it.each(['', '5', 'h', '1d', '1h x'])('%j is refused', (text) => {
    expect(parseGoDuration(text).kind).toBe('invalid');
  });
});

describe('isTimeZone', () => {
  it.each([
    ['America/New_York', true],
    ['US/Eastern', true],
    ['UTC', true],
    ['Etc/GMT+5', true],
    ['america/new_york', false],
    ['Mars/Olympus', false],
    ['Local', false],
    ['', false],
  ])('%j → %s', (name, expected) => {
    expect(isTimeZone(name)).toBe(expected);
  });
});
