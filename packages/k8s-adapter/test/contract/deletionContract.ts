import { beforeAll, describe, expect, it } from 'vitest';
import { ConflictError, ForbiddenError, InvalidError, NotFoundError } from '../../src/errors.js';
import { Resources } from '../../src/resourceType.js';
import { CloneSets, TIMESTAMP, cloneSet, collectWatch, eventLines, eventually, newNamespace, pod, rejection, runningPod, type ContractTarget } from './contractTarget.js';

/** Deletion: preconditions, finalizers, graceful pod deletion, garbage collection, namespaces. */
export function deletionContract(target: () => ContractTarget): void {
  describe('deletion', () => {
    let ns: string;
    beforeAll(async () => {
      ns = await newNamespace(target().client);
    });
    const gone = async (promise: Promise<unknown>): Promise<void> => {
      await expect(promise).rejects.toBeInstanceOf(NotFoundError);
    };

    it('checks uid and resourceVersion preconditions', async () => {
      const { client } = target();
      const created = await client.create(CloneSets, cloneSet('pre', ns));
      const uid = await rejection(client.delete(CloneSets, { name: 'pre', namespace: ns }, { preconditions: { uid: 'abc' } }));
      expect(uid).toBeInstanceOf(ConflictError);
      expect(uid.status.details).toEqual({ name: 'pre', group: 'apps.kruise.io', kind: 'CloneSet' });
      expect(uid.status.message).toBe(`Operation cannot be fulfilled on CloneSet.apps.kruise.io "pre": the UID in the precondition (abc) does not match the UID in record (${created.metadata.uid ?? ''}). The object might have been deleted and then recreated`);
      const rv = await rejection(client.delete(CloneSets, { name: 'pre', namespace: ns }, { preconditions: { resourceVersion: '1' } }));
      expect(rv.status.message).toBe(`Operation cannot be fulfilled on CloneSet.apps.kruise.io "pre": the ResourceVersion in the precondition (1) does not match the ResourceVersion in record (${created.metadata.resourceVersion ?? ''}). The object might have been modified`);
      await client.delete(CloneSets, { name: 'pre', namespace: ns }, { preconditions: { uid: created.metadata.uid ?? '' } });
      await gone(client.get(CloneSets, { name: 'pre', namespace: ns }));
      await gone(client.delete(CloneSets, { name: 'pre', namespace: ns }));
    });

    it('keeps an object with finalizers, deletionTimestamp set, until the last one is removed', async () => {
      const t = target();
      const { client } = t;
      const start = await client.list(CloneSets, { namespace: ns });
      const watch = collectWatch(client, CloneSets, { namespace: ns, resourceVersion: start.resourceVersion });
      await client.create(CloneSets, cloneSet('fin', ns, { finalizers: ['example.com/keep'] }));
      await client.delete(CloneSets, { name: 'fin', namespace: ns });
      const deleting = await client.get(CloneSets, { name: 'fin', namespace: ns });
      expect(deleting.metadata).toMatchObject({ deletionGracePeriodSeconds: 0, generation: 2, finalizers: ['example.com/keep'] });
      expect(deleting.metadata.deletionTimestamp).toMatch(TIMESTAMP);
      await client.delete(CloneSets, { name: 'fin', namespace: ns });
      const added = await rejection(client.patch(CloneSets, { name: 'fin', namespace: ns }, { type: 'json', operations: [{ op: 'add', path: '/metadata/finalizers/-', value: 'example.com/other' }] }));
      expect(added).toBeInstanceOf(InvalidError);
      expect(added.status.message).toContain('metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"example.com/other"}');
      const last = await client.patch(CloneSets, { name: 'fin', namespace: ns }, { type: 'merge', body: { metadata: { finalizers: null } } });
      expect(last.metadata.finalizers).toBeUndefined();
      expect(last.metadata.resourceVersion).toBe(deleting.metadata.resourceVersion);
      await gone(client.get(CloneSets, { name: 'fin', namespace: ns }));
      await eventually(t, () => {
        expect(eventLines(watch.events)).toEqual(['ADDED fin', 'MODIFIED fin', 'DELETED fin']);
      });
      await watch.stop();
      const deleted = watch.events.at(-1);
      expect(deleted?.type === 'DELETED' && deleted.object.metadata.finalizers).toEqual(['example.com/keep']);
    });

    it('deletes a running pod gracefully: the kubelet deletes it, its finalizers hold it', async () => {
      const t = target();
      const { client } = t;
      await client.create(Resources.Pod, pod('grace', ns, { nodeName: t.nodeName }, { finalizers: ['example.com/hold'] }));
      const start = await runningPod(t, ns, 'grace');
      const watch = collectWatch(client, Resources.Pod, { namespace: ns, fieldSelector: 'metadata.name=grace', resourceVersion: start.metadata.resourceVersion });
      await client.delete(Resources.Pod, { name: 'grace', namespace: ns });
      const held = await eventually(t, async () => {
        const current = await client.get(Resources.Pod, { name: 'grace', namespace: ns });
        expect(current.metadata.deletionGracePeriodSeconds).toBe(0);
        return current;
      });
      expect(held.metadata.generation).toBe(2);
      await client.patch(Resources.Pod, { name: 'grace', namespace: ns }, { type: 'merge', body: { metadata: { finalizers: null } } });
      await eventually(t, () => {
        expect(eventLines(watch.events)).toEqual(['MODIFIED grace', 'MODIFIED grace', 'DELETED grace']);
      });
      await watch.stop();
      const [graceful] = watch.events;
      expect(graceful?.type === 'MODIFIED' && graceful.object.metadata.deletionGracePeriodSeconds).toBe(30);
    });

    it('deletes an unscheduled pod at once', async () => {
      const { client } = target();
      await client.create(Resources.Pod, pod('unscheduled', ns, { schedulerName: 'nobody' }));
      await client.delete(Resources.Pod, { name: 'unscheduled', namespace: ns });
      await gone(client.get(Resources.Pod, { name: 'unscheduled', namespace: ns }));
    });

    const owned = (owner: { metadata: { name?: string | undefined; uid?: string | undefined } }, block = true) => ({
      ownerReferences: [{ apiVersion: 'apps.kruise.io/v1beta1', kind: 'CloneSet', name: owner.metadata.name ?? '', uid: owner.metadata.uid ?? '', controller: true, blockOwnerDeletion: block }],
    });

    it('garbage-collects dependents of a deleted owner (background) and of an owner that never existed', async () => {
      const t = target();
      const { client } = t;
      const owner = await client.create(CloneSets, cloneSet('bg', ns));
      await client.create(Resources.ConfigMap, { metadata: { name: 'bg-dep', namespace: ns, ...owned(owner) } });
      await client.create(Resources.ConfigMap, { metadata: { name: 'orphaned-at-birth', namespace: ns, ...owned({ metadata: { name: 'ghost', uid: '6d2c1e8a-0000-4000-8000-000000000000' } }) } });
      await client.delete(CloneSets, { name: 'bg', namespace: ns }, { propagationPolicy: 'Background' });
      await gone(client.get(CloneSets, { name: 'bg', namespace: ns }));
      await eventually(t, async () => {
        await gone(client.get(Resources.ConfigMap, { name: 'bg-dep', namespace: ns }));
        await gone(client.get(Resources.ConfigMap, { name: 'orphaned-at-birth', namespace: ns }));
      });
    });

    it('foreground deletion keeps the owner until blocking dependents are gone', async () => {
      const t = target();
      const { client } = t;
      const owner = await client.create(CloneSets, cloneSet('fg', ns));
      await client.create(Resources.ConfigMap, { metadata: { name: 'fg-dep', namespace: ns, finalizers: ['example.com/hold'], ...owned(owner) } });
      await client.delete(CloneSets, { name: 'fg', namespace: ns }, { propagationPolicy: 'Foreground' });
      const deleting = await client.get(CloneSets, { name: 'fg', namespace: ns });
      expect(deleting.metadata.finalizers).toEqual(['foregroundDeletion']);
      await eventually(t, async () => {
        expect((await client.get(Resources.ConfigMap, { name: 'fg-dep', namespace: ns })).metadata.deletionTimestamp).toMatch(TIMESTAMP);
      });
      await t.settle();
      expect((await client.get(CloneSets, { name: 'fg', namespace: ns })).metadata.finalizers).toEqual(['foregroundDeletion']);
      await client.patch(Resources.ConfigMap, { name: 'fg-dep', namespace: ns }, { type: 'merge', body: { metadata: { finalizers: null } } });
      await eventually(t, async () => {
        await gone(client.get(CloneSets, { name: 'fg', namespace: ns }));
      });
    });

    it('orphan deletion removes the owner and leaves dependents without the reference', async () => {
      const t = target();
      const { client } = t;
      const owner = await client.create(CloneSets, cloneSet('or', ns));
      await client.create(Resources.ConfigMap, { metadata: { name: 'or-dep', namespace: ns, ...owned(owner) } });
      await client.delete(CloneSets, { name: 'or', namespace: ns }, { propagationPolicy: 'Orphan' });
      // The garbage collector may finish before this read: then the owner is already gone.
      const orphaning = await client.get(CloneSets, { name: 'or', namespace: ns }).catch((error: unknown) => {
        if (error instanceof NotFoundError) return undefined;
        throw error;
      });
      if (orphaning !== undefined) expect(orphaning.metadata.finalizers).toEqual(['orphan']);
      await eventually(t, async () => {
        await gone(client.get(CloneSets, { name: 'or', namespace: ns }));
      });
      const dependent = await client.get(Resources.ConfigMap, { name: 'or-dep', namespace: ns });
      expect(dependent.metadata.ownerReferences).toBeUndefined();
    });

    it('deleting a namespace deletes its objects, refuses new ones, then removes it', async () => {
      const t = target();
      const { client } = t;
      const doomed = await newNamespace(client);
      await client.create(Resources.ConfigMap, { metadata: { name: 'cm', namespace: doomed } });
      await client.create(CloneSets, cloneSet('cs', doomed));
      await client.delete(Resources.Namespace, { name: doomed });
      const terminating = await client.get(Resources.Namespace, { name: doomed });
      expect(terminating.status?.phase).toBe('Terminating');
      expect(terminating.metadata.deletionTimestamp).toMatch(TIMESTAMP);
      const refused = await rejection(client.create(Resources.ConfigMap, { metadata: { name: 'late', namespace: doomed } }));
      expect(refused).toBeInstanceOf(ForbiddenError);
      expect(refused.status).toMatchObject({
        message: `configmaps "late" is forbidden: unable to create new content in namespace ${doomed} because it is being terminated`,
        details: { causes: [{ reason: 'NamespaceTerminating', message: `namespace ${doomed} is being terminated`, field: 'metadata.namespace' }] },
      });
      await eventually(t, async () => {
        await gone(client.get(Resources.Namespace, { name: doomed }));
      }, 60_000);
      expect((await client.list(CloneSets, { namespace: doomed })).items).toEqual([]);
      const system = await rejection(client.delete(Resources.Namespace, { name: 'kube-system' }));
      expect(system.status).toMatchObject({ code: 403, reason: 'Forbidden', message: 'namespaces "kube-system" is forbidden: this namespace may not be deleted' });
    });
  });
}
