import type { Pod, PodCondition } from '../api/pod.js';
import type { EpochMs } from '../shared/podState.js';
import { jsonEqual } from '../inplace/diffJson.js';
import { planSidecarSetUpgradableCondition } from '../sidecarset/planSidecarSetUpgradableCondition.js';
import { addNotReadyKey, removeNotReadyKey, type NotReadyKey } from './kruisePodReadiness.js';

/**
 * One change of a pod's status conditions, as an intent that can be applied again to a fresher
 * copy of the pod (after a conflict):
 * - `set`: the condition of that type becomes `condition` (a no-op when its status is already the same);
 * - `add-not-ready-key` / `remove-not-ready-key`: a reason to hold the pod not ready through its
 *   `KruisePodReady` condition, as OpenKruise's `podreadiness` adds and removes them;
 * - `mark-sidecarset-upgradable`: one SidecarSet's verdict in the `SidecarSetUpgradable` condition
 *   every SidecarSet of the pod shares.
 *
 * A batch says one thing about each condition, key and SidecarSet: applied again to the pod it
 * produced (a retry after a conflict), such a batch changes nothing. A batch that contradicts
 * itself (`log` upgradable, then not) may flip a condition's `lastTransitionTime` on every retry.
 */
export type PodConditionChange =
  | { readonly kind: 'set'; readonly condition: PodCondition }
  | { readonly kind: 'add-not-ready-key'; readonly key: NotReadyKey }
  | { readonly kind: 'remove-not-ready-key'; readonly key: NotReadyKey }
  /** SidecarSet `sidecarSet`'s entry in the shared `SidecarSetUpgradable` condition. */
  | { readonly kind: 'mark-sidecarset-upgradable'; readonly sidecarSet: string; readonly upgradable: boolean };

function setCondition(pod: Pod, condition: PodCondition, evenIfSameStatus = false): Pod {
  const existing = pod.status?.conditions ?? [];
  const current = existing.find((c) => c.type === condition.type);
  if (current?.status === condition.status && !evenIfSameStatus) return pod;
  const conditions = current === undefined ? [...existing, condition] : existing.map((c) => (c.type === condition.type ? condition : c));
  return { ...pod, status: { ...pod.status, conditions } };
}

/**
 * Returns the pod with `changes` applied in order to its status conditions.
 *
 * @example pod without KruisePodReady (gate present), [{ kind: 'add-not-ready-key', key: PRE_DELETE_HOOK_KEY }]
 *   → KruisePodReady False, message '[{"userAgent":"Lifecycle","key":"preDeleteHook"}]'
 */
export function applyPodConditionChanges(pod: Pod, changes: readonly PodConditionChange[], now: EpochMs): Pod {
  return changes.reduce((current, change): Pod => {
    switch (change.kind) {
      case 'set':
        return setCondition(current, change.condition);
      case 'add-not-ready-key':
        return addNotReadyKey(current, change.key, now);
      case 'remove-not-ready-key':
        return removeNotReadyKey(current, change.key, now);
      case 'mark-sidecarset-upgradable': {
        const plan = planSidecarSetUpgradableCondition(current, change.sidecarSet, change.upgradable, now);
        return plan.kind === 'unchanged' ? current : setCondition(current, plan.condition, true);
      }
    }
  }, pod);
}

/**
 * Returns the conditions `changes` alter on `pod` (each one whole, to merge by `type`), or an
 * empty list when the pod already says what they say.
 *
 * @example InPlaceUpdateReady True on the pod, [{ kind: 'set', condition: { type: 'InPlaceUpdateReady', status: 'False', ... } }]
 *   → [{ type: 'InPlaceUpdateReady', status: 'False', ... }]
 */
export function changedPodConditions(pod: Pod, changes: readonly PodConditionChange[], now: EpochMs): PodCondition[] {
  const before = pod.status?.conditions ?? [];
  const after = applyPodConditionChanges(pod, changes, now).status?.conditions ?? [];
  return after.filter((condition) => !jsonEqual(condition, before.find((c) => c.type === condition.type)));
}
