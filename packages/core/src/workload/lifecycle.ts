import { LIFECYCLE_STATE_LABEL, LIFECYCLE_TIMESTAMP_ANNOTATION } from '../api/labels.js';
import type { Pod } from '../api/pod.js';
import type { Lifecycle, LifecycleHook, LifecycleState } from '../api/pub.js';
import type { EpochMs } from '../shared/podState.js';
import { formatTime } from '../shared/podState.js';
import { isPodAtRevision, podLifecycleState } from './workloadPod.js';
import { PRE_DELETE_HOOK_KEY, PRE_UPDATE_HOOK_KEY } from './kruisePodReadiness.js';
import { applyPodConditionChanges, type PodConditionChange } from './podConditionChange.js';

/**
 * The pod lifecycle state machine of OpenKruise (`pkg/util/lifecycle`) as pure functions:
 * PreparingNormal → Normal → (PreparingUpdate → Updating → Updated →) Normal, and any state →
 * PreparingDelete. A hook "holds" a pod while any of its finalizers is present or any of its
 * label pairs matches; it is "all hooked" when every finalizer and label pair is present.
 */

/**
 * Returns whether any finalizer or label pair of `hook` is on the pod; false without a hook or a
 * pod (OpenKruise `IsPodHooked` takes nil for either). A missing label reads as `''`, as a Go map
 * lookup does, so a label pair with an empty value holds a pod without that label.
 *
 * @example hook { labelsHandler: { blocked: 'yes' } }, pod labelled blocked=yes → true; pod undefined → false
 */
export function isPodHooked(hook: LifecycleHook | undefined, pod: Pod | undefined): boolean {
  if (hook === undefined || pod === undefined) return false;
  const finalizers = pod.metadata.finalizers ?? [];
  const labels = pod.metadata.labels ?? {};
  return (
    (hook.finalizersHandler ?? []).some((f) => finalizers.includes(f)) ||
    Object.entries(hook.labelsHandler ?? {}).some(([key, value]) => (labels[key] ?? '') === value)
  );
}

/**
 * Returns whether every finalizer and label pair of `hook` is on the pod; false without a hook or
 * a pod (OpenKruise `IsPodAllHooked`), true for a hook with neither finalizers nor labels. A
 * missing label reads as `''`, as in Go.
 *
 * @example hook { finalizersHandler: ['f1', 'f2'] }, pod with f1 only → false; with both → true
 */
export function isPodAllHooked(hook: LifecycleHook | undefined, pod: Pod | undefined): boolean {
  if (hook === undefined || pod === undefined) return false;
  const finalizers = pod.metadata.finalizers ?? [];
  const labels = pod.metadata.labels ?? {};
  return (
    (hook.finalizersHandler ?? []).every((f) => finalizers.includes(f)) &&
    Object.entries(hook.labelsHandler ?? {}).every(([key, value]) => (labels[key] ?? '') === value)
  );
}

/** Returns the hook's `markPodNotReady`, false without a hook (OpenKruise `IsHookMarkPodNotReady`). */
export function isHookMarkPodNotReady(hook: LifecycleHook | undefined): boolean {
  return hook?.markPodNotReady === true;
}

/** Returns whether the preDelete or inPlaceUpdate hook asks to mark pods not ready; false without a lifecycle. */
export function isLifecycleMarkPodNotReady(lifecycle: Lifecycle | undefined): boolean {
  return isHookMarkPodNotReady(lifecycle?.preDelete) || isHookMarkPodNotReady(lifecycle?.inPlaceUpdate);
}

/** Why a pod changes lifecycle state ("moved to Normal because `pre-normal-hooks-ready`"). */
export type LifecycleTransitionReason =
  | 'pre-normal-hooks-ready'
  | 'in-place-update-hook'
  | 'in-place-update-started'
  | 'in-place-update-completed'
  | 'already-at-update-revision'
  | 'in-place-update-hook-restored'
  | 'pre-delete-hook'
  | 'replicas-increased';

