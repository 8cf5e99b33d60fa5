import { CONTROLLER_REVISION_HASH_LABEL, POD_INDEX_LABEL, STATEFULSET_POD_NAME_LABEL } from '../api/labels.js';
import type { OwnerReference } from '../api/objectMeta.js';
import type { PersistentVolumeClaim, Pod, PodTemplateSpec, Volume } from '../api/pod.js';
import { STATEFULSET_API_VERSION, STATEFULSET_KIND, type StatefulSet } from '../api/statefulSet.js';

/**
 * The stable identity of an Advanced StatefulSet's pods (OpenKruise `stateful_set_utils.go`,
 * forked from upstream): pod `<set>-<ordinal>`, hostname and subdomain, the pod-name and
 * pod-index labels, and one PVC `<claim>-<set>-<ordinal>` per volumeClaimTemplate.
 */

const MAX_INT32 = 2 ** 31 - 1;
const ordinals = new WeakMap<object, number>();

/**
 * Returns the parent name and ordinal read from a pod name (`-1` when the name has no ordinal
 * or it does not fit an int32).
 *
 * @example parseStatefulPodName('web-12') // { parent: 'web', ordinal: 12 }
 * @example parseStatefulPodName('web') // { parent: '', ordinal: -1 }
 */
export function parseStatefulPodName(name: string): { parent: string; ordinal: number } {
  // OpenKruise's `(.*)-([0-9]+)$`: the digits after the last '-', to the end.
  const dash = name.lastIndexOf('-');
  if (dash < 0 || dash === name.length - 1) return { parent: '', ordinal: -1 };
  for (let i = dash + 1; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 48 || c > 57) return { parent: '', ordinal: -1 };
  }
  const ordinal = Number(name.slice(dash + 1));
  return { parent: name.slice(0, dash), ordinal: ordinal <= MAX_INT32 ? ordinal : -1 };
}

/** Returns a pod's ordinal, `-1` without one (read once per pod object). @example podOrdinal(pod named 'web-3') // 3 */
export function podOrdinal(pod: Pick<Pod, 'metadata'>): number {
  const known = ordinals.get(pod);
  if (known !== undefined) return known;
  const ordinal = parseStatefulPodName(pod.metadata.name ?? '').ordinal;
  ordinals.set(pod, ordinal);
  return ordinal;
}

/** Returns the name of a set's pod at `ordinal`. @example statefulSetPodName('web', 2) // 'web-2' */
export function statefulSetPodName(setName: string, ordinal: number): string {
  return `${setName}-${String(ordinal)}`;
}

/** Returns the name of a pod's PVC from a claim template. @example statefulSetClaimName('data', 'web', 2) // 'data-web-2' */
export function statefulSetClaimName(claimTemplate: string, setName: string, ordinal: number): string {
  return `${claimTemplate}-${setName}-${String(ordinal)}`;
}

/** Returns whether the pod's name says it belongs to the set (`<set>-<ordinal>`). */
export function isStatefulSetMember(setName: string, pod: Pick<Pod, 'metadata'>): boolean {
  if (podOrdinal(pod) < 0) return false;
  // The parent is the name up to its last '-' (see parseStatefulPodName), compared in place.
  const name = pod.metadata.name ?? '';
  return name.lastIndexOf('-') === setName.length && name.startsWith(setName);
}

/** Returns the controller reference pods and revisions of the set carry. */
export function statefulSetControllerRef(set: StatefulSet): OwnerReference {
  return { apiVersion: STATEFULSET_API_VERSION, kind: STATEFULSET_KIND, name: set.metadata?.name ?? '', uid: set.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true };
}

/**
 * Returns the PVCs a pod at `ordinal` uses, one per volumeClaimTemplate: named
 * `<claim>-<set>-<ordinal>`, in the set's namespace, labelled with the selector's matchLabels
 * (replacing the template's labels, as OpenKruise does).
 *
 * @example template 'data', set 'web', ordinal 0 → [{ metadata: { name: 'data-web-0', labels: matchLabels } ... }]
 */
export function statefulSetClaims(set: StatefulSet, ordinal: number): PersistentVolumeClaim[] {
  const setName = set.metadata?.name ?? '';
  const namespace = set.metadata?.namespace;
  const matchLabels = set.spec.selector.matchLabels;
  return (set.spec.volumeClaimTemplates ?? []).map((template) => {
    const { labels: _templateLabels, ...metadata } = template.metadata;
    return {
      ...template,
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: {
        ...metadata,
        name: statefulSetClaimName(template.metadata.name ?? '', setName, ordinal),
        ...(namespace === undefined ? {} : { namespace }),
        ...(matchLabels === undefined ? {} : { labels: { ...matchLabels } }),
      },
    };
  });
}

// The pod's volumes with one per claim template pointing at its PVC (OpenKruise `updateStorage`).
function withClaimVolumes(set: StatefulSet, volumes: readonly Volume[], ordinal: number): Volume[] {
  const setName = set.metadata?.name ?? '';
  const claims = (set.spec.volumeClaimTemplates ?? []).map((t) => t.metadata.name ?? '');
  const claimVolumes: Volume[] = claims.map((claim) => ({ name: claim, persistentVolumeClaim: { claimName: statefulSetClaimName(claim, setName, ordinal) } }));
  return [...claimVolumes, ...volumes.filter((v) => !claims.includes(v.name))];
}

