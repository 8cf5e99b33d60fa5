import type { KubeConfig } from '@kubernetes/client-node';
import type { Dispatcher } from 'undici';
import { TransportError, WatchError, isStaleConnection, toKubeApiError, type ApiStatus, type RequestDescription } from '../errors.js';
import type { Clock, DeleteOptions, KubeClient, ListOptions, ObjectKey, ObjectList, Patch, PatchOptions, WatchEvent, WatchOptions, WriteOptions } from '../ports.js';
import { apiVersionOf, resourcePath, type KubeObject, type ResourceType } from '../resourceType.js';
import { createApiConnections, type ApiConnection, type DroppedConnection } from './createApiConnections.js';
import { createTokenBucket, type RateLimit } from './tokenBucket.js';
import { readNdjson } from './readNdjson.js';
import { systemClock } from './systemClock.js';

/** Options of {@link createKubeClient}. */
export interface KubeClientOptions {
  /** Field manager recorded for writes (default `kruise-ts`). */
  readonly fieldManager?: string;
  /** Client-side rate limit (client-go's QPS/burst); omitted = unlimited. */
  readonly rateLimit?: RateLimit | undefined;
  /** User-Agent header (default `kruise-ts`). */
  readonly userAgent?: string;
  /**
   * Timeout of each non-watch request in ms (default 30 000). A request that times out presumes
   * its connection dead (as a watch aborted with a `StaleConnectionError` does): the connection is
   * taken out of use and checked, see `pingTimeoutMs`.
   */
  readonly requestTimeoutMs?: number;
  /**
   * How long a connection presumed dead has to answer a check (`GET /version` over it) before it
   * is destroyed with whatever is still in flight over it, in ms (default the request timeout,
   * at most 15 000: client-go's HTTP/2 PingTimeout).
   */
  readonly pingTimeoutMs?: number;
  /** Called once a connection presumed dead has been checked: `dead` (destroyed) or `alive` (left to drain). */
  readonly onConnectionDropped?: ((outcome: DroppedConnection) => void) | undefined;
  /** How often a throttled (429) or Retry-After request is retried (default 10, as client-go). */
  readonly maxRetries?: number;
  /**
   * The clock the retry of a throttled request waits on (default {@link systemClock}); a fake clock
   * (`createFakeClock`) lets a test drive the retry without waiting.
   */
  readonly clock?: Clock | undefined;
}

const PATCH_CONTENT_TYPES: Record<Patch['type'], string> = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

type Query = Record<string, string | number | boolean | undefined>;

/**
 * Returns a {@link KubeClient} over the cluster of `kubeConfig`. Authentication and TLS come from
 * `@kubernetes/client-node` (certificates, tokens, exec plugins); requests go through undici's
 * `request` (not its `fetch`, whose WHATWG layer cost more CPU than the request itself: see
 * `bench/clientCpu.bench.ts`). Both are imported on the first request, not with the package (see
 * `loadKubeConfig`): a `KubeConfig` in hand means client-node is loaded already, so this costs
 * nothing then.
 */
