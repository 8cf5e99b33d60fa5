import type { OwnerReference } from '../api/objectMeta.js';
import type { Pod } from '../api/pod.js';
import { isPodTerminating } from '../shared/podState.js';
import { matchesLabelSelector, type LabelSelector } from '../shared/selector.js';
import { podRef } from './podEffects.js';
import type { WorkloadEffect } from './workloadEffect.js';

/** The pods a workload controls after Kubernetes' `ClaimPods`: kept, adopted, released. */
export interface ClaimedPods {
  /** Pods it controls and still selects. */
  readonly owned: readonly Pod[];
  /** Pods it controls but no longer selects: their controller reference is dropped. */
  readonly release: readonly Pod[];
  /** Orphans (no controller) it selects, not terminating: they get its controller reference. */
  readonly adopt: readonly Pod[];
}

/** The workload claiming pods. */
export interface PodClaimer {
  /** Its uid (a controller reference with this uid is its own). */
  readonly uid: string;
  /** Its pod selector. */
  readonly selector: LabelSelector;
  /** It is being deleted: it adopts nothing. */
  readonly deleting: boolean;
  /** A further condition a pod must meet to be its own (Advanced StatefulSet: the name `<set>-<n>`). */
  readonly member?: (pod: Pod) => boolean;
}

/**
 * Returns how a workload claims `pods` (Kubernetes `PodControllerRefManager.ClaimPods`): pods with
 * its controller reference are kept while they match (selector and `member`), else released;
 * orphans that match are adopted unless they or the workload are being deleted; pods controlled
 * by another object are ignored.
 *
 * @example selector app=web, pods [ours app=web, ours app=db, orphan app=web] → owned [first], release [second], adopt [third]
 */
export function claimPods(claimer: PodClaimer, pods: readonly Pod[]): ClaimedPods {
  const owned: Pod[] = [];
  const release: Pod[] = [];
  const adopt: Pod[] = [];
  for (const pod of pods) {
    const controller = pod.metadata.ownerReferences?.find((ref) => ref.controller === true);
    const matches = matchesLabelSelector(claimer.selector, pod.metadata.labels ?? {}) && (claimer.member?.(pod) ?? true);
    if (controller?.uid === claimer.uid) (matches ? owned : release).push(pod);
    else if (controller === undefined && matches && !isPodTerminating(pod) && !claimer.deleting) adopt.push(pod);
  }
  return { owned, release, adopt };
}

/**
 * Returns the writes of a claim: `adopt-pod` (the controller reference `owner`) for each orphan,
 * `release-pod` for each pod no longer selected.
 *
 * @example one orphan, one released → [adopt-pod (orphan-matches-selector), release-pod (selector-no-longer-matches)]
 */
export function claimEffects(claimed: ClaimedPods, owner: OwnerReference): WorkloadEffect[] {
  return [
    ...claimed.adopt.map((pod): WorkloadEffect => ({ kind: 'adopt-pod', target: podRef(pod), owner, reason: 'orphan-matches-selector' })),
    ...claimed.release.map((pod): WorkloadEffect => ({ kind: 'release-pod', target: podRef(pod), ownerUid: owner.uid, reason: 'selector-no-longer-matches' })),
  ];
}
