import type { KubeObject, ResourceType } from './resourceType.js';

/** Identifies one object: its name, and its namespace for namespaced kinds. */
export interface ObjectKey {
  readonly name: string;
  readonly namespace?: string | undefined;
}

/** Options of a list call. */
export interface ListOptions {
  /** Namespace to list in; omitted = all namespaces (or a cluster-scoped kind). */
  readonly namespace?: string | undefined;
  /** Label selector string, e.g. `app=nginx,tier in (web)`. */
  readonly labelSelector?: string | undefined;
  readonly fieldSelector?: string | undefined;
  /** Page size; the client follows `continue` tokens and returns every page. */
  readonly limit?: number | undefined;
  /** `0` reads from the watch cache (may be stale); omitted = a consistent read. */
  readonly resourceVersion?: string | undefined;
  readonly signal?: AbortSignal | undefined;
}

/** The items of a list call and the collection's resourceVersion (start a watch from it). */
export interface ObjectList<T> {
  readonly items: T[];
  readonly resourceVersion: string;
}

/** Options shared by writes. */
export interface WriteOptions {
  /** Name of the writer recorded in managedFields (default: the client's fieldManager). */
  readonly fieldManager?: string | undefined;
  /** Validate and admit but do not persist. */
  readonly dryRun?: boolean | undefined;
  readonly signal?: AbortSignal | undefined;
}

/** One RFC 6902 JSON patch operation. */
export type JsonPatchOperation =
  | { readonly op: 'add' | 'replace' | 'test'; readonly path: string; readonly value: unknown }
  | { readonly op: 'remove'; readonly path: string }
  | { readonly op: 'move' | 'copy'; readonly from: string; readonly path: string };

/**
 * A patch, by kind: JSON merge patch (RFC 7386), JSON patch (RFC 6902), strategic merge (built-in
 * kinds only), or server-side apply (the full intent of `fieldManager`; `force` takes conflicting
 * fields over from other managers).
 */
export type Patch =
  | { readonly type: 'merge'; readonly body: Record<string, unknown> }
  | { readonly type: 'json'; readonly operations: readonly JsonPatchOperation[] }
  | { readonly type: 'strategic'; readonly body: Record<string, unknown> }
  | { readonly type: 'apply'; readonly body: KubeObject; readonly force?: boolean };

/** Options of a patch call. */
export interface PatchOptions extends WriteOptions {
  /** `status`, `scale`, `resize`... */
  readonly subresource?: string | undefined;
}

/** Options of a delete call. */
export interface DeleteOptions {
  /** Delete only if the object still has this uid / resourceVersion. */
  readonly preconditions?: { readonly uid?: string; readonly resourceVersion?: string } | undefined;
  readonly propagationPolicy?: 'Foreground' | 'Background' | 'Orphan' | undefined;
  readonly gracePeriodSeconds?: number | undefined;
  readonly dryRun?: boolean | undefined;
  readonly signal?: AbortSignal | undefined;
}

/** Options of a watch. */
export interface WatchOptions {
  readonly namespace?: string | undefined;
  readonly labelSelector?: string | undefined;
  readonly fieldSelector?: string | undefined;
  /** Start after this resourceVersion (from a list); omitted = synthetic ADDED events for all. */
  readonly resourceVersion?: string | undefined;
  /** Ask for BOOKMARK events carrying the latest resourceVersion (default true). */
  readonly allowWatchBookmarks?: boolean | undefined;
  /** Server-side timeout of the watch in seconds; the stream then ends normally. */
  readonly timeoutSeconds?: number | undefined;
  /** Ends the stream (the iterator returns) when aborted. */
  readonly signal?: AbortSignal | undefined;
}

/** One event of a watch stream. */
export type WatchEvent<T> =
  | { readonly type: 'ADDED' | 'MODIFIED' | 'DELETED'; readonly object: T }
  | { readonly type: 'BOOKMARK'; readonly resourceVersion: string };

/**
 * The read/write port to a Kubernetes API: typed CRUD, patches of every kind, subresources and
 * watches. Implemented over `@kubernetes/client-node` by `createKubeClient`, and in memory by the
 * memory cluster. Failures are the tagged errors of `errors.ts`.
 */
export interface KubeClient {
  get<T extends KubeObject>(type: ResourceType<T>, key: ObjectKey, options?: { signal?: AbortSignal; subresource?: string }): Promise<T>;
  list<T extends KubeObject>(type: ResourceType<T>, options?: ListOptions): Promise<ObjectList<T>>;
  create<T extends KubeObject>(type: ResourceType<T>, object: T, options?: WriteOptions): Promise<T>;
  /** PUT: replaces the object; fails with a ConflictError when `metadata.resourceVersion` is stale. */
  replace<T extends KubeObject>(type: ResourceType<T>, object: T, options?: WriteOptions & { subresource?: string }): Promise<T>;
  patch<T extends KubeObject>(type: ResourceType<T>, key: ObjectKey, patch: Patch, options?: PatchOptions): Promise<T>;
  /** Deletes the object (with finalizers it stays, with a deletionTimestamp, until they are removed). */
  delete<T extends KubeObject>(type: ResourceType<T>, key: ObjectKey, options?: DeleteOptions): Promise<void>;
  /** Streams watch events until the server ends the watch, an error occurs, or `signal` aborts. */
  watch<T extends KubeObject>(type: ResourceType<T>, options?: WatchOptions): AsyncIterable<WatchEvent<T>>;
  /** Performs a raw request against the API (for discovery, health, and kinds without a descriptor). */
  request(verb: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, options?: { body?: unknown; contentType?: string; signal?: AbortSignal }): Promise<unknown>;
}

/**
 * The clock port: real time in production, a controllable fake in tests and in the memory
 * cluster. Times are epoch milliseconds (the unit `@kruise-ts/core` takes).
 */
export interface Clock {
  /** Current time in epoch milliseconds. */
  now(): number;
  /** Resolves after `ms` of this clock's time; rejects with the signal's reason when aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** What an event is about: the object's kind, name, namespace and uid. */
export interface EventSubject {
  readonly apiVersion?: string | undefined;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string | undefined;
  readonly uid?: string | undefined;
}

/** A Kubernetes Event to record, e.g. `Normal SuccessfulCreate "create Pod web-x7k2p"`. */
export interface KubeEvent {
  readonly subject: EventSubject;
  readonly type: 'Normal' | 'Warning';
  /** UpperCamelCase reason, as OpenKruise uses: `SuccessfulCreate`, `FailedUpdate`... */
  readonly reason: string;
  readonly message: string;
}

/** The event port: records Kubernetes Events (fire and forget; failures are only logged). */
export interface EventSink {
  emit(event: KubeEvent): void;
}

/**
 * The logging an adapter needs: a warning, fields first, then the message. A pino logger fits as
 * it is (`logger.warn({ err, count: 3 }, 'failed to record event')`), and so does the manager's
 * `Logger`; a test can collect the calls in an array.
 */
export interface WarnLogger {
  warn(fields: Record<string, unknown>, message: string): void;
}
