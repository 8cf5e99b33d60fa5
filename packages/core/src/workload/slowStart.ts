import { concatWaves, zipWaves, type EffectWave } from './podEffects.js';
import type { WorkloadEffect } from './workloadEffect.js';

/**
 * Returns the sizes of the slow-start batches OpenKruise writes pods in (`DoItSlowly` /
 * `slowStartBatch` with an initial batch of 1): each batch doubles until the count is reached,
 * never above `maxBatch`; a failure stops the rest.
 *
 * @example slowStartBatches(10) → [1, 2, 4, 3]; slowStartBatches(0) → []
 * @example slowStartBatches(10, 3) → [1, 2, 3, 3, 1]
 */
export function slowStartBatches(count: number, maxBatch = Number.POSITIVE_INFINITY): number[] {
  const batches: number[] = [];
  for (let remaining = count, size = Math.min(count, 1); size > 0; size = Math.min(2 * size, remaining, maxBatch)) {
    batches.push(size);
    remaining -= size;
  }
  return batches;
}

/**
 * Returns waves for per-object effect sequences written in slow-start batches: the objects of a
 * batch side by side (see {@link zipWaves}), batch after batch, so a failing batch stops the next.
 *
 * @example three one-effect sequences → [[a], [b, c]]
 */
export function slowStartWaves(sequences: readonly (readonly WorkloadEffect[])[], maxBatch?: number): EffectWave[] {
  let next = 0;
  return concatWaves(
    ...slowStartBatches(sequences.length, maxBatch).map((size) => {
      const batch = sequences.slice(next, next + size);
      next += size;
      return zipWaves(batch);
    }),
  );
}
