import type { Clock } from '@kruise-ts/k8s-adapter';
import { systemClock } from '@kruise-ts/k8s-adapter';
import { DelayHeap } from './delayHeap.js';
import { createRequeueRateLimiter, type BackoffOptions, type QueueRateLimit } from './rateLimiter.js';

/**
 * Hooks a work queue calls so metrics can observe it (controller-runtime's workqueue metrics).
 * Times are in seconds.
 */
export interface WorkQueueMetrics {
  /** The number of keys waiting to be handed out changed to `depth`. */
  depth(depth: number): void;
  /** A key was added (not counted when it coalesced with a key already waiting). */
  added(): void;
  /** A key waited `seconds` between being added and being handed out. */
  queueLatency(seconds: number): void;
  /** A key was processed for `seconds`, from `get()` to `done()`. */
  workDuration(seconds: number): void;
  /** A key was scheduled again later (`addAfter` or `addRateLimited`). */
  retried(): void;
}

/** Options of {@link createWorkQueue}. */
export interface WorkQueueOptions {
  /** Name of the queue, used in metrics and logs (usually the controller's name). */
  readonly name: string;
  /** Clock for delays and latencies (default: the system clock). */
  readonly clock?: Clock | undefined;
  /** Overall token bucket of `addRateLimited` (default client-go's 10 qps, burst 100). */
  readonly rateLimit?: QueueRateLimit | undefined;
  /** Per-key backoff of `addRateLimited` (default 5 ms doubling up to 1000 s). */
  readonly backoff?: BackoffOptions | undefined;
  readonly metrics?: WorkQueueMetrics | undefined;
}

/** What {@link WorkQueue.get} hands out: a key to process, or word that the queue shut down. */
export type WorkQueueItem = { readonly kind: 'key'; readonly key: string } | { readonly kind: 'shutdown' };

/**
 * A work queue with client-go's semantics: a key is never handed to two workers at once, adds of a
 * waiting key coalesce, a key added while it is processed is queued again when `done(key)` is
 * called, `addAfter` delays (the earliest request wins), `addRateLimited` backs off per key and
 * overall, and `shutDownWithDrain` waits for the keys in flight.
 */
export interface WorkQueue {
  readonly name: string;
  /** Queues `key` unless it is already waiting; ignored after shutdown. */
  add(key: string): void;
  /** Queues `key` after `ms` of the clock (at once when `ms <= 0`). */
  addAfter(key: string, ms: number): void;
  /** Queues `key` after its rate-limited delay: max(per-key backoff, token bucket wait). */
  addRateLimited(key: string): void;
  /** Clears the failure count of `key` (its backoff starts again at the base delay). */
  forget(key: string): void;
  /** Returns how many times `key` was rate-limited since it was last forgotten. */
  numRequeues(key: string): number;
  /** Resolves with the next key (marking it in flight) or `shutdown` once the queue shut down. */
  get(): Promise<WorkQueueItem>;
  /** Marks `key` as processed; if it was added meanwhile, queues it again. */
  done(key: string): void;
  /** Number of keys waiting to be handed out (not counting delayed or in-flight ones). */
  len(): number;
  /** True once `shutDown` or `shutDownWithDrain` was called. */
  readonly shuttingDown: boolean;
  /** Stops accepting keys and resolves waiting `get()` calls with `shutdown`; does not wait. */
  shutDown(): void;
  /**
   * Stops accepting keys, then resolves when every key in flight is `done`. Keys still waiting
   * are dropped: controllers are level-based and the next start lists every object again.
   */
  shutDownWithDrain(): Promise<void>;
}

/** Returns a new {@link WorkQueue} (see its documentation for the semantics). */
export function createWorkQueue(options: WorkQueueOptions): WorkQueue {
  return new Queue(options);
}

class Queue implements WorkQueue {
  readonly name: string;
  readonly #clock: Clock;
  readonly #metrics: WorkQueueMetrics | undefined;
  readonly #limiter;
  /** Waiting keys in FIFO order (a Set keeps insertion order and makes membership O(1)). */
  readonly #queue = new Set<string>();
  /** Keys that need processing: waiting ones, and in-flight ones that were added again. */
  readonly #dirty = new Set<string>();
  /** In-flight keys and when they were handed out. */
  readonly #processing = new Map<string, number>();
  /** When each waiting key was first added (for the queue latency metric). */
  readonly #addedAt = new Map<string, number>();
  readonly #delayed = new DelayHeap();
  readonly #getters: ((item: WorkQueueItem) => void)[] = [];
  readonly #drained: (() => void)[] = [];
  #timer: { readonly at: number; readonly abort: AbortController } | undefined;
  #shuttingDown = false;

