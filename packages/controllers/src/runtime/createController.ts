import type { Clock } from '@kruise-ts/k8s-adapter';
import { systemClock } from '@kruise-ts/k8s-adapter';
import { merge } from 'rxjs';
import { defaultErrorPolicy, type ErrorPolicy } from './errorPolicy.js';
import { createLogger, type Logger } from './logger.js';
import { retryLogEntry } from './retryLogEntry.js';
import type { ReconcileMetrics, RuntimeMetrics } from './metrics.js';
import type { BackoffOptions, QueueRateLimit } from './rateLimiter.js';
import type { WatchSource } from './watches.js';
import { createWorkQueue, type WorkQueue } from './workQueue.js';

/**
 * How a reconcile ended without an error: `done` (wait for the next event), or `requeue` after
 * `afterMs` (`afterMs <= 0` asks for a rate-limited requeue, controller-runtime's `Requeue: true`).
 */
export type ReconcileResult = { readonly kind: 'done' } | { readonly kind: 'requeue'; readonly afterMs: number };

/** What a reconcile gets besides its key. */
export interface ReconcileContext {
  /** Aborted when the controller's start signal aborts; pass it to every API call. */
  readonly signal: AbortSignal;
  /** 1 for the first try, 2 after one failure… (reset by a success or a drop). */
  readonly attempt: number;
  /** The controller's logger with `key` bound. */
  readonly log: Logger;
}

/** Reconciles the object a key names (`namespace/name`); throws to ask the error policy. */
export type Reconciler = (key: string, context: ReconcileContext) => Promise<ReconcileResult>;

/** Options of {@link createController}. */
export interface ControllerOptions {
  /** Name in logs and metrics, e.g. `cloneset`. */
  readonly name: string;
  /** Where keys come from: `enqueueObject(cloneSets)`, `enqueueOwner(pods, { group: 'apps.kruise.io', kind: 'CloneSet' })`. */
  readonly watches: readonly WatchSource[];
  readonly reconcile: Reconciler;
  /** Workers reconciling different keys at once (default 1, as controller-runtime). */
  readonly concurrency?: number | undefined;
  /** Decides retry or drop when a reconcile throws (default {@link defaultErrorPolicy}). */
  readonly errorPolicy?: ErrorPolicy | undefined;
  readonly clock?: Clock | undefined;
  /** Parent logger; the controller logs through `logger.child({ controller: name })` (default silent). */
  readonly logger?: Logger | undefined;
  readonly metrics?: RuntimeMetrics | undefined;
  /** Rate limits of the work queue (default client-go's: 5 ms → 1000 s per key, 10 qps / 100 burst). */
  readonly queue?: { readonly rateLimit?: QueueRateLimit | undefined; readonly backoff?: BackoffOptions | undefined } | undefined;
}

/** Where a controller is in its life: waiting for caches (`syncing`), working (`running`)… */
export type ControllerState = 'idle' | 'syncing' | 'running' | 'stopping' | 'stopped';

/** A running controller loop; see {@link createController}. */
export interface Controller {
  readonly name: string;
  /** The work queue, to enqueue keys by hand (e.g. when an expectation times out). */
  readonly queue: WorkQueue;
  readonly state: ControllerState;
  /**
   * Subscribes the watches, waits until every source synced, then runs `concurrency` workers.
   * Resolves once stopped and drained: after `stop()`, or when `signal` aborts (which also aborts
   * the signal of the reconciles in flight). Rejects when a source fails to sync.
   */
  start(signal: AbortSignal): Promise<void>;
  /** Stops taking events, lets in-flight reconciles finish (not aborted), resolves when they did. */
  stop(): Promise<void>;
}

/**
 * Returns a controller: events of its watches become keys in a work queue, and workers call
 * `reconcile(key, { signal, attempt, log })` — never twice at once for one key. `done` forgets
 * the key's failures, `requeue` schedules it again, a throw goes to the error policy (retry with
 * backoff or after a delay, or drop). Metrics and logs are recorded per reconcile.
 *
 * @example
 * ```ts
 * const controller = createController({ name: 'cloneset', watches: [enqueueObject(cloneSets)], reconcile, concurrency: 3 });
 * await controller.start(signal);
 * ```
 */
export function createController(options: ControllerOptions): Controller {
  return new ControllerLoop(options);
}

class ControllerLoop implements Controller {
  readonly name: string;
  readonly queue: WorkQueue;
  #state: ControllerState = 'idle';
  readonly #options: ControllerOptions;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #metrics: ReconcileMetrics | undefined;
  readonly #concurrency: number;
  readonly #inFlight = new AbortController();
  readonly #failures = new Map<string, number>();
  readonly #stopRequest = deferred();
  readonly #finished = deferred();
  #stopRequested = false;
  #workers: Promise<void>[] = [];
  #active = 0;

