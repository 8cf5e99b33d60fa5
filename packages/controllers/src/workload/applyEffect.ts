import { changedPodConditions, isRevisionCollision, type ControllerRevision, type OwnedObject, type Pod, type WorkloadEffect } from '@kruise-ts/core';
import {
  AlreadyExistsError,
  ConflictError,
  InvalidError,
  NotFoundError,
  Resources,
  ServerTimeoutError,
  TransportError,
  type Clock,
  type KubeClient,
  type KubeObject,
  type ResourceType,
  type ResourceVersionExpectationsTracker,
  type ScaleExpectationsTracker,
} from '@kruise-ts/k8s-adapter';
import { TerminalError } from '../runtime/terminalError.js';
import { ownedResourceType } from './ownedResourceType.js';
import type { WorkloadTarget } from './workloadTarget.js';

/** What applying effects needs: the client, the clock, and the expectation trackers to feed. */
export interface EffectDeps {
  readonly client: KubeClient;
  readonly clock: Clock;
  /** Creations and deletions of pods and PVCs, by workload key. */
  readonly scaleExpectations: ScaleExpectationsTracker;
  /** Our own writes to pods, by pod uid. */
  readonly resourceVersions: ResourceVersionExpectationsTracker;
}

/**
 * How one effect went:
 * - `applied`: written (or found already as wanted);
 * - `gone`: its target is gone or was replaced (a new uid): nothing to do, the next pass sees it;
 * - `stale`: a precondition taken from the cache no longer holds: look again soon;
 * - `collision`: a ControllerRevision name is taken by other data (bump `collisionCount`);
 * - `failed`: the apiserver refused it or could not be reached.
 */
export type EffectResult =
  | { readonly kind: 'applied' }
  | { readonly kind: 'gone' }
  | { readonly kind: 'stale'; readonly why: string }
  | { readonly kind: 'collision'; readonly revision: string }
  | { readonly kind: 'failed'; readonly error: Error };

const applied: EffectResult = { kind: 'applied' };
const gone: EffectResult = { kind: 'gone' };
const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));
/** The write may or may not have happened: the request timed out or the connection broke. */
const isUncertain = (error: unknown): boolean => error instanceof TransportError || error instanceof ServerTimeoutError;
/** How often a guarded status patch is tried again after a conflict (client-go's DefaultRetry: 5). */
const GUARDED_ATTEMPTS = 5;

type PodObject = Pod & KubeObject;

/**
 * Applies one effect of a pass for `target`, recording expectations as OpenKruise does: a
 * creation or deletion is expected before the request and withdrawn when it fails (unless the
 * request may have gone through: then the object is read back to decide), every pod write's
 * resourceVersion is expected after it. Pod writes are patches carrying the uid they were
 * planned for; a guarded status patch that conflicts is re-planned on the fresh pod and tried
 * again, up to 5 times.
 */
export async function applyEffect(deps: EffectDeps, target: WorkloadTarget, effect: WorkloadEffect, signal: AbortSignal): Promise<EffectResult> {
  try {
    return await apply(deps, target, effect, signal);
  } catch (error) {
    return { kind: 'failed', error: asError(error) };
  }
}

