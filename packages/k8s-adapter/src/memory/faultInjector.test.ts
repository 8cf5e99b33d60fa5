import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { evictPod } from '../client/evictPod.js';
import { ApiStatusError, ConflictError, TooManyRequestsError, TransportError } from '../errors.js';
import type { WatchEvent } from '../ports.js';
import { Resources, type KubeObject } from '../resourceType.js';
import type { WriteFaultError } from './faultRules.js';
import { createMemoryCluster, type MemoryCluster } from './memoryCluster.js';

const ns = 'default';
const configMap = (name: string, data: Record<string, string> = {}) => ({ metadata: { name, namespace: ns }, data });
const pod = (name: string) => ({ metadata: { name, namespace: ns }, spec: { containers: [{ name: 'app', image: 'nginx:1.25' }] } });
const dataOf = async (cluster: MemoryCluster, name: string) => (await cluster.client.get(Resources.ConfigMap, { name, namespace: ns })).data;
const patchData = (cluster: MemoryCluster, name: string, data: Record<string, string>) => cluster.client.patch(Resources.ConfigMap, { name, namespace: ns }, { type: 'merge', body: { data } });
const outcome = (write: Promise<unknown>): Promise<string> => write.then(() => 'ok', (e: unknown) => (e as Error).constructor.name);
const seenAs = (events: readonly WatchEvent<KubeObject>[]) => events.map((e) => (e.type === 'BOOKMARK' ? 'BOOKMARK' : `${e.type} ${e.object.metadata.name ?? ''}`));

/** Collects the events of a configmap watch started now (no initial state, no bookmarks) until the cluster closes. */
async function watchConfigMaps(cluster: MemoryCluster, resourceVersion?: string): Promise<WatchEvent<KubeObject>[]> {
  const from = resourceVersion ?? (await cluster.client.list(Resources.ConfigMap, { namespace: ns })).resourceVersion;
  const events: WatchEvent<KubeObject>[] = [];
  void (async () => {
    for await (const event of cluster.client.watch(Resources.ConfigMap, { namespace: ns, resourceVersion: from, allowWatchBookmarks: false })) events.push(event);
  })();
  await cluster.settle();
  return events;
}

