/**
 * Test doubles for the informer, expectation and leader-election unit tests (not exported by the
 * package, not published): a KubeClient whose lists and watches the test drives by hand, and a
 * leader-election candidate that logs its callbacks. Their clock is `createFakeClock`.
 */
import type { KubeClient, ListOptions, ObjectList, WatchEvent, WatchOptions } from '../ports.js';
import type { KubeObject } from '../resourceType.js';
import { createLeaderElector, type LeaderElector, type LeaderElectorOptions } from '../leaderElection/createLeaderElector.js';

/** One watch opened on a {@link FakeWatchClient}: the test pushes its events. */
export interface FakeWatch<T> {
  readonly options: WatchOptions;
  push(event: WatchEvent<T>): void;
  /** Ends the stream normally (as a server timeout does). */
  end(): void;
  /** Breaks the stream with `error`. */
  fail(error: unknown): void;
  /** True once the consumer aborted it. */
  readonly aborted: boolean;
}

/** A KubeClient serving lists from `listResult` and watches the test drives. */
export interface FakeWatchClient<T extends KubeObject> {
  readonly client: KubeClient;
  /** What the next list returns (or throws). */
  listResult: ObjectList<T> | Error;
  readonly lists: ListOptions[];
  readonly watches: FakeWatch<T>[];
  /** Returns the last watch opened. */
  lastWatch(): FakeWatch<T>;
}

/** Returns a {@link FakeWatchClient} with an empty list at resourceVersion `1`. */
export function createFakeWatchClient<T extends KubeObject>(): FakeWatchClient<T> {
  const fake: FakeWatchClient<T> = {
    listResult: { items: [], resourceVersion: '1' },
    lists: [],
    watches: [],
    lastWatch() {
      const watch = fake.watches.at(-1);
      if (watch === undefined) throw new Error('no watch opened');
      return watch;
    },
    client: {
      list: <U extends KubeObject>(_type: unknown, options: ListOptions = {}): Promise<ObjectList<U>> => {
        fake.lists.push(options);
        const result = fake.listResult;
        return result instanceof Error ? Promise.reject(result) : Promise.resolve(structuredClone(result) as unknown as ObjectList<U>);
      },
      watch: <U extends KubeObject>(_type: unknown, options: WatchOptions = {}): AsyncIterable<WatchEvent<U>> => {
        const watch = openWatch<T>(options);
        fake.watches.push(watch);
        return watch.stream as unknown as AsyncIterable<WatchEvent<U>>;
      },
      get: unsupported,
      create: unsupported,
      replace: unsupported,
      patch: unsupported,
      delete: unsupported,
      request: unsupported,
    },
  };
  return fake;
}

function unsupported(): never {
  throw new Error('not supported by the fake watch client');
}

type Item<T> = { kind: 'event'; event: WatchEvent<T> } | { kind: 'end' } | { kind: 'fail'; error: unknown };

function openWatch<T>(options: WatchOptions): FakeWatch<T> & { stream: AsyncIterable<WatchEvent<T>> } {
  const queue: Item<T>[] = [];
  let wake: (() => void) | undefined;
  const enqueue = (item: Item<T>): void => {
    queue.push(item);
    wake?.();
  };
  options.signal?.addEventListener('abort', () => {
    enqueue({ kind: 'end' });
  });
  async function* stream(): AsyncGenerator<WatchEvent<T>> {
    for (;;) {
      const item = queue.shift();
      if (item === undefined) {
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      if (item.kind === 'end') return;
      if (item.kind === 'fail') throw item.error;
      yield item.event;
    }
  }
  return {
    options,
    stream: stream(),
    push: (event) => {
      enqueue({ kind: 'event', event });
    },
    end: () => {
      enqueue({ kind: 'end' });
    },
    fail: (error) => {
      enqueue({ kind: 'fail', error });
    },
    get aborted() {
      return options.signal?.aborted === true;
    },
  };
}

/** A leader-election candidate started for a test, with a log of its callbacks. */
export interface TestCandidate {
  readonly elector: LeaderElector;
  readonly abort: AbortController;
  /** `started`, `stopped` and `leader <identity>` entries, in order. */
  readonly log: string[];
  /** Settles when `run` returns. */
  readonly done: Promise<void>;
}

/** Returns a started candidate whose callbacks append to its `log`. */
export function startCandidate(options: Omit<LeaderElectorOptions, 'onStartedLeading' | 'onStoppedLeading' | 'onNewLeader'>): TestCandidate {
  const log: string[] = [];
  const abort = new AbortController();
  const elector = createLeaderElector({
    ...options,
    onStartedLeading: () => {
      log.push('started');
    },
    onStoppedLeading: () => log.push('stopped'),
    onNewLeader: (leader) => log.push(`leader ${leader}`),
  });
  return { elector, abort, log, done: elector.run(abort.signal) };
}
