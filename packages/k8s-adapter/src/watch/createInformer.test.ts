import { firstValueFrom, take, toArray } from 'rxjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GoneError, TransportError, WatchError, isStaleConnection } from '../errors.js';
import { createFakeClock, flushEventLoop } from '../memory/fakeClock.js';
import { Resources, type KubeObject } from '../resourceType.js';
import { createInformer, type InformerOptions } from './createInformer.js';
import type { Informer, InformerEvent } from './informer.js';
import type { InformerMetric } from './informerMetric.js';
import { createFakeWatchClient, type FakeWatchClient } from './watch.testkit.js';

const ConfigMaps = Resources.ConfigMap;
const cm = (name: string, resourceVersion: string, data: Record<string, string> = {}): KubeObject => ({
  metadata: { name, namespace: 'default', uid: `uid-${name}`, resourceVersion },
  data,
});
const summary = (events: readonly InformerEvent<KubeObject>[]): string[] =>
  events.map((e) => `${e.type} ${e.object.metadata.name ?? ''}@${e.object.metadata.resourceVersion ?? ''}`);

let informer: Informer<KubeObject> | undefined;
afterEach(() => {
  informer?.stop();
});

function start(fake: FakeWatchClient<KubeObject>, options: InformerOptions<KubeObject> = {}) {
  const metrics: InformerMetric[] = [];
  const events: InformerEvent<KubeObject>[] = [];
  informer = createInformer(fake.client, ConfigMaps, {
    namespace: 'default',
    backoff: { initialMs: 1, maxMs: 5, jitter: 0 },
    onMetric: (m) => metrics.push(m),
    ...options,
  });
  informer.events$.subscribe((e) => events.push(e));
  return { informer, metrics, events };
}