/** A lifecycle change of one pod, to apply with {@link applyLifecycleTransition}. */
export interface LifecycleTransition {
  readonly kind: 'lifecycle-transition';
  /** The pod's name. */
  readonly pod: string;
  /** State before (`''` for none). */
  readonly from: LifecycleState | '';
  /** State after. */
  readonly to: LifecycleState;
  /** Why the pod moves. */
  readonly reason: LifecycleTransitionReason;
  /** Apply the hook's markPodNotReady policy (KruisePodReady key added or removed by `to`). */
  readonly markPodNotReady: boolean;
  /** Hook whose labels and finalizers are put back on the pod (Updated → PreparingUpdate). */
  readonly restoreHook?: LifecycleHook;
}

/** Returns a {@link LifecycleTransition} of `pod` to `to`. */
export function lifecycleTransition(
  pod: Pod,
  to: LifecycleState,
  reason: LifecycleTransitionReason,
  markPodNotReady: boolean,
  restoreHook?: LifecycleHook,
): LifecycleTransition {
  const base = { kind: 'lifecycle-transition', pod: pod.metadata.name ?? '', from: podLifecycleState(pod), to, reason, markPodNotReady } as const;
  return restoreHook === undefined ? base : { ...base, restoreHook };
}

/**
 * Returns the pod after the transition: state label and RFC 3339 timestamp annotation set, the
 * restored hook's labels and finalizers added, and with `markPodNotReady` the KruisePodReady key
 * added (PreparingDelete, PreparingUpdate) or removed (Updated).
 */
export function applyLifecycleTransition(pod: Pod, transition: LifecycleTransition, now: EpochMs): Pod {
  const next: Pod = { ...pod, metadata: { ...pod.metadata, ...lifecycleTransitionMetadata(pod.metadata, transition, now) } };
  return applyPodConditionChanges(next, lifecycleConditionChanges(transition), now);
}

/** The metadata a lifecycle move changes. */
export type LifecycleMetadata = Pick<Pod['metadata'], 'labels' | 'annotations' | 'finalizers'>;

/**
 * Returns the pod's labels, annotations and finalizers after the transition (the part of
 * {@link applyLifecycleTransition} a patch carries): state label and timestamp annotation set,
 * the restored hook's labels and finalizers added. Finalizers are there only when the pod or the
 * hook has some.
 *
 * @example metadata { labels: { app: 'web' } }, transition to Updating at 10:00:00
 *   // { labels: { app: 'web', 'lifecycle.apps.kruise.io/state': 'Updating' }, annotations: { 'lifecycle.apps.kruise.io/timestamp': '…T10:00:00Z' } }
 */
export function lifecycleTransitionMetadata(metadata: LifecycleMetadata, transition: LifecycleTransition, now: EpochMs): LifecycleMetadata {
  const hook = transition.restoreHook;
  const labels = { ...metadata.labels, ...hook?.labelsHandler, [LIFECYCLE_STATE_LABEL]: transition.to };
  const annotations = { ...metadata.annotations, [LIFECYCLE_TIMESTAMP_ANNOTATION]: formatTime(now) };
  const restored = hook?.finalizersHandler ?? [];
  if (restored.length > 0) return { labels, annotations, finalizers: [...(metadata.finalizers ?? []), ...restored] };
  return metadata.finalizers === undefined ? { labels, annotations } : { labels, annotations, finalizers: metadata.finalizers };
}

/**
 * Returns the `KruisePodReady` changes a transition makes under its hook's `markPodNotReady`:
 * a key added on the way into PreparingDelete or PreparingUpdate, the update key removed on
 * reaching Updated; none without `markPodNotReady`.
 *
 * @example transition to PreparingDelete with markPodNotReady → [{ kind: 'add-not-ready-key', key: PRE_DELETE_HOOK_KEY }]
 */
export function lifecycleConditionChanges(transition: LifecycleTransition): PodConditionChange[] {
  if (!transition.markPodNotReady) return [];
  switch (transition.to) {
    case 'PreparingDelete':
      return [{ kind: 'add-not-ready-key', key: PRE_DELETE_HOOK_KEY }];
    case 'PreparingUpdate':
      return [{ kind: 'add-not-ready-key', key: PRE_UPDATE_HOOK_KEY }];
    case 'Updated':
      return [{ kind: 'remove-not-ready-key', key: PRE_UPDATE_HOOK_KEY }];
    case 'PreparingNormal':
    case 'Normal':
    case 'Updating':
      return [];
  }
}

