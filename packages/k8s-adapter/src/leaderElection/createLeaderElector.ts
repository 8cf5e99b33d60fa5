import type { Clock, KubeClient } from '../ports.js';
import { createLeaseLock, recordFingerprint, recordOfLease, toMicroTime, type LeaderElectionRecord, type Lease, type LeaseLock } from './lease.js';

/** Options of {@link createLeaderElector}; durations default to client-go's 15 s / 10 s / 2 s. */
export interface LeaderElectorOptions {
  readonly client: KubeClient;
  readonly clock: Clock;
  /** Namespace and name of the Lease. */
  readonly namespace: string;
  readonly name: string;
  /** Unique identity of this candidate, e.g. `<pod name>_<random>`. */
  readonly identity: string;
  /** How long a lease is valid after the last renewal a candidate observed (default 15 000 ms). */
  readonly leaseDurationMs?: number | undefined;
  /** How long the leader keeps retrying a failing renewal before it gives up (default 10 000 ms). */
  readonly renewDeadlineMs?: number | undefined;
  /** Pause between attempts (default 2 000 ms; acquisition attempts jitter up to +120 %, as client-go). */
  readonly retryPeriodMs?: number | undefined;
  /** Give the lease up on shutdown so another candidate takes over at once (default true). */
  readonly releaseOnCancel?: boolean | undefined;
  /**
   * Called once leading; `signal` aborts when leadership ends. On shutdown, a returned promise is
   * awaited before the lease is released, so the work stops before another candidate starts.
   */
  readonly onStartedLeading: (signal: AbortSignal) => void | Promise<void>;
  /** Called when leadership ends (renewal failed within renewDeadline, or shutdown); only after onStartedLeading. */
  readonly onStoppedLeading: () => void;
  /** Called with the identity of each new holder observed (this candidate included, never `''`). */
  readonly onNewLeader?: ((identity: string) => void) | undefined;
  /** Receives failed lease requests and callback errors (default: ignored). */
  readonly onError?: ((error: unknown) => void) | undefined;
}

/** A candidate in a leader election over a `coordination.k8s.io/v1` Lease. */
export interface LeaderElector {
  /**
   * Campaigns until leading, then renews until `signal` aborts (releasing the lease) or renewal
   * fails; resolves when leadership has ended, or when aborted before leading. Call once.
   */
  run(signal: AbortSignal): Promise<void>;
  /**
   * Returns true while this candidate leads (between onStartedLeading and onStoppedLeading) and its
   * last successful acquire or renewal was sent less than renewDeadline ago by its clock. When that
   * deadline has passed (the process was frozen, its event loop starved) it steps down at once:
   * the leading signal aborts before any timer of the renew loop has had a chance to run, so a
   * caller that checks this before each write never acts on a lease another candidate may hold.
   *
   * @example renewDeadline 10 s, lease 15 s: renewed at t, SIGSTOP, SIGCONT at t + 18 s (another
   *   candidate took over at ~t + 15 s) → the first check after resuming sees 18 s > 10 s: false, stepped down
   */
  isLeader(): boolean;
}

interface Observation {
  readonly record: LeaderElectionRecord;
  readonly fingerprint: string;
  /** When this candidate saw the record change, by its own clock. */
  readonly time: number;
}

/**
 * Returns a leader elector that behaves as client-go's `leaderelection` with a `LeaseLock`:
 * acquire when the lease is free or expired, measuring expiry from when this candidate last saw
 * the record change (never from the holder's timestamps, so clock skew does not matter); renew
 * by replace with a resourceVersion precondition every retry period; step down when no renewal
 * succeeds within renewDeadline; on shutdown clear `holderIdentity` with a 1 s duration.
 *
 * @example defaults: the leader dies at t → a candidate takes over between t + 13 s and t + 23.8 s (lease 15 s, its last
 *   renewal up to 2 s before t, seen up to one jittered retry of 4.4 s late, taken at the next retry); a released lease → within one retry (2 … 4.4 s)
 */
