import type { IntOrPercent } from '../shared/intOrPercent.js';

/** A subset's replicas (or min/max) as a count, or why it could not be read. */
export type SubsetReplicasValue = { readonly kind: 'count'; readonly value: number } | { readonly kind: 'invalid'; readonly message: string };

/**
 * Returns a subset's `replicas`, `minReplicas` or `maxReplicas` as a count, as OpenKruise's
 * `ParseSubsetReplicas`: an integer as it is (never negative), a percentage `'N%'` (0 ≤ N ≤ 100)
 * of the UnitedDeployment's `replicas` rounded half up (`floor(x + 0.5)`). A percentage needs
 * `replicas` (`udReplicas` -1 = unset).
 *
 * @example parseSubsetReplicas(10, '20%') // { kind: 'count', value: 2 }
 * @example parseSubsetReplicas(5, '50%')  // { kind: 'count', value: 3 } (2.5 rounds up)
 * @example parseSubsetReplicas(-1, '50%') // invalid: a percentage needs spec.replicas
 */
export function parseSubsetReplicas(udReplicas: number, subsetReplicas: IntOrPercent): SubsetReplicasValue {
  if (typeof subsetReplicas === 'number') {
    return subsetReplicas < 0 ? { kind: 'invalid', message: `subset replicas (${subsetReplicas}) should not be less than 0` } : { kind: 'count', value: subsetReplicas };
  }
  if (udReplicas < 0) return { kind: 'invalid', message: `subsetReplicas (${subsetReplicas}) should not be string when unitedDeployment replicas is empty` };
  if (!subsetReplicas.endsWith('%')) return { kind: 'invalid', message: `subset replicas (${subsetReplicas}) only support integer value or percentage value with a suffix '%'` };
  const digits = subsetReplicas.slice(0, -1);
  if (!/^[+-]?\d+$/.test(digits)) return { kind: 'invalid', message: `subset replicas (${subsetReplicas}) should be correct percentage integer` };
  const percent = Number(digits);
  if (percent > 100 || percent < 0) return { kind: 'invalid', message: `subset replicas (${subsetReplicas}) should be in range [0, 100]` };
  return { kind: 'count', value: Math.floor((udReplicas * percent) / 100 + 0.5) };
}

/**
 * Returns the count of {@link parseSubsetReplicas}, or `fallback` when the value is invalid (the
 * controller logs and skips such a value, as OpenKruise does).
 *
 * @example subsetReplicasOr(10, '30%', 0) // 3
 */
export function subsetReplicasOr(udReplicas: number, value: IntOrPercent, fallback: number): number {
  const parsed = parseSubsetReplicas(udReplicas, value);
  return parsed.kind === 'count' ? parsed.value : fallback;
}
