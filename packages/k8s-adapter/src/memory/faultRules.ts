import type { RequestDescription } from '../errors.js';
import type { ResourceType } from '../resourceType.js';

/** A write verb as the fault rules and write counts name it: POST, PUT, PATCH and DELETE requests. */
export type WriteVerb = 'create' | 'update' | 'patch' | 'delete';

/**
 * The field managers of the memory cluster's own simulated components (apiserver, kubelet and node
 * lifecycle as kwok, scheduler, garbage collector, namespace and node controllers). Fault rules
 * and write counts leave their writes out unless they name one in `fieldManager` (or say `'*'`).
 */
export const SIMULATED_FIELD_MANAGERS: readonly string[] = ['kube-apiserver', 'kwok', 'kube-scheduler', 'generic-garbage-collector', 'namespace-controller', 'kube-controller-manager'];

/** Which write requests a fault rule or a write count is about; every field given must match. */
export interface WriteFilter {
  /** Plural resource (`pods`, `persistentvolumeclaims`, `clonesets`), or qualified by group (`clonesets.apps.kruise.io`). */
  readonly resource?: string | undefined;
  readonly verb?: WriteVerb | undefined;
  /**
   * `status`, `scale`, `resize`, `binding` (the scheduler), `eviction` (a create)... Omitted = the
   * main resource and every subresource; `''` = the main resource only.
   */
  readonly subresource?: string | undefined;
  /** Name of the object written (a create with only `generateName` has none, so never matches a name). */
  readonly name?: string | undefined;
  readonly namespace?: string | undefined;
  /**
   * The writer: the request's field manager, else its client's (`clientFor(manager)`). Omitted =
   * every writer except the cluster's simulated components ({@link SIMULATED_FIELD_MANAGERS});
   * `'*'` = every writer.
   */
  readonly fieldManager?: string | undefined;
}

/** Which of the matching requests (or events) a rule hits: `times` in a row from the `nth` on. */
export interface FaultWindow {
  /** 1-based index of the first matching request (or event) hit, counted from when the rule is added (default 1). */
  readonly nth?: number | undefined;
  /** How many consecutive matching requests (or events) are hit from the `nth` on (default 1; `Infinity` = all). */
  readonly times?: number | undefined;
}

/**
 * What an injected write fault answers, as a real apiserver and `createKubeClient` would:
 * - `conflict`: 409 ConflictError, the apiserver's "the object has been modified" Status;
 * - `internal`: 500 InternalError (an `ApiStatusError` with reason `InternalError`);
 * - `too-many-requests`: 429 TooManyRequestsError with `retryAfterSeconds` (the memory client
 *   surfaces it at once, as the real client does once its retries are spent);
 * - `timeout-before`: the request is not applied; the caller gets the `TransportError` of a client
 *   timeout (its `cause` is the `TimeoutError` DOMException an aborted fetch raises);
 * - `timeout-after`: the request IS applied (its watch events are emitted) but the caller gets
 *   the same `TransportError`, as when the response is lost.
 */
export type WriteFaultError = 'conflict' | 'internal' | 'too-many-requests' | 'timeout-before' | 'timeout-after';

/** A rule of `faults.failWrites`: which writes fail and how. */
export interface WriteFaultRule extends WriteFilter, FaultWindow {
  readonly resource: string;
  readonly error: WriteFaultError;
  /** `retryAfterSeconds` of a `too-many-requests` answer (default 1). */
  readonly retryAfterSeconds?: number | undefined;
}

/** A rule of `faults.dropWatchEvents`: which watch events are lost. */
export interface WatchFaultRule extends FaultWindow {
  /** Plural resource, or qualified by group, as in {@link WriteFilter}. */
  readonly resource: string;
  /** The change as stored (a watch with a selector may see it as another type); omitted = any. */
  readonly type?: 'ADDED' | 'MODIFIED' | 'DELETED' | undefined;
  readonly name?: string | undefined;
  readonly namespace?: string | undefined;
}

/** A rule of `faults.delayWatchEvents`: which watch events arrive late, and by how much. */
export interface WatchDelayRule extends WatchFaultRule {
  /** Delay of the cluster's fake clock, in ms. */
  readonly ms: number;
}

/** One write request as the fault injector sees it. */
export interface WriteTarget {
  readonly request: RequestDescription;
  readonly verb: WriteVerb;
  readonly type: ResourceType;
  readonly subresource: string | undefined;
  readonly name: string | undefined;
  readonly namespace: string | undefined;
  readonly fieldManager: string;
}

/** Returns whether `resource` (plural, or `plural.group`) names the resource of `group` and `plural`. */
export function namesResource(resource: string | undefined, type: Pick<ResourceType, 'group' | 'plural'>): boolean {
  return resource === undefined || resource === type.plural || (type.group !== '' && resource === `${type.plural}.${type.group}`);
}

/** Returns whether the write `target` is one `filter` is about. */
export function matchesWrite(filter: WriteFilter, target: WriteTarget): boolean {
  const writer = filter.fieldManager;
  const byWriter = writer === undefined ? !SIMULATED_FIELD_MANAGERS.includes(target.fieldManager) : writer === '*' || writer === target.fieldManager;
  const sub = filter.subresource;
  const bySubresource = sub === undefined || (sub === '' ? target.subresource === undefined : sub === target.subresource);
  return (
    byWriter &&
    bySubresource &&
    namesResource(filter.resource, target.type) &&
    (filter.verb === undefined || filter.verb === target.verb) &&
    (filter.name === undefined || filter.name === target.name) &&
    (filter.namespace === undefined || filter.namespace === target.namespace)
  );
}

/**
 * Returns the counter of a rule's window: called with each matching request (or event), it answers
 * whether this one is hit. nth 2, times 3 → the 1st passes, the 2nd, 3rd and 4th are hit, the rest pass.
 */
export function createWindowCounter(window: FaultWindow): () => boolean {
  const nth = window.nth ?? 1;
  const times = window.times ?? 1;
  if (!Number.isInteger(nth) || nth < 1) throw new RangeError(`fault rule: nth must be an integer >= 1, got ${String(nth)}`);
  if (!(Number.isInteger(times) || times === Infinity) || times < 1) throw new RangeError(`fault rule: times must be an integer >= 1 or Infinity, got ${String(times)}`);
  let seen = 0;
  return () => {
    seen++;
    return seen >= nth && seen - nth < times;
  };
}
