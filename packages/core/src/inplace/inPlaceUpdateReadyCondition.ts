import { INPLACE_UPDATE_READY_CONDITION } from '../api/labels.js';
import type { Pod, PodCondition } from '../api/pod.js';
import { formatTime, type EpochMs } from '../shared/podState.js';
import type { InPlaceUpdateSpec } from './inPlaceUpdateSpec.js';

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
  return (pod.spec.readinessGates ?? []).some((gate) => gate.conditionType === INPLACE_UPDATE_READY_CONDITION);
}

/**
 * Returns the status change to make before an in-place update: `InPlaceUpdateReady=False`
 * (reason `StartInPlaceUpdate`), and `Ready` recomputed from the readiness gates so the pod leaves
 * endpoints at once. Skipped without the readiness gate, and for a resize only (no image or env
 * change) unless a changed resource's `resizePolicy` is `RestartContainer`.
 *
 * @example pod with the gate, spec changes an image, now 10:00:00
 *   // { kind: 'update-status', conditions: [..., { type: 'InPlaceUpdateReady', status: 'False', reason: 'StartInPlaceUpdate', lastTransitionTime: '…T10:00:00Z' }] }
 */
export function planStartInPlaceUpdateCondition(pod: Pod, spec: InPlaceUpdateSpec, now: EpochMs): ConditionPlan {
  if (!hasInPlaceUpdateReadinessGate(pod)) return { kind: 'skip', reason: 'no-readiness-gate' };
  if (!podNeedsUnready(pod, spec)) return { kind: 'skip', reason: 'resize-without-restart' };
  const condition: PodCondition = { type: INPLACE_UPDATE_READY_CONDITION, status: 'False', reason: START_IN_PLACE_UPDATE_REASON, lastTransitionTime: formatTime(now) };
  const conditions = setCondition(pod.status?.conditions ?? [], condition);
  if (conditions === undefined) return { kind: 'skip', reason: 'condition-unchanged' };
  return { kind: 'update-status', conditions: withReadyFromGates({ ...pod, status: { ...pod.status, conditions } }, now) };
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
  const conditions = setCondition(pod.status?.conditions ?? [], { type: INPLACE_UPDATE_READY_CONDITION, status: 'True', lastTransitionTime: formatTime(now) });
  return conditions === undefined ? { kind: 'skip', reason: 'condition-unchanged' } : { kind: 'update-status', conditions };
}

/** A resize alone keeps the pod ready unless a resized resource restarts its container. */
function podNeedsUnready(pod: Pod, spec: InPlaceUpdateSpec): boolean {
  if (Object.keys(spec.containerImages).length > 0 || Object.keys(spec.containerRefMetadata).length > 0) return true;
  return Object.entries(spec.containerResources).some(([name, resources]) => {
    const container = pod.spec.containers.find((c) => c.name === name);
    const changed = new Set([...Object.keys(resources.limits ?? {}), ...Object.keys(resources.requests ?? {})]);
    return (container?.resizePolicy ?? []).some((policy) => changed.has(policy.resourceName) && policy.restartPolicy === 'RestartContainer');
  });
}

/** Returns the conditions with `condition` set, or `undefined` when one of its type already has its status. */
function setCondition(conditions: readonly PodCondition[], condition: PodCondition): PodCondition[] | undefined {
  const index = conditions.findIndex((c) => c.type === condition.type);
  if (index < 0) return [...conditions, condition];
  if (conditions[index]?.status === condition.status) return undefined;
  return conditions.map((c, i) => (i === index ? condition : c));
}

/** Recomputes `Ready` from the readiness gates, as the kubelet would, when containers are ready. */
function withReadyFromGates(pod: Pod, now: EpochMs): PodCondition[] {
  const conditions = pod.status?.conditions ?? [];
  const find = (type: string): PodCondition | undefined => conditions.find((c) => c.type === type);
  if (!find('Ready') || find('ContainersReady')?.status !== 'True') return [...conditions];
  const unready = (pod.spec.readinessGates ?? []).flatMap((gate) => {
    const status = find(gate.conditionType)?.status;
    if (status === undefined) return [`corresponding condition of pod readiness gate "${gate.conditionType}" does not exist.`];
    return status === 'True' ? [] : [`the status of pod readiness gate "${gate.conditionType}" is not "True", but ${status}`];
  });
  const ready: PodCondition =
    unready.length === 0
      ? { type: 'Ready', status: 'True', lastTransitionTime: formatTime(now) }
      : { type: 'Ready', status: 'False', reason: 'ReadinessGatesNotReady', message: unready.join(', '), lastTransitionTime: formatTime(now) };
  return setCondition(conditions, ready) ?? [...conditions];
}
