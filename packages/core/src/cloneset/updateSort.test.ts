import { describe, expect, it } from 'vitest';
import type { UpdatePriorityStrategy, UpdateScatterStrategy } from '../api/pub.js';
import type { IntOrPercent } from '../shared/intOrPercent.js';
import { aCloneSet, aPod, T0, type PodLifePhase } from '../testing/index.js';
import { calculateReplicaDiffs } from './calculateReplicaDiffs.js';
import { isCloneSetPodAvailable } from './cloneSetPod.js';
import { limitUpdates } from './limitUpdates.js';
import { scatterByTerm, sortByPriority, sortByScatter, sortUpdateCandidates } from '../workload/updateSort.js';

const labelled = (labels: readonly Record<string, string>[]) => labels.map((l, i) => aPod({ name: String(i), labels: l }));

describe('update order (OpenKruise TestSortUpdateIndexes)', () => {
  it('puts pending and not-ready pods first', () => {
    const ready = (phase: PodLifePhase) => ({ phase });
    const pods = [
      aPod({ name: '0', ...ready('pending'), node: '' }),
      aPod({ name: '1', ...ready('pending') }),
      aPod({ name: '2', ...ready('pending') }),
      aPod({ name: '3', ...ready('ready') }),
      aPod({ name: '4', ...ready('not-ready') }),
    ];
    // Pods 0 and 1 are both pending; 0 is unscheduled and so comes first here.
    expect(sortUpdateCandidates(pods, [0, 1, 3, 4], {})).toEqual([0, 1, 4, 3]);
  });

  it('puts PreparingUpdate pods first, keeping the rest in order', () => {
    const pods = [aPod({ name: 'a' }), aPod({ name: 'b', lifecycle: 'PreparingUpdate' }), aPod({ name: 'c' })];
    expect(sortUpdateCandidates(pods, [0, 1, 2], {})).toEqual([1, 0, 2]);
  });
});

describe('priority strategy (OpenKruise TestCompare)', () => {
  const weights: UpdatePriorityStrategy = {
    weightPriority: [
      { weight: 20, matchSelector: { matchLabels: { key: 'foo' } } },
      { weight: 10, matchSelector: { matchLabels: { key: 'bar' } } },
    ],
  };
  const orders: UpdatePriorityStrategy = { orderPriority: [{ orderedKey: 'key1' }, { orderedKey: 'key2' }] };
  it.each([
    { story: 'weights: no labels tie → higher index first', strategy: weights, labels: [{}, {}], want: [1, 0] },
    { story: 'weights: foo (20) before bar (10)', strategy: weights, labels: [{ key: 'bar' }, { key: 'foo' }], want: [1, 0] },
    { story: 'weights: bar before none', strategy: weights, labels: [{}, { key: 'bar' }], want: [1, 0] },
    { story: 'order: o-10 before o-5', strategy: orders, labels: [{ key1: 'o-5' }, { key1: 'o-10' }], want: [1, 0] },
    { story: 'order: key1 level before key2 level', strategy: orders, labels: [{ key2: 'o-20' }, { key1: 'o-10' }], want: [1, 0] },
    { story: 'order: a pod without any key comes first', strategy: orders, labels: [{ key1: 'o-10' }, {}], want: [1, 0] },
    { story: 'order: equal values → higher index first', strategy: orders, labels: [{ key1: 'o-10' }, { key1: 'o-10' }], want: [1, 0] },
  ])('$story', ({ strategy, labels, want }) => {
    expect(sortByPriority(labelled(labels), [0, 1], strategy)).toEqual(want);
  });

  // OpenKruise's Sort runs sort.SliceStable with the tie-break `indexes[i] > indexes[j]`: equal
  // priorities end in descending pod index, whatever order they came in (input order is not kept).
  it.each([
    { story: 'weights: 3 equal pods given in active order [1, 2, 0] → [2, 1, 0]', strategy: weights, labels: [{}, {}, {}], indexes: [1, 2, 0], want: [2, 1, 0] },
    { story: 'weights: foo first, then the equal rest by descending index', strategy: weights, labels: [{}, { key: 'foo' }, {}, {}], indexes: [0, 3, 1, 2], want: [1, 3, 2, 0] },
    { story: 'order: equal o-10 pods given as [0, 2, 1] → [2, 1, 0]', strategy: orders, labels: [{ key1: 'o-10' }, { key1: 'o-10' }, { key1: 'o-10' }], indexes: [0, 2, 1], want: [2, 1, 0] },
  ])('ties: $story', ({ strategy, labels, indexes, want }) => {
    expect(sortByPriority(labelled(labels), indexes, strategy)).toEqual(want);
  });

  it('sums the weights of every matching term', () => {
    const strategy: UpdatePriorityStrategy = {
      weightPriority: [
        { weight: 20, matchSelector: { matchLabels: { key1: 'foo' } } },
        { weight: 10, matchSelector: { matchLabels: { key2: 'bar' } } },
        { weight: 15, matchSelector: { matchLabels: { key3: 'baz' } } },
      ],
    };
    expect(sortByPriority(labelled([{ key1: 'foo' }, { key2: 'bar', key3: 'baz' }]), [0, 1], strategy)).toEqual([1, 0]);
  });
});

