import type { OwnerReference } from '../api/objectMeta.js';
import type { Container, PersistentVolumeClaim, Pod, PodCondition, ResourceRequirements } from '../api/pod.js';
import type { PodPatch } from '../inplace/diffPodForPatch.js';
import { applyStringMapPatch } from '../inplace/stringMapPatch.js';
import { formatTime, type EpochMs } from '../shared/podState.js';
import type { ControllerRevision } from '../shared/revision.js';
import { applyJsonPatch } from '../shared/jsonPatch.js';
import type { OwnedObject, WorkloadEffect } from './workloadEffect.js';
import type { WorkloadPassPlan } from './workloadPassPlan.js';
import { withFailureCondition, type WorkloadCondition } from './workloadConditions.js';

/** The objects of a workload, as a pass planner sees them and effects change them. */
export interface SimulatedWorld {
  readonly pods: readonly Pod[];
  readonly pvcs: readonly PersistentVolumeClaim[];
  readonly revisions: readonly ControllerRevision[];
  /** Workload objects the workload owns (a UnitedDeployment's children); absent = none tracked. */
  readonly owned?: readonly OwnedObject[];
}

// A created owned object with only a generateName gets `<generateName><n>` (n = how many exist).
function createOwned(world: SimulatedWorld, object: OwnedObject, now: EpochMs): SimulatedWorld {
  const owned = world.owned ?? [];
  const name = object.metadata.name ?? `${object.metadata.generateName ?? ''}${String(owned.length)}`;
  if (owned.some((o) => o.kind === object.kind && nameOf(o) === name)) return world;
  return { ...world, owned: [...owned, withUid({ ...object, metadata: { ...object.metadata, name } }, now)] };
}

const nameOf = (object: { readonly metadata: { readonly name?: string | undefined } }): string => object.metadata.name ?? '';

function withUid<T extends { readonly metadata: { readonly name?: string | undefined; readonly uid?: string | undefined } }>(object: T, now: EpochMs): T {
  const uid = object.metadata.uid ?? `uid-${nameOf(object)}`;
  return { ...object, metadata: { creationTimestamp: formatTime(now), ...object.metadata, uid } };
}

// `limits` and `requests` are maps: a strategic merge (and `pods/resize`) sets the entries given and keeps the others.
function mergeResources(current: ResourceRequirements | undefined, change: ResourceRequirements): ResourceRequirements {
  const limits = current?.limits === undefined && change.limits === undefined ? {} : { limits: { ...current?.limits, ...change.limits } };
  const requests = current?.requests === undefined && change.requests === undefined ? {} : { requests: { ...current?.requests, ...change.requests } };
  return { ...current, ...change, ...limits, ...requests };
}

function patchContainers(containers: readonly Container[], patch: PodPatch): Container[] {
  return containers.map((container) => {
    const change = patch.spec?.containers.find((c) => c.name === container.name);
    return change === undefined
      ? container
      : { ...container, ...(change.image === undefined ? {} : { image: change.image }), ...(change.resources === undefined ? {} : { resources: mergeResources(container.resources, change.resources) }) };
  });
}

function patchPod(pod: Pod, patch: PodPatch): Pod {
  const finalizers = [...new Set([...(pod.metadata.finalizers ?? []), ...(patch.metadata?.finalizers ?? [])])];
  return {
    ...pod,
    metadata: {
      ...pod.metadata,
      labels: applyStringMapPatch(pod.metadata.labels, patch.metadata?.labels ?? {}),
      annotations: applyStringMapPatch(pod.metadata.annotations, patch.metadata?.annotations ?? {}),
      ...(finalizers.length > 0 ? { finalizers } : {}),
    },
    spec: { ...pod.spec, containers: patchContainers(pod.spec.containers, patch) },
  };
}

function mergeConditions(pod: Pod, conditions: readonly PodCondition[]): Pod {
  const existing = pod.status?.conditions ?? [];
  const merged = [...existing.map((c) => conditions.find((n) => n.type === c.type) ?? c), ...conditions.filter((n) => !existing.some((c) => c.type === n.type))];
  return { ...pod, status: { ...pod.status, conditions: merged } };
}

