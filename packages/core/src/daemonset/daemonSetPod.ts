import { DAEMONSET_API_VERSION, DAEMONSET_KIND, type DaemonSet } from '../api/daemonSet.js';
import { CONTROLLER_REVISION_HASH_LABEL, INPLACE_UPDATE_READY_CONDITION } from '../api/labels.js';
import type { OwnerReference } from '../api/objectMeta.js';
import type { Pod, PodTemplateSpec } from '../api/pod.js';
import { podTolerations, usesHostNetwork } from '../api/podScheduling.js';
import { pinnedAffinity, podTargetNode, type PodTargetNode } from '../shared/nodePinning.js';
import { getPodCondition, isPodAvailableToWorkload, isPodTerminating, parseTime, type EpochMs } from '../shared/podState.js';
import { withDaemonPodTolerations } from './daemonSetNodes.js';

/**
 * The pods of an Advanced DaemonSet: how they are made (Kubernetes' `CreatePodTemplate` and
 * `GetPodFromTemplate`, pinned to their node by node affinity as the scheduler-based DaemonSet
 * does), which node each belongs to, and how the controller reads them.
 */

/** The label old apps/v1 DaemonSets recorded the template generation in. */
export const POD_TEMPLATE_GENERATION_LABEL = 'pod-template-generation';
/** The longest prefix the apiserver keeps before a generated name's 5 random characters. */
const MAX_GENERATED_NAME_PREFIX = 58;

/** Returns the controller reference of the set's pods. */
export function daemonSetControllerRef(ds: DaemonSet): OwnerReference {
  return { apiVersion: DAEMONSET_API_VERSION, kind: DAEMONSET_KIND, name: ds.metadata?.name ?? '', uid: ds.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true };
}

/** Returns the `generateName` of the set's pods: `<set>-`, cut as the apiserver cuts it before adding its suffix. */
export function daemonPodNamePrefix(ds: DaemonSet): string {
  return `${ds.metadata?.name ?? ''}-`.slice(0, MAX_GENERATED_NAME_PREFIX);
}

/** What {@link daemonPodTemplate} needs. */
export interface DaemonPodTemplateInput {
  /** The set's `spec.template`. */
  readonly template: PodTemplateSpec;
  /** The update revision's hash (the `controller-revision-hash` label). */
  readonly hash: string;
  /** The deprecated template generation (the `pod-template-generation` label), if any. */
  readonly templateGeneration: number | undefined;
  /** RollingUpdate with `InPlaceIfPossible`: the pod gets the `InPlaceUpdateReady` readiness gate. */
  readonly inPlaceReadinessGate: boolean;
}

/**
 * Returns the template every new pod of the set is made from (Kubernetes `CreatePodTemplate` and
 * OpenKruise's `syncNodes`): the DaemonSet default tolerations, the revision labels, and for
 * in-place rolling updates the `InPlaceUpdateReady` readiness gate appended.
 *
 * @example hash 'c4b9d7f6x', InPlaceIfPossible → labels { ..., 'controller-revision-hash': 'c4b9d7f6x' }, readinessGates [..., InPlaceUpdateReady]
 */
export function daemonPodTemplate(input: DaemonPodTemplateInput): PodTemplateSpec {
  const { template } = input;
  const labels: Record<string, string> = { ...template.metadata?.labels };
  if (input.templateGeneration !== undefined) labels[POD_TEMPLATE_GENERATION_LABEL] = String(input.templateGeneration);
  if (input.hash !== '') labels[CONTROLLER_REVISION_HASH_LABEL] = input.hash;
  const gates = template.spec.readinessGates ?? [];
  return {
    ...template,
    metadata: { ...template.metadata, labels },
    spec: {
      ...template.spec,
      tolerations: withDaemonPodTolerations(podTolerations(template.spec), usesHostNetwork(template.spec)),
      ...(input.inPlaceReadinessGate ? { readinessGates: [...gates, { conditionType: INPLACE_UPDATE_READY_CONDITION }] } : {}),
    },
  };
}

/** What {@link newDaemonSetPod} needs. */
export interface NewDaemonSetPodInput {
  readonly daemonSet: DaemonSet;
  /** The template from {@link daemonPodTemplate}. */
  readonly template: PodTemplateSpec;
  /** The node the pod is for. */
  readonly node: string;
  /** The random suffix of its name (what the apiserver would add to `generateName`). */
  readonly suffix: string;
}

/**
 * Returns a pod of the set for one node (Kubernetes `GetPodFromTemplate` with the node pinned by
 * node affinity): the template's labels, annotations, finalizers and spec, `generateName` `<set>-`,
 * name `<set>-<suffix>`, the set as controller; no `nodeName`: the scheduler binds it.
 *
 * @example set 'agent', node 'node-1', suffix 'x7k2p' → name 'agent-x7k2p', affinity matchFields metadata.name In [node-1]
 */
