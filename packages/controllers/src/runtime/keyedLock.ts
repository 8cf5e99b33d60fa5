/** Runs `work` after every earlier work of the same key has settled; resolves with its result. */
export type KeyedLock = <T>(key: string, work: () => Promise<T>) => Promise<T>;

/**
 * Returns a per-key lock for one process (OpenKruise's `GlobalKeyedMutex`): works of one key run
 * one at a time in call order, works of different keys run concurrently. The pod webhook takes it
 * around a read-decide-write of a PodUnavailableBudget or WorkloadSpread status, so requests of
 * one manager never conflict with each other, only with other writers (the controllers).
 *
 * @example const lock = createKeyedLock(); await Promise.all([lock('ns/ws', a), lock('ns/ws', b)]) // b starts after a settles
 */
export function createKeyedLock(): KeyedLock {
  const tails = new Map<string, Promise<unknown>>();
  return async <T>(key: string, work: () => Promise<T>): Promise<T> => {
    const previous = tails.get(key) ?? Promise.resolve();
    const run = previous.then(work, work);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    tails.set(key, settled);
    try {
      return await run;
    } finally {
      if (tails.get(key) === settled) tails.delete(key);
    }
  };
}