/** What {@link newStatefulSetPod} builds a pod from. */
export interface NewStatefulSetPodInput {
  /** The set (name, namespace, uid, serviceName, selector, volumeClaimTemplates). */
  readonly set: StatefulSet;
  /** The pod template of the revision the pod is created at. */
  readonly template: PodTemplateSpec;
  /** That revision's name (the `controller-revision-hash` label). */
  readonly revision: string;
  readonly ordinal: number;
  /** The PodIndexLabel gate. */
  readonly podIndexLabel: boolean;
}

/**
 * Returns the pod of a set at `ordinal` (OpenKruise `newVersionedStatefulSetPod`): the template's
 * labels, annotations, finalizers and spec; generateName `<set>-`, name `<set>-<ordinal>`, the
 * controller reference; labels pod-name, pod-index and controller-revision-hash; hostname the pod
 * name, subdomain the serviceName; one volume per claim template.
 *
 * @example set 'web', ordinal 2, serviceName 'nginx' → name 'web-2', hostname 'web-2', subdomain 'nginx',
 *   labels { ..., 'statefulset.kubernetes.io/pod-name': 'web-2', 'apps.kubernetes.io/pod-index': '2' }
 */
export function newStatefulSetPod(input: NewStatefulSetPodInput): Pod {
  const { set, template, ordinal } = input;
  const setName = set.metadata?.name ?? '';
  const name = statefulSetPodName(setName, ordinal);
  const namespace = set.metadata?.namespace;
  const { annotations, finalizers } = template.metadata ?? {};
  const labels: Record<string, string> = { ...template.metadata?.labels, [STATEFULSET_POD_NAME_LABEL]: name };
  if (input.podIndexLabel) labels[POD_INDEX_LABEL] = String(ordinal);
  labels[CONTROLLER_REVISION_HASH_LABEL] = input.revision;
  const serviceName = set.spec.serviceName ?? '';
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      generateName: `${setName}-`,
      ...(namespace === undefined ? {} : { namespace }),
      labels,
      ...(annotations === undefined ? {} : { annotations: { ...annotations } }),
      ...(finalizers === undefined ? {} : { finalizers: [...finalizers] }),
      ownerReferences: [statefulSetControllerRef(set)],
    },
    spec: {
      ...template.spec,
      hostname: name,
      ...(serviceName === '' ? {} : { subdomain: serviceName }),
      volumes: withClaimVolumes(set, template.spec.volumes ?? [], ordinal),
    },
  };
}

/**
 * Returns whether the pod carries its identity (OpenKruise `identityMatches`): a name
 * `<set>-<ordinal>` in the set's namespace, and the pod-name label. `ordinal` is the pod's
 * ({@link podOrdinal}), passed by callers that know it already.
 *
 * @example set 'web', pod 'web-3' labelled statefulset.kubernetes.io/pod-name=web-3 → true; pod 'web-03' → false
 */
export function identityMatches(set: StatefulSet, pod: Pod, ordinal = podOrdinal(pod)): boolean {
  const name = pod.metadata.name;
  return (
    ordinal >= 0 &&
    name !== undefined &&
    isPodNameOf(name, set.metadata?.name ?? '', ordinal) &&
    (pod.metadata.namespace ?? '') === (set.metadata?.namespace ?? '') &&
    pod.metadata.labels?.[STATEFULSET_POD_NAME_LABEL] === name
  );
}

/** Whether `name` is {@link statefulSetPodName}`(setName, ordinal)`, compared in place. */
function isPodNameOf(name: string, setName: string, ordinal: number): boolean {
  const digits = String(ordinal);
  return name.length === setName.length + 1 + digits.length && name.charCodeAt(setName.length) === 45 && name.startsWith(setName) && name.endsWith(digits);
}

/**
 * Returns whether the pod mounts its PVC of every claim template (OpenKruise `storageMatches`).
 * `ordinal` is the pod's ({@link podOrdinal}), passed by callers that know it already.
 */
export function storageMatches(set: StatefulSet, pod: Pod, ordinal = podOrdinal(pod)): boolean {
  if (ordinal < 0) return false;
  if ((set.spec.volumeClaimTemplates ?? []).length === 0) return true;
  const setName = set.metadata?.name ?? '';
  const volumes = new Map((pod.spec.volumes ?? []).map((v) => [v.name, v]));
  return (set.spec.volumeClaimTemplates ?? []).every((claim) => {
    const volume = volumes.get(claim.metadata.name ?? '') as (Volume & { persistentVolumeClaim?: { claimName?: string } }) | undefined;
    return volume?.persistentVolumeClaim?.claimName === statefulSetClaimName(claim.metadata.name ?? '', setName, ordinal);
  });
}

/**
 * Returns the labels that restore a pod's identity (OpenKruise `updateIdentity`): pod-name, and
 * pod-index with the PodIndexLabel gate; only those that differ.
 *
 * @example pod 'web-1' without labels → { 'statefulset.kubernetes.io/pod-name': 'web-1', 'apps.kubernetes.io/pod-index': '1' }
 */
export function identityLabels(pod: Pod, podIndexLabel: boolean): Record<string, string> {
  const name = pod.metadata.name ?? '';
  const wanted: Record<string, string> = { [STATEFULSET_POD_NAME_LABEL]: name };
  if (podIndexLabel) wanted[POD_INDEX_LABEL] = String(podOrdinal(pod));
  return Object.fromEntries(Object.entries(wanted).filter(([key, value]) => pod.metadata.labels?.[key] !== value));
}
