import { SIDECARSET_UPGRADABLE_CONDITION } from '../api/labels.js';
import type { Pod, PodCondition } from '../api/pod.js';
import { formatTime, getPodCondition, type EpochMs } from '../shared/podState.js';
import { canonicalJson } from '../shared/revision.js';

/** What to do with a pod's SidecarSetUpgradable condition. */
export type UpgradableConditionPlan = { readonly kind: 'unchanged' } | { readonly kind: 'set'; readonly condition: PodCondition };

function messageKv(condition: PodCondition | undefined): Record<string, unknown> {
  if ((condition?.message ?? '') === '') return {};
  try {
    const value = JSON.parse(condition?.message ?? '') as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * Returns the pod's `SidecarSetUpgradable` condition after SidecarSet `sidecarSetName` found it
 * upgradable or not (OpenKruise's `updatePodSidecarSetUpgradableCondition`): the message is JSON
 * `{sidecarSet: upgradable}` over all SidecarSets of the pod (keys sorted); the status is True
 * (reason `AllSidecarsetUpgradable`) when every entry is true, else False (`UpdateImmutableField`);
 * the transition time moves to `now` only when the status changes. `unchanged` when nothing would.
 *
 * @example no condition, ('log', false) → { kind: 'set', condition: { type: 'SidecarSetUpgradable', status: 'False', reason: 'UpdateImmutableField', message: '{"log":false}', ... } }
 */
export function planSidecarSetUpgradableCondition(pod: Pod, sidecarSetName: string, upgradable: boolean, now: EpochMs): UpgradableConditionPlan {
  const old = getPodCondition(pod, SIDECARSET_UPGRADABLE_CONDITION);
  const kv = { ...messageKv(old), [sidecarSetName]: upgradable };
  const all = Object.values(kv).every((v) => v !== false);
  const status = all ? 'True' : 'False';
  const condition: PodCondition = {
    ...old,
    type: SIDECARSET_UPGRADABLE_CONDITION,
    status,
    reason: all ? 'AllSidecarsetUpgradable' : 'UpdateImmutableField',
    message: canonicalJson(kv),
    lastTransitionTime: old?.status === status && old.lastTransitionTime !== undefined ? old.lastTransitionTime : formatTime(now),
  };
  const same = old !== undefined && old.status === condition.status && old.reason === condition.reason && old.message === condition.message;
  return same ? { kind: 'unchanged' } : { kind: 'set', condition };
}
