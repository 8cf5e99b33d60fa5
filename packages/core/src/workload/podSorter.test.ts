import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/pod.js';
import { aPod, nodesInZones, T0, type PodOptions } from '../testing/index.js';
import { rankPodsBySpread, rankPodsOnSameNode, sortActivePods, sortPodsForScaleDown } from './podSorter.js';

const MONTH = 30 * 24 * 3600 * 1000;
const pod = (name: string, options: PodOptions) => aPod({ name, createdAt: T0, readySince: T0, ...options });

// Transcribed from OpenKruise's TestSortingActivePods (pod_sorter_test.go).
const unscheduled = pod('unscheduled', { phase: 'unscheduled' });
const pending = pod('pending', { phase: 'pending' });
const unknown = pod('unknown-phase', { phase: 'unknown' });
const notReady = pod('not-ready', { phase: 'not-ready' });
const readyNow = pod('ready-now', {});
const readyThen = pod('ready-then', { readySince: T0 - MONTH, createdAt: T0 - MONTH });
const readyHighRestarts = pod('ready-high-restarts', { restarts: 9001 });
const readyNowCreatedThen = pod('ready-now-created-then', { createdAt: T0 - MONTH });
const lowCost = pod('low-deletion-cost', { createdAt: T0 - MONTH, deletionCost: 10 });
const highCost = pod('high-deletion-cost', { createdAt: T0 - MONTH, deletionCost: 100 });
const readyNoTransition: Pod = (() => {
  const base = pod('ready-no-last-transition-time', { createdAt: T0 - MONTH });
  return { ...base, status: { ...base.status, conditions: [{ type: 'Ready', status: 'True' }] } };
})();

const names = (pods: readonly Pod[]) => pods.map((p) => p.metadata.name);
const scaleDown = (pods: readonly Pod[]) => sortPodsForScaleDown(pods, { isAvailable: () => true, topologyKeys: [] });

describe('scale-down order (OpenKruise ActivePodsWithRanks)', () => {
  it.each([
    ['unscheduled', unscheduled, pending],
    ['pending', pending, unknown],
    ['unknown phase', unknown, notReady],
    ['not ready', notReady, readyNoTransition],
    ['ready without transition time', readyNoTransition, readyNow],
    ['ready now', readyNow, readyThen],
    ['more restarts', readyHighRestarts, readyNow],
    ['newer', readyNow, readyNowCreatedThen],
    ['lower deletion cost', lowCost, highCost],
  ])('%s goes first', (_, lesser, greater) => {
    expect(names(scaleDown([greater, lesser]))).toEqual([lesser.metadata.name, greater.metadata.name]);
    expect(names(scaleDown([lesser, greater]))).toEqual([lesser.metadata.name, greater.metadata.name]);
  });

  it('puts unavailable pods before available ones, before deletion cost', () => {
    const sorted = sortPodsForScaleDown([lowCost, highCost], { isAvailable: (p) => p !== highCost, topologyKeys: [] });
    expect(names(sorted)).toEqual(['high-deletion-cost', 'low-deletion-cost']);
  });

  it('keeps equal pods in input order (stable)', () => {
    const twins = [pod('b', {}), pod('a', {}), pod('c', {})];
    expect(names(sortActivePods(twins))).toEqual(['b', 'a', 'c']);
  });
});

describe('rankers', () => {
  it('ranks pods on crowded nodes (TestSameNodeRanker)', () => {
    // node a: 0, 4, 10; node b: 3, 6; node c: 5; node d: 7, 8, 9; 1 and 2 unscheduled
    const nodes = ['a', '', '', 'b', 'a', 'c', 'b', 'd', 'd', 'd', 'a'];
    const pods = nodes.map((node, i) => pod(String(i), node === '' ? { phase: 'unscheduled' } : { node }));
    const ranks = rankPodsOnSameNode(pods);
    expect(Object.fromEntries([...ranks].map(([p, r]) => [p.metadata.name, r]))).toEqual({ '0': 2, '4': 1, '3': 1, '7': 2, '8': 1 });
  });

  // TestSpreadConstraintsRanker: z1 = b(2) c(3) d(5), z2 = e(5) f(3), z3 = i(5); node a has no zone.
  const spreadPods = (['a:2', 'b:2', 'c:3', 'd:5', 'e:5', 'f:3', 'i:5'] as const).flatMap((spec) => {
    const [node, n] = spec.split(':') as [string, string];
    return Array.from({ length: Number(n) }, (_, i) => pod(`${node}-${i}`, { node }));
  });
  const nodeLabels = { ...nodesInZones({ z1: ['b', 'c', 'd'], z2: ['e', 'f', 'g'], z3: ['h', 'i'] }), a: {} };
  const byRank = (keys: string[]) => {
    const ranks = rankPodsBySpread(spreadPods, keys, nodeLabels);
    const ranked = spreadPods.filter((p) => (ranks.get(p) ?? 0) > 0);
    return names([...ranked].sort((x, y) => (ranks.get(y) ?? 0) - (ranks.get(x) ?? 0)));
  };

  it.each([
    {
      story: 'zone',
      keys: ['topology.kubernetes.io/zone'],
      want: ['d-0', 'd-1', 'c-0', 'e-0', 'd-2', 'e-1', 'b-0', 'e-2', 'c-1', 'f-0', 'i-0', 'd-3', 'e-3', 'i-1', 'b-1', 'f-1', 'i-2', 'c-2', 'e-4', 'i-3', 'd-4', 'f-2', 'i-4'],
    },
    {
      story: 'zone then host',
      keys: ['topology.kubernetes.io/zone', 'kubernetes.io/hostname'],
      want: ['d-0', 'e-0', 'd-1', 'e-1', 'c-0', 'i-0', 'd-2', 'e-2', 'i-1', 'f-0', 'b-0', 'c-1', 'i-2', 'd-3', 'e-3', 'f-1', 'i-3', 'b-1', 'c-2', 'e-4', 'd-4', 'f-2', 'i-4'],
    },
  ])('ranks by spread over $story (TestSpreadConstraintsRanker)', ({ keys, want }) => {
    expect(byRank(keys)).toEqual(want);
  });
});
