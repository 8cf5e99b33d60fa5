import type { Clock, EventSink, KubeClient, KubeEvent, KubeObject, ResourceType } from '@kruise-ts/k8s-adapter';
import { hasTag } from './errorPolicy.js';
import type { Logger } from './logger.js';

/** Options of {@link createEventRecorder}. */
export interface EventRecorderOptions {
  /** Where Events are written (only `create` and `patch` are used). */
  readonly client: Pick<KubeClient, 'create' | 'patch'>;
  /** `source.component` and `reportingComponent`, e.g. `cloneset-controller`. */
  readonly component: string;
  /** `source.host` and `reportingInstance`, e.g. the pod name (default none). */
  readonly host?: string | undefined;
  readonly clock: Clock;
  /** Where failed writes and dropped events are logged. */
  readonly logger?: Logger | undefined;
  /** Identical events closer than this raise the count of one Event (default 10 min). */
  readonly aggregationWindowMs?: number | undefined;
  /** Most Events waiting to be written; more are dropped and logged (default 1000, as client-go). */
  readonly maxPending?: number | undefined;
  /** Most distinct events remembered for aggregation, least recent forgotten first (default 4096). */
  readonly cacheSize?: number | undefined;
}

/** An {@link EventSink} that writes core/v1 Events, with a way to wait for the writes. */
export interface EventRecorder extends EventSink {
  /** Resolves once every event emitted so far was written (or failed and was logged). */
  flush(): Promise<void>;
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
  readonly event: KubeEvent;
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
 * `count: 3`. Writes run one at a time in the background; a burst of identical events becomes
 * one write; failures are logged, never thrown.
 */
export function createEventRecorder(options: EventRecorderOptions): EventRecorder {
  const windowMs = options.aggregationWindowMs ?? 10 * 60 * 1000;
  const maxPending = options.maxPending ?? 1000;
  const cacheSize = options.cacheSize ?? 4096;
  const cache = new Map<string, Entry>();
  const pending: Entry[] = [];
  let writing: Promise<void> | undefined;
  let sequence = 0;

  const write = async (entry: Entry): Promise<void> => {
    const { client } = options;
    try {
      if (entry.created) {
        const patch = { count: entry.count, lastTimestamp: rfc3339(entry.lastMs), message: entry.event.message };
        try {
          await client.patch(EVENTS, { namespace: entry.namespace, name: entry.name }, { type: 'merge', body: patch });
          return;
        } catch (error) {
          if (!hasTag(error, 'NotFound')) throw error; // expired (events live 1 h): create it again
        }
      }
      await client.create(EVENTS, toCoreEvent(entry, options.component, options.host));
      entry.created = true;
    } catch (error) {
      options.logger?.warn({ err: error, event: entry.event, count: entry.count }, 'failed to record event');
    }
  };

  const run = async (): Promise<void> => {
    for (let entry = pending.shift(); entry !== undefined; entry = pending.shift()) {
      entry.queued = false;
      await write(entry);
    }
    writing = undefined;
  };

  return {
    emit(event) {
      const now = options.clock.now();
      const key = JSON.stringify([event.subject.apiVersion, event.subject.kind, event.subject.namespace, event.subject.name, event.subject.uid, event.type, event.reason, event.message]);
      let entry = cache.get(key);
      if (entry !== undefined && now - entry.lastMs <= windowMs) {
        entry.count += 1;
        entry.lastMs = now;
      } else {
        // client-go names events `<object>.<unix nanoseconds in hex>`; the sequence keeps names unique within a ms.
        const name = `${event.subject.name}.${(BigInt(now) * 1_000_000n + BigInt(sequence++ % 1_000_000)).toString(16)}`;
        entry = { event, name, namespace: event.subject.namespace ?? 'default', firstMs: now, lastMs: now, count: 1, created: false, queued: false };
      }
      cache.delete(key);
      cache.set(key, entry);
      if (cache.size > cacheSize) cache.delete(cache.keys().next().value ?? key);
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
