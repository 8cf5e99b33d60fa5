import { clientTimeout, internalServerError, staleConflict, tooManyRequests } from './apiErrors.js';
import { createWindowCounter, matchesWrite, namesResource, type WatchDelayRule, type WatchFaultRule, type WriteFaultRule, type WriteFilter, type WriteTarget } from './faultRules.js';
import { isJsonObject } from './jsonValue.js';
import type { StoredEvent } from './memoryStore.js';
import { createWriteCounter, type WriteCounts } from './writeCounter.js';

/** A fault rule in force: how often it has hit, and how to take it back. */
export interface FaultHandle {
  /** How many requests (or stored changes) the rule has hit so far. */
  readonly fired: number;
  /** Takes the rule out; requests and events from now on are not hit by it. */
  remove(): void;
}

/**
 * API faults injected into the memory cluster, for controller tests, and a tally of write
 * requests. Rules apply to every client of the cluster (`client`, `clientFor(...)`, raw
 * `request(...)`); by default not to the cluster's simulated components (kubelet, scheduler,
 * garbage collector...: see `SIMULATED_FIELD_MANAGERS`), unless a rule names one in `fieldManager`
 * (they do not retry a failed write until the object changes again).
 *
 * Rules are checked in the order they were added. Each rule counts the requests (or stored
 * changes) it matches from when it is added, and hits `times` of them in a row from the `nth` on;
 * when several rules hit the same request, the oldest decides, the others still count it.
 *
 * @example
 * ```ts
 * await using cluster = await createMemoryCluster();
 * // Of the patches of pod web-0 by the code under test, the 2nd and 3rd answer 409 Conflict; the
 * // simulated kubelet's status patches of web-0 neither count nor fail.
 * const conflicts = cluster.faults.failWrites({ resource: 'pods', verb: 'patch', name: 'web-0', error: 'conflict', nth: 2, times: 2 });
 * // Watchers never hear that web-1 was deleted: an informer keeps it until it relists.
 * cluster.faults.dropWatchEvents({ resource: 'pods', type: 'DELETED', name: 'web-1' });
 * for (let i = 0; i < 5; i++) await patchWeb0().catch(() => undefined); // patches 1, 4, 5 succeed
 * conflicts.fired; // 2
 * cluster.faults.writes({ resource: 'pods', verb: 'patch', name: 'web-0' }); // { succeeded: 3, failed: 2, rows: [...] }
 * ```
 */
export interface ClusterFaults {
  /** Returns the handle of a rule making the matching write requests fail with `rule.error`. */
  failWrites(rule: WriteFaultRule): FaultHandle;
  /**
   * Returns the handle of a rule by which the matching stored changes are not delivered to any
   * watch. The store still changes: a list, or a watch started later from an older
   * resourceVersion, shows them.
   */
  dropWatchEvents(rule: WatchFaultRule): FaultHandle;
  /**
   * Returns the handle of a rule by which the matching stored changes reach every watch `ms` of the
   * cluster's fake clock late (advance the clock to deliver them). A watch stays in order, like a
   * lagging connection: the events after a delayed one wait behind it (BOOKMARKs too). A watch
   * that ends (timeout, abort, close) before then loses what it held back.
   */
  delayWatchEvents(rule: WatchDelayRule): FaultHandle;
  /**
   * Returns the counts of successful and failed write requests so far, in total and by verb,
   * resource and subresource, of the writes `filter` is about (default: every writer except the
   * simulated components; `{ fieldManager: '*' }` for all). Narrow by `name` to count one pod's.
   */
  writes(filter?: WriteFilter): WriteCounts;
  /** Forgets the writes counted so far (e.g. after a test's setup). */
  resetWrites(): void;
  /** Takes every rule out. */
  clear(): void;
}

/** How the watches of the memory cluster deliver a stored change. */
export type WatchDelivery = { readonly kind: 'deliver' } | { readonly kind: 'drop' } | { readonly kind: 'delay'; readonly ms: number };

/** Returns the outcome of the write `perform` (run at once) or of the fault injected into it, as a request's promise. */
export type WriteInterceptor = <T>(target: WriteTarget, perform: () => T) => Promise<T>;

