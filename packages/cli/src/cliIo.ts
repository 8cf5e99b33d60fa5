import type { Clock, KubeClient } from '@kruise-ts/k8s-adapter';
import { stringify } from 'yaml';
import type { FlagValues } from './parseCommandLine.js';

/** What the CLI talks to: its output streams, files, the cluster and a clock. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly readFile: (path: string) => string;
  /** The cluster's client, from `--kubeconfig` (undefined: the usual lookup); called only by commands that need one. */
  readonly client: (kubeconfig: string | undefined) => Promise<KubeClient>;
  readonly clock: Clock;
  /** Present when stdout is a terminal: its width now (read at each redraw, so a resize takes effect). */
  readonly terminal?: { readonly columns: () => number | undefined } | undefined;
}

/** Exit codes, as kubectl's: 0 done, 1 the command failed (or the rollout did), 2 the command line is wrong. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** Returns a string flag's value (undefined when unset). */
export const str = (flags: FlagValues, name: string): string | undefined => (typeof flags[name] === 'string' ? flags[name] : undefined);

/** Prints a value as `-o json` (indented) or `-o yaml`. */
export function print(io: CliIo, output: string | undefined, value: unknown): void {
  io.stdout(output === 'yaml' ? stringify(value) : `${JSON.stringify(value, null, 2)}\n`);
}

/** Prints `error: <message>` and returns the exit code given. */
export function fail(io: CliIo, message: string, code: number = EXIT.failed): number {
  io.stderr(`error: ${message}\n`);
  return code;
}

/**
 * Returns a whole-number flag's value (kubectl's `--revision`, `--to-revision`; unset is 0), or
 * undefined after printing the usage error naming the flag.
 *
 * @example wholeNumber(io, { revision: '2' }, 'revision') → 2; { revision: 'two' } → undefined, 'error: --revision: "two" is not a whole number'
 */
export function wholeNumber(io: CliIo, flags: FlagValues, name: string): number | undefined {
  const text = str(flags, name) ?? '0';
  if (/^\d+$/.test(text)) return Number(text);
  fail(io, `--${name}: "${text}" is not a whole number`, EXIT.usage);
  return undefined;
}
