import { INPLACE_UPDATE_READY_CONDITION } from '../api/labels.js';
import type { Pod, PodCondition } from '../api/pod.js';
import { formatTime, type EpochMs } from '../shared/podState.js';
import type { InPlaceFeatureGates } from './inPlaceFeatureGates.js';
import type { InPlaceUpdateSpec } from './inPlaceUpdateSpec.js';
import { QOS_RESOURCES } from './podQosClass.js';

/** Reason OpenKruise gives the `InPlaceUpdateReady=False` condition. */
export const START_IN_PLACE_UPDATE_REASON = 'StartInPlaceUpdate';

/** How to change the pod's status conditions around an in-place update. */
export type ConditionPlan =
  | {
      readonly kind: 'update-status';
      /** The pod's complete new `status.conditions` (write through the status subresource). */
      readonly conditions: readonly PodCondition[];
    }
  | { readonly kind: 'skip'; readonly reason: 'no-readiness-gate' | 'resize-without-restart' | 'condition-unchanged' };

/**
 * Returns whether the pod carries the `InPlaceUpdateReady` readiness gate (CloneSet injects it at
 * creation for in-place policies).
 *
 * @example hasInPlaceUpdateReadinessGate({ ...pod, spec: { ...spec, readinessGates: [{ conditionType: 'InPlaceUpdateReady' }] } }) // true
 */
export function hasInPlaceUpdateReadinessGate(pod: Pod): boolean {
  const gates = pod.spec.readinessGates;
  if (gates === undefined) return false;
  for (const gate of gates) if (gate.conditionType === INPLACE_UPDATE_READY_CONDITION) return true;
  return false;
}

/** Options of {@link planStartInPlaceUpdateCondition}. */
export interface StartInPlaceUpdateConditionOptions {
  /**
   * OpenKruise feature gates. When `InPlaceWorkloadVerticalScaling` is unset it is read from the
   * spec: resource changes only get into a spec with the gate on (`classifyInPlaceUpdate`), so a
   * spec with resources was made under it.
   */
  readonly featureGates?: InPlaceFeatureGates;
}

/**
 * Returns the status change to make before an in-place update (OpenKruise's
 * `defaultCheckPodNeedsBeUnready`): `InPlaceUpdateReady=False` (reason `StartInPlaceUpdate`), and
 * `Ready` recomputed from the readiness gates so the pod leaves endpoints at once. Every in-place
 * update of a pod with the readiness gate does this (images, env from metadata, metadata alone),
 * except, with InPlaceWorkloadVerticalScaling, a resize only (resources changed, no image and no
 * env-from-metadata) where no changed cpu/memory has `resizePolicy` `RestartContainer`.
 *
 * @example pod with the gate, spec changes an image, now 10:00:00
 *   // { kind: 'update-status', conditions: [..., { type: 'InPlaceUpdateReady', status: 'False', reason: 'StartInPlaceUpdate', lastTransitionTime: '…T10:00:00Z' }] }
 * @example the same pod, spec changes only limits.cpu 1 → 2, vertical scaling on, no resizePolicy → { kind: 'skip', reason: 'resize-without-restart' }
 */
export function planStartInPlaceUpdateCondition(pod: Pod, spec: InPlaceUpdateSpec, now: EpochMs, options: StartInPlaceUpdateConditionOptions = {}): ConditionPlan {
  if (!hasInPlaceUpdateReadinessGate(pod)) return { kind: 'skip', reason: 'no-readiness-gate' };
  const verticalScaling = options.featureGates?.InPlaceWorkloadVerticalScaling ?? Object.keys(spec.containerResources).length > 0;
  if (verticalScaling && isVerticalUpdateOnly(spec) && !resizeRestartsContainer(pod, spec)) return { kind: 'skip', reason: 'resize-without-restart' };
  const condition: PodCondition = { type: INPLACE_UPDATE_READY_CONDITION, status: 'False', reason: START_IN_PLACE_UPDATE_REASON, lastTransitionTime: formatTime(now) };
  const conditions = setCondition(pod.status?.conditions ?? [], condition);
  if (conditions === undefined) return { kind: 'skip', reason: 'condition-unchanged' };
  return { kind: 'update-status', conditions: withReadyFromGates(conditions, pod.spec.readinessGates ?? [], now) };
}

