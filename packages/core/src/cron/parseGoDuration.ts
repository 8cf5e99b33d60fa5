/** A duration read as Go's `time.ParseDuration` reads it, in milliseconds, or why it does not parse. */
export type ParsedGoDuration = { readonly kind: 'valid'; readonly ms: number } | { readonly kind: 'invalid'; readonly message: string };

const UNIT_MS: Readonly<Record<string, number>> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Returns a Go duration string (`time.ParseDuration`: an optional sign, then one or more decimal
 * numbers each with a unit `ns`, `us`/`µs`, `ms`, `s`, `m`, `h`; a bare `0` is allowed) in
 * milliseconds. robfig/cron's `@every` uses it.
 *
 * @example parseGoDuration('1h30m') → { kind: 'valid', ms: 5_400_000 }
 * @example parseGoDuration('1.5s') → { kind: 'valid', ms: 1500 }
 * @example parseGoDuration('5') → { kind: 'invalid', message: 'time: missing unit in duration "5"' }
 */
export function parseGoDuration(text: string): ParsedGoDuration {
  const quoted = JSON.stringify(text);
  const sign = text.startsWith('-') ? -1 : 1;
  const body = text.replace(/^[+-]/, '');
  if (body === '0') return { kind: 'valid', ms: 0 };
  if (body === '') return { kind: 'invalid', message: `time: invalid duration ${quoted}` };
  let ms = 0;
  let rest = body;
  while (rest !== '') {
    const part = /^(\d*(?:\.\d*)?)([^\d.]*)/.exec(rest);
    const [whole = '', number = '', unit = ''] = part ?? [];
    if (number === '' || number === '.') return { kind: 'invalid', message: `time: invalid duration ${quoted}` };
    if (unit === '') return { kind: 'invalid', message: `time: missing unit in duration ${quoted}` };
    const unitMs = UNIT_MS[unit];
    if (unitMs === undefined) return { kind: 'invalid', message: `time: unknown unit ${JSON.stringify(unit)} in duration ${quoted}` };
    ms += Number(number) * unitMs;
    rest = rest.slice(whole.length);
  }
  return { kind: 'valid', ms: sign * ms };
}
