import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/pod.js';
import type { UpdatePriorityStrategy, UpdateScatterStrategy } from '../api/pub.js';
import { aPod, T0, type PodLifePhase } from '../testing/index.js';
import { podsByNameOrder, sortUpdateCandidates } from './updateSort.js';

const names = (pods: readonly Pod[], indexes: readonly number[]) => indexes.map((i) => pods[i]?.metadata.name);
const all = (pods: readonly Pod[]) => pods.map((_, i) => i);

describe('sortUpdateCandidates: the final tie-break (pods equal on every OpenKruise criterion)', () => {
  it.each([
    {
      story: '3 pods Ready in the same second, created in the same second, listed c, a, b → a, b, c',
      pods: ['web-c', 'web-a', 'web-b'].map((name) => aPod({ name, readySince: T0, createdAt: T0 - 5000 })),
      want: ['web-a', 'web-b', 'web-c'],
    },
    {
      story: 'ready time still comes first: web-b Ready a second later goes before web-a',
      pods: [aPod({ name: 'web-a', readySince: T0 }), aPod({ name: 'web-b', readySince: T0 + 1000 })],
      want: ['web-b', 'web-a'],
    },
    {
      story: 'same name (a recreated pod seen twice): the uid decides',
      pods: [aPod({ name: 'web-a', uid: 'u2' }), aPod({ name: 'web-a', uid: 'u1' })],
      want: ['web-a', 'web-a'],
    },
  ])('$story', ({ pods, want }) => {
    expect(names(pods, sortUpdateCandidates(pods, all(pods), {}))).toEqual(want);
  });

  it('equal-priority pods go by name descending (OpenKruise: the later in its list first), whatever the list order', () => {
    const strategy: UpdatePriorityStrategy = { weightPriority: [{ weight: 10, matchSelector: { matchLabels: { tier: 'canary' } } }] };
    const pods = ['web-b', 'web-d', 'web-a', 'web-c'].map((name) => aPod({ name, labels: name === 'web-c' ? { tier: 'canary' } : {} }));
    expect(names(pods, sortUpdateCandidates(pods, all(pods), { priorityStrategy: strategy }))).toEqual(['web-c', 'web-d', 'web-b', 'web-a']);
  });

  it('returns only the given candidates, as indexes into the caller list', () => {
    const pods = ['web-c', 'web-a', 'web-b'].map((name) => aPod({ name }));
    expect(sortUpdateCandidates(pods, [0, 2], {})).toEqual([2, 0]);
    expect(podsByNameOrder(pods)).toEqual([1, 2, 0]);
  });
});

const PHASES: readonly PodLifePhase[] = ['ready', 'ready', 'not-ready', 'pending'];

// Pods with few distinct values so that ties are common: 2 ready seconds, 2 creation seconds, 0-1 restarts, 2 zones.
const podArb = fc.record({
  phase: fc.constantFrom(...PHASES),
  ready: fc.integer({ min: 0, max: 1 }),
  created: fc.integer({ min: 0, max: 1 }),
  restarts: fc.integer({ min: 0, max: 1 }),
  zone: fc.constantFrom('a', 'b'),
  canary: fc.boolean(),
  preparing: fc.boolean(),
});

const strategies: ReadonlyArray<{ priorityStrategy?: UpdatePriorityStrategy; scatterStrategy?: UpdateScatterStrategy }> = [
  {},
  { priorityStrategy: { weightPriority: [{ weight: 5, matchSelector: { matchLabels: { canary: 'true' } } }] } },
  { scatterStrategy: [{ key: 'zone', value: 'a' }] },
  { priorityStrategy: { orderPriority: [{ orderedKey: 'zone' }] }, scatterStrategy: [{ key: 'canary', value: 'true' }] },
];

describe('sortUpdateCandidates (property)', () => {
  it('the order of the updated pods does not depend on the order the pods are listed in', () => {
    fc.assert(
      fc.property(
        fc.array(podArb, { minLength: 1, maxLength: 12 }),
        fc.constantFrom(...strategies),
        fc.infiniteStream(fc.nat()),
        fc.func(fc.boolean()),
        (specs, strategy, seeds, isCandidate) => {
          const pods = specs.map((s, i) =>
            aPod({
              name: `web-${String.fromCharCode(97 + ((i * 7) % 26))}${String(i)}`,
              phase: s.phase,
              readySince: T0 + s.ready * 1000,
              createdAt: T0 - 10_000 + s.created * 1000,
              restarts: s.restarts,
              labels: { zone: s.zone, canary: String(s.canary) },
              ...(s.preparing ? { lifecycle: 'PreparingUpdate' as const } : {}),
            }),
          );
          const candidates = new Set(pods.filter((_, i) => isCandidate(i)).map((p) => p.metadata.name));
          // A shuffle of the list (Fisher-Yates from the generated seeds).
          const shuffled = [...pods];
          const it = seeds[Symbol.iterator]();
          for (let i = shuffled.length - 1; i > 0; i--) {
            const j = (it.next().value as number) % (i + 1);
            [shuffled[i], shuffled[j]] = [shuffled[j] as Pod, shuffled[i] as Pod];
          }
          const order = (list: readonly Pod[]) => {
            const indexes = all(list).filter((i) => candidates.has(list[i]?.metadata.name));
            return names(list, sortUpdateCandidates(list, indexes, strategy));
          };
          const original = order(pods);
          expect(order(shuffled)).toEqual(original);
          expect([...original].sort()).toEqual([...candidates].sort());
        },
      ),
    );
  });
});