const replaceByName = <T extends { readonly metadata: { readonly name?: string | undefined } }>(list: readonly T[], name: string, change: (item: T) => T): T[] =>
  list.map((item) => (nameOf(item) === name ? change(item) : item));

function owners(refs: readonly OwnerReference[] | undefined, ownerUid: string): OwnerReference[] {
  return (refs ?? []).filter((o) => o.uid !== ownerUid);
}

function applyOne(world: SimulatedWorld, effect: WorkloadEffect, now: EpochMs): SimulatedWorld {
  switch (effect.kind) {
    case 'create-pod':
      return world.pods.some((p) => nameOf(p) === nameOf(effect.pod)) ? world : { ...world, pods: [...world.pods, withUid(effect.pod, now)] };
    case 'create-pvc':
      return world.pvcs.some((p) => nameOf(p) === nameOf(effect.pvc)) ? world : { ...world, pvcs: [...world.pvcs, withUid(effect.pvc, now)] };
    case 'delete-pod':
      return { ...world, pods: world.pods.filter((p) => nameOf(p) !== effect.target.name) };
    case 'delete-pvc':
      return { ...world, pvcs: world.pvcs.filter((p) => nameOf(p) !== effect.target.name) };
    case 'patch-pod':
      return { ...world, pods: replaceByName(world.pods, effect.target.name, (pod) => patchPod(pod, effect.patch)) };
    case 'patch-pod-status':
      return { ...world, pods: replaceByName(world.pods, effect.target.name, (pod) => mergeConditions(effect.metadata === undefined ? pod : patchPod(pod, { metadata: effect.metadata }), effect.conditions)) };
    case 'resize-pod':
      return {
        ...world,
        pods: replaceByName(world.pods, effect.target.name, (pod) => patchPod(pod, { spec: { containers: effect.resize.spec.containers.map((c) => ({ name: c.name, resources: c.resources })) } })),
      };
    case 'release-pod':
      return { ...world, pods: replaceByName(world.pods, effect.target.name, (pod) => ({ ...pod, metadata: { ...pod.metadata, ownerReferences: owners(pod.metadata.ownerReferences, effect.ownerUid) } })) };
    case 'adopt-pod':
      return { ...world, pods: replaceByName(world.pods, effect.target.name, (pod) => ({ ...pod, metadata: { ...pod.metadata, ownerReferences: [...owners(pod.metadata.ownerReferences, effect.owner.uid), effect.owner] } })) };
    case 'resize-pvc':
      return {
        ...world,
        pvcs: replaceByName(world.pvcs, effect.target.name, (pvc) => ({
          ...pvc,
          metadata: { ...pvc.metadata, annotations: { ...pvc.metadata.annotations, ...effect.annotations } },
          spec: { ...pvc.spec, resources: { ...pvc.spec?.resources, ...effect.resources } },
        })),
      };
    case 'set-pvc-owners':
      return { ...world, pvcs: replaceByName(world.pvcs, effect.target.name, (pvc) => ({ ...pvc, metadata: { ...pvc.metadata, ownerReferences: [...effect.ownerReferences] } })) };
    case 'hand-over-pvc':
      return { ...world, pvcs: replaceByName(world.pvcs, effect.target.name, (pvc) => ({ ...pvc, metadata: { ...pvc.metadata, ownerReferences: [effect.owner] } })) };
    case 'create-revision':
      return world.revisions.some((r) => nameOf(r) === nameOf(effect.revision)) ? world : { ...world, revisions: [...world.revisions, withUid(effect.revision, now)] };
    case 'renumber-revision':
      return { ...world, revisions: replaceByName(world.revisions, effect.target.name, (r) => (r.revision === effect.from ? { ...r, revision: effect.to } : r)) };
    case 'delete-revision':
      return { ...world, revisions: world.revisions.filter((r) => nameOf(r) !== effect.target.name) };
    case 'patch-workload':
      // The workload itself is not part of the world: its spec changes are the caller's.
      return world;
    case 'create-owned':
      return createOwned(world, effect.object, now);
    case 'patch-owned':
      return { ...world, owned: (world.owned ?? []).map((o) => (o.kind === effect.target.kind && nameOf(o) === effect.target.name ? (applyJsonPatch(o, effect.operations) as unknown as OwnedObject) : o)) };
    case 'delete-owned':
      return { ...world, owned: (world.owned ?? []).filter((o) => !(o.kind === effect.target.kind && nameOf(o) === effect.target.name)) };
  }
}

