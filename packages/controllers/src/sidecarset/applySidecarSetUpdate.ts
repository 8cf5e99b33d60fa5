import { SIDECARSET_UPGRADABLE_CONDITION, getPodCondition, planSidecarSetUpgradableCondition, type Pod, type PodCondition, type SidecarSetUpdatePlan } from '@kruise-ts/core';
import { writePod, writePodConditions } from '../cloneset/writePod.js';
import { recordSidecarSetEvent, type SidecarSetPass, type SidecarSetWriteDeps } from './sidecarSetContext.js';

/** What applying an update plan wrote. */
export interface SidecarSetUpdateOutcome {
  /** Pods whose sidecars got a new image (or an idle hot-upgrade twin its empty image). */
  readonly upgraded: number;
  /** Pods whose SidecarSetUpgradable condition changed. */
  readonly conditions: number;
}

const withCondition = (pod: Pod, condition: PodCondition): PodCondition[] => [...(pod.status?.conditions ?? []).filter((c) => c.type !== condition.type), condition];

/**
 * Sets the pod's SidecarSetUpgradable entry for this SidecarSet (core's
 * `planSidecarSetUpgradableCondition`) through the status subresource at the pod's
 * resourceVersion, and expects the write. Returns whether it wrote.
 */
async function markUpgradable(deps: SidecarSetWriteDeps, pass: SidecarSetPass, pod: Pod, upgradable: boolean): Promise<boolean> {
  const plan = planSidecarSetUpgradableCondition(pod, pass.key, upgradable, deps.clock.now());
  if (plan.kind === 'unchanged') return false;
  deps.resourceVersions.expect(await writePodConditions(deps.client, pod, withCondition(pod, plan.condition), pass.signal));
  return true;
}

/**
 * Applies one pass of core's `planSidecarSetUpdate`, each pod write a PUT at the resourceVersion
 * the plan was made from and expected before the next pass plans again:
 * 1. hot upgrades whose new twin works: the idle twin back to the empty image;
 * 2. the pods to upgrade now: their sidecars' new images and hash records (the kubelet restarts
 *    only those containers); a pod that was marked not upgradable gets the mark cleared;
 * 3. pods that cannot be upgraded in place: SidecarSetUpgradable False, and one
 *    `NotUpgradablePods` event when that mark is new.
 */
export async function applySidecarSetUpdate(deps: SidecarSetWriteDeps, pass: SidecarSetPass, plan: SidecarSetUpdatePlan): Promise<SidecarSetUpdateOutcome> {
  let upgraded = 0;
  let conditions = 0;
  for (const reset of plan.hotUpgradeResets) {
    deps.resourceVersions.expect(await writePod(deps.client, reset.pod, reset.updated, pass.signal));
    upgraded++;
  }
  if (plan.decision.kind === 'upgrade') {
    for (const { pod, upgrade } of plan.decision.upgrades) {
      if (upgrade.kind === 'failed') {
        recordSidecarSetEvent(deps, pass, 'Warning', 'UpdateSidecarFailed', `pod ${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}: ${upgrade.message}`);
        continue;
      }
      const written = await writePod(deps.client, pod, upgrade.pod, pass.signal);
      deps.resourceVersions.expect(written);
      upgraded++;
      // Only a pod already carrying the condition (marked not upgradable before) gets it set back.
      if (getPodCondition(written, SIDECARSET_UPGRADABLE_CONDITION) !== undefined && (await markUpgradable(deps, pass, written, true))) conditions++;
    }
  }
  let marked = 0;
  for (const pod of plan.notUpgradable) if (await markUpgradable(deps, pass, pod, false)) marked++;
  if (marked > 0) {
    recordSidecarSetEvent(deps, pass, 'Normal', 'NotUpgradablePods', `SidecarSet in-place update detected ${String(plan.notUpgradable.length)} not upgradable pod(s) in this round, will skip them.`);
  }
  return { upgraded, conditions: conditions + marked };
}