/**
 * Returns whether the update only resizes containers: resources change, no image and no
 * env-from-metadata does (OpenKruise `UpdateSpec.VerticalUpdateOnly`; a metadata patch alongside
 * does not count).
 *
 * @example { containerResources: { app: { limits: { cpu: '2' } } } } → true; with containerImages { app: 'nginx:2' } too → false
 */
export function isVerticalUpdateOnly(spec: Pick<InPlaceUpdateSpec, 'containerImages' | 'containerResources' | 'updateEnvFromMetadata'>): boolean {
  return Object.keys(spec.containerResources).length > 0 && Object.keys(spec.containerImages).length === 0 && !spec.updateEnvFromMetadata;
}

/**
 * Returns the status change that ends an in-place update: `InPlaceUpdateReady=True` (the kubelet
 * then turns `Ready` back on by itself). Call it once {@link checkInPlaceUpdateCompleted} says
 * `completed`.
 *
 * @example pod with the gate and InPlaceUpdateReady False → { kind: 'update-status', conditions: [..., { type: 'InPlaceUpdateReady', status: 'True', ... }] }
 */
export function planFinishInPlaceUpdateCondition(pod: Pod, now: EpochMs): ConditionPlan {
  if (!hasInPlaceUpdateReadinessGate(pod)) return { kind: 'skip', reason: 'no-readiness-gate' };
  // Most pods already say True: answer before building a condition (10,000 pods a pass).
  for (const c of pod.status?.conditions ?? []) if (c.type === INPLACE_UPDATE_READY_CONDITION && c.status === 'True') return { kind: 'skip', reason: 'condition-unchanged' };
  const conditions = setCondition(pod.status?.conditions ?? [], { type: INPLACE_UPDATE_READY_CONDITION, status: 'True', lastTransitionTime: formatTime(now) });
  return conditions === undefined ? { kind: 'skip', reason: 'condition-unchanged' } : { kind: 'update-status', conditions };
}

/** Whether a resized cpu or memory (limit or request) of a container has `resizePolicy` `RestartContainer`. */
function resizeRestartsContainer(pod: Pod, spec: InPlaceUpdateSpec): boolean {
  return Object.entries(spec.containerResources).some(([name, resources]) => {
    const container = pod.spec.containers.find((c) => c.name === name);
    const changed = QOS_RESOURCES.filter((name) => resources.limits?.[name] !== undefined || resources.requests?.[name] !== undefined);
    return (container?.resizePolicy ?? []).some((policy) => (changed as readonly string[]).includes(policy.resourceName) && policy.restartPolicy === 'RestartContainer');
  });
}

/** Returns the conditions with `condition` set, or `undefined` when one of its type already has its status. */
function setCondition(conditions: readonly PodCondition[], condition: PodCondition): PodCondition[] | undefined {
  const index = conditions.findIndex((c) => c.type === condition.type);
  if (index < 0) return [...conditions, condition];
  if (conditions[index]?.status === condition.status) return undefined;
  return conditions.map((c, i) => (i === index ? condition : c));
}

/** A `spec.readinessGates` entry. */
type ReadinessGate = NonNullable<Pod['spec']['readinessGates']>[number];

/** Recomputes `Ready` from the readiness gates, as the kubelet would, when containers are ready. */
function withReadyFromGates(conditions: readonly PodCondition[], gates: readonly ReadinessGate[], now: EpochMs): PodCondition[] {
  if (!conditions.some((c) => c.type === 'Ready') || conditionStatus(conditions, 'ContainersReady') !== 'True') return [...conditions];
  const unready = gates.flatMap((gate) => {
    const status = conditionStatus(conditions, gate.conditionType);
    if (status === undefined) return [`corresponding condition of pod readiness gate "${gate.conditionType}" does not exist.`];
    return status === 'True' ? [] : [`the status of pod readiness gate "${gate.conditionType}" is not "True", but ${status}`];
  });
  const ready: PodCondition =
    unready.length === 0
      ? { type: 'Ready', status: 'True', lastTransitionTime: formatTime(now) }
      : { type: 'Ready', status: 'False', reason: 'ReadinessGatesNotReady', message: unready.join(', '), lastTransitionTime: formatTime(now) };
  return setCondition(conditions, ready) ?? [...conditions];
}

/** The status of the first condition of `type`, `undefined` when there is none. */
function conditionStatus(conditions: readonly PodCondition[], type: string): PodCondition['status'] | undefined {
  return conditions.find((c) => c.type === type)?.status;
}