const parse = (spec: string) => Object.fromEntries(spec.split(',').map((kv) => kv.split('=')).filter((kv): kv is [string, string] => kv.length === 2));

describe('scatter strategy (OpenKruise TestScatterPodsByRule)', () => {
  it.each([
    { story: 'no label', labels: [''], want: [0] },
    { story: 'one scattered pod', labels: ['labelA=AAA'], want: [0] },
    { story: 'odd scattered + odd ordinary', labels: ['labelA=AAA', 'bbb'], want: [0, 1] },
    { story: 'even scattered + even ordinary', labels: ['', '', '', '', 'labelA=AAA', 'labelA=AAA'], want: [4, 0, 1, 2, 3, 5] },
    { story: 'odd scattered + odd ordinary (3 of each)', labels: ['', '', '', 'labelA=AAA', 'labelA=AAA', 'labelA=AAA'], want: [3, 0, 1, 4, 2, 5] },
    { story: 'even scattered + odd ordinary', labels: ['', '', '', 'labelA=AAA', '', '', 'labelA=AAA'], want: [3, 0, 1, 2, 4, 5, 6] },
    { story: 'odd scattered + even ordinary', labels: ['', '', '', '', '', '', 'labelA=AAA', 'labelA=AAA', 'labelA=AAA'], want: [6, 0, 1, 2, 7, 3, 4, 5, 8] },
    { story: 'more scattered than ordinary: 3 matched in 2 groups round(1.5) = 2', labels: ['', '', 'labelA=AAA', 'labelA=AAA', 'labelA=AAA', 'labelA=AAA'], want: [2, 3, 0, 4, 1, 5] },
    { story: 'even scattered + odd ordinary, more scattered: 5 matched in 3 groups round(1.67) = 2', labels: ['', '', 'labelA=AAA', '', 'labelA=AAA', 'labelA=AAA', 'labelA=AAA', 'labelA=AAA', 'labelA=AAA'], want: [2, 4, 0, 5, 6, 1, 7, 3, 8] },
    { story: 'odd + even, more scattered', labels: ['', 'labelA=AAA', '', 'labelA=AAA', '', '', 'labelA=AAA', 'labelA=AAA', 'labelA=AAA'], want: [1, 0, 3, 2, 6, 4, 7, 5, 8] },
    { story: 'other labels are ordinary', labels: ['', '', '', '', 'ee', 'a', '', 'labelA=AAA', 'labelA=AAA', 'labelA=AAA,labelB=BBB'], want: [7, 0, 1, 2, 3, 8, 4, 5, 6, 9] },
  ])('$story', ({ labels, want }) => {
    const pods = labels.map((l, i) => aPod({ name: String(i), labels: parse(l) }));
    expect(scatterByTerm(pods, pods.map((_, i) => i), { key: 'labelA', value: 'AAA' })).toEqual(want);
  });
});