/** What {@link planLifecycleRefresh} needs besides the pod. */
export interface LifecycleRefreshContext {
  /** `spec.lifecycle` (undefined when unset). */
  readonly lifecycle: Lifecycle | undefined;
  /** The CloneSet's update revision. */
  readonly updateRevision: string;
  /** Whether the pod's in-place update has completed (read for pods in `Updating`). */
  readonly inPlaceUpdateCompleted: (pod: Pod) => boolean;
  /**
   * Without a preNormal hook, PreparingNormal waits for the pod to be scheduled (CloneSet, the
   * default); Advanced StatefulSet moves it to Normal at once (`false`).
   */
  readonly preparingNormalWaitsForScheduling?: boolean;
}

// After an in-place update (or a rollback while preparing one): Updated while the hook is
// released, Normal otherwise. A CloneSet with lifecycle but no inPlaceUpdate hook goes via Updated.
function afterUpdate(pod: Pod, context: LifecycleRefreshContext): LifecycleState {
  return context.lifecycle !== undefined && !isPodAllHooked(context.lifecycle.inPlaceUpdate, pod) ? 'Updated' : 'Normal';
}

// Without a preNormal hook the pod waits to be scheduled (OpenKruise #2087); with one, for the hook.
function leavesPreparingNormal(pod: Pod, lifecycle: Lifecycle | undefined, waitsForScheduling: boolean): boolean {
  if (lifecycle?.preNormal === undefined) return !waitsForScheduling || (pod.spec.nodeName ?? '') !== '';
  return isPodAllHooked(lifecycle.preNormal, pod);
}

/**
 * Returns the state change the update path's refresh makes for one pod, or `undefined`:
 * PreparingNormal → Normal once every preNormal hook is on the pod, or, without a preNormal hook,
 * once the pod is scheduled (`spec.nodeName` set: relabelling a pod the scheduler is still binding
 * makes old schedulers retry it, OpenKruise issue 1485);
 * PreparingUpdate → Updated/Normal when the pod is already at the update revision (rolled back);
 * Updating → Updated/Normal once the in-place update completed; Updated → Normal once the
 * inPlaceUpdate hook is back (or without one). With inPlaceUpdate.markPodNotReady the
 * KruisePodReady key follows.
 */
export function planLifecycleRefresh(pod: Pod, context: LifecycleRefreshContext): LifecycleTransition | undefined {
  const { lifecycle } = context;
  const markPodNotReady = lifecycle?.inPlaceUpdate?.markPodNotReady === true;
  switch (podLifecycleState(pod)) {
    case 'PreparingNormal':
      return leavesPreparingNormal(pod, lifecycle, context.preparingNormalWaitsForScheduling ?? true) ? lifecycleTransition(pod, 'Normal', 'pre-normal-hooks-ready', markPodNotReady) : undefined;
    case 'PreparingUpdate':
      return isPodAtRevision(pod, context.updateRevision)
        ? lifecycleTransition(pod, afterUpdate(pod, context), 'already-at-update-revision', markPodNotReady)
        : undefined;
    case 'Updating':
      return context.inPlaceUpdateCompleted(pod)
        ? lifecycleTransition(pod, afterUpdate(pod, context), 'in-place-update-completed', markPodNotReady)
        : undefined;
    case 'Updated':
      return lifecycle?.inPlaceUpdate === undefined || isPodAllHooked(lifecycle.inPlaceUpdate, pod)
        ? lifecycleTransition(pod, 'Normal', 'in-place-update-hook-restored', markPodNotReady)
        : undefined;
    case '':
    case 'Normal':
    case 'PreparingDelete':
      return undefined;
    default:
      // An unknown state label: leave the pod alone, as OpenKruise does.
      return undefined;
  }
}
