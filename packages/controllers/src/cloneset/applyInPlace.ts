import {
  applyLifecycleTransition,
  planInPlaceUpdatePatch,
  planInPlaceUpdateRefresh,
  planStartInPlaceUpdateCondition,
  type Pod,
  type PodUpdateDecision,
  type ResizePatch,
} from '@kruise-ts/core';
import { Resources } from '@kruise-ts/k8s-adapter';
import { recordEvent, soonest, type ApplyOutcome, type CloneSetPass, type CloneSetWriteDeps } from './cloneSetContext.js';
import { writePod, writePodConditions } from './writePod.js';

type InPlaceDecision = Extract<PodUpdateDecision, { kind: 'update-in-place' }>;

async function sendResize(deps: CloneSetWriteDeps, pass: CloneSetPass, pod: Pod, resize: ResizePatch | undefined): Promise<void> {
  if (resize === undefined) return;
  const key = { name: pod.metadata.name ?? '', namespace: pod.metadata.namespace };
  const written = await deps.client.patch(Resources.Pod, key, { type: 'strategic', body: resize as unknown as Record<string, unknown> }, { subresource: 'resize', signal: pass.signal });
  deps.resourceVersions.expect(written);
}

/**
 * Moves every in-place update in progress one step (OpenKruise's `Refresh`): ends a grace
 * period, starts the next container batch, or sets `InPlaceUpdateReady=True` once the containers
 * run the new images. Returns whether anything was written and when a grace period ends.
 */
export async function refreshInPlaceUpdates(deps: CloneSetWriteDeps, pass: CloneSetPass, pods: readonly Pod[]): Promise<ApplyOutcome> {
  const now = deps.clock.now();
  let wrote = false;
  let requeueAfterMs: number | undefined;
  await Promise.all(
    pods.map(async (pod) => {
      const plan = planInPlaceUpdateRefresh(pod, { now, resizeSubresource: deps.resizeSubresource });
      switch (plan.kind) {
        case 'update-pod': {
          const written = await writePod(deps.client, pod, plan.pod, pass.signal);
          deps.resourceVersions.expect(written);
          await sendResize(deps, pass, written, plan.resizePatch);
          wrote = true;
          return;
        }
        case 'update-status':
          deps.resourceVersions.expect(await writePodConditions(deps.client, pod, plan.conditions, pass.signal));
          wrote = true;
          return;
        case 'wait':
          if (plan.reason === 'grace-period') requeueAfterMs = soonest(requeueAfterMs, plan.requeueAfterSeconds * 1000);
          return;
        case 'invalid':
          recordEvent(deps, pass, 'Warning', 'InvalidInPlaceUpdateState', `pod ${pod.metadata.name ?? ''}: ${plan.message}`);
          return;
        case 'nothing-to-do':
          return;
      }
    }),
  );
  return { wrote, requeueAfterMs };
}

/**
 * Starts the in-place update of one pod (OpenKruise's `updatePodInPlace`): `InPlaceUpdateReady`
 * False first (so the pod leaves endpoints before its containers restart), then the revision
 * labels, lifecycle `Updating`, the state annotation and the first container batch — or, with a
 * grace period, the spec parked in its annotation. Returns when to come back for a grace period.
 */
export async function updatePodInPlace(deps: CloneSetWriteDeps, pass: CloneSetPass, pod: Pod, decision: InPlaceDecision): Promise<number | undefined> {
  const now = deps.clock.now();
  let current: Pod = pod;
  try {
    const condition = planStartInPlaceUpdateCondition(pod, decision.spec, now);
    if (condition.kind === 'update-status') current = await writePodConditions(deps.client, pod, condition.conditions, pass.signal);
    const plan = planInPlaceUpdatePatch(applyLifecycleTransition(current, decision.transition, now), decision.spec, {
      now,
      gracePeriodSeconds: decision.gracePeriodSeconds,
      resizeSubresource: deps.resizeSubresource,
    });
    const written = await writePod(deps.client, current, plan.pod, pass.signal);
    deps.resourceVersions.expect(written);
    if (plan.kind === 'apply-batch') await sendResize(deps, pass, written, plan.resizePatch);
    recordEvent(deps, pass, 'Normal', 'SuccessfulUpdatePodInPlace', `successfully update pod ${decision.pod} in-place(revision ${decision.to})`);
    return plan.kind === 'park-in-grace' ? plan.requeueAfterSeconds * 1000 : undefined;
  } catch (error) {
    recordEvent(deps, pass, 'Warning', 'FailedUpdatePodInPlace', `failed to update pod ${decision.pod} in-place(revision ${decision.to}): ${String(error)}`);
    throw error;
  }
}
