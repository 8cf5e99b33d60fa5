import { parseArgs } from 'node:util';
import { COMMANDS, commandHelp, topHelp, type CommandSpec } from './commandTable.js';

/** The values of a command's flags, by long name. */
export type FlagValues = Readonly<Record<string, string | boolean | readonly string[] | undefined>>;

/** What a command line asks for. */
export type CommandLine =
  | { readonly kind: 'help'; readonly text: string }
  | { readonly kind: 'run'; readonly command: CommandSpec; readonly positionals: readonly string[]; readonly flags: FlagValues }
  | { readonly kind: 'invalid'; readonly message: string };

// kubectl spells a false boolean `--watch=false`; util.parseArgs spells it `--no-watch`.
function booleanValues(args: readonly string[], command: CommandSpec): string[] | string {
  const booleans = new Set(command.flags.filter((f) => f.type === 'boolean').map((f) => f.name));
  const out: string[] = [];
  for (const arg of args) {
    const match = /^--([\w-]+)=(.*)$/.exec(arg);
    if (match === null || !booleans.has(match[1] ?? '')) {
      out.push(arg);
      continue;
    }
    const [, name = '', value = ''] = match;
    if (value !== 'true' && value !== 'false') return `--${name}: "${value}" is not a boolean (true or false)`;
    out.push(value === 'true' ? `--${name}` : `--no-${name}`);
  }
  return out;
}

/**
 * Reads `argv` (without `node` and the script) against the command table: the longest command
 * path that matches, then its flags with `util.parseArgs` (strict: an unknown flag is an error
 * naming it). `--help`/`-h` anywhere, or no command, gives the help text.
 *
 * @example parseCommandLine(['rollout', 'status', 'cs/web', '--watch=false', '-n', 'prod'])
 *   → { kind: 'run', command: <rollout status>, positionals: ['cs/web'], flags: { watch: false, namespace: 'prod', timeout: '0s', ... } }
 */
export function parseCommandLine(argv: readonly string[]): CommandLine {
  const words = argv.filter((a) => !a.startsWith('-'));
  const command = [...COMMANDS].sort((a, b) => b.path.length - a.path.length).find((c) => c.path.every((word, i) => words[i] === word));
  if (command === undefined) {
    if (argv.length === 0 || argv.includes('--help') || argv.includes('-h') || argv[0] === 'help') return { kind: 'help', text: topHelp() };
    return { kind: 'invalid', message: `unknown command "${words.join(' ')}"\n\n${topHelp()}` };
  }
  const rest = [...argv];
  for (const word of command.path) rest.splice(rest.indexOf(word), 1);
  const args = booleanValues(rest, command);
  if (typeof args === 'string') return { kind: 'invalid', message: args };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    const options = Object.fromEntries(
      command.flags.map((f) => [f.name, { type: f.type, ...(f.multiple === true ? { multiple: true } : {}), ...(f.short === undefined ? {} : { short: f.short }), ...(f.default === undefined ? {} : { default: f.default }) }]),
    );
    parsed = parseArgs({ args, options, allowPositionals: true, allowNegative: true, strict: true });
  } catch (error) {
    return { kind: 'invalid', message: `${command.path.join(' ')}: ${error instanceof Error ? error.message : String(error)}` };
  }
  const flags = parsed.values as FlagValues;
  if (flags.help === true) return { kind: 'help', text: commandHelp(command) };
  const output = flags.output;
  if (output !== undefined && output !== 'json' && output !== 'yaml') return { kind: 'invalid', message: `--output: "${String(output)}" is not json or yaml` };
  return { kind: 'run', command, positionals: parsed.positionals, flags };
}

const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Reads a Go duration as kubectl's `--timeout` takes it, in milliseconds; a bare `0` is 0.
 *
 * @example parseDuration('1m30s') → 90 000
 * @example parseDuration('250ms') → 250
 * @example parseDuration('10') → invalid (a unit is required, as in Go)
 */
export function parseDuration(text: string): { readonly kind: 'ok'; readonly ms: number } | { readonly kind: 'invalid'; readonly message: string } {
  if (text === '0') return { kind: 'ok', ms: 0 };
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) return { kind: 'invalid', message: `"${text}" is not a duration (e.g. 30s, 5m, 1h30m)` };
  return { kind: 'ok', ms: parts.reduce((sum, [, n = '0', unit = 's']) => sum + Number(n) * (UNITS[unit] ?? 0), 0) };
}