async function apply(deps: EffectDeps, target: WorkloadTarget, effect: WorkloadEffect, signal: AbortSignal): Promise<EffectResult> {
  const { client } = deps;
  switch (effect.kind) {
    case 'create-pod':
      return create(deps, target, Resources.Pod, effect.pod as PodObject, signal);
    case 'create-pvc':
      return createPvc(deps, target, effect.pvc as KubeObject, signal);
    case 'delete-pod':
      return remove(deps, target, Resources.Pod, effect.target, signal);
    case 'delete-pvc':
      return remove(deps, target, Resources.PersistentVolumeClaim, effect.target, signal);
    case 'patch-pod':
      return patchPod(deps, effect.target, { type: 'strategic', body: { ...effect.patch, metadata: { ...effect.patch.metadata, uid: effect.target.uid } } }, undefined, signal);
    case 'resize-pod':
      return patchPod(deps, effect.target, { type: 'strategic', body: { ...effect.resize, metadata: { uid: effect.target.uid } } }, 'resize', signal);
    case 'release-pod': {
      const body = { metadata: { uid: effect.target.uid, ownerReferences: [{ $patch: 'delete', uid: effect.ownerUid }] } };
      return patchPod(deps, effect.target, { type: 'strategic', body }, undefined, signal);
    }
    case 'adopt-pod': {
      const body = { metadata: { uid: effect.target.uid, ownerReferences: [effect.owner] } };
      return patchPod(deps, effect.target, { type: 'strategic', body }, undefined, signal);
    }
    case 'resize-pvc':
      return ignoreGone(() =>
        client.patch(Resources.PersistentVolumeClaim, effect.target, { type: 'merge', body: { metadata: { uid: effect.target.uid, annotations: effect.annotations }, spec: { resources: effect.resources } } }, { signal }),
      );
    case 'set-pvc-owners':
      return preconditioned(() =>
        client.patch(
          Resources.PersistentVolumeClaim,
          effect.target,
          { type: 'merge', body: { metadata: { uid: effect.target.uid, resourceVersion: effect.resourceVersion, ownerReferences: effect.ownerReferences } } },
          { signal },
        ),
      );
    case 'patch-pod-status':
      return patchPodStatus(deps, effect, signal);
    case 'hand-over-pvc':
      return ignoreGone(() =>
        client.patch(Resources.PersistentVolumeClaim, effect.target, { type: 'merge', body: { metadata: { uid: effect.target.uid, ownerReferences: [effect.owner] } } }, { signal }),
      );
    case 'create-revision':
      return createRevision(client, target, effect.revision, signal);
    case 'renumber-revision':
      return preconditioned(() =>
        client.patch(
          Resources.ControllerRevision,
          effect.target,
          { type: 'json', operations: [{ op: 'test', path: '/metadata/uid', value: effect.target.uid }, { op: 'test', path: '/revision', value: effect.from }, { op: 'replace', path: '/revision', value: effect.to }] },
          { signal },
        ),
      );
    case 'delete-revision':
      return ignoreGone(() => client.delete(Resources.ControllerRevision, effect.target, { preconditions: { uid: effect.target.uid }, signal }));
    case 'patch-workload':
      return preconditioned(() => client.patch(target.resource, { name: target.name, namespace: target.namespace }, { type: 'json', operations: [{ op: 'test', path: '/metadata/uid', value: target.uid }, ...effect.operations] }, { signal }));
    case 'create-owned':
      return createOwned(client, effect.object, signal);
    case 'patch-owned':
      return preconditioned(() =>
        client.patch(ownedType(effect.target), effect.target, { type: 'json', operations: [{ op: 'test', path: '/metadata/uid', value: effect.target.uid }, ...effect.operations] }, { signal }),
      );
    case 'delete-owned':
      return ignoreGone(() => client.delete(ownedType(effect.target), effect.target, { preconditions: { uid: effect.target.uid }, propagationPolicy: 'Background', signal }));
  }
}

function ownedType(object: { readonly apiVersion: string; readonly kind: string }): ResourceType {
  const type = ownedResourceType(object.apiVersion, object.kind);
  if (type === undefined) throw new TerminalError(`no resource type for ${object.apiVersion} ${object.kind}`);
  return type;
}

// An owned object's create is not guarded by expectations: a stale cache may plan it twice, and
// the workload's next pass deletes the duplicate (as OpenKruise does for UnitedDeployment subsets).
async function createOwned(client: KubeClient, object: OwnedObject, signal: AbortSignal): Promise<EffectResult> {
  try {
    await client.create(ownedType(object), object as unknown as KubeObject, { signal });
    return applied;
  } catch (error) {
    if (error instanceof AlreadyExistsError) return { kind: 'stale', why: `${object.kind} ${object.metadata.name ?? ''} already exists` };
    throw error;
  }
}

