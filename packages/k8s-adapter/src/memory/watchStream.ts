import { WatchError, type ApiStatus, type RequestDescription } from '../errors.js';
import type { WatchEvent, WatchOptions } from '../ports.js';
import { apiVersionOf } from '../resourceType.js';
import { createDelayLine } from './delayLine.js';
import type { WatchDelivery } from './faultInjector.js';
import { deepClone, type JsonObject } from './jsonValue.js';
import type { StoredEvent } from './memoryStore.js';
import { buildObjectFilter } from './objectFilter.js';
import { resourceKey, type ResourceBehaviour } from './resourceRegistry.js';
import type { ClusterCore } from './writePipeline.js';

/** Options of the memory cluster's watches. */
export interface WatchSettings {
  /** Fake-clock interval of BOOKMARK events on long watches (default: none besides the initial one). */
  readonly bookmarkIntervalMs?: number | undefined;
  /** Ends every watch (normally) when aborted: the cluster closed. */
  readonly closed?: AbortSignal | undefined;
  /** Decides whether a stored change reaches the watches: delivered, dropped or delayed (injected faults). */
  readonly delivery?: ((event: StoredEvent) => WatchDelivery) | undefined;
}

function goneStatus(message: string): ApiStatus {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'Expired', code: 410 } as ApiStatus;
}

/**
 * Returns what a watcher with a selector sees of a stored change: an object entering the selection
 * is ADDED, one leaving it is DELETED (with its last selected state and the new resourceVersion),
 * changes outside the selection are not seen.
 */
function toWatchEvent(event: StoredEvent, selected: (o: JsonObject) => boolean): { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: JsonObject } | undefined {
  const before = event.previous !== undefined && selected(event.previous);
  if (event.type === 'DELETED') return before || selected(event.object) ? { type: 'DELETED', object: event.object } : undefined;
  if (selected(event.object)) return { type: before ? event.type : 'ADDED', object: event.object };
  if (!before) return undefined;
  const gone = deepClone(event.previous);
  (gone.metadata as JsonObject).resourceVersion = String(event.resourceVersion);
  return { type: 'DELETED', object: gone };
}

/**
 * Returns a watch stream of one resource with the apiserver's semantics: from a resourceVersion,
 * the stored changes after it (410 Gone as a WatchError when compacted or older than the kind);
 * without one (or `0`), a synthetic ADDED for each selected object then a BOOKMARK; selectors
 * applied to each change; the stream ends after `timeoutSeconds` of the cluster's clock or when
 * `signal` aborts. The stream starts when iteration starts, as an HTTP watch does. Changes made
 * after it started may be dropped or delayed by `settings.delivery` (replays from a
 * resourceVersion and the initial state are not).
 */
export function watchResource<T>(core: ClusterCore, behaviour: ResourceBehaviour, options: WatchOptions, request: RequestDescription, settings: WatchSettings): AsyncIterable<WatchEvent<T>> {
  const resource = resourceKey(behaviour.type);
  const apiVersion = apiVersionOf(behaviour.type);
  const bookmarks = options.allowWatchBookmarks ?? true;
  const out = (object: JsonObject): T => ({ ...deepClone(object), apiVersion, kind: behaviour.type.kind }) as T;

  return {
    async *[Symbol.asyncIterator]() {
      const selected = buildObjectFilter(behaviour, request, options);
      const queue: WatchEvent<T>[] = [];
      let wake: (() => void) | undefined;
      const state = { ended: false };
      const push = (event: WatchEvent<T>): void => {
        queue.push(event);
        wake?.();
      };
      const end = (): void => {
        state.ended = true;
        wake?.();
      };
      const stop = new AbortController();
      const deliver = createDelayLine(core.clock, push, stop.signal);
      const onStored = (event: StoredEvent): void => {
        if (event.resource !== resource) return;
        const seen = toWatchEvent(event, selected);
        const delivery = seen === undefined ? undefined : settings.delivery?.(event);
        if (seen !== undefined && delivery?.kind !== 'drop') deliver({ type: seen.type, object: out(seen.object) }, delivery?.kind === 'delay' ? delivery.ms : 0);
      };
      const unsubscribe = core.store.subscribe(onStored);
      options.signal?.addEventListener('abort', end, { once: true });
      settings.closed?.addEventListener('abort', end, { once: true });
      try {
        const from = options.resourceVersion;
        if (from !== undefined && from !== '' && from !== '0') {
          const events = core.store.eventsSince(resource, Number(from));
          if (events === undefined) {
            const message = `too old resource version: ${from} (${String(core.store.watchFloor(resource))})`;
            throw new WatchError(request.path, message, { status: goneStatus(message) });
          }
          const replayed = events.map((e) => toWatchEvent(e, selected)).filter((e) => e !== undefined);
          queue.unshift(...replayed.map((e) => ({ type: e.type, object: out(e.object) })));
        } else {
          const initial = core.store.list(resource, behaviour.type.namespaced ? options.namespace : undefined).filter(selected);
          queue.unshift(...initial.map((o) => ({ type: 'ADDED' as const, object: out(o) })));
          if (bookmarks) queue.splice(initial.length, 0, { type: 'BOOKMARK', resourceVersion: String(core.store.revision) });
        }
        if (options.timeoutSeconds !== undefined) core.clock.sleep(options.timeoutSeconds * 1000, stop.signal).then(end, () => undefined);
        if (bookmarks && settings.bookmarkIntervalMs !== undefined) void periodic(settings.bookmarkIntervalMs);
        for (;;) {
          const next = queue.shift();
          if (next !== undefined) {
            yield next;
            continue;
          }
          if (state.ended || options.signal?.aborted === true || settings.closed?.aborted === true) return;
          await new Promise<void>((resolve) => (wake = resolve));
          wake = undefined;
        }
      } finally {
        unsubscribe();
        stop.abort();
        options.signal?.removeEventListener('abort', end);
        settings.closed?.removeEventListener('abort', end);
      }

      async function periodic(interval: number): Promise<void> {
        try {
          for (;;) {
            await core.clock.sleep(interval, stop.signal);
            deliver({ type: 'BOOKMARK', resourceVersion: String(core.store.revision) }, 0);
          }
        } catch {
          // The watch ended.
        }
      }
    },
  };
}
