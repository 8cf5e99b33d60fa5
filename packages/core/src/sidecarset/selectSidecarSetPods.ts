import type { Pod } from '../api/pod.js';
import type { SidecarSet } from '../api/sidecarSet.js';
import { isPodActive } from '../shared/podState.js';
import type { Labels } from '../shared/selector.js';
import { isPodInjectedBySidecarSet, matchPodToSidecarSet, podNamespace } from './matchSidecarSet.js';
import { hasSidecarSetContainers } from './sidecarSetPodState.js';

/** Labels of namespaces by name (what a SidecarSet's namespaceSelector is matched against). */
export type NamespaceLabels = Readonly<Record<string, Labels>>;

/**
 * Returns the pods a SidecarSet manages (OpenKruise's `getMatchingPods`), in the order given: those
 * it selects (selector and namespaceSelector, see `matchPodToSidecarSet`; `namespaceLabels` by
 * namespace name, a missing namespace counting as only its `kubernetes.io/metadata.name` label),
 * that are active, that name it in their injected list, and that hold all its containers. The
 * status counts and the update plan are computed over these pods.
 *
 * @example a pod created before the SidecarSet (no injected list) or whose sidecar was removed → left out
 */
export function selectSidecarSetPods(ss: SidecarSet, pods: readonly Pod[], namespaceLabels: NamespaceLabels = {}): Pod[] {
  return pods.filter(
    (pod) =>
      isPodActive(pod) &&
      matchPodToSidecarSet(pod, ss, namespaceLabels[podNamespace(pod)]).kind === 'matched' &&
      isPodInjectedBySidecarSet(pod, ss) &&
      hasSidecarSetContainers(ss, pod),
  );
}
