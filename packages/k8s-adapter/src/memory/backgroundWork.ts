/** The queue the memory cluster's controllers (GC, kubelet, scheduler...) run their work on. */
export interface BackgroundWork {
  /** Queues `task` under `key`; a key already waiting is not queued twice. Runs after the current event-loop turn. */
  enqueue(key: string, task: () => Promise<void> | void): void;
  /** Resolves once nothing is queued or running. */
  idle(): Promise<void>;
  /** Stops running tasks; later enqueues are ignored. */
  close(): void;
  /** The last error a task threw (tasks race with users, so errors are expected and not rethrown). */
  readonly lastError: unknown;
}

/** Returns an empty {@link BackgroundWork} queue: tasks run one at a time, in the order queued. */
export function createBackgroundWork(): BackgroundWork {
  const queue = new Map<string, () => Promise<void> | void>();
  let running = false;
  let closed = false;
  let lastError: unknown;

  async function drain(): Promise<void> {
    running = true;
    try {
      for (;;) {
        const first = queue.entries().next();
        if (first.done === true || closed) return;
        const [key, task] = first.value;
        queue.delete(key);
        try {
          await task();
        } catch (error) {
          lastError = error;
        }
      }
    } finally {
      running = false;
    }
  }

  return {
    enqueue(key, task) {
      if (closed || queue.has(key)) return;
      queue.set(key, task);
      if (!running) {
        running = true;
        setImmediate(() => void drain());
      }
    },
    async idle() {
      while (running || (queue.size > 0 && !closed)) await new Promise((resolve) => setImmediate(resolve));
    },
    close() {
      closed = true;
      queue.clear();
    },
    get lastError() {
      return lastError;
    },
  };
}
