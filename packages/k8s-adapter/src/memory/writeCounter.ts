import { matchesWrite, type WriteFilter, type WriteTarget, type WriteVerb } from './faultRules.js';

/** The write requests of one verb, resource and subresource. */
export interface WriteCountRow {
  readonly verb: WriteVerb;
  /** Plural resource, e.g. `pods`. */
  readonly resource: string;
  /** API group, `''` for the core group. */
  readonly group: string;
  /** `status`, `resize`...; undefined for the main resource. */
  readonly subresource: string | undefined;
  /** Requests that succeeded. */
  readonly succeeded: number;
  /** Requests that failed, with an injected fault or a real error (Conflict, NotFound, Invalid...). */
  readonly failed: number;
}

/** Counts of write requests: totals, and one row per verb, resource and subresource. */
export interface WriteCounts {
  readonly succeeded: number;
  readonly failed: number;
  /** Sorted by group, resource, subresource (main resource first), then verb. */
  readonly rows: readonly WriteCountRow[];
}

/** The write tally of the memory cluster. */
export interface WriteCounter {
  /** Records the outcome of one write request. */
  record(target: WriteTarget, succeeded: boolean): void;
  /** Returns the counts of the writes `filter` is about (default: every writer but the simulated components). */
  counts(filter?: WriteFilter): WriteCounts;
  /** Forgets every write recorded so far. */
  reset(): void;
}

interface Tally {
  readonly target: WriteTarget;
  succeeded: number;
  failed: number;
}

const rowKey = (t: WriteTarget): string => JSON.stringify([t.type.group, t.type.plural, t.subresource ?? '', t.verb]);

/** Returns an empty {@link WriteCounter}; it keeps one tally per verb, resource, subresource, object and writer. */
export function createWriteCounter(): WriteCounter {
  const tallies = new Map<string, Tally>();
  return {
    record(target, succeeded) {
      const key = JSON.stringify([rowKey(target), target.namespace ?? '', target.name ?? '', target.fieldManager]);
      let tally = tallies.get(key);
      if (tally === undefined) tallies.set(key, (tally = { target, succeeded: 0, failed: 0 }));
      if (succeeded) tally.succeeded++;
      else tally.failed++;
    },
    counts(filter = {}) {
      const rows = new Map<string, { -readonly [K in keyof WriteCountRow]: WriteCountRow[K] }>();
      for (const { target, succeeded, failed } of tallies.values()) {
        if (!matchesWrite(filter, target)) continue;
        const key = rowKey(target);
        const row = rows.get(key) ?? { verb: target.verb, resource: target.type.plural, group: target.type.group, subresource: target.subresource, succeeded: 0, failed: 0 };
        row.succeeded += succeeded;
        row.failed += failed;
        rows.set(key, row);
      }
      const sorted = [...rows.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
      return { succeeded: sorted.reduce((n, r) => n + r.succeeded, 0), failed: sorted.reduce((n, r) => n + r.failed, 0), rows: sorted };
    },
    reset() {
      tallies.clear();
    },
  };
}
