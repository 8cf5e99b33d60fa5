import { NotFoundError } from '../errors.js';
import { NotLeaderError } from '../leaderElection/fenceWrites.js';
import type { Clock, EventSink, KubeClient, KubeEvent, WarnLogger } from '../ports.js';
import type { KubeObject, ResourceType } from '../resourceType.js';
import { createEventCorrelator, type EventCorrelatorOptions } from './eventCorrelator.js';

/** Options of {@link createEventRecorder}. */
export interface EventRecorderOptions {
  /** Where Events are written (only `create` and `patch` are used). */
  readonly client: Pick<KubeClient, 'create' | 'patch'>;
  /** `source.component` and `reportingComponent`, e.g. `cloneset-controller`. */
  readonly component: string;
  /** `source.host` and `reportingInstance`, e.g. the pod name (default none). */
  readonly host?: string | undefined;
  readonly clock: Clock;
  /** Where failed writes and dropped events are logged (a pino logger fits; default nowhere). */
  readonly logger?: WarnLogger | undefined;
  /** Identical events closer than this raise the count of one Event (default 10 min). */
  readonly aggregationWindowMs?: number | undefined;
  /** Most Events waiting to be written; more are dropped and logged (default 1000, as client-go). */
  readonly maxPending?: number | undefined;
  /** Most distinct events remembered for aggregation, least recent forgotten first (default 4096). */
  readonly cacheSize?: number | undefined;
  /** Similar-event aggregation and the per-object spam filter (client-go's defaults). */
  readonly correlation?: EventCorrelatorOptions | undefined;
}

/** An {@link EventSink} that writes core/v1 Events, with a way to wait for the writes. */
export interface EventRecorder extends EventSink {
  /** Resolves once every event emitted so far was written (or failed and was logged). */
  flush(): Promise<void>;
  /**
   * Stops recording: later events are dropped; resolves once the writes already queued are done,
   * or after `timeoutMs` of the clock (then the rest is dropped and the number logged), whichever
   * comes first. A manager calls it at shutdown so SIGTERM never waits on a long event queue.
   */
  close(timeoutMs: number): Promise<void>;
}

/** The core/v1 Event fields the recorder writes. */
interface CoreEvent extends KubeObject {
  involvedObject: { apiVersion?: string; kind: string; name: string; namespace?: string; uid?: string };
  reason: string;
  message: string;
  type: KubeEvent['type'];
  source: { component: string; host?: string };
  firstTimestamp: string;
  lastTimestamp: string;
  count: number;
  reportingComponent: string;
  reportingInstance: string;
}

/** core/v1 events, typed with the fields written (the adapter's `Resources.Event` is untyped). */
const EVENTS: ResourceType<CoreEvent> = { group: '', version: 'v1', kind: 'Event', plural: 'events', namespaced: true };

/** One aggregated event: what was emitted, how often, and whether its Event exists yet. */
interface Entry {
  event: KubeEvent;
  readonly name: string;
  readonly namespace: string;
  readonly firstMs: number;
  lastMs: number;
  count: number;
  created: boolean;
  queued: boolean;
}

/**
 * Returns an {@link EventRecorder} that records each `emit` as a core/v1 Event in the subject's
 * namespace (`default` for cluster-scoped subjects), like client-go's recorder: an identical
 * event (same object, type, reason and message) within the window patches `count` and
 * `lastTimestamp` of the first one instead of creating another; the 3rd identical emit gives
 * `count: 3`. Similar events are combined and an object's events are spam-filtered as client-go's
 * `EventCorrelator` does (its `createEventCorrelator`): 500 pod creations of one CloneSet
 * cost at most 25 writes. Writes run one at a time in the background; a burst of identical events
 * becomes one write; failures are logged, never thrown. Give it a client of its own (its own rate
 * limit), so events never wait behind pod writes.
 */