describe('createInformer', () => {
  it('lists, syncs, then watches from the list resourceVersion with bookmarks', async () => {
    const fake = createFakeWatchClient<KubeObject>();
    fake.listResult = { items: [cm('a', '5')], resourceVersion: '10' };
    const { informer, events } = start(fake, { labelSelector: 'app=web' });
    await informer.synced;
    expect(informer.store.get({ name: 'a', namespace: 'default' })?.metadata.resourceVersion).toBe('5');
    expect(fake.lists[0]).toMatchObject({ namespace: 'default', labelSelector: 'app=web', limit: 500 });
    await vi.waitFor(() => {
      expect(fake.watches).toHaveLength(1);
    });
    expect(fake.lastWatch().options).toMatchObject({ resourceVersion: '10', allowWatchBookmarks: true, labelSelector: 'app=web' });
    expect(fake.lastWatch().options.timeoutSeconds).toBeGreaterThanOrEqual(150);
    expect(fake.lastWatch().options.timeoutSeconds).toBeLessThan(270);

    fake.lastWatch().push({ type: 'ADDED', object: cm('b', '11') });
    fake.lastWatch().push({ type: 'MODIFIED', object: cm('a', '12', { k: 'v' }) });
    fake.lastWatch().push({ type: 'MODIFIED', object: cm('a', '12', { k: 'v' }) }); // same resourceVersion: no event
    fake.lastWatch().push({ type: 'DELETED', object: cm('b', '13') });
    fake.lastWatch().push({ type: 'BOOKMARK', resourceVersion: '20' });
    await vi.waitFor(() => {
      expect(informer.store.resourceVersion).toBe('20');
    });
    expect(summary(events)).toEqual(['added a@5', 'added b@11', 'updated a@12', 'deleted b@13']);
    const updated = events[2];
    expect(updated?.type === 'updated' ? updated.previous.metadata.resourceVersion : undefined).toBe('5');
  });

  it.each([
    ['drops managedFields by default, from lists and watch events', undefined, []],
    ['caches objects whole with the identity transform', (o: KubeObject) => o, ['a', 'b']],
  ])('%s', async (_story, transform, kept) => {
    const fields = [{ manager: 'kubectl', operation: 'Update', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': {} } }];
    const managed = (name: string, rv: string): KubeObject => ({ ...cm(name, rv), metadata: { ...cm(name, rv).metadata, managedFields: fields } });
    const fake = createFakeWatchClient<KubeObject>();
    fake.listResult = { items: [managed('a', '5')], resourceVersion: '10' };
    const { informer, events } = start(fake, transform === undefined ? {} : { transform });
    await informer.synced;
    await vi.waitFor(() => {
      expect(fake.watches).toHaveLength(1);
    });
    fake.lastWatch().push({ type: 'ADDED', object: managed('b', '11') });
    await vi.waitFor(() => {
      expect(informer.store.list()).toHaveLength(2);
    });
    const withFields = (objects: readonly KubeObject[]): string[] => objects.filter((o) => o.metadata.managedFields !== undefined).map((o) => o.metadata.name ?? '').sort();
    expect(withFields(informer.store.list())).toEqual(kept);
    expect(withFields(events.map((e) => e.object))).toEqual(kept);
    expect(informer.store.get({ name: 'b', namespace: 'default' })?.metadata).toMatchObject({ name: 'b', uid: 'uid-b', resourceVersion: '11' });
  });

  it('gives a late subscriber the cached objects as added, then live events', async () => {
    const fake = createFakeWatchClient<KubeObject>();
    fake.listResult = { items: [cm('a', '5'), cm('b', '6')], resourceVersion: '10' };
    const { informer } = start(fake);
    await informer.synced;
    await vi.waitFor(() => {
      expect(fake.watches).toHaveLength(1);
    });
    const late = firstValueFrom(informer.events$.pipe(take(3), toArray()));
    fake.lastWatch().push({ type: 'ADDED', object: cm('c', '11') });
    expect(summary(await late)).toEqual(['added a@5', 'added b@6', 'added c@11']);
  });

  it('resumes from the last resourceVersion after a normal end and after a transport error, without relisting', async () => {
    const fake = createFakeWatchClient<KubeObject>();
    const { informer, metrics } = start(fake);
    await informer.synced;
    await vi.waitFor(() => {
      expect(fake.watches).toHaveLength(1);
    });
    fake.lastWatch().push({ type: 'ADDED', object: cm('a', '7') });
    fake.lastWatch().end();
    await vi.waitFor(() => {
      expect(fake.watches).toHaveLength(2);
    });
    expect(fake.lastWatch().options.resourceVersion).toBe('7');
    fake.lastWatch().push({ type: 'BOOKMARK', resourceVersion: '9' });
    fake.lastWatch().fail(new WatchError('/api/v1/configmaps', 'connection reset'));
    await vi.waitFor(() => {
      expect(fake.watches).toHaveLength(3);
    });
    expect(fake.lastWatch().options.resourceVersion).toBe('9');
    expect(fake.lists).toHaveLength(1);
    expect(metrics.filter((m) => m.kind === 'watch-restart').map((m) => m.reason)).toEqual(['watch-ended', 'transport-error']);
  });

  it.each([
    ['an ERROR event with 410 Expired', new WatchError('/api/v1/configmaps', 'too old resource version', { status: { code: 410, reason: 'Expired' } })],
    ['an HTTP 410 on the watch request', new GoneError({ verb: 'GET', path: '/api/v1/configmaps' }, 410, { reason: 'Gone' })],
  ])('relists after %s, swapping the store and emitting the difference', async (_story, gone) => {
    const fake = createFakeWatchClient<KubeObject>();
    fake.listResult = { items: [cm('keep', '1'), cm('change', '2'), cm('vanish', '3')], resourceVersion: '3' };
    const { informer, events, metrics } = start(fake);
    await informer.synced;
    await vi.waitFor(() => {
      expect(fake.watches).toHaveLength(1);
    });
    fake.listResult = { items: [cm('keep', '1'), cm('change', '8'), cm('new', '9')], resourceVersion: '50' };
    fake.lastWatch().fail(gone);
    await vi.waitFor(() => {
      expect(fake.watches).toHaveLength(2);
    });
    expect(fake.lists).toHaveLength(2);
    expect(fake.lastWatch().options.resourceVersion).toBe('50');
    expect(summary(events.slice(3)).sort()).toEqual(['added new@9', 'deleted vanish@3', 'updated change@8']);
    expect(informer.store.list().map((o) => o.metadata.name).sort()).toEqual(['change', 'keep', 'new']);
    expect(metrics.filter((m) => m.kind === 'watch-restart').map((m) => m.reason)).toEqual(['gone']);
    expect(metrics.filter((m) => m.kind === 'relist')).toEqual([{ kind: 'relist', resource: 'configmaps', size: 3 }]);
  });

  it('retries a failing list with backoff and syncs once it succeeds', async () => {
    const fake = createFakeWatchClient<KubeObject>();
    fake.listResult = new TransportError({ verb: 'GET', path: '/api/v1/configmaps' }, new Error('ECONNREFUSED'));
    const { informer, metrics } = start(fake);
    await vi.waitFor(() => {
      expect(fake.lists.length).toBeGreaterThanOrEqual(2);
    });
    fake.listResult = { items: [cm('a', '1')], resourceVersion: '1' };
    await informer.synced;
    expect(metrics.some((m) => m.kind === 'watch-restart' && m.reason === 'transport-error')).toBe(true);
  });

  it('restarts a watch that stays silent for watchdogMs (manual clock)', async () => {
    const fake = createFakeWatchClient<KubeObject>();
    const clock = createFakeClock({ mode: 'manual', start: 1_700_000_000_000 });
    const { informer, metrics } = start(fake, { clock, watchdogMs: 60_000 });
    await informer.synced;
    await vi.waitFor(() => {
      expect(fake.watches).toHaveLength(1);
    });
    await clock.advance(30_000);
    fake.lastWatch().push({ type: 'BOOKMARK', resourceVersion: '4' });
    await clock.advance(59_000); // 59 s after the bookmark: still alive
    expect(fake.watches).toHaveLength(1);
    await clock.advance(1_000);
    expect(fake.watches[0]?.aborted).toBe(true);
    // Aborted as stale, so the client drops the connection it went over.
    expect(isStaleConnection(fake.watches[0]?.options.signal?.reason)).toBe(true);
    await clock.advance(5); // backoff
    await vi.waitFor(() => {
      expect(fake.watches).toHaveLength(2);
    });
    expect(fake.lastWatch().options.resourceVersion).toBe('4');
    expect(metrics.filter((m) => m.kind === 'watch-restart').map((m) => m.reason)).toEqual(['watchdog']);
  });

  it('stop() aborts the watch, completes events$ and rejects synced when not yet synced', async () => {
    const fake = createFakeWatchClient<KubeObject>();
    fake.listResult = new Error('forbidden');
    const { informer } = start(fake);
    const completed = firstValueFrom(informer.events$.pipe(toArray()));
    informer.stop();
    await expect(informer.synced).rejects.toThrow(/stopped before its first list/);
    expect(await completed).toEqual([]);

    const healthy = createFakeWatchClient<KubeObject>();
    const second = start(healthy).informer;
    await second.synced;
    await vi.waitFor(() => {
      expect(healthy.watches).toHaveLength(1);
    });
    second.stop();
    await flushEventLoop();
    expect(healthy.lastWatch().aborted).toBe(true);
  });
});