export function newDaemonSetPod(input: NewDaemonSetPodInput): Pod {
  const { daemonSet, template } = input;
  const prefix = daemonPodNamePrefix(daemonSet);
  const namespace = daemonSet.metadata?.namespace;
  const { labels, annotations, finalizers } = template.metadata ?? {};
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${prefix}${input.suffix}`,
      generateName: prefix,
      ...(namespace === undefined ? {} : { namespace }),
      ...(labels === undefined ? {} : { labels: { ...labels } }),
      ...(annotations === undefined ? {} : { annotations: { ...annotations } }),
      ...(finalizers === undefined ? {} : { finalizers: [...finalizers] }),
      ownerReferences: [daemonSetControllerRef(daemonSet)],
    },
    spec: { ...template.spec, affinity: pinnedAffinity(template.spec.affinity, input.node) },
  };
}

/** The node a daemon pod belongs to, or why it has none (Kubernetes `GetTargetNodeName`): {@link PodTargetNode}. */
export type DaemonPodTarget = PodTargetNode;

/**
 * Returns the node a daemon pod is for ({@link podTargetNode}: its `spec.nodeName`, or before it
 * is bound the node its required node affinity pins it to).
 */
export const daemonPodTarget = podTargetNode;

/**
 * Returns whether the pod is at the set's update revision (Kubernetes `IsPodUpdated`): its
 * `controller-revision-hash` is `hash`, or its `pod-template-generation` is the deprecated
 * template generation.
 *
 * @example label 'c4b9d7f6x', hash 'c4b9d7f6x' → true
 */
export function isDaemonPodUpdated(pod: Pod, hash: string, templateGeneration: number | undefined): boolean {
  const labels = pod.metadata.labels;
  if (hash !== '' && labels?.[CONTROLLER_REVISION_HASH_LABEL] === hash) return true;
  return templateGeneration !== undefined && labels?.[POD_TEMPLATE_GENERATION_LABEL] === String(templateGeneration);
}

/**
 * Compares daemon pods as OpenKruise's `podByCreationTimestampAndPhase` sorts them: bound pods
 * first, then the oldest, then by name.
 */
export function compareDaemonPods(a: Pod, b: Pod): number {
  const aBound = (a.spec.nodeName ?? '') !== '';
  const bBound = (b.spec.nodeName ?? '') !== '';
  if (aBound !== bBound) return aBound ? -1 : 1;
  // Kubernetes times have whole seconds; a missing time is the zero time, before any other.
  const aTime = Math.floor((parseTime(a.metadata.creationTimestamp) ?? Number.NEGATIVE_INFINITY) / 1000);
  const bTime = Math.floor((parseTime(b.metadata.creationTimestamp) ?? Number.NEGATIVE_INFINITY) / 1000);
  if (aTime !== bTime) return aTime < bTime ? -1 : 1;
  const aName = a.metadata.name ?? '';
  const bName = b.metadata.name ?? '';
  return aName < bName ? -1 : aName > bName ? 1 : 0;
}

/** The pods of one node split by revision (Kubernetes `findUpdatedPodsOnNode`). */
export type NodePodsByRevision =
  | {
      readonly kind: 'one-each';
      /** The pod at the update revision, if any. */
      readonly newPod: Pod | undefined;
      /** The pod at an older revision, if any. */
      readonly oldPod: Pod | undefined;
    }
  | {
      /** Two new pods or two old pods: the manage loop prunes them first. */
      readonly kind: 'excess';
    };

/**
 * Returns the node's pods that are not terminating, by revision: at most one new and one old, or
 * `excess` when there are more.
 *
 * @example [old ready, new pending] → { kind: 'one-each', newPod: new, oldPod: old }; [old, old] → { kind: 'excess' }
 */
export function splitNodePods(pods: readonly Pod[] | undefined, hash: string, templateGeneration: number | undefined): NodePodsByRevision {
  let newPod: Pod | undefined;
  let oldPod: Pod | undefined;
  for (const pod of pods ?? []) {
    if (isPodTerminating(pod)) continue;
    if (isDaemonPodUpdated(pod, hash, templateGeneration)) {
      if (newPod !== undefined) return { kind: 'excess' };
      newPod = pod;
    } else {
      if (oldPod !== undefined) return { kind: 'excess' };
      oldPod = pod;
    }
  }
  return { kind: 'one-each', newPod, oldPod };
}

/** Returns whether the pod carries the `InPlaceUpdateReady` readiness gate (OpenKruise `ContainsReadinessGate`). */
export function hasInPlaceReadinessGate(pod: Pod): boolean {
  return (pod.spec.readinessGates ?? []).some((gate) => gate.conditionType === INPLACE_UPDATE_READY_CONDITION);
}

/**
 * Returns whether a daemon pod counts as available in the status (OpenKruise
 * `isDaemonPodAvailable`): ready for `minReadySeconds` without an `unavailable-pod.kruise.io/` label
 * (`isPodAvailableToWorkload`), and, with the in-place readiness gate, its
 * `InPlaceUpdateReady` condition (when present) True.
 */
export function isDaemonPodAvailable(pod: Pod, minReadySeconds: number, now: EpochMs): boolean {
  if (!isPodAvailableToWorkload(pod, minReadySeconds, now)) return false;
  if (!hasInPlaceReadinessGate(pod)) return true;
  const condition = getPodCondition(pod, INPLACE_UPDATE_READY_CONDITION);
  return condition === undefined || condition.status === 'True';
}
