/**
 * Resolves once `check` returns a value other than `undefined`; rejects with the last error or
 * a timeout message after `timeoutMs`, or at once when `abort` settles first (a process exited),
 * even while a check is still pending.
 */
export async function pollUntil<T>(
  check: () => Promise<T | undefined>,
  options: { timeoutMs: number; intervalMs?: number; what: string; abort?: Promise<string> },
): Promise<T> {
  const aborted = (options.abort ?? new Promise<never>(() => undefined)).then((why) => {
    throw new Error(why);
  });
  let settled = false;
  const poll = async (): Promise<T> => {
    const deadline = Date.now() + options.timeoutMs;
    let lastError: unknown;
    while (!settled) {
      try {
        const value = await check();
        if (value !== undefined) return value;
      } catch (error) {
        lastError = error;
      }
      if (Date.now() > deadline) {
        const detail = lastError instanceof Error ? `: ${lastError.message}` : '';
        throw new Error(`timed out after ${String(options.timeoutMs)} ms waiting for ${options.what}${detail}`);
      }
      await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 100));
    }
    throw new Error('aborted');
  };
  const polling = poll();
  // Whichever loses the race settles later; those late rejections are expected, not unhandled.
  polling.catch(() => undefined);
  aborted.catch(() => undefined);
  try {
    return await Promise.race([polling, aborted]);
  } finally {
    settled = true;
  }
}
