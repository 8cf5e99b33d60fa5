/*
 * Kubernetes' `resource.Quantity` as Go holds it: an exact value plus the format it was written
 * in, which decides how it prints (`"0.5"` prints `500m`, `"1024Mi"` prints `1Gi`), and, for
 * values written in a form Go considers canonical, the text as written (`"1.125G"` prints
 * `1.125G`). SidecarSet code needs the Go behaviour byte for byte in two places: the JSON
 * OpenKruise hashes and stores (quantities in container resources) and the `resourcesPolicy`
 * calculator (its arithmetic and rounding).
 */

/** How Go prints a quantity: decimal SI suffixes, binary suffixes, or a decimal exponent (`''`: the zero value's). */
export type GoQuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent' | '';

/**
 * A quantity as Go's `resource.Quantity`: `numerator × 10^-scale` (exact, `scale` ≥ 0, at most 9:
 * values finer than a nano are rounded away from zero, as Go does), its print format, and the
 * text Go prints it as when that is the text it was parsed from.
 *
 * @example "1.5Gi" → { numerator: 1610612736n, scale: 0, format: 'BinarySI' }
 */
export interface GoQuantity {
  readonly numerator: bigint;
  readonly scale: number;
  readonly format: GoQuantityFormat;
  /** The text as parsed, kept when Go keeps it (canonical forms such as `100m`, `1Gi`, `1.125G`). */
  readonly text?: string | undefined;
}

/** Why a text is not a quantity, with Go's error text. */
export interface GoQuantityInvalid {
  readonly kind: 'invalid';
  readonly message: string;
}

const NANO_SCALE = 9;
const DECIMAL_SUFFIXES: Readonly<Record<number, string>> = { [-9]: 'n', [-6]: 'u', [-3]: 'm', 0: '', 3: 'k', 6: 'M', 9: 'G', 12: 'T', 15: 'P', 18: 'E' };
const DECIMAL_EXPONENTS: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIXES = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
const MAX_INT64 = 2n ** 63n - 1n;
const FORMAT_WRONG = 'quantities must match the regular expression \'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$\'';

/** The zero value (`resource.Quantity{}`): prints `0`. */
export const GO_ZERO_QUANTITY: GoQuantity = { numerator: 0n, scale: 0, format: '' };

function normalised(numerator: bigint, scale: number, format: GoQuantityFormat, text?: string): GoQuantity {
  let n = numerator;
  let s = scale;
  while (s > 0 && n % 10n === 0n) {
    n /= 10n;
    s -= 1;
  }
  return { numerator: n, scale: n === 0n ? 0 : s, format, ...(text !== undefined && { text }) };
}

// Divides by 10^by rounding away from zero (Go's `inf.RoundUp`).
function divideAwayFromZero(n: bigint, by: number): bigint {
  const d = 10n ** BigInt(by);
  const q = n / d;
  return n % d === 0n ? q : n < 0n ? q - 1n : q + 1n;
}

interface QuantityParts {
  readonly positive: boolean;
  readonly num: string;
  readonly denom: string;
  readonly suffix: string;
}

// Go's `parseQuantityString`: sign, integer digits without leading zeros, fraction digits, suffix.
function splitQuantity(text: string): QuantityParts | undefined {
  const match = /^([+-]?)0*(\d*)(?:\.(\d*))?([eEinumkKMGTP]*(?:[-+]?\d*)?)$/.exec(text);
  if (match === null) return undefined;
  const [, sign = '', num = '', denom = '', suffix = ''] = match;
  // A sign or digits after the letters are only allowed as an exponent's.
  if (/[-+\d]/.test(suffix) && !/^[eEinumkKMGTP]*[-+]?\d*$/.test(suffix)) return undefined;
  return { positive: sign !== '-', num: num === '' ? '0' : num, denom, suffix };
}

function interpretSuffix(suffix: string): { base: 10 | 2; exponent: number; format: GoQuantityFormat } | undefined {
  const decimal = DECIMAL_EXPONENTS[suffix];
  if (decimal !== undefined) return { base: 10, exponent: decimal, format: 'DecimalSI' };
  const binary = BINARY_SUFFIXES.indexOf(suffix);
  if (binary > 0) return { base: 2, exponent: binary * 10, format: 'BinarySI' };
  if (suffix.length > 1 && (suffix.startsWith('e') || suffix.startsWith('E')) && /^[-+]?\d+$/.test(suffix.slice(1))) {
    return { base: 10, exponent: Number(suffix.slice(1)), format: 'DecimalExponent' };
  }
  return undefined;
}

