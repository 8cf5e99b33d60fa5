/** What {@link onShutdownSignals} listens on: `process`, or an emitter standing in for it in tests. */
export interface SignalTarget {
  on(event: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  off(event: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  exit(code: number): void;
}

/** Options of {@link onShutdownSignals}. */
export interface ShutdownSignalOptions {
  /** Signals that start a graceful shutdown (default SIGTERM and SIGINT). */
  readonly signals?: readonly NodeJS.Signals[] | undefined;
  /** Default `process`. */
  readonly target?: SignalTarget | undefined;
  /** Called when the handler throws or rejects (default: write it to stderr and exit 1). */
  readonly onError?: ((error: unknown) => void) | undefined;
}

/**
 * Calls `handler` once on the first SIGTERM or SIGINT (stop controllers, release the lease, close
 * servers); a second signal exits at once with code 1, as controller-runtime does, so a stuck
 * shutdown can still be interrupted. Returns a function that removes the listeners.
 *
 * @example
 * ```ts
 * const abort = new AbortController();
 * onShutdownSignals(async () => { abort.abort(); await manager.stopped; });
 * ```
 */
export function onShutdownSignals(handler: (signal: NodeJS.Signals) => void | Promise<void>, options: ShutdownSignalOptions = {}): () => void {
  const target = options.target ?? process;
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const onError =
    options.onError ??
    ((error: unknown) => {
      process.stderr.write(`graceful shutdown failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      target.exit(1);
    });
  let received = false;
  const listener = (signal: NodeJS.Signals): void => {
    if (received) {
      target.exit(1);
      return;
    }
    received = true;
    Promise.resolve()
      .then(() => handler(signal))
      .catch(onError);
  };
  for (const name of signals) target.on(name, listener);
  return () => {
    for (const name of signals) target.off(name, listener);
  };
}