export function createLeaderElector(options: LeaderElectorOptions): LeaderElector {
  const { clock, identity, onError = () => undefined } = options;
  const leaseDurationMs = options.leaseDurationMs ?? 15_000;
  const renewDeadlineMs = options.renewDeadlineMs ?? 10_000;
  const retryPeriodMs = options.retryPeriodMs ?? 2_000;
  const lock = createLeaseLock(options.client, options.namespace, options.name);
  const state: ElectionState = { observed: undefined, lease: undefined, reported: '', leading: false, renewedAt: Number.NEGATIVE_INFINITY };
  let stepDown: (() => void) | undefined;
  const attempt = (signal: AbortSignal): Promise<boolean> => {
    const sentAt = clock.now();
    return tryAcquireOrRenew(lock, state, { clock, identity, leaseDurationSeconds: Math.ceil(leaseDurationMs / 1000), onError }, signal).then((ok) => {
      // When the request was sent, not when it came back: the lease others see is at least that fresh.
      if (ok) state.renewedAt = sentAt;
      reportTransition(state, options.onNewLeader, onError);
      return ok;
    });
  };
  /** False (and stepped down) once the last renewal is renewDeadline old: a frozen leader must not act on waking. */
  const fenced = (): boolean => {
    if (!state.leading) return false;
    if (clock.now() - state.renewedAt < renewDeadlineMs) return true;
    stepDown?.();
    return false;
  };

  async function acquire(signal: AbortSignal): Promise<boolean> {
    while (!signal.aborted) {
      if (await attempt(signal)) return true;
      await pause(clock, retryPeriodMs * (1 + 1.2 * Math.random()), signal);
    }
    return false;
  }

  /** Returns true when a renewal succeeded within renewDeadline (client-go's PollImmediateUntil). */
  async function renewOnce(signal: AbortSignal): Promise<boolean> {
    const deadline = new AbortController();
    const abort = (): void => {
      deadline.abort();
    };
    signal.addEventListener('abort', abort, { once: true });
    void clock.sleep(renewDeadlineMs, deadline.signal).then(abort, () => undefined);
    try {
      while (!deadline.signal.aborted) {
        if (await attempt(deadline.signal)) return true;
        await pause(clock, retryPeriodMs, deadline.signal);
      }
      return false;
    } finally {
      signal.removeEventListener('abort', abort);
      deadline.abort();
    }
  }

  async function lead(signal: AbortSignal): Promise<void> {
    const leading = new AbortController();
    const stop = (): void => {
      leading.abort();
    };
    signal.addEventListener('abort', stop, { once: true });
    stepDown = () => {
      state.leading = false;
      leading.abort();
    };
    state.leading = true;
    const work = Promise.resolve()
      .then(() => options.onStartedLeading(leading.signal))
      .catch(onError);
    do await pause(clock, retryPeriodMs, leading.signal);
    while (!leading.signal.aborted && (await renewOnce(leading.signal)));
    state.leading = false;
    stepDown = undefined;
    leading.abort();
    signal.removeEventListener('abort', stop);
    if (signal.aborted && options.releaseOnCancel !== false) {
      await work;
      await release(lock, state, { clock, identity, leaseDurationSeconds: 1, onError });
    }
    try {
      options.onStoppedLeading();
    } catch (error) {
      onError(error);
    }
  }

  return {
    async run(signal) {
      if (await acquire(signal)) await lead(signal);
    },
    isLeader: fenced,
  };
}

/** What a candidate knows: the record it last observed, the lease object (for its resourceVersion), the leader it reported. */
interface ElectionState {
  observed: Observation | undefined;
  lease: Lease | undefined;
  reported: string;
  leading: boolean;
  /** Clock time the last successful acquire or renewal was sent. */
  renewedAt: number;
}

interface AttemptContext {
  readonly clock: Clock;
  readonly identity: string;
  readonly leaseDurationSeconds: number;
  readonly onError: (error: unknown) => void;
}

const holds = (state: ElectionState, identity: string): boolean => state.observed?.record.holderIdentity === identity;
const isValid = (observed: Observation | undefined, now: number): boolean =>
  observed !== undefined && observed.time + observed.record.leaseDurationSeconds * 1000 > now;
