/**
 * Kubernetes resource quantities (`"100m"`, `"1.5Gi"`, `"2e3"`, `2`) read into an exact value so
 * that `"0.1"` equals `"100m"` and `"1Ki"` equals `"1024"`, without floating-point error.
 */

/**
 * An exact quantity: `numerator × 10^-scale`, normalised (no trailing zero in `numerator` while
 * `scale > 0`), so equal values have equal fields.
 *
 * @example "1.5Gi" → { numerator: 1610612736n, scale: 0 }; "100m" and "0.1" → { numerator: 1n, scale: 1 }
 */
export interface Quantity {
  readonly kind: 'quantity';
  /** The digits of the value, with its sign. */
  readonly numerator: bigint;
  /** Decimal places: the value is `numerator / 10^scale` (never negative). */
  readonly scale: number;
}

/** Why a quantity could not be read. */
export type QuantityInvalidReason = 'malformed-quantity' | 'exponent-out-of-range' | 'not-a-finite-number';

/** A quantity that could not be read, with the reason and a sentence for a person. */
export interface QuantityInvalid {
  readonly kind: 'invalid';
  readonly reason: QuantityInvalidReason;
  readonly message: string;
}

/** A parsed quantity or why it is not one. */
export type ParsedQuantity = Quantity | QuantityInvalid;

/** The order of two quantities (`-1` less, `0` equal, `1` greater), or why one of them is unreadable. */
export type QuantityComparison = { readonly kind: 'compared'; readonly order: -1 | 0 | 1 } | QuantityInvalid;

// sign, digits with an optional fraction, then a binary SI suffix, a decimal exponent, or a decimal SI suffix.
const GRAMMAR = /^([+-]?)(\d+\.?\d*|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?\d+|m|k|M|G|T|P|E|)$/;
const BINARY_POWERS: Readonly<Record<string, number>> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL_POWERS: Readonly<Record<string, number>> = { m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
// Far beyond any real resource, and keeps bigint arithmetic small.
const MAX_EXPONENT = 1000;

function invalid(reason: QuantityInvalidReason, message: string): QuantityInvalid {
  return { kind: 'invalid', reason, message };
}

function normalise(numerator: bigint, scale: number): Quantity {
  let n = numerator;
  let s = scale;
  while (s > 0 && n % 10n === 0n) {
    n /= 10n;
    s -= 1;
  }
  return { kind: 'quantity', numerator: n === 0n ? 0n : n, scale: n === 0n ? 0 : s };
}

function suffixPowers(suffix: string): { readonly ten: number; readonly two: number } {
  const binary = BINARY_POWERS[suffix];
  if (binary !== undefined) return { ten: 0, two: binary };
  const decimal = DECIMAL_POWERS[suffix];
  return { ten: decimal ?? Number(suffix.slice(1)), two: 0 };
}

/**
 * Returns the exact value of a Kubernetes quantity, or `{ kind: 'invalid' }` with a reason.
 * Accepts the Kubernetes grammar: optional sign, digits with an optional fraction, and one
 * suffix: binary (`Ki`..`Ei`), decimal (`m`, `k`, `M`, `G`, `T`, `P`, `E`) or an exponent
 * (`e3`, `E-2`). JSON numbers are read through their decimal form.
 *
 * @example parseQuantity('1.5Gi') → { kind: 'quantity', numerator: 1610612736n, scale: 0 }
 * @example parseQuantity('250m') → { kind: 'quantity', numerator: 25n, scale: 2 } (0.25)
 * @example parseQuantity('1.5.2') → { kind: 'invalid', reason: 'malformed-quantity', ... }
 */
export function parseQuantity(value: string | number): ParsedQuantity {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    return invalid('not-a-finite-number', `${String(value)} is not a finite number`);
  }
  const text = String(value);
  const match = GRAMMAR.exec(text);
  if (match === null) {
    return invalid('malformed-quantity', `${JSON.stringify(text)} is not a quantity such as "100m", "1.5Gi" or "2e3"`);
  }
  const [, sign = '', number = '', suffix = ''] = match;
  const { ten, two } = suffixPowers(suffix);
  if (Math.abs(ten) > MAX_EXPONENT) {
    return invalid('exponent-out-of-range', `${JSON.stringify(text)} has an exponent beyond ±${String(MAX_EXPONENT)}`);
  }
  const [whole = '', fraction = ''] = number.split('.');
  const digits = BigInt(`${whole}${fraction}` || '0') * 2n ** BigInt(two) * (sign === '-' ? -1n : 1n);
  const exponent = ten - fraction.length;
  return exponent >= 0 ? normalise(digits * 10n ** BigInt(exponent), 0) : normalise(digits, -exponent);
}

/**
 * Returns the order of two parsed quantities: `-1` when `a < b`, `0` when equal, `1` when greater.
 *
 * @example compareParsedQuantities(parse('1'), parse('1000m')) → 0; ('500m', '1') → -1
 */
export function compareParsedQuantities(a: Quantity, b: Quantity): -1 | 0 | 1 {
  const scale = Math.max(a.scale, b.scale);
  const left = a.numerator * 10n ** BigInt(scale - a.scale);
  const right = b.numerator * 10n ** BigInt(scale - b.scale);
  return left < right ? -1 : left > right ? 1 : 0;
}

/**
 * Returns the order of two quantities as written (`"100m"`, `"1Gi"`, `2`), or the problem of the
 * first one that cannot be read.
 *
 * @example compareQuantities('0.1', '100m') → { kind: 'compared', order: 0 }
 * @example compareQuantities('1Gi', '1G') → { kind: 'compared', order: 1 } (1073741824 > 1000000000)
 */
export function compareQuantities(a: string | number, b: string | number): QuantityComparison {
  const left = parseQuantity(a);
  if (left.kind === 'invalid') return left;
  const right = parseQuantity(b);
  if (right.kind === 'invalid') return right;
  return { kind: 'compared', order: compareParsedQuantities(left, right) };
}

/**
 * Returns whether two quantities as written have the same value; an unreadable quantity equals
 * only the identical text.
 *
 * @example quantitiesEqual('1', '1000m') → true; quantitiesEqual('1Ki', '1k') → false
 */
export function quantitiesEqual(a: string | number, b: string | number): boolean {
  const comparison = compareQuantities(a, b);
  return comparison.kind === 'compared' ? comparison.order === 0 : String(a) === String(b);
}