  constructor(options: WorkQueueOptions) {
    this.name = options.name;
    this.#clock = options.clock ?? systemClock();
    this.#metrics = options.metrics;
    this.#limiter = createRequeueRateLimiter({ backoff: options.backoff, rateLimit: options.rateLimit, now: () => this.#clock.now() });
  }

  get shuttingDown(): boolean {
    return this.#shuttingDown;
  }

  add(key: string): void {
    if (this.#shuttingDown || this.#dirty.has(key)) return;
    this.#metrics?.added();
    this.#dirty.add(key);
    if (this.#processing.has(key)) return;
    this.#enqueue(key);
  }

  addAfter(key: string, ms: number): void {
    if (this.#shuttingDown) return;
    this.#metrics?.retried();
    if (ms <= 0) {
      this.add(key);
      return;
    }
    if (this.#delayed.schedule(key, this.#clock.now() + ms)) this.#arm();
  }

  addRateLimited(key: string): void {
    if (this.#shuttingDown) return;
    this.addAfter(key, this.#limiter.when(key));
  }

  forget(key: string): void {
    this.#limiter.forget(key);
  }

  numRequeues(key: string): number {
    return this.#limiter.numRequeues(key);
  }

  get(): Promise<WorkQueueItem> {
    if (this.#shuttingDown) return Promise.resolve({ kind: 'shutdown' });
    const key = this.#take();
    if (key !== undefined) return Promise.resolve({ kind: 'key', key });
    return new Promise((resolve) => this.#getters.push(resolve));
  }

  done(key: string): void {
    if (!this.#processing.has(key)) return;
    const started = this.#processing.get(key) ?? this.#clock.now();
    this.#processing.delete(key);
    this.#metrics?.workDuration((this.#clock.now() - started) / 1000);
    if (this.#shuttingDown) {
      this.#dirty.delete(key);
      if (this.#processing.size === 0) for (const resolve of this.#drained.splice(0)) resolve();
    } else if (this.#dirty.has(key)) {
      this.#enqueue(key);
    }
  }

  len(): number {
    return this.#queue.size;
  }

  shutDown(): void {
    if (this.#shuttingDown) return;
    this.#shuttingDown = true;
    this.#timer?.abort.abort();
    this.#timer = undefined;
    this.#delayed.clear();
    for (const key of this.#queue) this.#dirty.delete(key);
    this.#queue.clear();
    this.#addedAt.clear();
    this.#metrics?.depth(0);
    for (const resolve of this.#getters.splice(0)) resolve({ kind: 'shutdown' });
  }

  shutDownWithDrain(): Promise<void> {
    this.shutDown();
    if (this.#processing.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#drained.push(resolve));
  }

  /** Puts a dirty, not in-flight key in line, or hands it straight to a waiting `get()`. */
  #enqueue(key: string): void {
    this.#addedAt.set(key, this.#clock.now());
    const getter = this.#getters.shift();
    if (getter !== undefined) {
      getter({ kind: 'key', key: this.#start(key) });
      return;
    }
    this.#queue.add(key);
    this.#metrics?.depth(this.#queue.size);
  }

  #take(): string | undefined {
    const next = this.#queue.values().next();
    if (next.done === true) return undefined;
    this.#queue.delete(next.value);
    this.#metrics?.depth(this.#queue.size);
    return this.#start(next.value);
  }

  #start(key: string): string {
    const now = this.#clock.now();
    this.#metrics?.queueLatency((now - (this.#addedAt.get(key) ?? now)) / 1000);
    this.#addedAt.delete(key);
    this.#dirty.delete(key);
    this.#processing.set(key, now);
    return key;
  }

  /** Makes sure one clock sleep ends when the earliest delayed key is due. */
  #arm(): void {
    const next = this.#delayed.peek();
    if (next === undefined || (this.#timer !== undefined && this.#timer.at <= next.readyAt)) return;
    this.#timer?.abort.abort();
    const timer = { at: next.readyAt, abort: new AbortController() };
    this.#timer = timer;
    void this.#clock.sleep(Math.max(0, next.readyAt - this.#clock.now()), timer.abort.signal).then(
      () => {
        if (this.#timer !== timer) return;
        this.#timer = undefined;
        this.#releaseDue();
      },
      () => undefined, // aborted: a sooner timer or shutdown replaced this one
    );
  }

  #releaseDue(): void {
    const now = this.#clock.now();
    for (let next = this.#delayed.peek(); next !== undefined && next.readyAt <= now; next = this.#delayed.peek()) {
      this.#delayed.pop();
      this.add(next.key);
    }
    this.#arm();
  }
}
