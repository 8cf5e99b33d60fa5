/**
 * An error a reconcile throws to say that retrying cannot help (invalid spec, a refused
 * InPlaceOnly update...). The default error policy drops the key instead of backing off; the
 * next change of the object enqueues it again. Wrap the original error as `cause`.
 *
 * @example
 * ```ts
 * throw new TerminalError('in-place update refused: env changed under InPlaceOnly', { cause: verdict });
 * ```
 */
export class TerminalError extends Error {
  readonly _tag = 'Terminal' as const;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TerminalError';
  }
}

/** Returns true when `error`, or an error in its `cause` chain, is a {@link TerminalError}. */
export function isTerminalError(error: unknown): boolean {
  const seen = new Set<unknown>();
  for (let e: unknown = error; e instanceof Error && !seen.has(e); e = e.cause) {
    if (e instanceof TerminalError) return true;
    seen.add(e);
  }
  return false;
}
