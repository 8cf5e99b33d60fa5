import type { ResourceDistributionTargets } from '../api/resourceDistribution.js';
import { isEmptyLabelSelector, matchesLabelSelector } from '../shared/selector.js';

/** A namespace as a ResourceDistribution sees it. */
export interface NamespaceView {
  readonly name: string;
  readonly labels?: Readonly<Record<string, string>> | undefined;
  /** It has a deletionTimestamp (a copy cannot be created in it). */
  readonly terminating?: boolean | undefined;
}

/** The namespaces of a ResourceDistribution, sorted by name. */
export interface TargetNamespaces {
  /** Namespaces that must hold a copy; an included namespace that does not exist is listed too. */
  readonly matched: readonly string[];
  /** Existing namespaces that must not hold a copy (one the distribution owns there is deleted). */
  readonly unmatched: readonly string[];
}

/**
 * Returns the namespaces a ResourceDistribution targets, as OpenKruise's
 * `listNamespacesForDistributor`: the union of every namespace (`allNamespaces`), the namespaces
 * whose labels match a non-empty `namespaceSelector`, and `includedNamespaces` (whether they exist
 * or not), minus `excludedNamespaces`; the other existing namespaces are unmatched. An empty
 * selector matches nothing.
 *
 * @example namespaces a (team=a), b (team=b), c (team=a); targets `{ namespaceSelector: { matchLabels: { team: 'a' } },
 *   includedNamespaces: { list: [{ name: 'x' }] }, excludedNamespaces: { list: [{ name: 'c' }] } }` → matched [a, x], unmatched [b, c]
 */
export function selectTargetNamespaces(targets: ResourceDistributionTargets, namespaces: readonly NamespaceView[]): TargetNamespaces {
  const selector = targets.namespaceSelector;
  const bySelector = selector !== undefined && !isEmptyLabelSelector(selector);
  const matched = new Set<string>();
  for (const namespace of namespaces) {
    if (targets.allNamespaces === true || (bySelector && matchesLabelSelector(selector, namespace.labels))) matched.add(namespace.name);
  }
  for (const included of targets.includedNamespaces?.list ?? []) if ((included.name ?? '') !== '') matched.add(included.name ?? '');
  for (const excluded of targets.excludedNamespaces?.list ?? []) matched.delete(excluded.name ?? '');
  const unmatched = namespaces.map((n) => n.name).filter((name) => !matched.has(name));
  return { matched: [...matched].sort(), unmatched: [...new Set(unmatched)].sort() };
}