/** The fault injector of a memory cluster: the test-facing controls and the hooks its clients and watches call. */
export interface FaultInjector extends ClusterFaults {
  readonly interceptWrite: WriteInterceptor;
  /** Returns how every watch delivers `event`; decided once per stored change. */
  readonly watchDelivery: (event: StoredEvent) => WatchDelivery;
}

interface Entry<R> {
  readonly rule: R;
  readonly hit: () => boolean;
  fired: number;
}

const DELIVER: WatchDelivery = { kind: 'deliver' };

function injectedError(rule: WriteFaultRule, target: WriteTarget): Error {
  switch (rule.error) {
    case 'conflict':
      return staleConflict(target.request, target.type, target.name ?? '');
    case 'internal':
      return internalServerError(target.request, 'injected fault');
    case 'too-many-requests':
      return tooManyRequests(target.request, rule.retryAfterSeconds ?? 1);
    case 'timeout-before':
    case 'timeout-after':
      return clientTimeout(target.request);
  }
}

/** Returns a {@link FaultInjector} without rules and with an empty write tally. */
export function createFaultInjector(): FaultInjector {
  const writeRules: Entry<WriteFaultRule>[] = [];
  const watchRules: Entry<WatchFaultRule & { readonly delivery: WatchDelivery }>[] = [];
  const decided = new WeakMap<StoredEvent, WatchDelivery>();
  const counter = createWriteCounter();

  function add<R>(list: Entry<R>[], rule: R, window: WatchFaultRule | WriteFaultRule): FaultHandle {
    const entry: Entry<R> = { rule, hit: createWindowCounter(window), fired: 0 };
    list.push(entry);
    return {
      get fired() {
        return entry.fired;
      },
      remove() {
        const index = list.indexOf(entry);
        if (index >= 0) list.splice(index, 1);
      },
    };
  }

  /** Returns the oldest rule hitting this request or event, after letting every matching rule count it. */
  function pick<R>(list: readonly Entry<R>[], matches: (rule: R) => boolean): Entry<R> | undefined {
    let chosen: Entry<R> | undefined;
    for (const entry of [...list]) {
      if (!matches(entry.rule)) continue;
      const hit = entry.hit();
      if (hit && chosen === undefined) chosen = entry;
    }
    if (chosen !== undefined) chosen.fired++;
    return chosen;
  }

  function decide(event: StoredEvent): WatchDelivery {
    const slash = event.resource.indexOf('/');
    const type = { group: event.resource.slice(0, slash), plural: event.resource.slice(slash + 1) };
    const meta = isJsonObject(event.object.metadata) ? event.object.metadata : {};
    const matches = (rule: WatchFaultRule): boolean =>
      namesResource(rule.resource, type) && (rule.type === undefined || rule.type === event.type) && (rule.name === undefined || rule.name === meta.name) && (rule.namespace === undefined || rule.namespace === meta.namespace);
    return pick(watchRules, matches)?.rule.delivery ?? DELIVER;
  }

  return {
    failWrites: (rule) => add(writeRules, rule, rule),
    dropWatchEvents: (rule) => add(watchRules, { ...rule, delivery: { kind: 'drop' } }, rule),
    delayWatchEvents: (rule) => add(watchRules, { ...rule, delivery: { kind: 'delay', ms: rule.ms } }, rule),
    writes: (filter) => counter.counts(filter),
    resetWrites: () => {
      counter.reset();
    },
    clear() {
      writeRules.length = 0;
      watchRules.length = 0;
    },

    interceptWrite<T>(target: WriteTarget, perform: () => T): Promise<T> {
      const rule = pick(writeRules, (r) => matchesWrite(r, target))?.rule;
      if (rule !== undefined) {
        if (rule.error === 'timeout-after') {
          try {
            perform();
          } catch {
            // The response is lost whatever it was: the caller sees the timeout.
          }
        }
        counter.record(target, false);
        return Promise.reject(injectedError(rule, target));
      }
      try {
        const result = perform();
        counter.record(target, true);
        return Promise.resolve(result);
      } catch (error) {
        counter.record(target, false);
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    },

    watchDelivery(event) {
      let delivery = decided.get(event);
      if (delivery === undefined) decided.set(event, (delivery = decide(event)));
      return delivery;
    },
  };
}