describe('scatter strategy over the whole workload (OpenKruise TestSort)', () => {
  const A = { labelA: 'AAA' };
  const B = { labelB: 'BBB' };
  const C = { labelC: 'CCC' };
  const AB = { ...A, ...B };
  const e = { sdfb: 'eee' };
  const d = { dsf: 'same' };
  const byA = { key: 'labelA', value: 'AAA' };
  const byB = { key: 'labelB', value: 'BBB' };
  const byC = { key: 'labelC', value: 'CCC' };
  // `null` is a hole (a reserved ordinal of Advanced StatefulSet). As in OpenKruise's test, the
  // candidates are the pods among the first `want.length` present ones; later pods only count.
  it.each<{ story: string; labels: (Record<string, string> | null)[]; strategy: UpdateScatterStrategy; want: number[] }>([
    { story: 'a scattered pod alone', labels: [AB], strategy: [byA], want: [0] },
    { story: 'all ordinary pods, no terms', labels: [{}, {}, {}, {}, {}, {}], strategy: [], want: [0, 1, 2, 3, 4, 5] },
    { story: 'one pod one label', labels: [{}, {}, {}, {}, A, A], strategy: [byA], want: [4, 0, 1, 2, 3, 5] },
    { story: 'one pod more labels', labels: [{}, {}, {}, {}, e, d, B, A, A, AB], strategy: [byB], want: [6, 0, 1, 2, 3, 4, 5, 7, 8, 9] },
    { story: '2 dimensions, one label each', labels: [B, B, {}, {}, A, A], strategy: [byA, byB], want: [0, 4, 2, 3, 5, 1] },
    { story: '2 dimensions, shared pod', labels: [{}, {}, {}, B, AB, A], strategy: [byA, byB], want: [4, 0, 1, 2, 5, 3] },
    { story: '2 dimensions, same counts, B then A', labels: [{}, {}, {}, {}, e, d, B, A, A, B], strategy: [byB, byA], want: [7, 6, 0, 1, 2, 3, 4, 5, 9, 8] },
    { story: '2 dimensions, same counts, A then B', labels: [{}, {}, {}, {}, e, d, B, A, A, B], strategy: [byA, byB], want: [6, 7, 0, 1, 2, 3, 4, 5, 8, 9] },
    { story: '2 dimensions, same pods, even scattered + even ordinary', labels: [{}, {}, {}, {}, e, d, AB, {}, {}, AB], strategy: [byA, byB], want: [6, 0, 1, 2, 3, 4, 5, 7, 8, 9] },
    { story: '2 dimensions, same pods, even scattered + odd ordinary', labels: [{}, {}, {}, e, d, AB, {}, {}, AB], strategy: [byA, byB], want: [5, 0, 1, 2, 3, 4, 6, 7, 8] },
    { story: '2 dimensions, odd scattered + odd ordinary, 8 of 10 candidates', labels: [{}, {}, {}, A, e, d, AB, {}, {}, {}], strategy: [byA, byB], want: [3, 0, 1, 2, 4, 5, 7, 6] },
    { story: '2 dimensions, odd scattered + odd ordinary, 11 of 12 candidates', labels: [{}, {}, {}, A, {}, {}, e, d, AB, {}, {}, AB], strategy: [byA, byB], want: [0, 1, 2, 4, 3, 5, 6, 7, 9, 10, 8] },
    { story: '2 dimensions, even + even, more scattered', labels: [{}, {}, {}, A, { ...e, ...A }, d, AB, {}, {}, AB], strategy: [byA, byB], want: [6, 3, 0, 1, 4, 2, 5, 7, 8, 9] },
    { story: '2 dimensions, even + odd, more scattered', labels: [{}, A, A, e, d, AB, {}, {}, AB], strategy: [byA, byB], want: [5, 1, 0, 3, 2, 4, 6, 7, 8] },
    { story: '2 dimensions, more scattered, 8 of 10 candidates', labels: [A, {}, {}, A, { ...e, ...A }, d, AB, {}, {}, AB], strategy: [byA, byB], want: [1, 0, 2, 3, 5, 4, 7, 6] },
    { story: '2 dimensions, more scattered, 11 of 12 candidates', labels: [{}, {}, A, A, {}, A, e, d, AB, {}, {}, AB], strategy: [byA, byB], want: [0, 2, 1, 4, 3, 6, 7, 5, 9, 10, 8] },
    { story: '3 dimensions, one label each', labels: [{}, A, A, B, B, C, C, C, C, C], strategy: [byA, byB, byC], want: [3, 1, 5, 0, 6, 7, 8, 9, 2, 4] },
    { story: '3 dimensions, shared pods', labels: [{}, A, { ...A, ...C }, { ...B, ...C }, B, {}, {}, C, C, C], strategy: [byA, byB, byC], want: [3, 2, 0, 7, 8, 5, 6, 9, 1, 4] },
    { story: 'continuous sort 1 (candidates are the first 6 of 7)', labels: [{}, {}, {}, {}, A, A, A], strategy: [byA], want: [0, 1, 4, 2, 3, 5] },
    { story: 'continuous sort 2 (candidates are the first 7 of 10)', labels: [A, A, {}, {}, {}, {}, {}, {}, {}, A], strategy: [byA], want: [2, 0, 3, 4, 5, 6, 1] },
    { story: 'a reserved ordinal leaves a hole at 5: skipped when counting', labels: [{}, A, { ...A, ...C }, { ...B, ...C }, B, null, {}, {}, C, C, C], strategy: [byA, byB, byC], want: [3, 2, 0, 8, 9, 6, 7, 10, 1, 4] },
  ])('$story', ({ labels, strategy, want }) => {
    const pods = labels.map((l, i) => (l === null ? undefined : aPod({ name: String(i), labels: l })));
    const holes = labels.slice(0, want.length).filter((l) => l === null).length;
    const candidates = [...Array(want.length + holes).keys()].filter((i) => labels[i] !== null);
    expect(sortByScatter(pods, candidates, strategy)).toEqual(want);
  });
});

