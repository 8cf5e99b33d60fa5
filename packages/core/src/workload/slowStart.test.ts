import { describe, expect, it } from 'vitest';
import { slowStartBatches, slowStartWaves } from './slowStart.js';
import type { WorkloadEffect } from './workloadEffect.js';

// Expected values follow OpenKruise's `slowStartBatch(initialBatchSize = 1, remaining, fn)`
// (stateful_set_control.go, with MaxBatchSize 500; CloneSet's without a cap): the batch doubles,
// `batchSize = min(min(2*batchSize, remaining), MaxBatchSize)`, until nothing remains.

describe('slowStartBatches', () => {
  it.each([
    { story: 'nothing to do → no batch', count: 0, max: undefined, batches: [] },
    { story: '1 → [1]', count: 1, max: undefined, batches: [1] },
    { story: '2 → [1, 1]', count: 2, max: undefined, batches: [1, 1] },
    { story: '3 → [1, 2]', count: 3, max: undefined, batches: [1, 2] },
    { story: '7 → [1, 2, 4]', count: 7, max: undefined, batches: [1, 2, 4] },
    { story: '10 → [1, 2, 4, 3]', count: 10, max: undefined, batches: [1, 2, 4, 3] },
    { story: '10, at most 3 a batch → [1, 2, 3, 3, 1]', count: 10, max: 3, batches: [1, 2, 3, 3, 1] },
    { story: '5, at most 1 a batch → five batches of 1', count: 5, max: 1, batches: [1, 1, 1, 1, 1] },
    { story: '1000 with MaxBatchSize 500 → doubling to 256, then the 489 left', count: 1000, max: 500, batches: [1, 2, 4, 8, 16, 32, 64, 128, 256, 489] },
    { story: '2000 with MaxBatchSize 500 → capped batches of 500', count: 2000, max: 500, batches: [1, 2, 4, 8, 16, 32, 64, 128, 256, 500, 500, 489] },
  ])('$story', ({ count, max, batches }) => {
    const result = slowStartBatches(count, max);
    expect(result).toEqual(batches);
    expect(result.reduce((sum, size) => sum + size, 0)).toBe(count);
  });
});

describe('slowStartWaves', () => {
  const effect = (name: string): WorkloadEffect => ({ kind: 'delete-pod', target: { name, uid: `uid-${name}` }, reason: 'scale-down' });
  const names = (waves: readonly (readonly WorkloadEffect[])[]): string[][] => waves.map((wave) => wave.map((e) => ('target' in e ? e.target.name : '')));

  it.each([
    { story: 'no sequences → no waves', sequences: [], max: undefined, waves: [] },
    { story: 'three one-effect sequences → [[a], [b, c]]', sequences: [['a'], ['b'], ['c']], max: undefined, waves: [['a'], ['b', 'c']] },
    { story: 'two-effect sequences keep their order, a batch zipped side by side', sequences: [['a1', 'a2'], ['b1', 'b2'], ['c1']], max: undefined, waves: [['a1'], ['a2'], ['b1', 'c1'], ['b2']] },
    { story: 'a sequence with no effect still takes its place in a batch', sequences: [['a'], [], ['c']], max: undefined, waves: [['a'], ['c']] },
    { story: 'at most 1 a batch → one wave per sequence', sequences: [['a'], ['b'], ['c']], max: 1, waves: [['a'], ['b'], ['c']] },
    { story: '7 deletes → batches of 1, 2, 4', sequences: [['1'], ['2'], ['3'], ['4'], ['5'], ['6'], ['7']], max: undefined, waves: [['1'], ['2', '3'], ['4', '5', '6', '7']] },
  ])('$story', ({ sequences, max, waves }) => {
    expect(names(slowStartWaves(sequences.map((s) => s.map(effect)), max))).toEqual(waves);
  });
});
