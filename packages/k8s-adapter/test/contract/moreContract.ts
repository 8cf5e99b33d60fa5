import { beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError } from '../../src/errors.js';
import { Resources } from '../../src/resourceType.js';
import { CloneSets, cloneSet, collectWatch, eventLines, eventually, newNamespace, pod, runningPod, type ContractTarget } from './contractTarget.js';

/** Less common paths: forced deletion, several owners, watch details, host network, dry runs, raw requests. */
export function moreContract(target: () => ContractTarget): void {
  describe('more', () => {
    let ns: string;
    beforeAll(async () => {
      ns = await newNamespace(target().client);
    });

    it('deletes a running pod at once with gracePeriodSeconds 0', async () => {
      const t = target();
      const { client } = t;
      await client.create(Resources.Pod, pod('now', ns, { nodeName: t.nodeName }));
      const start = await runningPod(t, ns, 'now');
      const watch = collectWatch(client, Resources.Pod, { namespace: ns, fieldSelector: 'metadata.name=now', resourceVersion: start.metadata.resourceVersion });
      await client.delete(Resources.Pod, { name: 'now', namespace: ns }, { gracePeriodSeconds: 0 });
      await expect(client.get(Resources.Pod, { name: 'now', namespace: ns })).rejects.toBeInstanceOf(NotFoundError);
      await eventually(t, () => {
        expect(eventLines(watch.events)).toEqual(['MODIFIED now', 'DELETED now']);
      });
      await watch.stop();
    });

    it('keeps a dependent whose other owner lives, dropping the reference to the gone one', async () => {
      const t = target();
      const { client } = t;
      const a = await client.create(CloneSets, cloneSet('owner-a', ns));
      const b = await client.create(CloneSets, cloneSet('owner-b', ns));
      const ref = (o: typeof a) => ({ apiVersion: 'apps.kruise.io/v1beta1', kind: 'CloneSet', name: o.metadata.name ?? '', uid: o.metadata.uid ?? '' });
      await client.create(Resources.ConfigMap, { metadata: { name: 'shared', namespace: ns, ownerReferences: [ref(a), ref(b)] } });
      await client.delete(CloneSets, { name: 'owner-a', namespace: ns });
      await eventually(t, async () => {
        const shared = await client.get(Resources.ConfigMap, { name: 'shared', namespace: ns });
        expect(shared.metadata.ownerReferences?.map((r) => r.name)).toEqual(['owner-b']);
      });
    });

    it('watch from resourceVersion "0" starts like a watch without one; watches see only their namespace', async () => {
      const t = target();
      const { client } = t;
      const other = await newNamespace(client);
      await client.create(Resources.ConfigMap, { metadata: { name: 'here', namespace: other } });
      const watch = collectWatch(client, Resources.ConfigMap, { namespace: other, resourceVersion: '0' });
      await eventually(t, () => {
        expect(eventLines(watch.events)).toEqual(['ADDED here']);
      });
      await client.create(Resources.ConfigMap, { metadata: { name: 'elsewhere', namespace: ns } });
      await client.create(Resources.ConfigMap, { metadata: { name: 'there', namespace: other } });
      await eventually(t, () => {
        expect(eventLines(watch.events)).toEqual(['ADDED here', 'ADDED there']);
      });
      await watch.stop();
    });

    it('a host-network pod gets the node IP as pod IP', async () => {
      const t = target();
      const { client } = t;
      await client.create(Resources.Pod, pod('host', ns, { nodeName: t.nodeName, hostNetwork: true }));
      const host = await runningPod(t, ns, 'host');
      expect(host.status?.podIP).toBe(host.status?.hostIP);
    });

    it('a dry-run patch answers the result without storing it', async () => {
      const { client } = target();
      const created = await client.create(Resources.ConfigMap, { metadata: { name: 'dry', namespace: ns }, data: { a: '1' } });
      const dry = await client.patch(Resources.ConfigMap, { name: 'dry', namespace: ns }, { type: 'merge', body: { data: { a: '2' } } }, { dryRun: true });
      expect(dry.data).toEqual({ a: '2' });
      expect(await client.get(Resources.ConfigMap, { name: 'dry', namespace: ns })).toEqual(created);
    });

    it('strategic merge deletes list items, replaces lists, and merges owner references by uid', async () => {
      const { client } = target();
      const key = { name: 'smp-more', namespace: ns };
      await client.create(Resources.Pod, pod('smp-more', ns, { schedulerName: 'none' }));
      const conditions = [{ type: 'A', status: 'True' }, { type: 'B', status: 'True' }, { type: 'C', status: 'True' }];
      await client.patch(Resources.Pod, key, { type: 'strategic', body: { status: { conditions } } }, { subresource: 'status' });
      const deleted = await client.patch(Resources.Pod, key, { type: 'strategic', body: { status: { conditions: [{ type: 'B', $patch: 'delete' }] } } }, { subresource: 'status' });
      expect(deleted.status?.conditions?.map((c) => c.type)).toEqual(['A', 'C']);
      const replaced = await client.patch(Resources.Pod, key, { type: 'strategic', body: { status: { conditions: [{ type: 'D', status: 'False' }, { $patch: 'replace' }] } } }, { subresource: 'status' });
      expect(replaced.status?.conditions?.map((c) => c.type)).toEqual(['D']);
      // Owners that exist, so the real cluster's garbage collector leaves the dependent alone.
      const owner = async (name: string) => {
        const created = await client.create(Resources.ConfigMap, { metadata: { name, namespace: ns } });
        return { apiVersion: 'v1', kind: 'ConfigMap', name, uid: created.metadata.uid ?? '' };
      };
      const [x, y] = [await owner('x'), await owner('y')];
      await client.create(Resources.ConfigMap, { metadata: { name: 'refs', namespace: ns, ownerReferences: [x] } });
      const merged = await client.patch(Resources.ConfigMap, { name: 'refs', namespace: ns }, { type: 'strategic', body: { metadata: { ownerReferences: [y] } } });
      expect(merged.metadata.ownerReferences?.map((r) => r.name)).toEqual(['y', 'x']);
    });

    it('serves raw requests on REST paths as the typed calls do', async () => {
      const { client } = target();
      const created = await client.create(Resources.ConfigMap, { metadata: { name: 'raw', namespace: ns, labels: { raw: 'yes' } } });
      expect(await client.request('GET', `/api/v1/namespaces/${ns}/configmaps/raw`)).toEqual(created);
      const list = (await client.request('GET', `/api/v1/namespaces/${ns}/configmaps?labelSelector=raw%3Dyes`)) as { kind: string; apiVersion: string; metadata: { resourceVersion: string }; items: unknown[] };
      expect(list).toMatchObject({ kind: 'ConfigMapList', apiVersion: 'v1', metadata: { resourceVersion: expect.stringMatching(/^[0-9]+$/) as unknown } });
      expect(list.items).toHaveLength(1);
      const patched = (await client.request('PATCH', `/api/v1/namespaces/${ns}/configmaps/raw`, { body: { data: { a: 'b' } }, contentType: 'application/merge-patch+json' })) as { data: unknown };
      expect(patched.data).toEqual({ a: 'b' });
    });
  });
}
