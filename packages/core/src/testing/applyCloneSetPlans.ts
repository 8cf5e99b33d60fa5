import { SPECIFIED_DELETE_LABEL } from '../api/labels.js';
import type { Pod } from '../api/pod.js';
import { applyLifecycleTransition, type LifecycleTransition } from '../cloneset/lifecycle.js';
import type { ScalePlan } from '../cloneset/planScale.js';
import type { UpdatePlan } from '../cloneset/planUpdate.js';
import type { PodUpdateDecision } from '../cloneset/podUpdateDecision.js';
import { planInPlaceUpdatePatch } from '../inplace/planInPlaceUpdatePatch.js';
import { formatTime, isPodReady, type EpochMs } from '../shared/podState.js';

/**
 * A tiny in-memory "apiserver + kubelet" for CloneSet plans, to simulate reconcile passes in tests:
 * apply a plan to a list of pods, then let the pods become ready. Deterministic; no clock.
 */

function byName(transitions: readonly LifecycleTransition[]): Map<string, LifecycleTransition> {
  return new Map(transitions.map((t) => [t.pod, t]));
}

function withTransitions(pods: readonly Pod[], transitions: readonly LifecycleTransition[], now: EpochMs): Pod[] {
  const map = byName(transitions);
  return pods.map((pod) => {
    const transition = map.get(pod.metadata.name ?? '');
    return transition === undefined ? pod : applyLifecycleTransition(pod, transition, now);
  });
}

/**
 * Returns the pods after a {@link ScalePlan} was carried out: creations added (unscheduled, no
 * status), deletions removed, lifecycle moves applied.
 *
 * @example applyScalePlan(pods, planScale(input), now)
 */
export function applyScalePlan(pods: readonly Pod[], plan: ScalePlan, now: EpochMs): Pod[] {
  switch (plan.kind) {
    case 'none':
      return [...pods];
    case 'cancel-preparing-delete':
      return withTransitions(pods, plan.transitions, now);
    case 'create':
      return [...pods, ...plan.creations.map((creation) => creation.pod)];
    case 'delete': {
      const deleted = new Set(plan.deletions.filter((d) => d.kind === 'delete-pod').map((d) => d.pod));
      const moves = plan.deletions.flatMap((d) => (d.kind === 'prepare-delete' ? [d.transition] : []));
      return withTransitions(pods.filter((pod) => !deleted.has(pod.metadata.name ?? '')), moves, now);
    }
  }
}

function applyDecision(pod: Pod, decision: PodUpdateDecision, now: EpochMs): Pod {
  switch (decision.kind) {
    case 'update-in-place': {
      const written = planInPlaceUpdatePatch(pod, decision.spec, { now, gracePeriodSeconds: decision.gracePeriodSeconds }).pod;
      const notReady = (written.status?.conditions ?? []).map((c) => (c.type === 'Ready' ? { ...c, status: 'False' as const, lastTransitionTime: formatTime(now) } : c));
      return applyLifecycleTransition({ ...written, status: { ...written.status, conditions: notReady } }, decision.transition, now);
    }
    case 'recreate':
      return { ...pod, metadata: { ...pod.metadata, labels: { ...pod.metadata.labels, ...decision.labels } } };
    case 'prepare-update':
      return applyLifecycleTransition(pod, decision.transition, now);
    case 'wait':
    case 'error':
      return pod;
  }
}

/**
 * Returns the pods after an {@link UpdatePlan} was carried out: lifecycle refreshes and label
 * fixes applied, in-place updates written (through `planInPlaceUpdatePatch`, the pod turning not
 * ready), recreations labelled `apps.kruise.io/specified-delete`.
 */
export function applyUpdatePlan(pods: readonly Pod[], plan: UpdatePlan, now: EpochMs): Pod[] {
  switch (plan.kind) {
    case 'none':
      return [...pods];
    case 'refresh': {
      const fixes = new Map(plan.podTemplateHashFixes.map((fix) => [fix.pod, fix.labels]));
      const fixed = pods.map((pod) => {
        const labels = fixes.get(pod.metadata.name ?? '');
        return labels === undefined ? pod : { ...pod, metadata: { ...pod.metadata, labels: { ...pod.metadata.labels, ...labels } } };
      });
      return withTransitions(fixed, plan.transitions, now);
    }
    case 'update': {
      const decisions = new Map(plan.decisions.map((d) => [d.pod, d]));
      return pods.map((pod) => {
        const decision = decisions.get(pod.metadata.name ?? '');
        return decision === undefined ? pod : applyDecision(pod, decision, now);
      });
    }
  }
}

/**
 * Returns the pods as a kubelet leaves them once they are up: scheduled (`node-a` when unset),
 * Running, Ready since `now` (or since they became ready), containers reporting the spec's images.
 * Pods labelled for deletion keep their label: the next scale pass removes them.
 */
export function becomeReady(pods: readonly Pod[], now: EpochMs): Pod[] {
  return pods.map((pod) => {
    const wasReady = isPodReady(pod);
    const others = (pod.status?.conditions ?? []).filter((c) => c.type !== 'Ready' && c.type !== 'InPlaceUpdateReady');
    const ready = { type: 'Ready', status: 'True' as const, lastTransitionTime: wasReady ? (pod.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime ?? formatTime(now)) : formatTime(now) };
    const inPlace = (pod.spec.readinessGates ?? []).some((g) => g.conditionType === 'InPlaceUpdateReady') ? [{ type: 'InPlaceUpdateReady', status: 'True' as const }] : [];
    return {
      ...pod,
      spec: { ...pod.spec, nodeName: pod.spec.nodeName ?? 'node-a' },
      status: {
        ...pod.status,
        phase: 'Running' as const,
        conditions: [...others, ready, ...inPlace],
        containerStatuses: pod.spec.containers.map((c) => ({ name: c.name, ...(c.image === undefined ? {} : { image: c.image }), imageID: `${c.image ?? ''}@sha256:0`, ready: true, restartCount: 0 })),
      },
    };
  });
}

/** Returns whether the pod was asked to be recreated or deleted (`apps.kruise.io/specified-delete`). */
export function isMarkedForDeletion(pod: Pod): boolean {
  return pod.metadata.labels?.[SPECIFIED_DELETE_LABEL] !== undefined;
}