// Go's fast path: the value fits an int64 at nano precision or better; the text is kept when it is canonical.
function fastPath(text: string, parts: QuantityParts, base: 10 | 2, exponent: number, format: GoQuantityFormat): GoQuantity | undefined {
  const { num, denom } = parts;
  let scale = base === 10 ? exponent : 0;
  let mantissa = 1n;
  let precision: number;
  if (base === 10) precision = 18 - (num.length + denom.length);
  else if (exponent >= 0 && denom.length === 0) {
    mantissa = 1n << BigInt(exponent);
    precision = 15 - num.length - Math.trunc(Math.fround(Math.fround(exponent) * 3) / 10) - 1;
  } else precision = -1;
  if (precision < 0) return undefined;
  scale -= denom.length;
  if (scale < -NANO_SCALE) return undefined;
  const shifted = num + denom;
  const value = BigInt(shifted);
  if (value > MAX_INT64 || value * mantissa > MAX_INT64) return undefined;
  const result = parts.positive ? value * mantissa : -(value * mantissa);
  const keep = base === 2 ? exponent % 10 === 0 && (value & 7n) !== 0n : scale % 3 === 0 && !shifted.endsWith('000') && !shifted.startsWith('0');
  return scale >= 0 ? normalised(result * 10n ** BigInt(scale), 0, format, keep ? text : undefined) : normalised(result, -scale, format, keep ? text : undefined);
}

/**
 * Returns a quantity as Go's `resource.ParseQuantity` reads it, or Go's error: the value (rounded
 * away from zero to nano precision), the format from the suffix (`n`, `u`, `m`, `k`… decimal; `Ki`…
 * binary; `e3` exponent), and the text when Go keeps it. A JSON number is read through its decimal
 * form, as Go's `UnmarshalJSON` does.
 *
 * @example parseGoQuantity('100Mi') → { numerator: 104857600n, scale: 0, format: 'BinarySI' }
 * @example parseGoQuantity('0.5') → { numerator: 5n, scale: 1, format: 'DecimalSI' }
 * @example parseGoQuantity('1.125G') → { numerator: 1125000000n, scale: 0, format: 'DecimalSI', text: '1.125G' }
 */
export function parseGoQuantity(value: string | number): GoQuantity | GoQuantityInvalid {
  const text = typeof value === 'number' ? String(value) : value.trim();
  if (text === '') return { kind: 'invalid', message: FORMAT_WRONG };
  if (text === '0') return { numerator: 0n, scale: 0, format: 'DecimalSI', text };
  const parts = splitQuantity(text);
  if (parts === undefined) return { kind: 'invalid', message: FORMAT_WRONG };
  const suffix = interpretSuffix(parts.suffix);
  if (suffix === undefined) return { kind: 'invalid', message: 'unable to parse quantity\'s suffix' };
  const fast = fastPath(text, parts, suffix.base, suffix.exponent, suffix.format);
  if (fast !== undefined) return fast;
  // Go's slow path: exact decimal arithmetic (which needs a digit), rounded to nano precision,
  // binary values capped at the largest int64.
  if (!/\d/.test(text.slice(0, text.length - parts.suffix.length))) return { kind: 'invalid', message: "unable to parse quantity's numeric" };
  const digits = BigInt(parts.num + parts.denom);
  let numerator = suffix.base === 2 ? digits << BigInt(suffix.exponent) : digits;
  let scale = parts.denom.length - (suffix.base === 10 ? suffix.exponent : 0);
  if (scale < 0) {
    numerator *= 10n ** BigInt(-scale);
    scale = 0;
  }
  if (scale > NANO_SCALE) {
    numerator = divideAwayFromZero(numerator, scale - NANO_SCALE);
    scale = NANO_SCALE;
  }
  if (suffix.format === 'BinarySI' && numerator > MAX_INT64 * 10n ** BigInt(scale)) {
    numerator = MAX_INT64;
    scale = 0;
  }
  const below1 = numerator > 0n && numerator < 10n ** BigInt(scale);
  const format = suffix.format === 'BinarySI' && below1 ? 'DecimalSI' : suffix.format;
  return normalised(parts.positive ? numerator : -numerator, scale, format);
}

/**
 * Returns whether a parse result is a quantity.
 *
 * @example isGoQuantity(parseGoQuantity('1Gi')) → true
 */
export function isGoQuantity(value: GoQuantity | GoQuantityInvalid): value is GoQuantity {
  return !('kind' in value);
}

