import { describe, expect, it } from 'vitest';
import { createMemoryCluster } from '../memory/memoryCluster.js';
import type { Clock } from '../ports.js';
import { Resources } from '../resourceType.js';
import { createServerClock } from './createServerClock.js';
import { probeServerClock } from './probeServerClock.js';

const START = Date.UTC(2026, 11, 2, 8, 0, 0, 300);

describe('probeServerClock (memory cluster)', () => {
  const skewed = (clock: Clock, offsetMs: number): Clock => ({ now: () => clock.now() + offsetMs, sleep: (ms, signal) => clock.sleep(ms, signal) });

  it.each([
    { story: '120 s ahead (a patch alone cannot see it)', skewMs: 120_000, kind: 'skewed', offsetMs: -120_300 },
    { story: '120 s behind', skewMs: -120_000, kind: 'skewed', offsetMs: 119_700 },
    { story: 'in sync', skewMs: 0, kind: 'in-sync', offsetMs: 0 },
  ])('$story: one dry-run Event create gives the offset, and stores nothing', async ({ skewMs, kind, offsetMs }) => {
    const cluster = await createMemoryCluster({ clock: { mode: 'manual', start: START } });
    const clock = createServerClock(skewed(cluster.clock, skewMs));
    expect(await probeServerClock(clock.track(cluster.client), { component: 'kruise-ts-daemon' })).toBe(true);
    expect(clock.estimate()).toMatchObject({ kind, offsetMs });
    expect((await cluster.client.list(Resources.Event, { namespace: 'default' })).items).toEqual([]);
    await cluster.close();
  });

  it('a refused probe (no such namespace) resolves false and leaves the clock local', async () => {
    const cluster = await createMemoryCluster({ clock: { mode: 'manual', start: START } });
    const clock = createServerClock(skewed(cluster.clock, 120_000));
    expect(await probeServerClock(clock.track(cluster.client), { component: 'x', namespace: 'missing' })).toBe(false);
    expect(clock.estimate().kind).toBe('no-samples');
    expect(clock.now()).toBe(START + 120_000);
    await cluster.close();
  });
});
