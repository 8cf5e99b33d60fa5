import { afterEach, describe, expect, it } from 'vitest';
import { AlreadyExistsError, ConflictError, NotFoundError, TransportError } from '../errors.js';
import { createFakeClock, type FakeClock } from '../memory/fakeClock.js';
import type { KubeClient } from '../ports.js';
import type { KubeObject } from '../resourceType.js';
import { startCandidate, type TestCandidate } from '../watch/watch.testkit.js';
import { recordOfLease, toMicroTime, type Lease } from './lease.js';

/** Leases in a map with resourceVersions and conflicts; `down` makes one candidate's requests fail. */
function createLeaseServer() {
  const leases = new Map<string, Lease>();
  let version = 0;
  const request = { verb: 'PUT', path: '/apis/coordination.k8s.io/v1/leases' };
  const connect = (link: { down: boolean }): KubeClient => {
    const check = (): void => {
      if (link.down) throw new TransportError(request, new Error('ECONNREFUSED'));
    };
    const store = (lease: KubeObject): Lease => {
      const saved = structuredClone({ ...lease, metadata: { ...lease.metadata, resourceVersion: String(++version) } }) as Lease;
      leases.set(lease.metadata.name ?? '', saved);
      return structuredClone(saved);
    };
    const client: Partial<KubeClient> = {
      get: <T extends KubeObject>(_type: unknown, key: { name: string }) => {
        check();
        const lease = leases.get(key.name);
        if (lease === undefined) return Promise.reject(new NotFoundError(request, 404, {}));
        return Promise.resolve(structuredClone(lease) as unknown as T);
      },
      create: <T extends KubeObject>(_type: unknown, lease: T) => {
        check();
        if (leases.has(lease.metadata.name ?? '')) return Promise.reject(new AlreadyExistsError(request, 409, { reason: 'AlreadyExists' }));
        return Promise.resolve(store(lease) as unknown as T);
      },
      replace: <T extends KubeObject>(_type: unknown, lease: T) => {
        check();
        if (leases.get(lease.metadata.name ?? '')?.metadata.resourceVersion !== lease.metadata.resourceVersion) {
          return Promise.reject(new ConflictError(request, 409, { reason: 'Conflict' }));
        }
        return Promise.resolve(store(lease) as unknown as T);
      },
    };
    return client as KubeClient;
  };
  return { connect, lease: () => leases.get('kruise-manager') };
}

type Candidate = TestCandidate & { readonly link: { down: boolean } };

const running: Candidate[] = [];
afterEach(() => {
  for (const candidate of running.splice(0)) candidate.abort.abort();
});

function candidate(server: ReturnType<typeof createLeaseServer>, clock: FakeClock, identity: string, releaseOnCancel = true): Candidate {
  const link = { down: false };
  const started = startCandidate({ client: server.connect(link), clock, namespace: 'kruise-system', name: 'kruise-manager', identity, releaseOnCancel });
  const c = { ...started, link };
  running.push(c);
  return c;
}

/** Advances the clock in 100 ms steps until `condition` holds; returns the ms it took. */
async function until(clock: FakeClock, condition: () => boolean, limitMs = 60_000): Promise<number> {
  for (let waited = 0; waited <= limitMs; waited += 100) {
    if (condition()) return waited;
    await clock.advance(100);
  }
  throw new Error(`condition not met within ${String(limitMs)} ms`);
}

describe('lease records', () => {
  it.each([
    [1_700_000_000_123, '2023-11-14T22:13:20.123000Z'],
    [0, '1970-01-01T00:00:00.000000Z'],
  ])('toMicroTime(%i) → %s', (ms, expected) => {
    expect(toMicroTime(ms)).toBe(expected);
  });

  it('reads a lease without a spec as a free record', () => {
    expect(recordOfLease({ metadata: { name: 'x' } })).toEqual({ holderIdentity: '', leaseDurationSeconds: 0, acquireTime: '', renewTime: '', leaseTransitions: 0 });
  });
});

