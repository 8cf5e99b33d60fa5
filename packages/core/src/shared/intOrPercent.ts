import { z } from 'zod';

/**
 * Schema of a Kubernetes `IntOrString` used as "a number of pods or a percentage of replicas":
 * an integer (`5`) or a string (`"20%"`). Any string is accepted on the way in, as the
 * apiserver does for `x-kubernetes-int-or-string`; {@link parseIntOrPercent} says whether the
 * string is a usable percentage.
 */
export const IntOrPercentSchema = z.union([z.number().int(), z.string()]);

/** A number of pods (`5`) or a percentage of replicas (`"20%"`), as written in a manifest. */
export type IntOrPercent = z.infer<typeof IntOrPercentSchema>;

/** Why an {@link IntOrPercent} could not be used. */
export type IntOrPercentInvalidReason = 'string-not-a-percentage' | 'malformed-percentage' | 'out-of-range';

/** An {@link IntOrPercent} that could not be used, with the reason and a sentence for a person. */
export interface IntOrPercentInvalid {
  readonly kind: 'invalid';
  /** Kebab-case reason: "the value is unusable because `string-not-a-percentage`". */
  readonly reason: IntOrPercentInvalidReason;
  /** A sentence a person can act on, e.g. `"5" is a string but not a percentage such as "5%"`. */
  readonly message: string;
}

/** The meaning of an {@link IntOrPercent}: an absolute count, a percentage, or why neither. */
export type ParsedIntOrPercent =
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'percent'; readonly percent: number }
  | IntOrPercentInvalid;

/** A value scaled against a total, or why it could not be. */
export type ScaledIntOrPercent = { readonly kind: 'scaled'; readonly value: number } | IntOrPercentInvalid;

// Go's strconv.Atoi grammar followed by '%': optional sign, decimal digits, nothing else.
const PERCENT = /^([+-]?\d+)%$/;

function invalid(reason: IntOrPercentInvalidReason, message: string): IntOrPercentInvalid {
  return { kind: 'invalid', reason, message };
}

/**
 * Returns what an {@link IntOrPercent} means: `{ kind: 'int' }` for a number, `{ kind: 'percent' }`
 * for a string such as `"25%"`, or `{ kind: 'invalid' }` with a reason. Strict like OpenKruise
 * v1.9 and Kubernetes' `GetScaledValueFromIntOrPercent`: a numeric string such as `"5"` is
 * rejected (`string-not-a-percentage`), and so are `"5.5%"`, `" 5%"` and `"%"`.
 *
 * @example parseIntOrPercent('25%') → { kind: 'percent', percent: 25 }
 * @example parseIntOrPercent('5') → { kind: 'invalid', reason: 'string-not-a-percentage', ... }
 */
export function parseIntOrPercent(value: IntOrPercent): ParsedIntOrPercent {
  if (typeof value === 'number') {
    return Number.isSafeInteger(value)
      ? { kind: 'int', value }
      : invalid('out-of-range', `${String(value)} is not a safe integer`);
  }
  if (!value.endsWith('%')) {
    return invalid('string-not-a-percentage', `${JSON.stringify(value)} is a string but not a percentage such as "5%"`);
  }
  const digits = PERCENT.exec(value)?.[1];
  if (digits === undefined) {
    return invalid('malformed-percentage', `${JSON.stringify(value)} is not a whole-number percentage such as "5%"`);
  }
  const percent = Number(digits);
  return Number.isSafeInteger(percent)
    ? { kind: 'percent', percent }
    : invalid('out-of-range', `${JSON.stringify(value)} is too large`);
}

/**
 * Returns `true` when the value is a string percentage (whether or not it is well formed), which is
 * how OpenKruise tells `partition: "50%"` from `partition: 5`.
 */
export function isPercentString(value: IntOrPercent): value is string {
  return typeof value === 'string';
}

/**
 * Returns the absolute value of an {@link IntOrPercent} against `total`, as Kubernetes'
 * `intstr.GetScaledValueFromIntOrPercent`: an int is returned as is; a percentage is
 * `ceil(percent × total / 100)` when `roundUp`, else `floor(...)`.
 *
 * @example scaledValueFromIntOrPercent('20%', 10, true) → { kind: 'scaled', value: 2 }
 * @example scaledValueFromIntOrPercent('25%', 10, true) → 3 (2.5 rounded up); with roundUp false → 2
 * @example scaledValueFromIntOrPercent(7, 10, false) → 7 (ints are not scaled nor clamped)
 */
export function scaledValueFromIntOrPercent(value: IntOrPercent, total: number, roundUp: boolean): ScaledIntOrPercent {
  const parsed = parseIntOrPercent(value);
  switch (parsed.kind) {
    case 'invalid':
      return parsed;
    case 'int':
      return { kind: 'scaled', value: parsed.value };
    case 'percent': {
      const exact = (parsed.percent * total) / 100;
      return { kind: 'scaled', value: roundUp ? Math.ceil(exact) : Math.floor(exact) };
    }
  }
}

/**
 * Returns the number of pods a `partition` keeps on old revisions, as OpenKruise's
 * `util.CalculatePartitionReplicas`: no partition → 0; `replicas` undefined counts as 1; a
 * percentage rounds **up**; a percentage other than exactly `"100%"` that reaches `replicas` (with
 * more than one replica) is lowered to `replicas - 1` so that at least one pod is updated; the
 * result is clamped to `[0, replicas]`.
 *
 * @example calculatePartitionReplicas('50%', 5) → 3 (2.5 rounded up)
 * @example calculatePartitionReplicas('99%', 10) → 9 (9.9 rounds up to 10, lowered to 9)
 * @example calculatePartitionReplicas('100%', 10) → 10
 * @example calculatePartitionReplicas(15, 10) → 10 (clamped)
 */
export function calculatePartitionReplicas(
  partition: IntOrPercent | undefined,
  replicas: number | undefined,
): ScaledIntOrPercent {
  if (partition === undefined) return { kind: 'scaled', value: 0 };
  const total = replicas ?? 1;
  const scaled = scaledValueFromIntOrPercent(partition, total, true);
  if (scaled.kind === 'invalid') return scaled;
  const lowered =
    total > 1 && scaled.value === total && isPercentString(partition) && partition !== '100%' ? total - 1 : scaled.value;
  return { kind: 'scaled', value: Math.max(Math.min(lowered, total), 0) };
}