export function createKubeClient(kubeConfig: KubeConfig, options: KubeClientOptions = {}): KubeClient {
  const server = kubeConfig.getCurrentCluster()?.server;
  if (server === undefined) throw new Error('kubeconfig has no current cluster');
  const acquire = createTokenBucket(options.rateLimit);
  const fieldManager = options.fieldManager ?? 'kruise-ts';
  const timeoutMs = options.requestTimeoutMs ?? 30_000;
  const maxRetries = options.maxRetries ?? 10;
  const clock = options.clock ?? systemClock();
  const connections = createApiConnections(kubeConfig, { pingTimeoutMs: options.pingTimeoutMs ?? Math.min(timeoutMs, 15_000), onDropped: options.onConnectionDropped });

  /**
   * Sends one request. Like client-go, a 429 or a 5xx carrying Retry-After is retried after the
   * delay the server asked for (at most `maxRetries` times): the apiserver answers so while a
   * new CRD's storage initialises or when it sheds load. The wait is on `clock` and ends early when
   * `init.signal` aborts: the call then rejects with the signal's reason. A timeout, or an abort
   * whose reason is a `StaleConnectionError`, presumes the connection dead (see `ApiConnections`).
   */
  async function send(verb: string, path: string, query: Query, init: { body?: string; contentType?: string; signal?: AbortSignal | undefined; watch?: boolean }): Promise<Sent> {
    const description: RequestDescription = { verb, path };
    const url = new URL(`${server}${path}`);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
    for (let attempt = 0; ; attempt++) {
      await acquire(init.signal);
      const { headers, connection } = await connections.acquire(url.toString(), verb);
      const timeout = init.watch === true ? undefined : AbortSignal.timeout(timeoutMs);
      const signals = [init.signal, timeout].filter((s): s is AbortSignal => s !== undefined);
      let response: Dispatcher.ResponseData;
      try {
        const { request } = await import('undici');
        response = await request(url, {
          method: verb,
          headers: { ...headers, accept: 'application/json', 'user-agent': options.userAgent ?? 'kruise-ts', ...(init.contentType ? { 'content-type': init.contentType } : {}) },
          ...(init.body === undefined ? {} : { body: init.body }),
          dispatcher: init.watch === true ? connection.watches : connection.dispatcher,
          ...(signals.length > 0 ? { signal: signals.length === 1 ? signals[0] : AbortSignal.any(signals) } : {}),
        });
      } catch (error) {
        suspect(connection, init.signal, timeout);
        throw new TransportError(description, error);
      }
      const code = response.statusCode;
      if (code >= 200 && code < 300) return { response, connection, timeout };
      const retryAfter = Number(header(response, 'retry-after') ?? NaN);
      const text = await response.body.text().catch(() => '');
      if ((code === 429 || (code >= 500 && Number.isFinite(retryAfter))) && attempt < maxRetries && init.signal?.aborted !== true) {
        await clock.sleep(Math.min(Number.isFinite(retryAfter) ? retryAfter * 1000 : 1000, 10_000), init.signal);
        continue;
      }
      let status: ApiStatus;
      try {
        status = JSON.parse(text) as ApiStatus;
      } catch {
        status = { code, message: text.slice(0, 500) };
      }
      throw toKubeApiError(description, code, status);
    }
  }

  /** Presumes `connection` dead when the request timed out or its caller aborted it as stale. */
  function suspect(connection: ApiConnection, signal: AbortSignal | undefined, timeout: AbortSignal | undefined): void {
    if ((timeout?.aborted === true && signal?.aborted !== true) || (signal?.aborted === true && isStaleConnection(signal.reason))) connections.presumeDead(connection);
  }

  async function json<T>(verb: string, path: string, query: Query, init: { body?: unknown; contentType?: string; signal?: AbortSignal | undefined } = {}): Promise<T> {
    const body = init.body === undefined ? undefined : JSON.stringify(init.body);
    const { response, connection, timeout } = await send(verb, path, query, {
      ...(body === undefined ? {} : { body, contentType: init.contentType ?? 'application/json' }),
      signal: init.signal,
    });
    let text: string;
    try {
      text = await response.body.text();
    } catch (error) {
      suspect(connection, init.signal, timeout);
      throw new TransportError({ verb, path }, error);
    }
    if (text === '') return undefined as T;
    // Health endpoints (`/readyz`, `/livez`) answer plain text; every API answer is JSON.
    return (header(response, 'content-type')?.includes('json') === false ? text : JSON.parse(text)) as T;
  }

  const writeQuery = (o: WriteOptions | undefined): Query => ({ fieldManager: o?.fieldManager ?? fieldManager, dryRun: o?.dryRun === true ? 'All' : undefined });
  const withTypeMeta = <T extends KubeObject>(type: ResourceType<T>, object: T): T => ({ ...object, apiVersion: object.apiVersion ?? apiVersionOf(type), kind: object.kind ?? type.kind });
  const keyOf = (object: KubeObject): ObjectKey => ({ name: object.metadata.name ?? '', namespace: object.metadata.namespace });

  return {
    get: (type, key, o) => json('GET', resourcePath(type, { ...key, subresource: o?.subresource }), {}, { signal: o?.signal }),

    async list<T extends KubeObject>(type: ResourceType<T>, o: ListOptions = {}): Promise<ObjectList<T>> {
      const items: T[] = [];
      let next: string | undefined;
      let resourceVersion: string;
      do {
        const page = await json<{ items: T[]; metadata: { continue?: string; resourceVersion: string } }>('GET', resourcePath(type, { namespace: o.namespace }), {
          labelSelector: o.labelSelector,
          fieldSelector: o.fieldSelector,
          limit: o.limit,
          continue: next,
          resourceVersion: next === undefined ? o.resourceVersion : undefined,
        }, { signal: o.signal });
        const apiVersion = apiVersionOf(type);
        for (const item of page.items) items.push({ ...item, apiVersion, kind: type.kind });
        next = page.metadata.continue === '' ? undefined : page.metadata.continue;
        resourceVersion = page.metadata.resourceVersion;
      } while (next !== undefined);
      return { items, resourceVersion };
    },

    create: (type, object, o) =>
      json('POST', resourcePath(type, { namespace: object.metadata.namespace }), writeQuery(o), { body: withTypeMeta(type, object), signal: o?.signal }),

    replace: (type, object, o) =>
      json('PUT', resourcePath(type, { ...keyOf(object), subresource: o?.subresource }), writeQuery(o), { body: withTypeMeta(type, object), signal: o?.signal }),

    patch(type, key, patch: Patch, o?: PatchOptions) {
      const applied = (): unknown => {
        const metadata = { ...(patch.type === 'apply' ? patch.body.metadata : {}), name: key.name, ...(key.namespace === undefined ? {} : { namespace: key.namespace }) };
        return patch.type === 'apply' ? { apiVersion: apiVersionOf(type), kind: type.kind, ...patch.body, metadata } : undefined;
      };
      const body = patch.type === 'json' ? patch.operations : patch.type === 'apply' ? applied() : patch.body;
      const query = { ...writeQuery(o), force: patch.type === 'apply' && patch.force === true ? true : undefined };
      return json('PATCH', resourcePath(type, { ...key, subresource: o?.subresource }), query, { body, contentType: PATCH_CONTENT_TYPES[patch.type], signal: o?.signal });
    },

    async delete(type, key, o: DeleteOptions = {}) {
      const body = { apiVersion: 'v1', kind: 'DeleteOptions', preconditions: o.preconditions, propagationPolicy: o.propagationPolicy, gracePeriodSeconds: o.gracePeriodSeconds };
      await json('DELETE', resourcePath(type, key), { dryRun: o.dryRun === true ? 'All' : undefined }, { body, signal: o.signal });
    },

    watch<T extends KubeObject>(type: ResourceType<T>, o: WatchOptions = {}): AsyncIterable<WatchEvent<T>> {
      const path = resourcePath(type, { namespace: o.namespace });
      const query: Query = {
        watch: 1,
        resourceVersion: o.resourceVersion,
        allowWatchBookmarks: o.allowWatchBookmarks ?? true,
        labelSelector: o.labelSelector,
        fieldSelector: o.fieldSelector,
        timeoutSeconds: o.timeoutSeconds,
      };
      return watchStream<T>(() => send('GET', path, query, { signal: o.signal, watch: true }), path, type, o.signal, (connection) => {
        suspect(connection, o.signal, undefined);
      });
    },

    request: (verb, path, o = {}) => json(verb, path, {}, o),
  };
}

