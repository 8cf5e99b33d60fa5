import type { RecreateReason } from '../inplace/classifyInPlaceUpdate.js';

/**
 * Why a pod is, or is not, being moved to the target revision now — a word that completes "the pod
 * is not updated because ..." or "the pod is ...":
 * - at the target: `updated`; `in-place-update-in-progress` (containers not yet restarted on the
 *   new spec); `in-place-grace-period` (the spec waits `gracePeriodSeconds`); `not-available-yet`
 *   (not ready, or within minReadySeconds);
 * - held back: `paused`; `on-delete`; `partition` (beyond |updateNum|: the partition keeps it);
 *   `max-unavailable-reached` (within |updateNum| but the unavailable budget is spent; `position`
 *   says its place in the queue); `preparing-delete`; `terminating`; `pod-states-refresh-first`
 *   (chosen, but the controller writes pod states this pass and updates it in the next one);
 * - chosen now: `update-in-place`, `recreate` (`recreateReason` and `paths` name the field that
 *   forced it), `lifecycle-hook-preparing` (parked in PreparingUpdate first),
 *   `lifecycle-hook-waiting` (the inPlaceUpdate hook still holds it), `update-refused` (InPlaceOnly
 *   with a change that needs a recreate, or a state that forbids it), `blocked-by-earlier-error`,
 *   `pod-unavailable-budget` (its PodUnavailableBudget refuses the update or delete);
 * - Advanced StatefulSet only: `scale-first` (the pass creates, replaces or removes pods first;
 *   updates come in a later pass), `specified-delete` (labelled `apps.kruise.io/specified-delete`:
 *   deleted now, created again at the update revision), `volume-resize-first` (its PVCs grow first).
 */
export type PodUpdateReason =
  | 'updated'
  | 'in-place-update-in-progress'
  | 'in-place-grace-period'
  | 'not-available-yet'
  | 'paused'
  | 'on-delete'
  | 'partition'
  | 'max-unavailable-reached'
  | 'preparing-delete'
  | 'terminating'
  | 'pod-states-refresh-first'
  | 'update-in-place'
  | 'recreate'
  | 'lifecycle-hook-preparing'
  | 'lifecycle-hook-waiting'
  | 'update-refused'
  | 'blocked-by-earlier-error'
  | 'pod-unavailable-budget'
  | 'scale-first'
  | 'specified-delete'
  | 'volume-resize-first';

/** One pod's place in the rollout. */
export interface PodExplanation {
  /** Pod name. */
  readonly pod: string;
  /** Its `controller-revision-hash`. */
  readonly revision: string;
  /** Whether it is at the revision the pass moves pods to. */
  readonly atTarget: boolean;
  readonly reason: PodUpdateReason;
  /** Place in the update queue, 1 first (chosen and `max-unavailable-reached` pods). */
  readonly position?: number;
  /** What forced a recreate (`recreate`, `update-refused` under InPlaceOnly). */
  readonly recreateReason?: RecreateReason | 'recreate-policy';
  /** Template paths behind an in-place update or a recreate. */
  readonly paths?: readonly string[];
  /** Seconds of in-place grace left (`in-place-grace-period`). */
  readonly graceSecondsLeft?: number;
  /** The budget's refusal or the refused update's message. */
  readonly message?: string;
}