function formatDecimal(q: GoQuantity, exponentForm: boolean): string {
  let m = q.numerator;
  let e = -q.scale;
  while (m % 10n === 0n) {
    m /= 10n;
    e += 1;
  }
  const r = e % 3;
  if (r === 1 || r === -2) {
    m *= 10n;
    e -= 1;
  } else if (r === 2 || r === -1) {
    m *= 100n;
    e -= 2;
  }
  if (exponentForm) return e === 0 ? m.toString() : `${m.toString()}e${String(e)}`;
  return `${m.toString()}${DECIMAL_SUFFIXES[e] ?? ''}`;
}

function formatBinary(value: bigint): string {
  let m = value;
  let times = 0;
  while (m % 1024n === 0n) {
    m /= 1024n;
    times += 1;
  }
  return `${m.toString()}${BINARY_SUFFIXES[times] ?? ''}`;
}

/**
 * Returns how Go prints a quantity (`Quantity.String`, also its JSON form): the text it was parsed
 * from when Go kept it; `0` for zero; binary
 * quantities of at least 1024 that are whole numbers with the largest binary suffix that keeps
 * the number whole, otherwise decimal; decimal quantities as an integer with an SI suffix (or
 * `e<exponent>` for the exponent format) whose exponent is a multiple of 3.
 *
 * @example formatGoQuantity(parseGoQuantity('0.5')) → '500m'; ('1024Mi') → '1Gi'; ('1500') → '1500'; ('1e3') → '1e3'; ('512Ki'/1024) → '512'
 */
export function formatGoQuantity(q: GoQuantity): string {
  if (q.text !== undefined) return q.text;
  if (q.numerator === 0n) return '0';
  let format = q.format;
  if (format === 'BinarySI') {
    const whole = q.scale === 0;
    const small = q.numerator > -1024n * 10n ** BigInt(q.scale) && q.numerator < 1024n * 10n ** BigInt(q.scale);
    if (small || !whole) format = 'DecimalSI';
  }
  if (format === 'BinarySI') return formatBinary(q.numerator);
  return formatDecimal(q, format !== 'DecimalSI');
}

/**
 * Returns the canonical Go form of a quantity as written, or the text unchanged when it is not a
 * quantity (Go would refuse the object; kruise-ts keeps what it was given).
 *
 * @example canonicalGoQuantity('0.25') → '250m'; canonicalGoQuantity(2) → '2'
 */
export function canonicalGoQuantity(value: string | number): string {
  const q = parseGoQuantity(value);
  return isGoQuantity(q) ? formatGoQuantity(q) : String(value);
}

/**
 * Returns `ceil(q × 1000)` rounded away from zero, as Go's `Quantity.MilliValue`.
 *
 * @example goMilliValue(parseGoQuantity('1.5m')) → 2n
 */
export function goMilliValue(q: GoQuantity): bigint {
  return q.scale <= 3 ? q.numerator * 10n ** BigInt(3 - q.scale) : divideAwayFromZero(q.numerator, q.scale - 3);
}

/**
 * Returns `milli / 1000` with the given format (Go's `NewMilliQuantity`, or `SetMilli` on a
 * quantity of that format).
 *
 * @example formatGoQuantity(goQuantityFromMilli(300n, 'DecimalSI')) → '300m'
 */
export function goQuantityFromMilli(milli: bigint, format: GoQuantityFormat): GoQuantity {
  return normalised(milli, 3, format);
}

function aligned(a: GoQuantity, b: GoQuantity): [bigint, bigint, number] {
  const scale = Math.max(a.scale, b.scale);
  return [a.numerator * 10n ** BigInt(scale - a.scale), b.numerator * 10n ** BigInt(scale - b.scale), scale];
}

/**
 * Returns `a + b` as Go's `Quantity.Add`: the format stays `a`'s unless `a` is zero.
 *
 * @example formatGoQuantity(addGoQuantities(parseGoQuantity('1Gi'), parseGoQuantity('512Mi'))) → '1536Mi'
 */
export function addGoQuantities(a: GoQuantity, b: GoQuantity): GoQuantity {
  const [x, y, scale] = aligned(a, b);
  return normalised(x + y, scale, a.numerator === 0n ? b.format : a.format);
}

/**
 * Returns `-q` (format kept; the text as parsed is not, as Go's `Neg`).
 *
 * @example formatGoQuantity(negateGoQuantity(parseGoQuantity('1'))) → '-1'
 */
export function negateGoQuantity(q: GoQuantity): GoQuantity {
  return { numerator: -q.numerator, scale: q.scale, format: q.format };
}

/**
 * Returns the order of two quantities (`Quantity.Cmp`).
 *
 * @example compareGoQuantities(parseGoQuantity('1'), parseGoQuantity('1000m')) → 0
 */
export function compareGoQuantities(a: GoQuantity, b: GoQuantity): -1 | 0 | 1 {
  const [x, y] = aligned(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
}