/** A response header's value (the first, when repeated). */
function header(response: Dispatcher.ResponseData, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

interface Sent {
  readonly response: Dispatcher.ResponseData;
  /** The connection the request went over. */
  readonly connection: ApiConnection;
  /** The request's timeout (none for a watch). */
  readonly timeout: AbortSignal | undefined;
}

async function* watchStream<T extends KubeObject>(
  open: () => Promise<Sent>,
  path: string,
  type: ResourceType<T>,
  signal: AbortSignal | undefined,
  ended: (connection: ApiConnection) => void,
): AsyncGenerator<WatchEvent<T>> {
  const { response, connection } = await open();
  const apiVersion = apiVersionOf(type);
  try {
    for await (const line of readNdjson(response.body as AsyncIterable<Uint8Array>)) {
      const event = line as { type: string; object: KubeObject & ApiStatus };
      if (event.type === 'ERROR') throw new WatchError(path, event.object.message ?? 'error event', { status: event.object });
      if (event.type === 'BOOKMARK') {
        yield { type: 'BOOKMARK', resourceVersion: event.object.metadata.resourceVersion ?? '' };
      } else if (event.type === 'ADDED' || event.type === 'MODIFIED' || event.type === 'DELETED') {
        yield { type: event.type, object: { ...(event.object as unknown as T), apiVersion, kind: type.kind } };
      }
    }
  } catch (error) {
    if (signal?.aborted === true) return;
    if (error instanceof WatchError) throw error;
    throw new WatchError(path, error instanceof Error ? error.message : String(error), { cause: error });
  } finally {
    ended(connection);
  }
}
