import { beforeAll, describe, expect, it } from 'vitest';
import { ApiStatusError, ConflictError, InvalidError } from '../../src/errors.js';
import type { KubeObject } from '../../src/resourceType.js';
import { Resources } from '../../src/resourceType.js';
import { CloneSets, cloneSet, newNamespace, pod, rejection, type ContractTarget } from './contractTarget.js';

const intent = (body: Record<string, unknown>): KubeObject => body as unknown as KubeObject;
type Managed = { manager: string; operation: string; subresource?: string; fieldsV1: Record<string, unknown> }[];
const managers = (object: KubeObject): string[] => ((object.metadata.managedFields ?? []) as Managed).map((m) => `${m.manager}/${m.operation}${m.subresource === undefined ? '' : `/${m.subresource}`}`);

/** JSON merge, JSON patch, strategic merge and server-side apply. */
export function patchContract(target: () => ContractTarget): void {
  describe('patches', () => {
    let ns: string;
    beforeAll(async () => {
      ns = await newNamespace(target().client);
    });

    it('merge patch (RFC 7386): null removes, objects merge, lists replace', async () => {
      const { client } = target();
      await client.create(Resources.ConfigMap, { metadata: { name: 'merge', namespace: ns, labels: { a: '1', b: '2' } }, data: { x: '1' } });
      const patched = await client.patch(Resources.ConfigMap, { name: 'merge', namespace: ns }, { type: 'merge', body: { metadata: { labels: { a: null, c: '3' } }, data: { y: '2' } } });
      expect(patched.metadata.labels).toEqual({ b: '2', c: '3' });
      expect(patched.data).toEqual({ x: '1', y: '2' });
    });

    it('JSON patch (RFC 6902): all operations, a failing test rejects the whole patch', async () => {
      const { client } = target();
      await client.create(Resources.ConfigMap, { metadata: { name: 'json', namespace: ns }, data: { a: 'b' } });
      const patched = await client.patch(Resources.ConfigMap, { name: 'json', namespace: ns }, {
        type: 'json',
        operations: [
          { op: 'test', path: '/data/a', value: 'b' },
          { op: 'add', path: '/data/n', value: 'x' },
          { op: 'copy', from: '/data/n', path: '/data/m' },
          { op: 'move', from: '/data/a', path: '/data/moved' },
          { op: 'replace', path: '/data/n', value: 'y' },
          { op: 'remove', path: '/data/m' },
        ],
      });
      expect(patched.data).toEqual({ n: 'y', moved: 'b' });
      for (const operations of [[{ op: 'test' as const, path: '/data/n', value: 'z' }], [{ op: 'remove' as const, path: '/data/none' }]]) {
        const error = await rejection(client.patch(Resources.ConfigMap, { name: 'json', namespace: ns }, { type: 'json', operations }));
        expect(error).toBeInstanceOf(InvalidError);
        expect(error.status).toMatchObject({ reason: 'Invalid', code: 422, message: 'the server rejected our request due to an error in our request' });
      }
    });

    it('a patch carrying a stale resourceVersion is a Conflict', async () => {
      const { client } = target();
      const created = await client.create(Resources.ConfigMap, { metadata: { name: 'rv', namespace: ns } });
      await client.patch(Resources.ConfigMap, { name: 'rv', namespace: ns }, { type: 'merge', body: { data: { a: '1' } } });
      const error = await rejection(client.patch(Resources.ConfigMap, { name: 'rv', namespace: ns }, { type: 'merge', body: { metadata: { resourceVersion: created.metadata.resourceVersion }, data: { a: '2' } } }));
      expect(error).toBeInstanceOf(ConflictError);
    });

    it('strategic merge: containers by name, conditions by type (new first), finalizers as a set', async () => {
      const { client } = target();
      await client.create(Resources.Pod, pod('smp', ns, { schedulerName: 'none', containers: [{ name: 'a', image: 'nginx:1.25' }, { name: 'b', image: 'busybox:1.36' }] }));
      const images = await client.patch(Resources.Pod, { name: 'smp', namespace: ns }, { type: 'strategic', body: { spec: { containers: [{ name: 'b', image: 'busybox:1.37' }] } } });
      expect(images.spec.containers.map((c) => `${c.name}=${c.image ?? ''}`)).toEqual(['a=nginx:1.25', 'b=busybox:1.37']);
      const key = { name: 'smp', namespace: ns };
      await client.patch(Resources.Pod, key, { type: 'strategic', body: { status: { conditions: [{ type: 'A', status: 'True' }, { type: 'B', status: 'True' }] } } }, { subresource: 'status' });
      const merged = await client.patch(Resources.Pod, key, { type: 'strategic', body: { status: { conditions: [{ type: 'C', status: 'True' }, { type: 'A', status: 'False' }] } } }, { subresource: 'status' });
      expect(merged.status?.conditions?.map((c) => `${c.type}=${c.status}`)).toEqual(['C=True', 'A=False', 'B=True']);
      await client.create(Resources.ConfigMap, { metadata: { name: 'smp', namespace: ns, finalizers: ['a/b'], labels: { x: '1', y: '2' } } });
      const cm = await client.patch(Resources.ConfigMap, key, { type: 'strategic', body: { metadata: { finalizers: ['c/d'], labels: { x: null } } } });
      expect(cm.metadata.finalizers).toEqual(['c/d', 'a/b']);
      expect(cm.metadata.labels).toEqual({ y: '2' });
      const removed = await client.patch(Resources.ConfigMap, key, { type: 'strategic', body: { metadata: { '$deleteFromPrimitiveList/finalizers': ['a/b', 'c/d'] } } });
      expect(removed.metadata.finalizers).toBeUndefined();
    });

    it('strategic merge is refused for custom resources (415)', async () => {
      const { client } = target();
      await client.create(CloneSets, cloneSet('smp', ns));
      const error = await rejection(client.patch(CloneSets, { name: 'smp', namespace: ns }, { type: 'strategic', body: { spec: { replicas: 2 } } }));
      expect(error).toBeInstanceOf(ApiStatusError);
      expect(error.status).toMatchObject({ code: 415, reason: 'UnsupportedMediaType' });
    });

    it('server-side apply creates, records the manager, and merges with other managers', async () => {
      const { client } = target();
      const key = { name: 'ssa', namespace: ns };
      const created = await client.patch(CloneSets, key, { type: 'apply', body: intent({ metadata: { labels: { a: '1' } }, spec: cloneSet('ssa', ns).spec }) }, { fieldManager: 'applier' });
      expect(created.metadata.uid).toBeDefined();
      expect(managers(created)).toEqual(['applier/Apply']);
      expect(((created.metadata.managedFields as Managed)[0]?.fieldsV1['f:spec'] as Record<string, unknown>)['f:replicas']).toEqual({});
      const updated = await client.patch(CloneSets, key, { type: 'merge', body: { metadata: { labels: { b: '2' } } } }, { fieldManager: 'editor' });
      expect(managers(updated)).toEqual(['applier/Apply', 'editor/Update']);
      const reapplied = await client.patch(CloneSets, key, { type: 'apply', body: intent({ metadata: { labels: { a: '1' } }, spec: { ...cloneSet('ssa', ns).spec, minReadySeconds: 3 } }) }, { fieldManager: 'applier' });
      expect(reapplied.metadata.labels).toEqual({ a: '1', b: '2' });
      expect(reapplied.spec.minReadySeconds).toBe(3);
    });

    it('server-side apply reports conflicts with other managers, and force takes the fields over', async () => {
      const { client } = target();
      const key = { name: 'force', namespace: ns };
      await client.patch(CloneSets, key, { type: 'apply', body: intent({ spec: cloneSet('force', ns).spec }) }, { fieldManager: 'applier' });
      await client.patch(CloneSets, key, { type: 'merge', body: { spec: { replicas: 3 } } }, { fieldManager: 'editor' });
      const conflict = await rejection(client.patch(CloneSets, key, { type: 'apply', body: intent({ spec: { ...cloneSet('force', ns).spec, replicas: 5 } }) }, { fieldManager: 'applier' }));
      expect(conflict).toBeInstanceOf(ConflictError);
      expect(conflict.status).toMatchObject({
        code: 409,
        reason: 'Conflict',
        message: 'Apply failed with 1 conflict: conflict with "editor" using apps.kruise.io/v1beta1: .spec.replicas',
        details: { causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "editor" using apps.kruise.io/v1beta1', field: '.spec.replicas' }] },
      });
      const same = await client.patch(CloneSets, key, { type: 'apply', body: intent({ spec: { replicas: 3 } }) }, { fieldManager: 'observer' });
      expect(managers(same)).toContain('observer/Apply');
      const forced = await client.patch(CloneSets, key, { type: 'apply', body: intent({ spec: { ...cloneSet('force', ns).spec, replicas: 5 } }), force: true }, { fieldManager: 'applier' });
      expect(forced.spec.replicas).toBe(5);
      const editor = (forced.metadata.managedFields as Managed).find((m) => m.manager === 'editor');
      expect(editor).toBeUndefined();
    });

    it('server-side apply removes what the manager stops applying, and merges pod containers by name', async () => {
      const { client } = target();
      const key = { name: 'prune', namespace: ns };
      await client.patch(Resources.ConfigMap, key, { type: 'apply', body: intent({ data: { a: '1', b: '2' } }) }, { fieldManager: 'applier' });
      const pruned = await client.patch(Resources.ConfigMap, key, { type: 'apply', body: intent({ data: { a: '1' } }) }, { fieldManager: 'applier' });
      expect(pruned.data).toEqual({ a: '1' });
      const podKey = { name: 'ssa-pod', namespace: ns };
      const containers = [{ name: 'a', image: 'nginx:1.25' }, { name: 'b', image: 'busybox:1.36' }];
      await client.patch(Resources.Pod, podKey, { type: 'apply', body: intent({ spec: { schedulerName: 'none', containers } }) }, { fieldManager: 'applier' });
      const change = intent({ spec: { containers: [{ name: 'b', image: 'busybox:1.37' }] } });
      const conflict = await rejection(client.patch(Resources.Pod, podKey, { type: 'apply', body: change }, { fieldManager: 'other' }));
      expect(conflict.status.message).toBe('Apply failed with 1 conflict: conflict with "applier": .spec.containers[name="b"].image');
      const other = await client.patch(Resources.Pod, podKey, { type: 'apply', body: change, force: true }, { fieldManager: 'other' });
      expect(other.spec.containers.map((c) => `${c.name}=${c.image ?? ''}`)).toEqual(['a=nginx:1.25', 'b=busybox:1.37']);
      const status = await client.patch(CloneSets, { name: 'ssa-status', namespace: ns }, { type: 'apply', body: intent({ spec: cloneSet('x', ns).spec }) }, { fieldManager: 'applier' }).then(() =>
        client.patch(CloneSets, { name: 'ssa-status', namespace: ns }, { type: 'apply', body: intent({ status: { replicas: 2 } }) }, { fieldManager: 'status-writer', subresource: 'status' }),
      );
      expect(status.status).toEqual({ replicas: 2 });
      expect(managers(status)).toEqual(['applier/Apply', 'status-writer/Apply/status']);
    });
  });
}
