import { ConflictError, type KubeClient, type KubeObject } from '@kruise-ts/k8s-adapter';
import { resourceName } from './rolloutCommands.js';
import type { RolloutRef, WorkloadRef } from './workloadRef.js';

/** The annotation kubectl-kruise's `rollout restart` sets on a CloneSet's pod template. */
export const RESTARTED_AT_ANNOTATION = 'kubectl.kruise.io/restartedAt';

/** Formats epoch ms as Go's `time.RFC3339` in UTC: `2025-01-01T00:00:00Z` (no fraction). */
export function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Restarts a workload's pods as kubectl-kruise does: a merge patch of
 * `spec.template.metadata.annotations["kubectl.kruise.io/restartedAt"]` = now (RFC 3339). The
 * controller then rolls the pods as for any template change: under InPlaceIfPossible a
 * metadata-only change is applied in place (no container restarts), under ReCreate each pod is
 * recreated; partition, maxUnavailable and pause apply.
 *
 * @example restartWorkload(client, cloneset web, 'default', Date.parse('2025-01-01T00:00:00Z'))
 *   → PATCH {"spec":{"template":{"metadata":{"annotations":{"kubectl.kruise.io/restartedAt":"2025-01-01T00:00:00Z"}}}}}
 */
export async function restartWorkload(client: KubeClient, ref: WorkloadRef, namespace: string, now: number): Promise<KubeObject> {
  const body = { spec: { template: { metadata: { annotations: { [RESTARTED_AT_ANNOTATION]: rfc3339(now) } } } } };
  return client.patch(ref.type, { namespace, name: ref.name }, { type: 'merge', body });
}

/**
 * Returns kubectl's refusal of a verb for an object whose kind has no helper for it
 * (`<resource>.<group> "<name>" <verb> is not supported`), as kubectl-kruise prints it for
 * `rollout restart` of a SidecarSet and `rollout approve` of anything but a Kruise Rollout.
 *
 * @example unsupportedMessage(sidecarset log, 'restarting') → 'sidecarsets.apps.kruise.io "log" restarting is not supported'
 */
export function unsupportedMessage(ref: Pick<RolloutRef, 'kind' | 'name'>, verb: string): string {
  return `${ref.kind.toLowerCase()}s.apps.kruise.io "${ref.name}" ${verb} is not supported`;
}

/**
 * Returns kubectl-kruise's refusal of `rollout approve` for a workload: it approves only Kruise
 * Rollout (`rollouts.kruise.io`) canary steps, which kruise-ts does not serve.
 *
 * @example approveMessage(cloneset web) → 'clonesets.apps.kruise.io "web" approving is not supported'
 */
export function approveMessage(ref: Pick<RolloutRef, 'kind' | 'name'>): string {
  return unsupportedMessage(ref, 'approving');
}

/** What `scaledown` changes: the workload's new spec fields, or why it cannot. */
export type ScaleDownPlan =
  | { readonly kind: 'cloneset'; readonly replicas: number; readonly podsToDelete: readonly string[] }
  | { readonly kind: 'statefulset'; readonly replicas: number; readonly reserveOrdinals: readonly (number | string)[] }
  | { readonly kind: 'invalid'; readonly message: string };

/** The spec fields `scaledown` reads and writes. */
export type ScalableSpec = { readonly replicas?: number; readonly scaleStrategy?: { readonly podsToDelete?: readonly string[] }; readonly reserveOrdinals?: readonly (number | string)[] };

/**
 * Returns how `scaledown --pods` removes the named pods:
 * - CloneSet, as kubectl-kruise: the names appended to `scaleStrategy.podsToDelete` and
 *   `replicas` lowered by their count (the controller deletes exactly those pods);
 * - Advanced StatefulSet: each pod's ordinal appended to `reserveOrdinals` and `replicas`
 *   lowered by their count (OpenKruise's way to remove given ordinals; kubectl-kruise has no
 *   Advanced StatefulSet scaledown);
 * - Advanced DaemonSet: refused (one pod per node, no replicas).
 * Every pod must belong to the workload (`owned`).
 *
 * @example CloneSet replicas 5, podsToDelete [], pods [web-a, web-b] → { replicas 3, podsToDelete [web-a, web-b] }
 * @example StatefulSet db replicas 5, pods [db-1] → { replicas 4, reserveOrdinals [1] }
 */
export function planScaleDown(ref: WorkloadRef, spec: ScalableSpec, pods: readonly string[], owned: ReadonlySet<string>): ScaleDownPlan {
  if (ref.kind === 'DaemonSet') return { kind: 'invalid', message: 'scaledown: an Advanced DaemonSet runs one pod per node and has no replicas; only CloneSet and Advanced StatefulSet can be scaled down by pod' };
  const stranger = pods.find((p) => !owned.has(p));
  if (stranger !== undefined) return { kind: 'invalid', message: `--pods: pod "${stranger}" does not belong to ${resourceName(ref)}` };
  const replicas = (spec.replicas ?? 1) - pods.length;
  if (replicas < 0) return { kind: 'invalid', message: `--pods: ${String(pods.length)} pods given but ${resourceName(ref)} has ${String(spec.replicas ?? 1)} replicas` };
  if (ref.kind === 'CloneSet') return { kind: 'cloneset', replicas, podsToDelete: [...(spec.scaleStrategy?.podsToDelete ?? []), ...pods.filter((p) => !(spec.scaleStrategy?.podsToDelete ?? []).includes(p))] };
  const ordinals: number[] = [];
  for (const pod of pods) {
    const suffix = pod.slice(ref.name.length + 1);
    if (!pod.startsWith(`${ref.name}-`) || !/^\d+$/.test(suffix)) return { kind: 'invalid', message: `--pods: "${pod}" is not named ${ref.name}-<ordinal>` };
    ordinals.push(Number(suffix));
  }
  return { kind: 'statefulset', replicas, reserveOrdinals: [...(spec.reserveOrdinals ?? []), ...ordinals] };
}

/**
 * Applies {@link planScaleDown} with a PUT of the workload read just before (as kubectl-kruise's
 * Update), reading again and re-planning on a 409 Conflict (up to 5 tries).
 */
export async function scaleDown(client: KubeClient, ref: WorkloadRef, namespace: string, pods: readonly string[], owned: ReadonlySet<string>): Promise<{ readonly kind: 'scaled'; readonly object: KubeObject } | { readonly kind: 'invalid'; readonly message: string }> {
  for (let attempt = 1; ; attempt++) {
    const workload = (await client.get(ref.type, { namespace, name: ref.name })) as KubeObject & { spec: ScalableSpec & Record<string, unknown> };
    const plan = planScaleDown(ref, workload.spec, pods, owned);
    if (plan.kind === 'invalid') return plan;
    const spec =
      plan.kind === 'cloneset'
        ? { ...workload.spec, replicas: plan.replicas, scaleStrategy: { ...workload.spec.scaleStrategy, podsToDelete: plan.podsToDelete } }
        : { ...workload.spec, replicas: plan.replicas, reserveOrdinals: plan.reserveOrdinals };
    try {
      return { kind: 'scaled', object: await client.replace(ref.type, { ...workload, spec }) };
    } catch (error) {
      if (!(error instanceof ConflictError) || attempt >= 5) throw error;
    }
  }
}
