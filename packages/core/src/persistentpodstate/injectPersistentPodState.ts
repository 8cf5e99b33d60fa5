import { INJECTED_PERSISTENT_POD_STATE_ANNOTATION, type PersistentPodState } from '../api/persistentPodState.js';
import type { Pod } from '../api/pod.js';
import { podAffinity, type Affinity, type NodeAffinity } from '../api/podScheduling.js';
import { sameTarget } from '../api/validatePersistentPodState.js';

/** A preferred node affinity term as the webhook injects it. */
export interface PreferredSchedulingTerm {
  readonly weight: number;
  readonly preference: { readonly matchExpressions?: readonly { readonly key: string; readonly operator: 'In'; readonly values: readonly string[] }[] };
}

/** What the pod webhook does with a pod for PersistentPodState. */
export type PersistentPodStateInjection =
  | { readonly kind: 'skip'; readonly reason: 'no-controller' | 'not-a-statefulset' | 'no-persistent-pod-state' | 'no-recorded-state' | 'nothing-to-inject' }
  | {
      readonly kind: 'inject';
      /** The PersistentPodState whose state was injected. */
      readonly name: string;
      /** Added to `spec.nodeSelector` (the required topology). */
      readonly nodeSelector: Readonly<Record<string, string>>;
      /** Appended to `spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution`. */
      readonly preferred: readonly PreferredSchedulingTerm[];
      /** The pod with both, and the `kruise.io/injected-persistent-pod-state` annotation. */
      readonly pod: Pod;
    };

/**
 * Returns how the pod webhook puts a re-created pod back where it was, as OpenKruise's
 * `persistentPodStateMutatingPod`: for a pod controlled by an `apps` or `apps.kruise.io`
 * StatefulSet, the (not deleting) PersistentPodState of that workload among `candidates` (the
 * namespace's); when it recorded a state with topology labels for the pod's name, the required
 * topology's labels are merged into `spec.nodeSelector`, each preferred term becomes a preferred
 * node affinity term (`In` the recorded value, its weight), and the pod is annotated
 * `kruise.io/injected-persistent-pod-state: <name>`. A pod seen for the first time has no state.
 *
 * @example web-1 recorded in zone-b, required [topology.kubernetes.io/zone] →
 *   nodeSelector { 'topology.kubernetes.io/zone': 'zone-b' }, annotation kruise.io/injected-persistent-pod-state: web
 */
export function injectPersistentPodState(pod: Pod, candidates: readonly PersistentPodState[]): PersistentPodStateInjection {
  const owner = (pod.metadata.ownerReferences ?? []).find((ref) => ref.controller === true);
  if (owner === undefined) return { kind: 'skip', reason: 'no-controller' };
  const target = { apiVersion: owner.apiVersion, kind: owner.kind, name: owner.name };
  const group = owner.apiVersion.split('/')[0];
  if (owner.kind !== 'StatefulSet' || (group !== 'apps' && group !== 'apps.kruise.io') || !owner.apiVersion.includes('/')) return { kind: 'skip', reason: 'not-a-statefulset' };
  const pps = candidates.find((c) => c.metadata?.deletionTimestamp == null && sameTarget(c.spec.targetRef, target));
  if (pps === undefined) return { kind: 'skip', reason: 'no-persistent-pod-state' };
  const recorded = pps.status?.podStates?.[pod.metadata.name ?? ''];
  const labels = recorded?.nodeTopologyLabels ?? {};
  if (Object.keys(labels).length === 0) return { kind: 'skip', reason: 'no-recorded-state' };
  const nodeSelector = Object.fromEntries((pps.spec.requiredPersistentTopology?.nodeTopologyKeys ?? []).flatMap((key) => (labels[key] === undefined ? [] : [[key, labels[key]]])));
  const preferred: PreferredSchedulingTerm[] = (pps.spec.preferredPersistentTopology ?? []).map((term) => {
    const matchExpressions = term.preference.nodeTopologyKeys.flatMap((key) => (labels[key] === undefined ? [] : [{ key, operator: 'In' as const, values: [labels[key]] }]));
    return { weight: term.weight, preference: matchExpressions.length === 0 ? {} : { matchExpressions } };
  });
  if (Object.keys(nodeSelector).length === 0 && preferred.length === 0) return { kind: 'skip', reason: 'nothing-to-inject' };
  const name = pps.metadata?.name ?? '';
  const spec = { ...pod.spec };
  if (Object.keys(nodeSelector).length > 0) spec.nodeSelector = { ...spec.nodeSelector, ...nodeSelector };
  if (preferred.length > 0) {
    const affinity: Affinity = podAffinity(pod.spec) ?? {};
    const nodeAffinity: NodeAffinity = affinity.nodeAffinity ?? {};
    spec['affinity'] = { ...affinity, nodeAffinity: { ...nodeAffinity, preferredDuringSchedulingIgnoredDuringExecution: [...(nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution ?? []), ...preferred] } };
  }
  const metadata = { ...pod.metadata, annotations: { ...pod.metadata.annotations, [INJECTED_PERSISTENT_POD_STATE_ANNOTATION]: name } };
  return { kind: 'inject', name, nodeSelector, preferred, pod: { ...pod, metadata, spec } };
}
