import { CONTROL_PLANE_LABEL, NAMESPACE_NAME_LABEL, SIDECARSET_INJECTED_LIST_ANNOTATION } from '../api/labels.js';
import type { Pod } from '../api/pod.js';
import { canaryBaseOf, type SidecarSet } from '../api/sidecarSet.js';
import { isPodActive } from '../shared/podState.js';
import { isEmptyLabelSelector, matchesLabelSelector, type Labels } from '../shared/selector.js';

/**
 * Which SidecarSets apply to a pod (`sidecarcontrol.PodMatchedSidecarSet` and the filters of the
 * pod webhook). Namespace labels are an argument: the caller reads the Namespace object.
 */

/** Why a pod is not considered for injection at all. */
export type PodInjectionSkipReason = 'pod-not-active' | 'namespace-excluded';

/** Why a SidecarSet does not apply to a pod. */
export type SidecarSetMismatchReason = 'no-selector' | 'selector-not-matched' | 'namespace-not-selected' | 'injection-paused' | 'replaced-by-canary';

/** Whether a SidecarSet applies to a pod, and why not. */
export type SidecarSetPodMatch = { readonly kind: 'matched' } | { readonly kind: 'not-matched'; readonly reason: SidecarSetMismatchReason };

/**
 * Returns the pod's namespace as OpenKruise reads it (`default` when empty).
 *
 * @example podNamespace({ metadata: {}, spec }) → 'default'
 */
export function podNamespace(pod: Pod): string {
  const namespace = pod.metadata.namespace ?? '';
  return namespace === '' ? 'default' : namespace;
}

/**
 * Returns the labels of a namespace as a selector sees them: the given labels plus
 * `kubernetes.io/metadata.name: <namespace>`, which Kubernetes 1.21+ puts on every namespace (so
 * that a v1alpha1 `spec.namespace`, converted to that label, matches without the labels at hand).
 *
 * @example namespaceLabelsOf('prod', { team: 'a' }) → { team: 'a', 'kubernetes.io/metadata.name': 'prod' }
 */
export function namespaceLabelsOf(namespace: string, labels: Labels): Record<string, string> {
  return { ...labels, [NAMESPACE_NAME_LABEL]: namespace };
}

/**
 * Returns `undefined` when a pod may be injected, or why not: it is terminating or finished
 * (`pod-not-active`), or its namespace is labelled `control-plane: controller-manager` (the pod
 * webhook's namespaceSelector leaves those out, so the manager never injects its own pods).
 *
 * @example podInjectionSkipReason(pod, { 'control-plane': 'controller-manager' }) → 'namespace-excluded'
 */
export function podInjectionSkipReason(pod: Pod, namespaceLabels: Labels): PodInjectionSkipReason | undefined {
  if (!isPodActive(pod)) return 'pod-not-active';
  if (namespaceLabels?.[CONTROL_PLANE_LABEL] === 'controller-manager') return 'namespace-excluded';
  return undefined;
}

/**
 * Returns whether a SidecarSet selects a pod: its `namespaceSelector` (when set) matches the
 * namespace's labels, and its `selector` is set, not empty (an empty selector selects nothing
 * here) and matches the pod's labels. `injectionStrategy.paused` is not looked at (it stops
 * injection, not upgrades); see {@link selectSidecarSetsForInjection}.
 *
 * @example selector app=web, pod labels { app: 'web' } → { kind: 'matched' }
 */
export function matchPodToSidecarSet(pod: Pod, ss: SidecarSet, namespaceLabels: Labels): SidecarSetPodMatch {
  const nsSelector = ss.spec.namespaceSelector;
  if (nsSelector !== undefined && !matchesLabelSelector(nsSelector, namespaceLabelsOf(podNamespace(pod), namespaceLabels))) {
    return { kind: 'not-matched', reason: 'namespace-not-selected' };
  }
  const selector = ss.spec.selector;
  if (selector === undefined || isEmptyLabelSelector(selector)) return { kind: 'not-matched', reason: 'no-selector' };
  return matchesLabelSelector(selector, pod.metadata.labels) ? { kind: 'matched' } : { kind: 'not-matched', reason: 'selector-not-matched' };
}

/** The SidecarSets to inject into a pod, and why the others are not. */
export interface SidecarSetSelection {
  /** Matching, not paused, in the order given. */
  readonly matched: readonly SidecarSet[];
  readonly skipped: readonly { readonly sidecarSet: string; readonly reason: SidecarSetMismatchReason }[];
}

/**
 * Returns the SidecarSets to inject into a pod being created, in the order given: those not
 * paused (`injectionStrategy.paused`) that select the pod ({@link matchPodToSidecarSet}), except
 * the base of a canary SidecarSet that also selects it: a canary
 * (`apps.kruise.io/sidecarset-canary: "true"`, `apps.kruise.io/sidecarset-base: <base>`) gives the
 * pods it selects its containers instead of the base's; pods it does not select get the base's.
 *
 * @example [paused, matching, other-app] → { matched: [matching], skipped: [{ sidecarSet: 'paused', reason: 'injection-paused' }, { sidecarSet: 'other-app', reason: 'selector-not-matched' }] }
 * @example [log, log-canary (base log, selects canary=true)], pod canary=true → { matched: [log-canary], skipped: [{ sidecarSet: 'log', reason: 'replaced-by-canary' }] }
 */
export function selectSidecarSetsForInjection(pod: Pod, sidecarSets: readonly SidecarSet[], namespaceLabels: Labels): SidecarSetSelection {
  const selecting: SidecarSet[] = [];
  const skipped: { sidecarSet: string; reason: SidecarSetMismatchReason }[] = [];
  for (const ss of sidecarSets) {
    const match: SidecarSetPodMatch = ss.spec.injectionStrategy?.paused === true ? { kind: 'not-matched', reason: 'injection-paused' } : matchPodToSidecarSet(pod, ss, namespaceLabels);
    if (match.kind === 'matched') selecting.push(ss);
    else skipped.push({ sidecarSet: ss.metadata?.name ?? '', reason: match.reason });
  }
  const replaced = new Set(selecting.map(canaryBaseOf).filter((base): base is string => base !== undefined));
  const matched = selecting.filter((ss) => !replaced.has(ss.metadata?.name ?? ''));
  for (const ss of selecting) if (replaced.has(ss.metadata?.name ?? '')) skipped.push({ sidecarSet: ss.metadata?.name ?? '', reason: 'replaced-by-canary' });
  return { matched, skipped };
}

/**
 * Returns the SidecarSet names in a pod's `kruise.io/sidecarset-injected-list` annotation.
 *
 * @example annotation 'log,mesh' → ['log', 'mesh']; no annotation → []
 */
export function podInjectedSidecarSets(pod: Pod): string[] {
  const list = pod.metadata.annotations?.[SIDECARSET_INJECTED_LIST_ANNOTATION] ?? '';
  return list === '' ? [] : list.split(',');
}

/**
 * Returns whether the pod's injected-list annotation names the SidecarSet (`IsPodInjectedSidecarSet`).
 *
 * @example annotation 'log,mesh', SidecarSet `mesh` → true
 */
export function isPodInjectedBySidecarSet(pod: Pod, ss: SidecarSet): boolean {
  return podInjectedSidecarSets(pod).includes(ss.metadata?.name ?? '');
}