  constructor(options: ControllerOptions) {
    this.name = options.name;
    this.#options = options;
    this.#clock = options.clock ?? systemClock();
    this.#log = (options.logger ?? createLogger({ level: 'silent' })).child({ controller: options.name });
    this.#concurrency = Math.max(1, Math.floor(options.concurrency ?? 1));
    this.#metrics = options.metrics?.forController(options.name, this.#concurrency);
    const metrics = options.metrics?.forWorkQueue(options.name);
    this.queue = createWorkQueue({ name: options.name, clock: this.#clock, metrics, ...options.queue });
  }

  get state(): ControllerState {
    return this.#state;
  }

  async start(signal: AbortSignal): Promise<void> {
    if (this.#state !== 'idle') throw new Error(`controller ${this.name} cannot start: it is ${this.#state}`);
    this.#state = 'syncing';
    const onAbort = (): void => {
      this.#inFlight.abort(signal.reason);
      void this.stop();
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    const subscription = merge(...this.#options.watches.map((w) => w.keys$)).subscribe({
      next: (key) => { this.queue.add(key); },
      error: (error: unknown) => { this.#log.error({ err: error }, 'a watch failed; no more events from it'); },
    });
    try {
      await Promise.race([Promise.all(this.#options.watches.map((w) => w.synced)), this.#stopRequest.promise]).catch((error: unknown) => {
        this.#log.error({ err: error }, 'caches failed to sync');
        throw error;
      });
      if (!this.#stopRequested) {
        this.#state = 'running';
        this.#log.info({ workers: this.#concurrency }, 'caches synced; starting workers');
        this.#workers = Array.from({ length: this.#concurrency }, () => this.#work());
      }
      await this.#stopRequest.promise;
    } finally {
      this.#state = 'stopping';
      subscription.unsubscribe();
      await this.queue.shutDownWithDrain();
      await Promise.all(this.#workers);
      signal.removeEventListener('abort', onAbort);
      this.#state = 'stopped';
      this.#log.info('stopped');
      this.#finished.resolve();
    }
  }

  stop(): Promise<void> {
    if (this.#state === 'idle') {
      this.#state = 'stopped';
      this.#finished.resolve();
    }
    this.#stopRequested = true;
    this.#stopRequest.resolve();
    return this.#finished.promise;
  }

  async #work(): Promise<void> {
    for (;;) {
      const item = await this.queue.get();
      if (item.kind === 'shutdown') return;
      await this.#reconcileOnce(item.key);
      this.queue.done(item.key);
    }
  }

  /** Runs one reconcile and files its outcome: never throws. */
  async #reconcileOnce(key: string): Promise<void> {
    const attempt = (this.#failures.get(key) ?? 0) + 1;
    const log = this.#log.child({ key });
    const started = this.#clock.now();
    const seconds = (): number => (this.#clock.now() - started) / 1000;
    this.#metrics?.activeWorkers(++this.#active);
    try {
      const result = await this.#options.reconcile(key, { signal: this.#inFlight.signal, attempt, log });
      this.#failures.delete(key);
      if (result.kind === 'done') {
        this.queue.forget(key);
        this.#metrics?.reconciled('success', seconds());
      } else if (result.afterMs > 0) {
        this.queue.forget(key);
        this.queue.addAfter(key, result.afterMs);
        this.#metrics?.reconciled('requeue_after', seconds());
      } else {
        this.queue.addRateLimited(key);
        this.#metrics?.reconciled('requeue', seconds());
      }
      log.debug({ result: result.kind, attempt, durationMs: this.#clock.now() - started }, 'reconciled');
    } catch (error) {
      this.#fileError(key, error, attempt, log);
      this.#metrics?.reconciled('error', seconds());
    } finally {
      this.#metrics?.activeWorkers(--this.#active);
    }
  }

  #fileError(key: string, error: unknown, attempt: number, log: Logger): void {
    const decision = (this.#options.errorPolicy ?? defaultErrorPolicy)(error, attempt);
    this.#metrics?.failed(decision.kind === 'drop');
    if (decision.kind === 'drop') {
      this.#failures.delete(key);
      this.queue.forget(key);
      log.error({ err: error, attempt, reason: decision.reason }, 'reconcile failed; dropping the key');
      return;
    }
    this.#failures.set(key, attempt);
    if (decision.afterMs === undefined) this.queue.addRateLimited(key);
    else this.queue.addAfter(key, decision.afterMs);
    const entry = retryLogEntry(error, { aborted: this.#inFlight.signal.aborted });
    log[entry.level]({ ...entry.fields, attempt, retryAfterMs: decision.afterMs ?? 'rate-limited' }, 'reconcile failed; will retry');
  }
}

/** Returns a promise with its resolve function (`Promise.withResolvers` is not in the ES2023 lib). */
function deferred(): { readonly promise: Promise<void>; readonly resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
