import { describe, expect, it } from 'vitest';
import { createMemoryCluster } from '../memory/memoryCluster.js';
import type { Clock } from '../ports.js';
import { Resources } from '../resourceType.js';
import { createServerClock, latestServerStamp } from './createServerClock.js';

const START = Date.UTC(2026, 11, 2, 8, 0, 0, 400);

describe('latestServerStamp', () => {
  it.each([
    { story: 'no metadata', object: {}, expected: undefined },
    { story: 'creationTimestamp only', object: { metadata: { creationTimestamp: '2026-12-02T08:00:00Z' } }, expected: Date.UTC(2026, 11, 2, 8) },
    {
      story: 'the latest of creation and managedFields',
      object: { metadata: { creationTimestamp: '2026-12-02T08:00:00Z', managedFields: [{ manager: 'a', time: '2026-12-02T08:01:07Z' }, { manager: 'b', time: '2026-12-02T08:00:30Z' }, { manager: 'scale' }] } },
      expected: Date.UTC(2026, 11, 2, 8, 1, 7),
    },
    { story: 'a MicroTime truncated to the second', object: { metadata: { managedFields: [{ time: '2026-12-02T08:01:07.912345Z' }] } }, expected: Date.UTC(2026, 11, 2, 8, 1, 7) },
    { story: 'unreadable times ignored', object: { metadata: { creationTimestamp: 'yesterday', managedFields: [null, { time: 3 }] } }, expected: undefined },
  ])('$story', ({ object, expected }) => {
    expect(latestServerStamp(object)).toBe(expected);
  });
});

describe('createServerClock on the memory cluster', () => {
  const skewed = (clock: Clock, offsetMs: number): Clock => ({ now: () => clock.now() + offsetMs, sleep: (ms, signal) => clock.sleep(ms, signal) });

  it('local clock 120 s ahead: no sample → local; after one create → the apiserver time less the truncation (400 ms), never ahead', async () => {
    const cluster = await createMemoryCluster({ clock: { mode: 'manual', start: START } });
    const clock = createServerClock(skewed(cluster.clock, 120_000));
    const client = clock.track(cluster.client);
    expect(clock.estimate().kind).toBe('no-samples');
    expect(clock.now()).toBe(START + 120_000);
    await client.get(Resources.Namespace, { name: 'default' });
    expect(clock.estimate().kind).toBe('no-samples');
    await client.create(Resources.ConfigMap, { metadata: { name: 'a', namespace: 'default' } });
    expect(clock.estimate()).toMatchObject({ kind: 'skewed', offsetMs: -120_400 });
    expect(clock.now()).toBe(START - 400);
    await cluster.clock.advance(700); // 08:00:01.100 — the next stamp is 100 ms after its second
    await client.patch(Resources.ConfigMap, { name: 'a', namespace: 'default' }, { type: 'merge', body: { data: { k: 'v' } } });
    expect(clock.now()).toBe(cluster.clock.now() - 100);
    await cluster.close();
  });

  it('local clock in sync: in-sync, exactly the local clock', async () => {
    const cluster = await createMemoryCluster({ clock: { mode: 'manual', start: START } });
    const changes: string[] = [];
    const clock = createServerClock(cluster.clock, { onChange: (e) => changes.push(e.kind) });
    const client = clock.track(cluster.client);
    await client.create(Resources.ConfigMap, { metadata: { name: 'a', namespace: 'default' } });
    await client.replace(Resources.ConfigMap, { ...(await client.get(Resources.ConfigMap, { name: 'a', namespace: 'default' })), data: { k: 'v' } });
    expect(clock.estimate()).toMatchObject({ kind: 'in-sync', offsetMs: 0 });
    expect(clock.now()).toBe(cluster.clock.now());
    expect(changes).toEqual(['in-sync']);
    await cluster.close();
  });

  it('the local clock stepped 1 h forward: the next create leaves the older samples out (now never 1 h ahead for long)', async () => {
    const cluster = await createMemoryCluster({ clock: { mode: 'manual', start: START } });
    let offset = 0;
    const clock = createServerClock({ now: () => cluster.clock.now() + offset, sleep: (ms) => cluster.clock.sleep(ms) });
    const client = clock.track(cluster.client);
    await client.create(Resources.ConfigMap, { metadata: { name: 'a', namespace: 'default' } });
    expect(clock.estimate().kind).toBe('in-sync');
    offset = 3_600_000;
    await client.patch(Resources.ConfigMap, { name: 'a', namespace: 'default' }, { type: 'merge', body: { data: { k: 'v' } } });
    expect(clock.estimate().kind).toBe('in-sync'); // a patch only bounds it from below
    await client.create(Resources.ConfigMap, { metadata: { name: 'b', namespace: 'default' } });
    expect(clock.estimate()).toMatchObject({ kind: 'skewed', offsetMs: -3_600_400 });
    expect(clock.now()).toBe(cluster.clock.now() - 400);
    await cluster.close();
  });

  it('a replace that changed nothing (same resourceVersion) is a lower bound only', async () => {
    const cluster = await createMemoryCluster({ clock: { mode: 'manual', start: START } });
    const clock = createServerClock(skewed(cluster.clock, 120_000));
    const client = clock.track(cluster.client);
    await cluster.client.create(Resources.ConfigMap, { metadata: { name: 'a', namespace: 'default' } });
    await client.replace(Resources.ConfigMap, await client.get(Resources.ConfigMap, { name: 'a', namespace: 'default' }));
    expect(clock.estimate()).toMatchObject({ kind: 'in-sync', upperMs: Infinity });
    await cluster.close();
  });
});
