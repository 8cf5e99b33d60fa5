import type { Pod } from '../api/pod.js';
import type { UpdatePriorityStrategy, UpdateScatterStrategy, UpdateScatterTerm } from '../api/pub.js';
import { matchesLabelSelector } from '../shared/selector.js';
import { podLifecycleState } from './workloadPod.js';
import { sortActivePodIndexes } from './podSorter.js';

/**
 * The order in which a CloneSet updates pods (OpenKruise `SortUpdateIndexes` and
 * `pkg/util/updatesort`). Functions take and return indexes into `pods`, as OpenKruise does,
 * because the scatter rule counts every pod, not only the candidates.
 */

function labelsOf(pod: Pod): Readonly<Record<string, string>> {
  return pod.metadata.labels ?? {};
}

function weightOf(labels: Readonly<Record<string, string>>, strategy: UpdatePriorityStrategy): number {
  return (strategy.weightPriority ?? []).reduce((sum, term) => (matchesLabelSelector(term.matchSelector, labels) ? sum + term.weight : sum), 0);
}

/**
 * Returns the integer at the end of a label value (`"sts-10"` → 10), 0 without one.
 *
 * @example orderSuffix('o-20') → 20; orderSuffix('abc') → 0
 */
export function orderSuffix(value: string): number {
  const digits = /\d+$/.exec(value)?.[0];
  return digits === undefined ? 0 : Number(digits);
}

// (level, order) of the first orderPriority key the pod carries; (-1, 0) without any.
function orderOf(labels: Readonly<Record<string, string>>, strategy: UpdatePriorityStrategy): [number, number] {
  const terms = strategy.orderPriority ?? [];
  for (const [level, term] of terms.entries()) {
    const value = labels[term.orderedKey];
    if (value !== undefined) return [level, orderSuffix(value)];
  }
  return [-1, 0];
}

/**
 * Returns `indexes` ordered by the priority strategy: higher summed `weightPriority` first; or,
 * with `orderPriority`, lower term level first, then higher trailing number. Ties go to the pod
 * with the higher index in `pods`, as in OpenKruise.
 *
 * @example weights {foo: 20, bar: 10}: pods [bar, foo, none] → [1, 0, 2]
 */
export function sortByPriority(pods: readonly Pod[], indexes: readonly number[], strategy: UpdatePriorityStrategy | undefined): number[] {
  const weighted = (strategy?.weightPriority ?? []).length > 0;
  if (strategy === undefined || (!weighted && (strategy.orderPriority ?? []).length === 0)) return [...indexes];
  const keys = new Map(indexes.map((i) => {
    const labels = labelsOf(pods[i] as Pod);
    return [i, weighted ? [-weightOf(labels, strategy), 0] : orderOf(labels, strategy).map((v, k) => (k === 1 ? -v : v))] as const;
  }));
  return [...indexes].sort((a, b) => {
    const [a0 = 0, a1 = 0] = keys.get(a) ?? [];
    const [b0 = 0, b1 = 0] = keys.get(b) ?? [];
    return a0 !== b0 ? a0 - b0 : a1 !== b1 ? a1 - b1 : b - a;
  });
}

// An absent pod (a hole Advanced StatefulSet leaves for a reserved ordinal) matches nothing.
const matches = (pod: Pod | undefined, term: UpdateScatterTerm) => pod !== undefined && labelsOf(pod)[term.key] === term.value;

// Terms that match some candidate, most-matching first (stable); a single term is used as is.
function scatterTerms(pods: readonly (Pod | undefined)[], indexes: readonly number[], strategy: UpdateScatterStrategy): UpdateScatterTerm[] {
  if (strategy.length === 1) return [...strategy];
  const counted = new Map<string, { term: UpdateScatterTerm; count: number }>();
  for (const term of strategy) {
    for (const i of indexes) {
      if (!matches(pods[i], term)) continue;
      const id = `${term.key}:${term.value}`;
      const entry = counted.get(id) ?? { term: { key: term.key, value: term.value }, count: 0 };
      counted.set(id, { ...entry, count: entry.count + 1 });
    }
  }
  return [...counted.values()].sort((a, b) => b.count - a.count).map((entry) => entry.term);
}

interface ScatterGroup {
  readonly groupNum: number;
  readonly matchedSize: number;
  readonly unmatchedSize: number;
  readonly unmatchedRemainder: number;
}

// Go's math.Round: halves go away from zero (every count here is positive, so up).
const roundHalfAway = (value: number): number => Math.sign(value) * Math.round(Math.abs(value));

// As many groups as the smaller side has pods; both group sizes rounded half away from zero
// (3 matched among 2 plain → 2 groups of 2 matched (1.5 → 2) and 1 plain).
function evenGroup(matched: number, unmatched: number): ScatterGroup {
  const groupNum = Math.min(matched, unmatched);
  return { groupNum, matchedSize: roundHalfAway(matched / groupNum), unmatchedSize: roundHalfAway(unmatched / groupNum), unmatchedRemainder: 0 };
}

