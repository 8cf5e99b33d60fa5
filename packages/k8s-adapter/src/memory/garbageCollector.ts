import { NotFoundError } from '../errors.js';
import type { KubeClient } from '../ports.js';
import type { ResourceType } from '../resourceType.js';
import type { BackgroundWork } from './backgroundWork.js';
import { finalizersOf } from './deletion.js';
import { isJsonObject, type JsonObject, text } from './jsonValue.js';
import type { StoredEvent } from './memoryStore.js';
import { resourceKey } from './resourceRegistry.js';
import { metaOf, type ClusterCore } from './writePipeline.js';

interface OwnerRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly uid: string;
  readonly blockOwnerDeletion?: boolean;
}

interface Located {
  readonly type: ResourceType;
  readonly object: JsonObject;
}

const ownersOf = (object: JsonObject): OwnerRef[] => {
  const refs = metaOf(object).ownerReferences;
  return Array.isArray(refs) ? (refs.filter(isJsonObject) as unknown as OwnerRef[]) : [];
};

/**
 * Returns the stop function of the memory cluster's garbage collector, which it starts (what
 * kube-controller-manager's does):
 * dependents whose owners are all gone are deleted (background propagation); dependents of an
 * owner deleted in the foreground are deleted, and the owner's `foregroundDeletion` finalizer is
 * removed once no dependent blocks it; an owner deleted with `orphan` has its references removed
 * from the dependents, then its finalizer.
 */
export function startGarbageCollector(core: ClusterCore, client: KubeClient, work: BackgroundWork): () => void {
  const keyOf = (type: ResourceType, object: JsonObject): { name: string; namespace?: string } => {
    const meta = metaOf(object);
    return { name: text(meta.name), ...(type.namespaced ? { namespace: text(meta.namespace) } : {}) };
  };
  const ignoreMissing = (error: unknown): void => {
    if (!(error instanceof NotFoundError)) throw error;
  };

  function allObjects(): Located[] {
    return core.registry.all().flatMap((b) => core.store.list(resourceKey(b.type)).map((object) => ({ type: b.type, object })));
  }
  function dependentsOf(uid: string): Located[] {
    return allObjects().filter((d) => ownersOf(d.object).some((r) => r.uid === uid));
  }
  function lookupOwner(dependent: Located, ref: OwnerRef): 'solid' | 'dangling' | 'waiting' | 'unknown' {
    const behaviour = core.registry.findKind(ref.apiVersion, ref.kind);
    if (behaviour === undefined) return 'unknown';
    const namespace = behaviour.type.namespaced ? text(metaOf(dependent.object).namespace) : undefined;
    const owner = core.store.get(resourceKey(behaviour.type), namespace, ref.name);
    if (owner === undefined || metaOf(owner).uid !== ref.uid) return 'dangling';
    return metaOf(owner).deletionTimestamp !== undefined && finalizersOf(owner).includes('foregroundDeletion') ? 'waiting' : 'solid';
  }

  async function processDependent(dependent: Located): Promise<void> {
    const meta = metaOf(dependent.object);
    if (meta.deletionTimestamp !== undefined) return;
    const refs = ownersOf(dependent.object);
    const states = refs.map((r) => lookupOwner(dependent, r));
    if (!states.includes('dangling') && !states.includes('waiting')) return;
    if (states.includes('solid') || states.includes('unknown')) {
      const kept = refs.filter((_, i) => states[i] === 'solid' || states[i] === 'unknown');
      if (kept.length === refs.length) return;
      await client.patch(dependent.type, keyOf(dependent.type, dependent.object), { type: 'merge', body: { metadata: { ownerReferences: kept } } }, { fieldManager: 'generic-garbage-collector' }).catch(ignoreMissing);
      return;
    }
    const hasDependents = dependentsOf(text(meta.uid)).length > 0;
    const finalizers = finalizersOf(dependent.object);
    const policy = states.includes('waiting') && hasDependents ? 'Foreground' : finalizers.includes('orphan') ? 'Orphan' : finalizers.includes('foregroundDeletion') ? 'Foreground' : 'Background';
    await client.delete(dependent.type, keyOf(dependent.type, dependent.object), { propagationPolicy: policy, preconditions: { uid: text(meta.uid) } }).catch(ignoreMissing);
  }

  async function removeFinalizer(owner: Located, finalizer: string): Promise<void> {
    const finalizers = finalizersOf(owner.object).filter((f) => f !== finalizer);
    await client.patch(owner.type, keyOf(owner.type, owner.object), { type: 'merge', body: { metadata: { finalizers: finalizers.length === 0 ? null : finalizers } } }, { fieldManager: 'generic-garbage-collector' }).catch(ignoreMissing);
  }

  async function processOwner(owner: Located): Promise<void> {
    const uid = text(metaOf(owner.object).uid);
    const finalizers = finalizersOf(owner.object);
    if (metaOf(owner.object).deletionTimestamp === undefined) return;
    if (finalizers.includes('orphan')) {
      for (const d of dependentsOf(uid)) {
        const kept = ownersOf(d.object).filter((r) => r.uid !== uid);
        await client.patch(d.type, keyOf(d.type, d.object), { type: 'merge', body: { metadata: { ownerReferences: kept.length === 0 ? null : kept } } }, { fieldManager: 'generic-garbage-collector' }).catch(ignoreMissing);
      }
      await removeFinalizer(owner, 'orphan');
    } else if (finalizers.includes('foregroundDeletion')) {
      const dependents = dependentsOf(uid);
      for (const d of dependents) await processDependent(d);
      const blocking = dependentsOf(uid).filter((d) => ownersOf(d.object).some((r) => r.uid === uid && r.blockOwnerDeletion === true));
      if (blocking.length === 0) await removeFinalizer(owner, 'foregroundDeletion');
    }
  }

  const locate = (event: StoredEvent): Located | undefined => {
    const behaviour = core.registry.all().find((b) => resourceKey(b.type) === event.resource);
    return behaviour === undefined ? undefined : { type: behaviour.type, object: event.object };
  };
  const fresh = (located: Located): Located | undefined => {
    const meta = metaOf(located.object);
    const object = core.store.get(resourceKey(located.type), located.type.namespaced ? text(meta.namespace) : undefined, text(meta.name));
    return object === undefined || metaOf(object).uid !== meta.uid ? undefined : { type: located.type, object };
  };
  const onEvent = (event: StoredEvent): void => {
    const located = locate(event);
    if (located === undefined) return;
    const uid = text(metaOf(event.object).uid);
    if (event.type === 'DELETED') {
      work.enqueue(`gc/dependents/${uid}`, async () => {
        for (const d of dependentsOf(uid)) await processDependent(d);
      });
      for (const ref of ownersOf(event.object)) {
        const owner = allObjects().find((o) => metaOf(o.object).uid === ref.uid);
        if (owner !== undefined) work.enqueue(`gc/owner/${ref.uid}`, () => processOwnerNow(owner));
      }
      return;
    }
    if (ownersOf(event.object).length > 0) work.enqueue(`gc/dependent/${uid}`, () => processDependentNow(located));
    const finalizers = finalizersOf(event.object);
    if (finalizers.includes('orphan') || finalizers.includes('foregroundDeletion')) work.enqueue(`gc/owner/${uid}`, () => processOwnerNow(located));
  };
  const processDependentNow = async (located: Located): Promise<void> => {
    const current = fresh(located);
    if (current !== undefined) await processDependent(current);
  };
  const processOwnerNow = async (located: Located): Promise<void> => {
    const current = fresh(located);
    if (current !== undefined) await processOwner(current);
  };
  return core.store.subscribe(onEvent);
}
