import type { Subset } from '../api/unitedDeployment.js';
import { subsetReplicasOr } from '../api/parseSubsetReplicas.js';
import { UNBOUNDED } from './subsetAllocation.js';

/** Per-subset lower and upper bounds of an elastic allocation. */
export interface MinMaxBounds {
  readonly min: Record<string, number>;
  readonly max: Record<string, number>;
}

/**
 * Returns each subset's `minReplicas` (default 0) and `maxReplicas` (default unbounded) as counts
 * of `replicas` (OpenKruise's `calculateRawMinMaxMap`; a value that cannot be read counts as 0,
 * as Go's ignored error leaves it), or the index of the first subset whose minimum is above its
 * maximum.
 *
 * @example minMaxBounds(10, [{ name: 'a', minReplicas: '20%', maxReplicas: 4 }, { name: 'b' }])
 *   → { min: { a: 2, b: 0 }, max: { a: 4, b: 2147483647 } }
 */
export function minMaxBounds(replicas: number, subsets: readonly Subset[]): MinMaxBounds | { readonly invalidIndex: number; readonly min: number; readonly max: number } {
  const bounds: MinMaxBounds = { min: {}, max: {} };
  for (const [index, subset] of subsets.entries()) {
    const min = subset.minReplicas === undefined ? 0 : subsetReplicasOr(replicas, subset.minReplicas, 0);
    const max = subset.maxReplicas === undefined ? UNBOUNDED : subsetReplicasOr(replicas, subset.maxReplicas, 0);
    if (min > max) return { invalidIndex: index, min, max };
    bounds.min[subset.name] = min;
    bounds.max[subset.name] = max;
  }
  return bounds;
}

/**
 * Returns `replicas` spread over the subsets by their bounds, as OpenKruise's
 * `allocateByMinMaxMap`: first every subset up to its minimum, in subset order, while replicas
 * last; then every subset up to its maximum, in subset order. A subset absent from the maps has
 * bounds 0.
 *
 * @example allocateByMinMax(5, { min: { a: 2, b: 2 }, max: { a: 4, b: ∞ } }, ['a', 'b']) → { a: 3, b: 2 }
 *   (a 2, b 2 for the minimums; the fifth to a, the first below its maximum)
 */
export function allocateByMinMax(replicas: number, bounds: MinMaxBounds, names: readonly string[]): Record<string, number> {
  const result: Record<string, number> = {};
  let allocated = 0;
  for (const name of names) {
    const add = Math.max(Math.min(bounds.min[name] ?? 0, replicas - allocated), 0);
    result[name] = add;
    allocated += add;
  }
  if (allocated >= replicas) return result;
  for (const name of names) {
    const add = Math.max(Math.min((bounds.max[name] ?? 0) - (bounds.min[name] ?? 0), replicas - allocated), 0);
    result[name] = (result[name] ?? 0) + add;
    allocated += add;
  }
  return result;
}