// OpenKruise compares the densities in float32; Math.fround reproduces that rounding.
function groupByDensity(totalMatched: number, totalUnmatched: number, matched: number, unmatched: number): ScatterGroup {
  const total = evenGroup(totalMatched, totalUnmatched);
  if (Math.fround(totalUnmatched / totalMatched) >= Math.fround(unmatched / matched)) return evenGroup(matched, unmatched);
  const groupNum = Math.min(Math.trunc(matched / total.matchedSize), Math.trunc(unmatched / total.unmatchedSize));
  return { ...total, groupNum, unmatchedRemainder: unmatched - groupNum * total.unmatchedSize };
}

/**
 * Returns `indexes` with the pods matching `term` spread evenly among the others, in proportion
 * to how the whole workload (`pods`, absent entries skipped) is split; the last matching
 * candidate goes last. Group sizes are rounded half away from zero, as Go's `math.Round`.
 *
 * @example 4 plain pods then 2 labelled [0..5] → [4, 0, 1, 2, 3, 5]
 * @example 2 plain then 4 labelled [0..5] → 3 matched before the last in 2 groups of round(1.5) = 2 → [2, 3, 0, 4, 1, 5]
 */
export function scatterByTerm(pods: readonly (Pod | undefined)[], indexes: readonly number[], term: UpdateScatterTerm): number[] {
  const matched = indexes.filter((i) => matches(pods[i], term));
  const unmatched = indexes.filter((i) => !matches(pods[i], term));
  if (matched.length <= 1 || unmatched.length <= 1) return [...indexes];
  const present = pods.filter((pod) => pod !== undefined);
  const totalMatched = present.filter((pod) => matches(pod, term)).length - 1;
  const last = matched.pop() as number;
  const group = groupByDensity(totalMatched, present.length - totalMatched - 1, matched.length, unmatched.length);
  const result = unmatched.splice(0, group.unmatchedRemainder);
  for (let g = 0; g < group.groupNum; g++) {
    result.push(...matched.splice(0, group.matchedSize), ...unmatched.splice(0, group.unmatchedSize));
  }
  return [...result, ...matched, ...unmatched, last];
}

/**
 * Returns `indexes` scattered by every term of the strategy in turn (see {@link scatterByTerm}).
 * `pods` may have holes (`undefined`), as Advanced StatefulSet's pod slice has for reserved ordinals.
 */
export function sortByScatter(pods: readonly (Pod | undefined)[], indexes: readonly number[], strategy: UpdateScatterStrategy | undefined): number[] {
  if (strategy === undefined || strategy.length === 0 || indexes.length <= 1) return [...indexes];
  return scatterTerms(pods, indexes, strategy).reduce((order, term) => scatterByTerm(pods, order, term), [...indexes]);
}

// Go's string order (byte-wise; names are ASCII), not the locale's.
const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Returns the positions of `pods` in (name, uid) order: the order {@link sortUpdateCandidates}
 * reads the pods in, so that its result depends on the pods and not on the order they were listed.
 *
 * @example pods [web-c, web-a, web-b] → [1, 2, 0]
 */
export function podsByNameOrder(pods: readonly Pod[]): number[] {
  const keys = pods.map((pod) => [pod.metadata.name ?? '', pod.metadata.uid ?? ''] as const);
  return pods.map((_, i) => i).sort((a, b) => {
    const [nameA, uidA] = keys[a] as readonly [string, string];
    const [nameB, uidB] = keys[b] as readonly [string, string];
    return byText(nameA, nameB) || byText(uidA, uidB);
  });
}

/**
 * Returns the candidate indexes in CloneSet update order: Kubernetes' ActivePods order (pods not
 * ready, pending or unscheduled first), then the priority strategy, then the scatter strategy,
 * and finally pods already in PreparingUpdate first.
 *
 * The order is deterministic and independent of the order of `pods`. OpenKruise sorts with Go's
 * unstable `sort.Slice` over the pods in its informer cache's order, so it leaves unspecified the
 * order of pods that tie on every criterion (same readiness second, restarts and creation second)
 * and which of two equal-priority pods comes first (the one later in the cache's list). Here the
 * pods are read in (name, uid) order ({@link podsByNameOrder}): ActivePods ties go by name, and
 * equal-priority pods by name descending (later in that list first, as OpenKruise's index rule).
 *
 * @example web-b and web-a, both Ready since 10:00:03, created 10:00:01, no restarts → [web-a, web-b]
 */
export function sortUpdateCandidates(
  pods: readonly Pod[],
  indexes: readonly number[],
  strategy: { readonly priorityStrategy?: UpdatePriorityStrategy | undefined; readonly scatterStrategy?: UpdateScatterStrategy | undefined },
): number[] {
  // Sort ranks in the name order, then map them back to the caller's indexes.
  const positions = podsByNameOrder(pods);
  const named = positions.map((i) => pods[i] as Pod);
  const rankOf = new Map(positions.map((position, rank) => [position, rank]));
  const ranks = indexes.map((i) => rankOf.get(i) ?? -1).filter((rank) => rank >= 0).sort((a, b) => a - b);
  const active = sortActivePodIndexes(named, ranks);
  const scattered = sortByScatter(named, sortByPriority(named, active, strategy.priorityStrategy), strategy.scatterStrategy);
  const preparing: number[] = [];
  const others: number[] = [];
  for (const rank of scattered) (podLifecycleState(named[rank]) === 'PreparingUpdate' ? preparing : others).push(positions[rank] as number);
  return [...preparing, ...others];
}
