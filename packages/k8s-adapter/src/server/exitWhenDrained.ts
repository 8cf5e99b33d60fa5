/** Options of {@link exitWhenDrained}. */
export interface DrainedExitOptions {
  /** How long the event loop may stay busy after main returned before the process is ended anyway, in ms (default 2,000). */
  readonly graceMs?: number | undefined;
  /** Ends the process (default `process.exit`). */
  readonly exit?: ((code: number) => void) | undefined;
  /** What still holds the event loop open (default `process.getActiveResourcesInfo`). */
  readonly activeResources?: (() => readonly string[]) | undefined;
  /** Told what still held the event loop open when the grace ran out (default: one line on stderr). */
  readonly report?: ((resources: readonly string[], graceMs: number) => void) | undefined;
}

/**
 * Ends the process with `code` once its main function has returned, as a Go binary does: at once
 * when nothing is left on the event loop (the normal case), and after `graceMs` at the latest when
 * something still holds it open (a keep-alive socket, a timer nobody cleared), reporting what it
 * was, so that a forgotten handle costs at most the grace and names itself instead of hanging the
 * process past its SIGTERM deadline.
 *
 * @example
 * ```ts
 * exitWhenDrained(await main(flags)); // exit code main's; a socket left open → exits 2 s later, stderr names it
 * ```
 */
export function exitWhenDrained(code: number, options: DrainedExitOptions = {}): void {
  const graceMs = options.graceMs ?? 2000;
  const exit = options.exit ?? ((c: number) => process.exit(c));
  const activeResources = options.activeResources ?? (() => process.getActiveResourcesInfo());
  const report =
    options.report ??
    ((resources: readonly string[], ms: number) => {
      process.stderr.write(`exiting ${String(ms)} ms after main returned with the event loop still held by: ${resources.join(', ')}\n`);
    });
  process.exitCode = code;
  // Unreferenced: this timer alone never keeps the process alive, so a drained loop exits at once.
  setTimeout(() => {
    report(activeResources(), graceMs);
    exit(code);
  }, graceMs).unref();
}
