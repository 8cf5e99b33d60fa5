import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../src/client/systemClock.js';
import { Leases } from '../../src/leaderElection/index.js';
import type { KubeClient } from '../../src/ports.js';
import { startTestCluster, type TestCluster } from '../../src/testing/index.js';
import { startCandidate, type TestCandidate } from '../../src/watch/watch.testkit.js';

const ns = 'default';
const MICRO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;

describe('leader election on a real Lease (client-go defaults: 15 s / 10 s / 2 s)', () => {
  let cluster: TestCluster;
  const candidates: TestCandidate[] = [];
  let overlap = false;
  let sampler: NodeJS.Timeout | undefined;
  beforeAll(async () => {
    cluster = await startTestCluster({ nodes: 0 });
  });
  afterAll(async () => {
    await cluster.stop();
  });
  afterEach(() => {
    clearInterval(sampler);
    for (const c of candidates.splice(0)) c.abort.abort();
    expect(overlap).toBe(false);
  });

  function candidate(lease: string, identity: string, releaseOnCancel = true, client: KubeClient = cluster.client): TestCandidate {
    const c = startCandidate({ client, clock: systemClock(), namespace: ns, name: lease, identity, releaseOnCancel });
    candidates.push(c);
    return c;
  }
  /** Returns `cluster.client` counting its reads of Leases: each is one attempt of the candidate using it. */
  function countingLeaseReads(): { client: KubeClient; reads: () => number } {
    let reads = 0;
    const client: KubeClient = {
      ...cluster.client,
      get: (type, key, options) => {
        if (type === Leases) reads++;
        return cluster.client.get(type, key, options);
      },
    };
    return { client, reads: () => reads };
  }
  /** Watches, every 20 ms, that never two candidates lead at once. */
  function watchForOverlap(): void {
    overlap = false;
    sampler = setInterval(() => {
      if (candidates.filter((c) => c.elector.isLeader()).length > 1) overlap = true;
    }, 20);
  }
  // Polls every 10 ms: the handover times below are what the tests measure, to within that.
  async function until(condition: () => boolean, limitMs: number): Promise<number> {
    const start = performance.now();
    while (!condition()) {
      if (performance.now() - start > limitMs) throw new Error(`not within ${String(limitMs)} ms`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return Math.round(performance.now() - start);
  }
  const spec = async (lease: string) => (await cluster.client.get(Leases, { name: lease, namespace: ns })).spec;

  it('only one leads; the leader releases on shutdown and the other takes over within a retry period', async () => {
    watchForOverlap();
    const a = candidate('release', 'a');
    await until(() => a.elector.isLeader(), 5_000);
    const acquired = await spec('release');
    const watched = countingLeaseReads();
    const b = candidate('release', 'b', true, watched.client);
    // Not a fixed wait: until b has tried twice (two reads of the lease, a jittered retry period
    // apart) and a has renewed the lease meanwhile; b is refused each time.
    await until(() => watched.reads() >= 2, 15_000);
    await vi.waitFor(async () => {
      expect((await spec('release'))?.renewTime).not.toBe(acquired?.renewTime);
    }, { timeout: 10_000, interval: 100 });
    expect(b.elector.isLeader()).toBe(false);
    expect(b.log).toEqual(['leader a']);
    const held = await spec('release');
    expect(held).toMatchObject({ holderIdentity: 'a', leaseDurationSeconds: 15, leaseTransitions: 0 });
    expect(held?.acquireTime).toMatch(MICRO_TIME);
    expect(held?.renewTime).toMatch(MICRO_TIME);
    expect(held?.renewTime).not.toBe(held?.acquireTime);

    const stoppedAt = performance.now();
    a.abort.abort();
    await until(() => b.elector.isLeader(), 10_000);
    const handover = Math.round(performance.now() - stoppedAt);
    console.log(`leader handover after release: ${String(handover)} ms`);
    await a.done;
    expect(handover).toBeLessThanOrEqual(4_400 + 500);
    expect(a.log).toEqual(['leader a', 'started', 'stopped']);
    expect(b.log).toEqual(['leader a', 'leader b', 'started']);
    expect(await spec('release')).toMatchObject({ holderIdentity: 'b', leaseDurationSeconds: 15, leaseTransitions: 1 });
  });

  it('a leader killed without release is replaced once its lease expired (15 s + up to 2 retries)', async () => {
    watchForOverlap();
    const a = candidate('kill', 'a', false);
    await until(() => a.elector.isLeader(), 5_000);
    const acquired = await spec('kill');
    const watched = countingLeaseReads();
    const b = candidate('kill', 'b', true, watched.client);
    // Not a fixed wait: until b has read the lease twice and a has renewed it since it was
    // acquired, so b times the lease from a renewal it saw, not from its own start.
    await until(() => watched.reads() >= 2, 15_000);
    await vi.waitFor(async () => {
      expect((await spec('kill'))?.renewTime).not.toBe(acquired?.renewTime);
    }, { timeout: 10_000, interval: 100 });
    expect(b.log).toEqual(['leader a']);
    const killedAt = performance.now();
    a.abort.abort(); // stops renewing; the lease still names a
    await a.done;
    expect((await spec('kill'))?.holderIdentity).toBe('a');
    await until(() => b.elector.isLeader(), 30_000);
    const handover = Math.round(performance.now() - killedAt);
    console.log(`leader handover after kill (no release): ${String(handover)} ms`);
    expect(handover).toBeGreaterThanOrEqual(12_000);
    expect(handover).toBeLessThanOrEqual(15_000 + 2 * 4_400 + 500);
    expect(await spec('kill')).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 });
  });
});
