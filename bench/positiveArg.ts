/**
 * The positive number after `--<name>` on the command line, or `fallback` when the flag is absent;
 * anything else is refused by name (`--rounds must be a positive number, got abc`).
 *
 * @example
 * ```ts
 * positiveArg('rounds', 40); // `… --rounds 60` → 60; no --rounds → 40
 * ```
 */
export function positiveArg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const n = i < 0 ? fallback : Number(process.argv[i + 1]);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, got ${String(process.argv[i + 1])}`);
  return n;
}
