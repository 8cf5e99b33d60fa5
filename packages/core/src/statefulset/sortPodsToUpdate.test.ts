import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/pod.js';
import type { UpdatePriorityStrategy } from '../api/pub.js';
import { aPod, type PodOptions } from '../testing/index.js';
import { sortPodsToUpdate } from './sortPodsToUpdate.js';

// Cases follow OpenKruise's TestSortPodsToUpdate (stateful_update_utils_test.go) and
// `sortPodsToUpdate` (stateful_update_utils.go): ordered ⇒ from the highest slot down to slot
// `partition`, skipping empty slots, at most replicas − partition; unordered ⇒ terminating or
// updated pods first (highest slot first), then the rest by priority (ties: higher slot first).

const OLD = 'web-r0';
const NEW = 'web-r1';

/** Slot i: `o` a pod at the old revision, `n` at the new one, `t` old and terminating, `-` empty; `labels[i]` extra labels. */
function slots(layout: string, labels: Readonly<Record<number, Record<string, string>>> = {}): (Pod | undefined)[] {
  return layout.split('').map((c, i) => {
    if (c === '-') return undefined;
    const options: PodOptions = { name: `web-${String(i)}`, revision: c === 'n' ? NEW : OLD, ...(c === 't' ? { phase: 'terminating' } : {}), ...(labels[i] === undefined ? {} : { labels: labels[i] }) };
    return aPod(options);
  });
}

const weights: UpdatePriorityStrategy = {
  weightPriority: [
    { weight: 20, matchSelector: { matchLabels: { k: 'v1' } } },
    { weight: 10, matchSelector: { matchLabels: { k: 'v2' } } },
  ],
};

interface Row {
  readonly story: string;
  readonly replicas: number;
  readonly partition?: number;
  readonly unordered?: boolean;
  readonly priorityStrategy?: UpdatePriorityStrategy;
  readonly layout: string;
  readonly labels?: Readonly<Record<number, Record<string, string>>>;
  readonly expected: number[];
}

describe('sortPodsToUpdate', () => {
  it.each<Row>([
    // Ordered.
    { story: 'OpenKruise #0: no strategy, 3 old pods → [2, 1, 0]', replicas: 3, layout: 'ooo', expected: [2, 1, 0] },
    { story: 'OpenKruise #2: ordered lists updated pods too (the update skips them) → [2, 1, 0]', replicas: 3, layout: 'nno', expected: [2, 1, 0] },
    { story: 'ordered, 10 pods, partition 3 → [9..3]', replicas: 10, partition: 3, layout: 'oooooooooo', expected: [9, 8, 7, 6, 5, 4, 3] },
    { story: 'OpenKruise #3: partition 2 of 3, reserved slots 1 and 3 → [4]', replicas: 3, partition: 2, layout: 'o-o-o', expected: [4] },
    { story: 'ordered, reserved slots 2 and 3, replicas 3, partition 1 → [4, 1] (stops at slot 1)', replicas: 3, partition: 1, layout: 'oo--o', expected: [4, 1] },
    { story: 'ordered, reserved slots 1 and 2, replicas 3, partition 1 → [4, 3] (maxUpdate 2)', replicas: 3, partition: 1, layout: 'o--oo', expected: [4, 3] },
    { story: 'ordered, partition = replicas → nothing', replicas: 3, partition: 3, layout: 'ooo', expected: [] },
    { story: 'ordered, partition above replicas → nothing', replicas: 3, partition: 5, layout: 'ooo', expected: [] },
    { story: 'ordered, terminating pods keep their place', replicas: 3, layout: 'oto', expected: [2, 1, 0] },
    // Unordered.
    { story: 'OpenKruise #1: weights, partition 6 of 10, 6 and 7 updated → [7, 6, 9, 8]', replicas: 10, partition: 6, unordered: true, priorityStrategy: weights, layout: 'oooooonnoo', expected: [7, 6, 9, 8] },
    { story: 'OpenKruise #4: weights, partition 6, reserved 3 and 10, 7 and 8 updated → [8, 7, 11, 9]', replicas: 10, partition: 6, unordered: true, priorityStrategy: weights, layout: 'ooo-ooonno-o', expected: [8, 7, 11, 9] },
    { story: 'unordered without priority: updated first, then the others from the highest slot', replicas: 4, unordered: true, layout: 'onoo', expected: [1, 3, 2, 0] },
    { story: 'unordered: terminating pods count with the updated ones', replicas: 4, unordered: true, layout: 'otno', expected: [2, 1, 3, 0] },
    { story: 'unordered, weights: k=v1 (20) before k=v2 (10) before none', replicas: 4, unordered: true, priorityStrategy: weights, layout: 'oooo', labels: { 0: { k: 'v2' }, 2: { k: 'v1' } }, expected: [2, 0, 3, 1] },
    { story: 'unordered, weights, partition 1: truncated to 3', replicas: 4, partition: 1, unordered: true, priorityStrategy: weights, layout: 'oooo', labels: { 0: { k: 'v2' }, 2: { k: 'v1' } }, expected: [2, 0, 3] },
    { story: 'unordered: 4 pods, pod 1 updated, weight on pod 0, partition 1 → [1, 0, 3]', replicas: 4, partition: 1, unordered: true, priorityStrategy: weights, layout: 'onoo', labels: { 0: { k: 'v1' } }, expected: [1, 0, 3] },
    { story: 'unordered, updated pods fill the budget first', replicas: 4, partition: 2, unordered: true, priorityStrategy: weights, layout: 'nnoo', labels: { 3: { k: 'v1' } }, expected: [1, 0] },
    {
      story: 'unordered, orderPriority: a pod without any key first (level -1), then lower term, then higher trailing number',
      replicas: 4,
      unordered: true,
      priorityStrategy: { orderPriority: [{ orderedKey: 'first' }, { orderedKey: 'second' }] },
      layout: 'oooo',
      labels: { 0: { second: 'x-9' }, 1: { first: 'a-1' }, 2: { first: 'a-5' } },
      expected: [3, 2, 1, 0],
    },
    { story: 'unordered, partition = replicas → nothing', replicas: 2, partition: 2, unordered: true, layout: 'oo', expected: [] },
  ])('$story', ({ replicas, partition, unordered, priorityStrategy, layout, labels, expected }) => {
    const settings = { replicas, partition: partition ?? 0, unordered: unordered ?? false, priorityStrategy };
    expect(sortPodsToUpdate(settings, NEW, slots(layout, labels))).toEqual(expected);
  });

  it('unordered compares short hashes (a pod labelled "r1" is at "web-r1")', () => {
    const layout = [aPod({ name: 'web-0', revision: OLD }), aPod({ name: 'web-1', revision: 'r1' })];
    expect(sortPodsToUpdate({ replicas: 2, partition: 0, unordered: true, priorityStrategy: undefined }, NEW, layout)).toEqual([1, 0]);
  });
});