/** NotFound, or a Conflict on a uid precondition (the object was replaced): the target is gone. */
async function ignoreGone(write: () => Promise<unknown>): Promise<EffectResult> {
  try {
    await write();
    return applied;
  } catch (error) {
    if (error instanceof NotFoundError || error instanceof ConflictError) return gone;
    throw error;
  }
}

/** A JSON patch whose `test` failed (422), a conflict or a missing object: the cache was behind. */
async function preconditioned(write: () => Promise<unknown>): Promise<EffectResult> {
  try {
    await write();
    return applied;
  } catch (error) {
    if (error instanceof InvalidError || error instanceof ConflictError || error instanceof NotFoundError) return { kind: 'stale', why: asError(error).message };
    throw error;
  }
}

async function patchPod(deps: EffectDeps, ref: { name: string; namespace?: string; uid: string }, patch: { type: 'strategic'; body: Record<string, unknown> }, subresource: string | undefined, signal: AbortSignal): Promise<EffectResult> {
  try {
    const written = await deps.client.patch(Resources.Pod, ref, patch, { signal, ...(subresource === undefined ? {} : { subresource }) });
    deps.resourceVersions.expect(written);
    return applied;
  } catch (error) {
    if (error instanceof NotFoundError || error instanceof ConflictError) return gone;
    throw error;
  }
}

async function patchPodStatus(deps: EffectDeps, effect: Extract<WorkloadEffect, { kind: 'patch-pod-status' }>, signal: AbortSignal): Promise<EffectResult> {
  const ref = effect.target;
  let conditions = effect.conditions;
  let resourceVersion = effect.guard?.resourceVersion;
  for (let attempt = 1; ; attempt++) {
    // Labels and annotations merged into this write (coalescePodWrites) go with it: the pods/status strategy keeps them.
    const metadata = { ...effect.metadata, uid: ref.uid, ...(resourceVersion === undefined ? {} : { resourceVersion }) };
    try {
      const written = await deps.client.patch(Resources.Pod, ref, { type: 'strategic', body: { metadata, status: { conditions } } }, { subresource: 'status', signal });
      deps.resourceVersions.expect(written);
      return applied;
    } catch (error) {
      if (error instanceof NotFoundError) return gone;
      if (!(error instanceof ConflictError)) throw error;
      if (effect.guard === undefined || attempt >= GUARDED_ATTEMPTS) return effect.guard === undefined ? gone : { kind: 'stale', why: 'pod status kept changing' };
    }
    // Someone else changed the pod: re-read it and re-plan the change on what it is now.
    const fresh = await deps.client.get(Resources.Pod, ref, { signal }).catch((error: unknown) => {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    });
    if (fresh?.metadata.uid !== ref.uid) return gone;
    conditions = changedPodConditions(fresh, effect.changes, deps.clock.now());
    if (conditions.length === 0 && effect.metadata === undefined) return applied;
    resourceVersion = fresh.metadata.resourceVersion;
  }
}

/** Reads an object back after an uncertain write: whether it exists now (and is not terminating). */
async function exists(client: KubeClient, type: typeof Resources.Pod | typeof Resources.PersistentVolumeClaim, key: { name: string; namespace?: string | undefined }, signal: AbortSignal): Promise<KubeObject | undefined> {
  return client.get(type as typeof Resources.Pod, key, { signal }).catch((error: unknown) => {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  });
}

