import { beforeAll, describe, expect, it } from 'vitest';
import { WatchError } from '../../src/errors.js';
import { Resources } from '../../src/resourceType.js';
import { CloneSets, cloneSet, collectWatch, eventLines, eventually, newNamespace, type ContractTarget } from './contractTarget.js';

/** Watches: from a resourceVersion, without one, selectors, bookmarks, 410 Gone, timeouts. */
export function watchContract(target: () => ContractTarget): void {
  describe('watch', () => {
    let ns: string;
    beforeAll(async () => {
      ns = await newNamespace(target().client);
    });

    it('from a list resourceVersion: every change after it, in order', async () => {
      const t = target();
      const { client } = t;
      const start = await client.list(CloneSets, { namespace: ns });
      const watch = collectWatch(client, CloneSets, { namespace: ns, resourceVersion: start.resourceVersion });
      await client.create(CloneSets, cloneSet('w1', ns));
      await client.patch(CloneSets, { name: 'w1', namespace: ns }, { type: 'merge', body: { spec: { replicas: 2 } } });
      await client.patch(CloneSets, { name: 'w1', namespace: ns }, { type: 'merge', body: { status: { replicas: 2 } } }, { subresource: 'status' });
      await client.delete(CloneSets, { name: 'w1', namespace: ns });
      await eventually(t, () => {
        expect(eventLines(watch.events)).toEqual(['ADDED w1', 'MODIFIED w1', 'MODIFIED w1', 'DELETED w1']);
      });
      await watch.stop();
      const objects = watch.events.flatMap((e) => (e.type === 'BOOKMARK' ? [] : [e.object]));
      const versions = objects.map((o) => Number(o.metadata.resourceVersion));
      expect([...versions].sort((a, b) => a - b)).toEqual(versions);
      expect(Number(objects[0]?.metadata.resourceVersion)).toBeGreaterThan(Number(start.resourceVersion));
      expect(objects[2]?.status).toEqual({ replicas: 2 });
      expect(objects.every((o) => o.kind === 'CloneSet' && o.apiVersion === 'apps.kruise.io/v1beta1')).toBe(true);
      const replay = collectWatch(client, CloneSets, { namespace: ns, resourceVersion: start.resourceVersion });
      await eventually(t, () => {
        expect(eventLines(replay.events)).toEqual(['ADDED w1', 'MODIFIED w1', 'MODIFIED w1', 'DELETED w1']);
      });
      await replay.stop();
    });

    it('without a resourceVersion: ADDED for what exists, then a BOOKMARK (unless bookmarks are off)', async () => {
      const t = target();
      const { client } = t;
      const own = await newNamespace(client);
      const b = await client.create(Resources.ConfigMap, { metadata: { name: 'b', namespace: own } });
      const a = await client.create(Resources.ConfigMap, { metadata: { name: 'a', namespace: own } });
      const watch = collectWatch(client, Resources.ConfigMap, { namespace: own });
      await eventually(t, () => {
        expect(watch.events.some((e) => e.type === 'BOOKMARK')).toBe(true);
      });
      await watch.stop();
      expect(eventLines(watch.events).sort()).toEqual(['ADDED a', 'ADDED b']);
      const bookmark = watch.events.find((e) => e.type === 'BOOKMARK');
      expect(Number(bookmark?.type === 'BOOKMARK' ? bookmark.resourceVersion : 0)).toBeGreaterThanOrEqual(Math.max(Number(a.metadata.resourceVersion), Number(b.metadata.resourceVersion)));
      const quiet = collectWatch(client, Resources.ConfigMap, { namespace: own, allowWatchBookmarks: false });
      await eventually(t, () => {
        expect(eventLines(quiet.events)).toHaveLength(2);
      });
      await t.settle();
      await quiet.stop();
      expect(quiet.events.filter((e) => e.type === 'BOOKMARK')).toEqual([]);
    });

    it('with a label selector: leaving it is DELETED (last selected state), entering it is ADDED', async () => {
      const t = target();
      const { client } = t;
      const start = await client.list(Resources.ConfigMap, { namespace: ns });
      const watch = collectWatch(client, Resources.ConfigMap, { namespace: ns, labelSelector: 'app=a', resourceVersion: start.resourceVersion });
      await client.create(Resources.ConfigMap, { metadata: { name: 'sel', namespace: ns, labels: { app: 'a' } } });
      await client.create(Resources.ConfigMap, { metadata: { name: 'other', namespace: ns, labels: { app: 'b' } } });
      const left = await client.patch(Resources.ConfigMap, { name: 'sel', namespace: ns }, { type: 'merge', body: { metadata: { labels: { app: 'b' } } } });
      await client.patch(Resources.ConfigMap, { name: 'sel', namespace: ns }, { type: 'merge', body: { data: { x: '1' } } });
      await client.patch(Resources.ConfigMap, { name: 'sel', namespace: ns }, { type: 'merge', body: { metadata: { labels: { app: 'a' } } } });
      await eventually(t, () => {
        expect(eventLines(watch.events)).toEqual(['ADDED sel', 'DELETED sel', 'ADDED sel']);
      });
      await watch.stop();
      const deleted = watch.events.filter((e) => e.type === 'DELETED')[0];
      expect(deleted?.type === 'DELETED' && deleted.object.metadata.labels).toEqual({ app: 'a' });
      expect(deleted?.type === 'DELETED' && deleted.object.metadata.resourceVersion).toBe(left.metadata.resourceVersion);
    });

    it('with a field selector on metadata.name', async () => {
      const t = target();
      const { client } = t;
      const start = await client.list(Resources.ConfigMap, { namespace: ns });
      const watch = collectWatch(client, Resources.ConfigMap, { namespace: ns, fieldSelector: 'metadata.name=picked', resourceVersion: start.resourceVersion });
      await client.create(Resources.ConfigMap, { metadata: { name: 'skipped', namespace: ns } });
      await client.create(Resources.ConfigMap, { metadata: { name: 'picked', namespace: ns } });
      await eventually(t, () => {
        expect(eventLines(watch.events)).toEqual(['ADDED picked']);
      });
      await watch.stop();
    });

    it('from a resourceVersion older than the kind is served: 410 Gone (Expired) as a WatchError', async () => {
      const t = target();
      const watch = collectWatch(t.client, CloneSets, { resourceVersion: '1' });
      await eventually(t, () => {
        expect(watch.ended).toBe(true);
      });
      expect(watch.error).toBeInstanceOf(WatchError);
      const error = watch.error as WatchError;
      expect(error.isGone).toBe(true);
      expect(error.status).toMatchObject({ code: 410, reason: 'Expired', message: expect.stringMatching(/^too old resource version: 1 \([0-9]+\)$/) as unknown });
    });

    it('ends normally after timeoutSeconds', async () => {
      const t = target();
      const start = await t.client.list(Resources.ConfigMap, { namespace: ns });
      const watch = collectWatch(t.client, Resources.ConfigMap, { namespace: ns, resourceVersion: start.resourceVersion, timeoutSeconds: 2 });
      await eventually(t, () => {
        expect(watch.ended).toBe(true);
      });
      expect(watch.error).toBeUndefined();
    });

    it('a bad selector fails the watch with BadRequest', async () => {
      const t = target();
      const watch = collectWatch(t.client, Resources.ConfigMap, { namespace: ns, labelSelector: 'a b c' });
      await eventually(t, () => {
        expect(watch.ended).toBe(true);
      });
      expect(watch.error).toMatchObject({ _tag: 'BadRequest', code: 400 });
    });
  });
}