/**
 * Returns the world after `effects`, applied as the apiserver would (every write succeeding):
 * created objects get a uid (`uid-<name>`) and a creation time, deletions are immediate, patches
 * (and `pods/resize` bodies) merge as strategic merge patches do. For offline plans, previews and
 * property tests; no kubelet: pods keep their status until the caller changes it.
 *
 * @example simulateWorkloadEffects({ pods: [], pvcs: [], revisions: [] }, [{ kind: 'create-pod', pod, reason: 'scale-up' }], now).pods.length // 1
 */
export function simulateWorkloadEffects(world: SimulatedWorld, effects: readonly WorkloadEffect[], now: EpochMs): SimulatedWorld {
  return effects.reduce((next, effect) => applyOne(next, effect, now), world);
}

/** Returns the world after every effect of a pass plan (prelude, stage, clean-ups), all succeeding. */
export function simulateWorkloadPass(world: SimulatedWorld, plan: Pick<WorkloadPassPlan<unknown, unknown>, 'prelude' | 'effects' | 'cleanups'>, now: EpochMs): SimulatedWorld {
  return simulateWorkloadEffects(world, [...plan.prelude.flat(), ...plan.effects.flat(), ...plan.cleanups], now);
}

/** What {@link simulateWorkloadWaves} left: the world, and the effect that failed (if one did). */
export interface SimulatedWaves {
  readonly world: SimulatedWorld;
  readonly failed?: WorkloadEffect;
}

/**
 * Returns the world after `waves` applied as the controllers' executor applies them: every effect
 * of a wave settles, then the first one `fails` refuses ends the waves.
 *
 * @example two waves, the first refused by `fails` → the second is not applied; `failed` is the refused effect
 */
export function simulateWorkloadWaves(world: SimulatedWorld, waves: readonly (readonly WorkloadEffect[])[], now: EpochMs, fails: (effect: WorkloadEffect) => boolean = () => false): SimulatedWaves {
  let current = world;
  for (const wave of waves) {
    current = simulateWorkloadEffects(current, wave.filter((e) => !fails(e)), now);
    const failed = wave.find(fails);
    if (failed !== undefined) return { world: current, failed };
  }
  return { world: current };
}

/** What {@link simulateWorkloadPlan} left: the world, the status to store, and the effect that failed. */
export interface SimulatedPlan<Status> extends SimulatedWaves {
  readonly status: Status | undefined;
}

/**
 * Returns a whole pass plan carried out as the controllers' executor does it: the prelude (a
 * failure ends the pass with the status untouched: `status` undefined), the stage waves (the
 * first failing wave ends them), the status (with the failed effect's condition, or the plan's
 * `failureCondition`, set to "<effect kind> refused"), then the clean-ups that `fails` lets through.
 *
 * @example a plan whose create-pod `fails` refuses → status with FailedCreatePod True, `failed` the create
 */
export function simulateWorkloadPlan<Status extends { conditions?: readonly WorkloadCondition[] | undefined }>(
  world: SimulatedWorld,
  plan: WorkloadPassPlan<unknown, Status>,
  now: EpochMs,
  fails: (effect: WorkloadEffect) => boolean = () => false,
): SimulatedPlan<Status> {
  const prelude = simulateWorkloadWaves(world, plan.prelude, now, fails);
  if (prelude.failed !== undefined) return { ...prelude, status: undefined };
  const stage = simulateWorkloadWaves(prelude.world, plan.effects, now, fails);
  const condition = stage.failed === undefined ? undefined : (stage.failed.failureCondition ?? (plan.failureCondition === undefined ? undefined : { type: plan.failureCondition }));
  const status =
    stage.failed !== undefined && condition !== undefined ? withFailureCondition(plan.status, condition.type, `${condition.messagePrefix ?? ''}${stage.failed.kind} refused`, now) : plan.status;
  const after = simulateWorkloadEffects(stage.world, plan.cleanups.filter((e) => !fails(e)), now);
  return stage.failed === undefined ? { world: after, status } : { world: after, status, failed: stage.failed };
}