async function create(deps: EffectDeps, target: WorkloadTarget, type: typeof Resources.Pod, object: PodObject, signal: AbortSignal): Promise<EffectResult> {
  const name = object.metadata.name ?? '';
  deps.scaleExpectations.expect(target.key, 'create', [name]);
  try {
    await deps.client.create(type, object, { signal });
    return applied;
  } catch (error) {
    // A create that timed out may have happened: keep expecting it only if it did, so the cache
    // shows it before the next pass plans (never a second pod for the same gap).
    const there = isUncertain(error) ? await exists(deps.client, type, { name, namespace: object.metadata.namespace }, signal).catch(() => undefined) : undefined;
    // It went through (the name is this pass's own random one): a success, as a delete that did.
    if (there !== undefined) return applied;
    deps.scaleExpectations.observe(target.key, 'create', [name]);
    // A fixed name (an Advanced StatefulSet's `<set>-<ordinal>`) already taken: the cache is behind.
    if (error instanceof AlreadyExistsError) return { kind: 'stale', why: `pod ${name} already exists` };
    throw error;
  }
}

async function createPvc(deps: EffectDeps, target: WorkloadTarget, pvc: KubeObject, signal: AbortSignal): Promise<EffectResult> {
  const name = pvc.metadata.name ?? '';
  const key = { name, namespace: pvc.metadata.namespace };
  deps.scaleExpectations.expect(target.key, 'create', [name]);
  try {
    await deps.client.create(Resources.PersistentVolumeClaim, pvc, { signal });
    return applied;
  } catch (error) {
    deps.scaleExpectations.observe(target.key, 'create', [name]);
    if (!(error instanceof AlreadyExistsError)) throw error;
  }
  // The name is taken: reuse the claim only if it is this workload's and not on its way out.
  const existing = await exists(deps.client, Resources.PersistentVolumeClaim, key, signal);
  if (existing === undefined) throw new Error(`PVC ${name} was just deleted; it is created again on a later pass`);
  if (existing.metadata.deletionTimestamp !== undefined) throw new Error(`PVC ${name} is still terminating; the pod waits for it to go`);
  const owner = existing.metadata.ownerReferences?.find((o) => o.controller === true);
  if (owner !== undefined && owner.uid !== target.uid) throw new Error(`PVC ${name} exists and is controlled by ${owner.kind} ${owner.name}`);
  return applied;
}

async function remove(deps: EffectDeps, target: WorkloadTarget, type: typeof Resources.Pod | typeof Resources.PersistentVolumeClaim, ref: { name: string; namespace?: string; uid: string }, signal: AbortSignal): Promise<EffectResult> {
  deps.scaleExpectations.expect(target.key, 'delete', [ref.name]);
  try {
    await deps.client.delete(type as typeof Resources.Pod, ref, { preconditions: { uid: ref.uid }, signal });
    return applied;
  } catch (error) {
    if (error instanceof NotFoundError || error instanceof ConflictError) {
      deps.scaleExpectations.observe(target.key, 'delete', [ref.name]);
      return gone;
    }
    if (isUncertain(error)) {
      // The request may have gone through: gone or terminating now means it did.
      const there = await exists(deps.client, type, ref, signal).catch(() => 'unknown' as const);
      if (there === undefined || (there !== 'unknown' && there.metadata.deletionTimestamp !== undefined)) return applied;
    }
    deps.scaleExpectations.observe(target.key, 'delete', [ref.name]);
    throw error;
  }
}

async function createRevision(client: KubeClient, target: WorkloadTarget, revision: ControllerRevision, signal: AbortSignal): Promise<EffectResult> {
  try {
    await client.create(Resources.ControllerRevision, revision as ControllerRevision & KubeObject, { signal });
    return applied;
  } catch (error) {
    if (!(error instanceof AlreadyExistsError)) throw error;
  }
  const name = revision.metadata.name ?? '';
  const existing = await client.get(Resources.ControllerRevision, { name, namespace: revision.metadata.namespace }, { signal });
  const ours = existing.metadata.ownerReferences?.some((o) => o.uid === target.uid) === true;
  // Same data of the same owner: our cache was behind our own earlier create.
  return ours && !isRevisionCollision(existing, revision) ? applied : { kind: 'collision', revision: name };
}