export function createEventRecorder(options: EventRecorderOptions): EventRecorder {
  const windowMs = options.aggregationWindowMs ?? 10 * 60 * 1000;
  const maxPending = options.maxPending ?? 1000;
  const cacheSize = options.cacheSize ?? 4096;
  const cache = new Map<string, Entry>();
  const pending: Entry[] = [];
  let writing: Promise<void> | undefined;
  let sequence = 0;
  let accepting = true; // false once closed: later events are dropped
  let stopped = false; // true once close timed out: the queue is no longer written
  const correlator = createEventCorrelator(options.correlation);

  const write = async (entry: Entry): Promise<void> => {
    const { client } = options;
    try {
      if (entry.created) {
        const patch = { count: entry.count, lastTimestamp: rfc3339(entry.lastMs), message: entry.event.message };
        try {
          await client.patch(EVENTS, { namespace: entry.namespace, name: entry.name }, { type: 'merge', body: patch });
          return;
        } catch (error) {
          if (!(error instanceof NotFoundError)) throw error; // expired (events live 1 h): create it again
        }
      }
      await client.create(EVENTS, toCoreEvent(entry, options.component, options.host));
      entry.created = true;
    } catch (error) {
      if (error instanceof NotLeaderError) {
        // The leader fence refuses every later write too (a stepped-down replica only shuts down):
        // drop what waits with this one, in one line rather than a warning per event.
        const dropped = 1 + pending.length;
        for (const waiting of pending) waiting.queued = false;
        pending.length = 0;
        options.logger?.warn({ dropped }, 'events dropped: this replica no longer holds the leader lease');
        return;
      }
      options.logger?.warn({ err: error, event: entry.event, count: entry.count }, 'failed to record event');
    }
  };

  const run = async (): Promise<void> => {
    for (let entry = stopped ? undefined : pending.shift(); entry !== undefined; entry = stopped ? undefined : pending.shift()) {
      entry.queued = false;
      await write(entry);
    }
    writing = undefined;
  };

  return {
    emit(emitted) {
      if (!accepting) return;
      const now = options.clock.now();
      const verdict = correlator.correlate(emitted, now);
      const { key, event } = verdict;
      let entry = cache.get(key);
      if (entry !== undefined && now - entry.lastMs <= windowMs) {
        entry.count += 1;
        entry.lastMs = now;
        entry.event = event;
      } else {
        // client-go names events `<object>.<unix nanoseconds in hex>`; the sequence keeps names unique within a ms.
        const name = `${event.subject.name}.${(BigInt(now) * 1_000_000n + BigInt(sequence++ % 1_000_000)).toString(16)}`;
        entry = { event, name, namespace: event.subject.namespace ?? 'default', firstMs: now, lastMs: now, count: 1, created: false, queued: false };
      }
      cache.delete(key);
      cache.set(key, entry);
      if (cache.size > cacheSize) cache.delete(cache.keys().next().value ?? key);
      if (verdict.kind === 'skip') return; // spam: counted, not written
      if (entry.queued) return; // the queued write will carry the new count
      if (pending.length >= maxPending) {
        options.logger?.warn({ event, pending: pending.length }, 'too many events waiting to be written; dropping one');
        return;
      }
      entry.queued = true;
      pending.push(entry);
      writing ??= Promise.resolve().then(run); // after this tick, so a synchronous burst is one write
    },
    flush: async () => {
      while (writing !== undefined) await writing;
    },
    async close(timeoutMs) {
      accepting = false;
      const timer = new AbortController();
      const drained = (async () => {
        while (writing !== undefined) await writing;
        return 'drained' as const;
      })();
      const timedOut = options.clock.sleep(timeoutMs, timer.signal).then(
        () => 'timed-out' as const,
        () => 'drained' as const,
      );
      const outcome = await Promise.race([drained, timedOut]);
      timer.abort();
      if (outcome === 'timed-out') {
        stopped = true;
        if (pending.length > 0) options.logger?.warn({ dropped: pending.length, timeoutMs }, 'events still waiting at shutdown were dropped');
        for (const entry of pending) entry.queued = false;
        pending.length = 0;
      }
    },
  };
}

function toCoreEvent(entry: Entry, component: string, host: string | undefined): CoreEvent {
  const { subject } = entry.event;
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: entry.name, namespace: entry.namespace },
    involvedObject: {
      ...(subject.apiVersion === undefined ? {} : { apiVersion: subject.apiVersion }),
      kind: subject.kind,
      name: subject.name,
      ...(subject.namespace === undefined ? {} : { namespace: subject.namespace }),
      ...(subject.uid === undefined ? {} : { uid: subject.uid }),
    },
    reason: entry.event.reason,
    message: entry.event.message,
    type: entry.event.type,
    source: host === undefined ? { component } : { component, host },
    firstTimestamp: rfc3339(entry.firstMs),
    lastTimestamp: rfc3339(entry.lastMs),
    count: entry.count,
    reportingComponent: component,
    reportingInstance: host ?? '',
  };
}

/** Returns an RFC 3339 time with whole seconds, as `metav1.Time` serializes: `2025-01-02T03:04:05Z`. */
function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