describe('update limit (OpenKruise TestCalculateUpdateCount)', () => {
  const R = true;
  const U = false;
  it.each([
    { replicas: 3, old: [0, 1, 2], ready: [R, R, R], want: 1 },
    { replicas: 3, old: [0, 1, 2], ready: [R, U, R], want: 0 },
    { replicas: 3, old: [0, 1, 2], ready: [U, R, R], want: 1 },
    { replicas: 10, old: [0, 1, 2, 3, 4, 5, 6, 7, 8], ready: [U, R, R, R, R, R, R, R, U, R], want: 1 },
    { replicas: 3, partition: 2, maxUnavailable: 3, old: [0, 1], ready: [U, R, R], want: 0 },
    { replicas: 8, partition: 2, maxUnavailable: '50%', old: [0, 1, 2, 3, 4, 5, 6], ready: [U, R, U, R, R, R, R, U], want: 3 },
    { replicas: 5, partition: 0, maxUnavailable: 2, old: [0, 1, 2, 3, 4], ready: [U, U, U, U, U], want: 2 },
    { replicas: 5, partition: 0, maxUnavailable: 2, old: [0, 1, 2], ready: [U, U, U, U, U], want: 0 },
    { replicas: 5, partition: 0, maxUnavailable: 2, old: [0, 1, 2], ready: [U, U, U, R, U], want: 1 },
    { replicas: 5, partition: 0, maxUnavailable: 2, maxSurge: 1, old: [0, 1, 2, 3, 4], ready: [U, U, U, U, U, U], want: 2 },
    { replicas: 5, partition: 0, maxUnavailable: 2, maxSurge: 1, old: [0, 1, 2, 3], ready: [U, U, U, U, R, U], want: 2 },
    { replicas: 5, partition: 0, maxUnavailable: 2, maxSurge: 1, old: [0, 1, 2], ready: [U, U, U, U, R, U], want: 1 },
    { replicas: 5, partition: 0, maxUnavailable: 2, maxSurge: 1, old: [0, 1, 2], ready: [U, U, U, U, U, U], want: 0 },
    { replicas: 8, partition: 7, maxUnavailable: 2, old: [0, 1, 2], ready: [R, R, R, U, U, U, U, U], want: 2 },
    { replicas: 4, maxUnavailable: 0, maxSurge: 2, old: [0, 1], ready: [R, R, R, R, R], want: 1 },
    { replicas: 4, maxUnavailable: 0, maxSurge: 2, old: [0, 1, 2, 3], ready: [R, R, R, R, R, R], want: 2 },
  ])('replicas $replicas, partition $partition, maxUnavailable $maxUnavailable, maxSurge $maxSurge, old $old → update $want', (tc) => {
    const pods = tc.ready.map((ready, i) => aPod({ name: String(i), revision: tc.old.includes(i) ? 'current' : 'updated', phase: ready ? 'ready' : 'unscheduled' }));
    const cloneSet = aCloneSet({
      replicas: tc.replicas,
      ...('partition' in tc ? { partition: tc.partition as IntOrPercent } : {}),
      ...('maxUnavailable' in tc ? { maxUnavailable: tc.maxUnavailable } : {}),
      ...('maxSurge' in tc ? { maxSurge: tc.maxSurge as IntOrPercent } : {}),
    });
    const diffs = calculateReplicaDiffs({ cloneSet, pods, currentRevision: 'current', updateRevision: 'updated', now: T0, featureGates: { CloneSetPartitionRollback: true } });
    const forward = diffs.updateNum > 0;
    const candidates = pods.map((_, i) => i).filter((i) => tc.old.includes(i) === forward);
    const chosen = diffs.updateNum === 0 ? [] : limitUpdates({
      pods, candidates, updateNum: diffs.updateNum, updateMaxUnavailable: diffs.updateMaxUnavailable,
      targetRevision: forward ? 'updated' : 'current', isAvailable: (pod) => isCloneSetPodAvailable(pod, 0, T0),
    });
    expect(chosen).toHaveLength(tc.want);
  });
});
