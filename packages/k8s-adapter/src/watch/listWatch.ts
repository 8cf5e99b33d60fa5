import { GoneError, StaleConnectionError, TransportError, WatchError } from '../errors.js';
import type { Clock, KubeClient, WatchEvent } from '../ports.js';
import type { KubeObject, ResourceType } from '../resourceType.js';
import type { Backoff } from './backoff.js';
import type { WatchRestartReason } from './informerMetric.js';

/** What a list-watch loop watches and how it paces itself. */
export interface ListWatchSettings {
  readonly namespace?: string | undefined;
  readonly labelSelector?: string | undefined;
  readonly fieldSelector?: string | undefined;
  /** Page size of lists (the client follows `continue`). */
  readonly pageSize: number;
  readonly clock: Clock;
  /**
   * A watch silent (no event, no bookmark) for this long is presumed dead and restarted; it is
   * aborted with a {@link StaleConnectionError}, so the client drops the connection it went over.
   */
  readonly watchdogMs: number;
  /** Returns the server-side timeoutSeconds of the next watch (spread so watches rotate apart). */
  readonly watchTimeoutSeconds: () => number;
  readonly backoff: Backoff;
}

/** Receives what a list-watch loop sees; called synchronously, in order. */
export interface ListWatchSink<T extends KubeObject> {
  /** A (re)list completed: the full content and its resourceVersion. */
  listed(items: T[], resourceVersion: string): void;
  /** One watch event (bookmarks included). */
  received(event: WatchEvent<T>): void;
  /** A list or watch ended and a new one follows (after a backoff delay when it failed). */
  restarted(reason: WatchRestartReason, error: unknown): void;
}

/**
 * Runs list-then-watch until `signal` aborts (the returned promise then resolves; it never
 * rejects). The watch resumes from the last resourceVersion seen (event or bookmark) after a
 * normal end, a transport failure or a watchdog timeout; a 410 Gone relists. Failures wait
 * `backoff` (reset by every event, bookmark and successful list), as kube-rs' watcher.
 */
export async function runListWatch<T extends KubeObject>(
  client: KubeClient,
  type: ResourceType<T>,
  settings: ListWatchSettings,
  sink: ListWatchSink<T>,
  signal: AbortSignal,
): Promise<void> {
  const { namespace, labelSelector, fieldSelector, backoff } = settings;
  const stopped = (): boolean => signal.aborted;
  let resourceVersion: string | undefined;
  /** Lists if needed, then watches once; returns how long to wait before the next round. */
  const round = async (): Promise<number> => {
    try {
      if (resourceVersion === undefined) {
        const list = await client.list(type, { namespace, labelSelector, fieldSelector, limit: settings.pageSize, signal });
        if (stopped()) return 0;
        backoff.reset();
        resourceVersion = list.resourceVersion;
        sink.listed(list.items, list.resourceVersion);
      }
      const outcome = await watchOnce(client, type, settings, resourceVersion, signal, (event) => {
        resourceVersion = event.type === 'BOOKMARK' ? event.resourceVersion : (event.object.metadata.resourceVersion ?? resourceVersion);
        backoff.reset();
        sink.received(event);
      });
      if (stopped()) return 0;
      sink.restarted(outcome.kind, undefined);
      // A watch that ends without a single event might be refused at once: pace it like a failure.
      return outcome.kind === 'watch-ended' && outcome.events > 0 ? 0 : backoff.next();
    } catch (error) {
      if (stopped()) return 0;
      const reason = classifyWatchFailure(error);
      if (reason === 'gone') resourceVersion = undefined;
      sink.restarted(reason, error);
      return backoff.next();
    }
  };
  while (!stopped()) {
    const delayMs = await round();
    if (delayMs > 0) await settings.clock.sleep(delayMs, signal).catch(() => undefined);
  }
}

/** Returns the restart reason for a failed list or watch: `gone` on 410, `transport-error`, or `error`. */
export function classifyWatchFailure(error: unknown): WatchRestartReason {
  if (error instanceof GoneError || (error instanceof WatchError && error.isGone)) return 'gone';
  if (error instanceof TransportError || (error instanceof WatchError && error.status === undefined)) return 'transport-error';
  return 'error';
}

interface WatchOutcome {
  readonly kind: 'watch-ended' | 'watchdog';
  /** Events and bookmarks received. */
  readonly events: number;
}

/** Watches from `resourceVersion` until the stream ends, fails (rejects) or the watchdog fires. */
async function watchOnce<T extends KubeObject>(
  client: KubeClient,
  type: ResourceType<T>,
  settings: ListWatchSettings,
  resourceVersion: string,
  signal: AbortSignal,
  onEvent: (event: WatchEvent<T>) => void,
): Promise<WatchOutcome> {
  const { clock } = settings;
  const watch = new AbortController();
  const stop = (): void => {
    watch.abort();
  };
  signal.addEventListener('abort', stop, { once: true });
  let lastSeen = clock.now();
  let events = 0;
  const fired = { watchdog: false };
  void watchdog(clock, settings.watchdogMs, () => lastSeen, watch.signal, () => {
    fired.watchdog = true;
    watch.abort(new StaleConnectionError(`watch of ${type.plural} silent for ${String(settings.watchdogMs)} ms`));
  });
  try {
    const stream = client.watch(type, {
      namespace: settings.namespace,
      labelSelector: settings.labelSelector,
      fieldSelector: settings.fieldSelector,
      resourceVersion,
      allowWatchBookmarks: true,
      timeoutSeconds: settings.watchTimeoutSeconds(),
      signal: watch.signal,
    });
    for await (const event of stream) {
      if (isAborted(watch.signal)) break;
      lastSeen = clock.now();
      events++;
      onEvent(event);
    }
  } catch (error) {
    // Aborting (stop or watchdog) may surface as an error of the pending request: not a failure.
    if (!watch.signal.aborted) throw error;
  } finally {
    signal.removeEventListener('abort', stop);
    watch.abort();
  }
  return { kind: fired.watchdog ? 'watchdog' : 'watch-ended', events };
}

/** Calls `fire` once `clock.now() - lastSeen()` reaches `limitMs`; returns early when `signal` aborts. */
async function watchdog(clock: Clock, limitMs: number, lastSeen: () => number, signal: AbortSignal, fire: () => void): Promise<void> {
  while (!signal.aborted) {
    const idle = clock.now() - lastSeen();
    if (idle >= limitMs) {
      fire();
      return;
    }
    try {
      await clock.sleep(limitMs - idle, signal);
    } catch {
      return;
    }
  }
}

/** Returns `signal.aborted` (a call, so the type checker does not assume it stays unchanged). */
function isAborted(signal: AbortSignal): boolean {
  return signal.aborted;
}
