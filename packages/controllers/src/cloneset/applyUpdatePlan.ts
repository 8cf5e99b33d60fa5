import type { Pod, UpdatePlan } from '@kruise-ts/core';
import { Resources } from '@kruise-ts/k8s-adapter';
import { applyTransitions } from './applyScalePlan.js';
import { updatePodInPlace } from './applyInPlace.js';
import { recordEvent, soonest, type ApplyOutcome, type CloneSetPass, type CloneSetWriteDeps } from './cloneSetContext.js';

/** An update the plan refuses to make (InPlaceOnly and a change that needs a recreate). */
export class CloneSetUpdateRefused extends Error {
  readonly _tag = 'CloneSetUpdateRefused' as const;
  constructor(message: string) {
    super(message);
    this.name = 'CloneSetUpdateRefused';
  }
}

async function patchLabels(deps: CloneSetWriteDeps, pass: CloneSetPass, pod: string, labels: Readonly<Record<string, string>>): Promise<void> {
  const written = await deps.client.patch(Resources.Pod, { name: pod, namespace: pass.object.metadata.namespace }, { type: 'merge', body: { metadata: { labels } } }, { signal: pass.signal });
  deps.resourceVersions.expect(written);
}

/**
 * Carries out an update plan: lifecycle refreshes and missing `pod-template-hash` labels; or the
 * pods to update, one after another in plan order (in place, parked in PreparingUpdate, or
 * labelled `specified-delete` for the scale pass to recreate). Stops at the first failure; a
 * refused update (InPlaceOnly) is returned as an error value with a Warning event, and no pod is
 * touched for it.
 */
export async function applyUpdatePlan(deps: CloneSetWriteDeps, pass: CloneSetPass, plan: UpdatePlan, pods: readonly Pod[]): Promise<ApplyOutcome & { refused?: CloneSetUpdateRefused }> {
  switch (plan.kind) {
    case 'none':
      return { wrote: false };
    case 'refresh':
      await applyTransitions(deps, pass, plan.transitions, pods);
      await Promise.all(plan.podTemplateHashFixes.map((fix) => patchLabels(deps, pass, fix.pod, fix.labels)));
      return { wrote: true };
    case 'update':
      return applyDecisions(deps, pass, plan, pods);
  }
}

async function applyDecisions(deps: CloneSetWriteDeps, pass: CloneSetPass, plan: Extract<UpdatePlan, { kind: 'update' }>, pods: readonly Pod[]) {
  const byName = new Map(pods.map((p) => [p.metadata.name ?? '', p]));
  let wrote = false;
  let requeueAfterMs: number | undefined;
  for (const decision of plan.decisions) {
    const pod = byName.get(decision.pod);
    if (pod === undefined) continue;
    switch (decision.kind) {
      case 'update-in-place':
        requeueAfterMs = soonest(requeueAfterMs, await updatePodInPlace(deps, pass, pod, decision));
        wrote = true;
        break;
      case 'recreate':
        if (Object.keys(decision.labels).length > 0) await patchLabels(deps, pass, decision.pod, decision.labels);
        recordEvent(deps, pass, 'Normal', 'SuccessfulUpdatePodReCreate', `successfully patch pod ${decision.pod} specified-delete for update(revision ${decision.to}): ${decision.reason}`);
        wrote = true;
        break;
      case 'prepare-update':
        await applyTransitions(deps, pass, [decision.transition], pods);
        wrote = true;
        break;
      case 'wait':
        break;
      case 'error':
        recordEvent(deps, pass, 'Warning', 'FailedUpdatePodInPlace', decision.message);
        return { wrote, requeueAfterMs, refused: new CloneSetUpdateRefused(decision.message) };
    }
  }
  return { wrote, requeueAfterMs };
}
