import type { PersistentPodState, PersistentPodStateStatus, PodState } from '../api/persistentPodState.js';
import type { Pod } from '../api/pod.js';
import { jsonEqual } from '../inplace/diffJson.js';
import { isPodReady } from '../shared/podState.js';

/** The workload of a PersistentPodState, as its status reads it. */
export interface PersistentPodStateWorkload {
  /** `spec.replicas`. */
  readonly replicas: number;
  /** Ordinals of `spec.reserveOrdinals` (Advanced StatefulSet), expanded. */
  readonly reserveOrdinals: ReadonlySet<number>;
  /** The workload has a deletionTimestamp. */
  readonly deleting: boolean;
}

/** What {@link computePersistentPodStateStatus} reads. */
export interface PersistentPodStateStatusInput {
  readonly pps: PersistentPodState;
  /** The target workload; undefined when it does not exist. */
  readonly workload: PersistentPodStateWorkload | undefined;
  /** The workload's pods. */
  readonly pods: readonly Pod[];
  /** The labels of a node, or undefined when it is not known (the pod is then not recorded this pass). */
  readonly nodeLabels: (nodeName: string) => Readonly<Record<string, string>> | undefined;
}

/** Returns the node label keys a PersistentPodState records: those of its required and preferred topologies, sorted. */
export function topologyKeysOf(pps: PersistentPodState): string[] {
  const keys = new Set([...(pps.spec.requiredPersistentTopology?.nodeTopologyKeys ?? []), ...(pps.spec.preferredPersistentTopology ?? []).flatMap((t) => t.preference.nodeTopologyKeys)]);
  return [...keys].sort();
}

/**
 * Returns whether `ordinal` is one of the first `replicas` ordinals that are not reserved (the
 * ordinals the workload keeps pods at).
 *
 * @example replicas 3, reserved {1} → ordinals 0, 2, 3 are in; 1 and 4 are not
 */
export function isInReplicas(ordinal: number, workload: Pick<PersistentPodStateWorkload, 'replicas' | 'reserveOrdinals'>): boolean {
  let kept = 0;
  for (let candidate = 0; kept < workload.replicas; candidate++) {
    if (workload.reserveOrdinals.has(candidate)) continue;
    if (candidate === ordinal) return true;
    kept++;
  }
  return false;
}

const ordinalOf = (podName: string): number | undefined => {
  const text = podName.slice(podName.lastIndexOf('-') + 1);
  return /^\d+$/.test(text) ? Number(text) : undefined;
};

const sameKeys = (record: Readonly<Record<string, string>> | undefined, keys: readonly string[]): boolean => jsonEqual(Object.keys(record ?? {}).sort(), keys);

function podStateOf(pod: Pod, labels: Readonly<Record<string, string>>, topologyKeys: readonly string[], annotationKeys: readonly string[]): PodState {
  const pick = (source: Readonly<Record<string, string>> | undefined, keys: readonly string[]) => Object.fromEntries(keys.flatMap((key) => (source?.[key] === undefined ? [] : [[key, source[key]]])));
  return { nodeName: pod.spec.nodeName ?? '', nodeTopologyLabels: pick(labels, topologyKeys), annotations: pick(pod.metadata.annotations, annotationKeys) };
}

/**
 * Returns the status of a PersistentPodState after a pass, as OpenKruise's reconcile: with the
 * workload gone or being deleted, no pod states; else each Ready pod on a node gets its state
 * (node name, the node's labels of the topology keys, the pod's persistent annotations) recorded,
 * or re-recorded when its node or the keys changed; a recorded pod keeps its state while it is
 * gone (that is what puts it back), and with the `WhenScaled` retention policy (the default: any
 * value but `WhenDeleted`) the state of a pod that is gone and whose ordinal is beyond the
 * replicas (reserved ordinals skipped) is forgotten. `observedGeneration` is the object's.
 *
 * @example replicas 3 → 2 (WhenScaled), pod web-2 gone → podStates keeps web-0 and web-1; with WhenDeleted it keeps web-2 too
 */
export function computePersistentPodStateStatus(input: PersistentPodStateStatusInput): PersistentPodStateStatus {
  const { pps, workload } = input;
  const observedGeneration = pps.metadata?.generation ?? 0;
  if (workload === undefined || workload.deleting) return { observedGeneration };
  const topologyKeys = topologyKeysOf(pps);
  const annotationKeys = [...new Set((pps.spec.persistentPodAnnotations ?? []).map((a) => a.key))].sort();
  const podStates: Record<string, PodState> = { ...(pps.status?.podStates ?? {}) };
  for (const pod of input.pods) {
    const nodeName = pod.spec.nodeName ?? '';
    if (!isPodReady(pod) || nodeName === '') continue;
    const name = pod.metadata.name ?? '';
    const recorded = podStates[name];
    if (recorded?.nodeName === nodeName && sameKeys(recorded.nodeTopologyLabels, topologyKeys) && sameKeys(recorded.annotations, annotationKeys)) continue;
    const labels = input.nodeLabels(nodeName);
    if (labels === undefined) continue;
    podStates[name] = podStateOf(pod, labels, topologyKeys, annotationKeys);
  }
  if (pps.spec.persistentPodStateRetentionPolicy !== 'WhenDeleted') {
    const present = new Set(input.pods.map((p) => p.metadata.name ?? ''));
    for (const name of Object.keys(podStates)) {
      const ordinal = ordinalOf(name);
      if (ordinal === undefined || isInReplicas(ordinal, workload) || present.has(name)) continue;
      // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- a record keyed by pod name
      delete podStates[name];
    }
  }
  return { observedGeneration, podStates };
}