describe('createLeaderElector (fake lease server, manual clock)', () => {
  it('creates the lease, renews it, and hands it over at once when released', async () => {
    const clock = createFakeClock({ mode: 'manual', start: 1_700_000_000_000 });
    const server = createLeaseServer();
    const a = candidate(server, clock, 'a');
    await until(clock, () => a.elector.isLeader());
    expect(server.lease()?.spec).toMatchObject({ holderIdentity: 'a', leaseDurationSeconds: 15, leaseTransitions: 0 });
    expect(server.lease()?.spec?.renewTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    const b = candidate(server, clock, 'b');
    await clock.advance(30_000);
    expect(b.elector.isLeader()).toBe(false);
    const acquireTime = server.lease()?.spec?.acquireTime;
    expect(server.lease()?.spec?.renewTime).not.toBe(acquireTime); // renewed, same tenure

    a.abort.abort();
    await a.done;
    expect(a.log).toEqual(['leader a', 'started', 'stopped']);
    expect(server.lease()?.spec).toMatchObject({ holderIdentity: '', leaseDurationSeconds: 1 });
    const handover = await until(clock, () => b.elector.isLeader());
    expect(handover).toBeLessThanOrEqual(4_400); // retry period 2 s + jitter up to 120 %
    expect(server.lease()?.spec).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 });
    expect(b.log).toEqual(['leader a', 'leader b', 'started']);
  });

  it('takes over a dead leader only once the lease expired by its own observation', async () => {
    const clock = createFakeClock({ mode: 'manual', start: 1_700_000_000_000 });
    const server = createLeaseServer();
    const a = candidate(server, clock, 'a', false);
    await until(clock, () => a.elector.isLeader());
    const b = candidate(server, clock, 'b');
    await clock.advance(5_000);
    a.abort.abort(); // dies without releasing: stops renewing
    await a.done;
    expect(server.lease()?.spec?.holderIdentity).toBe('a');
    const handover = await until(clock, () => b.elector.isLeader());
    expect(handover).toBeGreaterThanOrEqual(13_000);
    // The last renewal is seen up to one jittered retry (4.4 s) late, and the take-over poll comes
    // up to another one after expiry: 15 s + 2 × 4.4 s at most.
    expect(handover).toBeLessThanOrEqual(15_000 + 2 * 4_400);
    expect(server.lease()?.spec).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 });
  });

  it('steps down when no renewal succeeds within renewDeadline', async () => {
    const clock = createFakeClock({ mode: 'manual', start: 1_700_000_000_000 });
    const server = createLeaseServer();
    const a = candidate(server, clock, 'a');
    await until(clock, () => a.elector.isLeader());
    a.link.down = true;
    const lost = await until(clock, () => !a.elector.isLeader());
    // renewDeadline counted from the last renewal that went through (up to one 2 s retry before the link went down).
    expect(lost).toBeGreaterThanOrEqual(8_000);
    expect(lost).toBeLessThanOrEqual(12_100);
    await a.done;
    expect(a.log).toEqual(['leader a', 'started', 'stopped']);
  });

  it('a leader frozen past renewDeadline steps down at its first isLeader() check on waking, before any timer runs', async () => {
    const fake = createFakeClock({ mode: 'manual', start: 1_700_000_000_000 });
    const frozen = { ms: 0 };
    // The process clock jumps on SIGCONT while the fake timers have not fired yet: the freeze.
    const clock: FakeClock = Object.assign(Object.create(fake) as FakeClock, { now: () => fake.now() + frozen.ms });
    const server = createLeaseServer();
    const a = candidate(server, clock, 'a');
    await until(fake, () => a.elector.isLeader());
    await fake.advance(30_000);
    expect(a.elector.isLeader()).toBe(true); // renewed every 2 s: well inside the 10 s deadline
    frozen.ms = 18_000;
    expect(a.elector.isLeader()).toBe(false);
    await fake.flush();
    await a.done;
    expect(a.log).toEqual(['leader a', 'started', 'stopped']);
  });

  it('never calls onStoppedLeading when aborted before leading', async () => {
    const clock = createFakeClock({ mode: 'manual', start: 1_700_000_000_000 });
    const server = createLeaseServer();
    const a = candidate(server, clock, 'a');
    await until(clock, () => a.elector.isLeader());
    const b = candidate(server, clock, 'b');
    await clock.advance(3_000);
    b.abort.abort();
    await b.done;
    expect(b.log).toEqual(['leader a']);
  });
});