const observe = (state: ElectionState, record: LeaderElectionRecord, time: number): void => {
  state.observed = { record, fingerprint: recordFingerprint(record), time };
};

/**
 * One step of client-go's `tryAcquireOrRenew`: returns true when this candidate holds the lease
 * after it. The leader first tries an optimistic update on the lease it last wrote.
 */
async function tryAcquireOrRenew(lock: LeaseLock, state: ElectionState, context: AttemptContext, signal: AbortSignal): Promise<boolean> {
  const { clock, identity, onError } = context;
  const now = clock.now();
  const desired: LeaderElectionRecord = {
    holderIdentity: identity,
    leaseDurationSeconds: context.leaseDurationSeconds,
    acquireTime: toMicroTime(now),
    renewTime: toMicroTime(now),
    leaseTransitions: 0,
  };
  try {
    if (holds(state, identity) && isValid(state.observed, now) && state.lease !== undefined) {
      const renewed = await update(lock, state, keepTenure(desired, state.observed), clock, signal).catch((error: unknown) => {
        if (!signal.aborted) onError(error);
        return false;
      });
      if (renewed) return true;
    }
    const current = await lock.get(signal);
    if (current === undefined) {
      state.lease = await lock.create(desired, signal);
      observe(state, desired, clock.now());
      return true;
    }
    state.lease = current;
    const old = recordOfLease(current);
    if (state.observed?.fingerprint !== recordFingerprint(old)) observe(state, old, clock.now());
    if (old.holderIdentity !== '' && isValid(state.observed, now) && !holds(state, identity)) return false;
    const next = holds(state, identity) ? keepTenure(desired, state.observed) : { ...desired, leaseTransitions: old.leaseTransitions + 1 };
    return await update(lock, state, next, clock, signal);
  } catch (error) {
    if (!signal.aborted) onError(error);
    return false;
  }
}

/** Returns `desired` with the acquire time and transitions of the current tenure (a renewal). */
function keepTenure(desired: LeaderElectionRecord, observed: Observation | undefined): LeaderElectionRecord {
  return { ...desired, acquireTime: observed?.record.acquireTime ?? desired.acquireTime, leaseTransitions: observed?.record.leaseTransitions ?? 0 };
}

async function update(lock: LeaseLock, state: ElectionState, record: LeaderElectionRecord, clock: Clock, signal: AbortSignal): Promise<true> {
  if (state.lease === undefined) throw new Error('lease not read yet');
  state.lease = await lock.update(state.lease, record, signal);
  observe(state, record, clock.now());
  return true;
}

/** Gives the lease up (client-go's ReleaseOnCancel): no holder, 1 s duration, so others acquire at once. */
async function release(lock: LeaseLock, state: ElectionState, context: AttemptContext): Promise<void> {
  const { clock, onError } = context;
  if (!holds(state, context.identity)) return;
  const now = toMicroTime(clock.now());
  const record = { holderIdentity: '', leaseDurationSeconds: context.leaseDurationSeconds, acquireTime: now, renewTime: now, leaseTransitions: state.observed?.record.leaseTransitions ?? 0 };
  await update(lock, state, record, clock, AbortSignal.timeout(10_000)).catch(onError);
}

/** Calls onNewLeader when the observed holder changed since the last report (never for `''`). */
function reportTransition(state: ElectionState, onNewLeader: ((identity: string) => void) | undefined, onError: (error: unknown) => void): void {
  const holder = state.observed?.record.holderIdentity ?? '';
  if (holder === state.reported) return;
  state.reported = holder;
  if (holder === '' || onNewLeader === undefined) return;
  try {
    onNewLeader(holder);
  } catch (error) {
    onError(error);
  }
}

/** Waits `ms` of `clock` time; returns early (without throwing) when `signal` aborts. */
async function pause(clock: Clock, ms: number, signal: AbortSignal): Promise<void> {
  await clock.sleep(ms, signal).catch(() => undefined);
}