describe('cluster.faults', () => {
  let cluster: MemoryCluster;
  beforeEach(async () => {
    cluster = await createMemoryCluster();
  });
  afterEach(async () => {
    await cluster.close();
  });

  describe('failWrites: each error kind, through cluster.client', () => {
    it.each<{ error: WriteFaultError; errorClass: new (...args: never[]) => Error; fields: Record<string, unknown>; applied: boolean }>([
      {
        error: 'conflict',
        errorClass: ConflictError,
        fields: { code: 409, reason: 'Conflict', message: 'PATCH /api/v1/namespaces/default/configmaps/cm: 409 Conflict: Operation cannot be fulfilled on configmaps "cm": the object has been modified; please apply your changes to the latest version and try again' },
        applied: false,
      },
      { error: 'internal', errorClass: ApiStatusError, fields: { code: 500, reason: 'InternalError', status: expect.objectContaining({ message: 'Internal error occurred: injected fault' }) }, applied: false },
      { error: 'too-many-requests', errorClass: TooManyRequestsError, fields: { code: 429, reason: 'TooManyRequests', retryAfterSeconds: 1 }, applied: false },
      { error: 'timeout-before', errorClass: TransportError, fields: { _tag: 'Transport', cause: expect.objectContaining({ name: 'TimeoutError' }) }, applied: false },
      { error: 'timeout-after', errorClass: TransportError, fields: { _tag: 'Transport', cause: expect.objectContaining({ name: 'TimeoutError' }) }, applied: true },
    ])('$error → $errorClass.name, write applied: $applied', async ({ error, errorClass, fields, applied }) => {
      await cluster.client.create(Resources.ConfigMap, configMap('cm', { v: '1' }));
      cluster.faults.failWrites({ resource: 'configmaps', verb: 'patch', error });
      const failure = await patchData(cluster, 'cm', { v: '2' }).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(errorClass);
      expect(failure).toMatchObject(fields);
      expect(await dataOf(cluster, 'cm')).toEqual({ v: applied ? '2' : '1' });
      expect(await outcome(patchData(cluster, 'cm', { v: '3' }))).toBe('ok');
    });

    it('answers 429 with the retryAfterSeconds of the rule', async () => {
      cluster.faults.failWrites({ resource: 'configmaps', error: 'too-many-requests', retryAfterSeconds: 7 });
      const failure = await cluster.client.create(Resources.ConfigMap, configMap('cm')).catch((e: unknown) => e);
      expect((failure as TooManyRequestsError).retryAfterSeconds).toBe(7);
      expect((failure as TooManyRequestsError).status).toMatchObject({ message: 'Too many requests, please try again later.', details: { retryAfterSeconds: 7 } });
    });
  });

  describe('failWrites: nth and times', () => {
    it.each([
      { window: {}, outcomes: 'x....' },
      { window: { nth: 2 }, outcomes: '.x...' },
      { window: { nth: 2, times: 2 }, outcomes: '.xx..' },
      { window: { nth: 3, times: Infinity }, outcomes: '..xxx' },
    ])('$window over 5 creates: $outcomes', async ({ window, outcomes }) => {
      const handle = cluster.faults.failWrites({ resource: 'configmaps', verb: 'create', error: 'internal', ...window });
      const results: string[] = [];
      for (let i = 0; i < 5; i++) results.push((await outcome(cluster.client.create(Resources.ConfigMap, configMap(`cm-${String(i)}`)))) === 'ok' ? '.' : 'x');
      expect(results.join('')).toBe(outcomes);
      expect(handle.fired).toBe(outcomes.replaceAll('.', '').length);
    });

    it('counts only matching requests: verb, name, namespace, subresource', async () => {
      await cluster.client.create(Resources.ConfigMap, configMap('a'));
      await cluster.client.create(Resources.ConfigMap, configMap('b'));
      const handle = cluster.faults.failWrites({ resource: 'configmaps', verb: 'patch', name: 'b', namespace: ns, subresource: '', nth: 2, error: 'conflict' });
      expect(await outcome(patchData(cluster, 'a', { x: '1' }))).toBe('ok');
      expect(await outcome(patchData(cluster, 'b', { x: '1' }))).toBe('ok');
      expect(await outcome(cluster.client.delete(Resources.ConfigMap, { name: 'a', namespace: ns }))).toBe('ok');
      expect(await outcome(patchData(cluster, 'b', { x: '2' }))).toBe('ConflictError');
      expect(handle.fired).toBe(1);
    });

    it('stops hitting once removed; the oldest of two rules hitting a request decides', async () => {
      const first = cluster.faults.failWrites({ resource: 'configmaps', error: 'internal', times: Infinity });
      const second = cluster.faults.failWrites({ resource: 'configmaps', error: 'conflict', times: Infinity });
      expect(await outcome(cluster.client.create(Resources.ConfigMap, configMap('a')))).toBe('ApiStatusError');
      first.remove();
      expect(await outcome(cluster.client.create(Resources.ConfigMap, configMap('a')))).toBe('ConflictError');
      second.remove();
      expect(await outcome(cluster.client.create(Resources.ConfigMap, configMap('a')))).toBe('ok');
      expect([first.fired, second.fired]).toEqual([1, 1]);
    });

    it('rejects a window that hits nothing', () => {
      expect(() => cluster.faults.failWrites({ resource: 'pods', error: 'conflict', nth: 0 })).toThrow(RangeError);
      expect(() => cluster.faults.failWrites({ resource: 'pods', error: 'conflict', times: 0 })).toThrow(RangeError);
    });

    it('applies to every client and to raw requests, e.g. an eviction (create of pods/eviction)', async () => {
      await cluster.client.create(Resources.Pod, pod('p'));
      await cluster.settle(); // bound to a node: deleted gracefully
      cluster.faults.failWrites({ resource: 'pods', verb: 'create', subresource: 'eviction', error: 'too-many-requests' });
      await expect(evictPod(cluster.clientFor('kubectl'), { name: 'p', namespace: ns })).rejects.toBeInstanceOf(TooManyRequestsError);
      await evictPod(cluster.clientFor('kubectl'), { name: 'p', namespace: ns });
      expect((await cluster.client.get(Resources.Pod, { name: 'p', namespace: ns })).metadata.deletionTimestamp).toBeDefined();
    });
  });

  describe('failWrites: timeouts and watch events', () => {
    it('timeout-after applies the write and emits its event; timeout-before does neither', async () => {
      await cluster.client.create(Resources.ConfigMap, configMap('before', { v: '1' }));
      await cluster.client.create(Resources.ConfigMap, configMap('after', { v: '1' }));
      const events = await watchConfigMaps(cluster);
      cluster.faults.failWrites({ resource: 'configmaps', name: 'before', error: 'timeout-before' });
      cluster.faults.failWrites({ resource: 'configmaps', name: 'after', error: 'timeout-after' });
      expect(await outcome(patchData(cluster, 'before', { v: '2' }))).toBe('TransportError');
      expect(await outcome(patchData(cluster, 'after', { v: '2' }))).toBe('TransportError');
      await cluster.settle();
      expect(seenAs(events)).toEqual(['MODIFIED after']);
      expect([await dataOf(cluster, 'before'), await dataOf(cluster, 'after')]).toEqual([{ v: '1' }, { v: '2' }]);
    });
  });

  describe('the simulated components', () => {
    it('are not hit by default: the kubelet still starts a pod whose patches fail', async () => {
      const handle = cluster.faults.failWrites({ resource: 'pods', verb: 'patch', error: 'conflict', times: Infinity });
      await cluster.client.create(Resources.Pod, pod('p'));
      await cluster.clock.advance(1000);
      await cluster.settle();
      expect((await cluster.client.get(Resources.Pod, { name: 'p', namespace: ns })).status?.phase).toBe('Running');
      expect(handle.fired).toBe(0);
      await expect(cluster.client.patch(Resources.Pod, { name: 'p', namespace: ns }, { type: 'merge', body: { metadata: { labels: { a: 'b' } } } })).rejects.toBeInstanceOf(ConflictError);
      expect(handle.fired).toBe(1);
    });

    it('are hit when the rule names them: a kubelet (kwok) whose status patch fails leaves the pod Pending', async () => {
      const handle = cluster.faults.failWrites({ resource: 'pods', subresource: 'status', fieldManager: 'kwok', error: 'internal' });
      await cluster.client.create(Resources.Pod, pod('p'));
      await cluster.clock.advance(1000);
      await cluster.settle();
      expect((await cluster.client.get(Resources.Pod, { name: 'p', namespace: ns })).status?.phase).toBe('Pending');
      expect(handle.fired).toBe(1);
    });

    it('are hit when the rule names them: a failed binding leaves the pod unscheduled', async () => {
      const handle = cluster.faults.failWrites({ resource: 'pods', verb: 'create', subresource: 'binding', fieldManager: 'kube-scheduler', error: 'timeout-before' });
      await cluster.client.create(Resources.Pod, pod('p'));
      await cluster.settle();
      expect((await cluster.client.get(Resources.Pod, { name: 'p', namespace: ns })).spec.nodeName).toBeUndefined();
      expect(handle.fired).toBe(1);
    });
  });

  describe('dropWatchEvents', () => {
    it('drops the matching change for every watch; lists and replays still show it', async () => {
      const { resourceVersion } = await cluster.client.list(Resources.ConfigMap, { namespace: ns });
      const [first, second] = [await watchConfigMaps(cluster, resourceVersion), await watchConfigMaps(cluster, resourceVersion)];
      const handle = cluster.faults.dropWatchEvents({ resource: 'configmaps', type: 'MODIFIED', name: 'a' });
      await cluster.client.create(Resources.ConfigMap, configMap('a', { v: '1' }));
      await patchData(cluster, 'a', { v: '2' });
      await patchData(cluster, 'a', { v: '3' });
      await cluster.settle();
      expect(seenAs(first)).toEqual(['ADDED a', 'MODIFIED a']);
      expect(seenAs(second)).toEqual(['ADDED a', 'MODIFIED a']);
      expect((first[1] as { object: KubeObject }).object).toMatchObject({ data: { v: '3' } });
      expect(handle.fired).toBe(1);
      expect(seenAs(await watchConfigMaps(cluster, resourceVersion))).toEqual(['ADDED a', 'MODIFIED a', 'MODIFIED a']);
      expect(await dataOf(cluster, 'a')).toEqual({ v: '3' });
    });

    it('counts stored changes even when nobody watches', async () => {
      cluster.faults.dropWatchEvents({ resource: 'configmaps', nth: 2 });
      await cluster.client.create(Resources.ConfigMap, configMap('unwatched'));
      const events = await watchConfigMaps(cluster);
      await cluster.client.create(Resources.ConfigMap, configMap('dropped'));
      await cluster.client.create(Resources.ConfigMap, configMap('seen'));
      await cluster.settle();
      expect(seenAs(events)).toEqual(['ADDED seen']);
    });
  });

  describe('delayWatchEvents', () => {
    it('delivers the matching change ms of the fake clock later, the changes after it queued behind it', async () => {
      const events = await watchConfigMaps(cluster);
      const handle = cluster.faults.delayWatchEvents({ resource: 'configmaps', name: 'slow', ms: 1000 });
      await cluster.client.create(Resources.ConfigMap, configMap('slow'));
      await cluster.client.create(Resources.ConfigMap, configMap('fast'));
      await cluster.settle();
      expect(seenAs(events)).toEqual([]);
      await cluster.clock.advance(999);
      expect(seenAs(events)).toEqual([]);
      await cluster.clock.advance(1);
      expect(seenAs(events)).toEqual(['ADDED slow', 'ADDED fast']);
      await cluster.client.create(Resources.ConfigMap, configMap('later'));
      await cluster.settle();
      expect(seenAs(events)).toEqual(['ADDED slow', 'ADDED fast', 'ADDED later']);
      expect(handle.fired).toBe(1);
    });
  });

  describe('writes', () => {
    it('counts successful and failed writes by verb, resource and subresource, leaving out the simulated components', async () => {
      cluster.faults.resetWrites();
      cluster.faults.failWrites({ resource: 'pods', verb: 'patch', error: 'conflict' });
      await cluster.client.create(Resources.Pod, pod('p'));
      await cluster.client.create(Resources.ConfigMap, configMap('cm'));
      await outcome(cluster.client.create(Resources.ConfigMap, configMap('cm')));
      const labels = { type: 'merge' as const, body: { metadata: { labels: { a: 'b' } } } };
      await outcome(cluster.client.patch(Resources.Pod, { name: 'p', namespace: ns }, labels));
      await cluster.client.patch(Resources.Pod, { name: 'p', namespace: ns }, labels);
      await cluster.clock.advance(1000);
      await cluster.settle();
      expect(cluster.faults.writes()).toEqual({
        succeeded: 3,
        failed: 2,
        rows: [
          { verb: 'create', resource: 'configmaps', group: '', subresource: undefined, succeeded: 1, failed: 1 },
          { verb: 'create', resource: 'pods', group: '', subresource: undefined, succeeded: 1, failed: 0 },
          { verb: 'patch', resource: 'pods', group: '', subresource: undefined, succeeded: 1, failed: 1 },
        ],
      });
      expect(cluster.faults.writes({ resource: 'pods', name: 'p', verb: 'patch' })).toMatchObject({ succeeded: 1, failed: 1 });
      expect(cluster.faults.writes({ fieldManager: 'kube-scheduler' }).rows).toEqual([{ verb: 'create', resource: 'pods', group: '', subresource: 'binding', succeeded: 1, failed: 0 }]);
      expect(cluster.faults.writes({ resource: 'pods', subresource: 'status', fieldManager: '*' })).toMatchObject({ succeeded: 1, failed: 0 });
      cluster.faults.resetWrites();
      expect(cluster.faults.writes({ fieldManager: '*' })).toEqual({ succeeded: 0, failed: 0, rows: [] });
    });
  });
});
