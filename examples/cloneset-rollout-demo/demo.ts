/**
 * CloneSet rollout demo: the seeds' CloneSet scaled 1 → 6 and rolled out in place with a
 * partition, on the embedded in-memory cluster (or a real one), watched live.
 *
 *   pnpm exec tsx --conditions=@kruise-ts/source examples/cloneset-rollout-demo/demo.ts [--kubeconfig <path>]
 *
 * See README.md next to this file for the options and what the output means.
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { terminalWidth } from '@kruise-ts/cli';
import { runDemo } from './runDemo.js';

/** The demo's command-line options. */
export interface DemoArgs {
  /** Real cluster's kubeconfig (`--kubeconfig`, else `$KUBECONFIG`); undefined = in-memory cluster. */
  readonly kubeconfig: string | undefined;
  /** `--plain`: plain lines even on a terminal. */
  readonly plain: boolean;
  /** `--no-manager`: the cluster runs its own CloneSet controller (kruise-ts-manager or OpenKruise). */
  readonly startManager: boolean;
  /** `--log <file>`: the in-process manager's logs. */
  readonly logFile: string | undefined;
  /** `--step-timeout <seconds>` in ms. */
  readonly stepTimeoutMs: number;
  readonly help: boolean;
}

/** Usage text of the demo. */
export const USAGE = `usage: demo.ts [--kubeconfig <path>] [--no-manager] [--plain] [--log <file>] [--step-timeout <seconds>]

  (no options)        run on the embedded in-memory cluster (3 simulated nodes)
  --kubeconfig PATH   run on a real cluster (also: $KUBECONFIG); it needs the CloneSet CRD
                      (deploy/crds) and nodes; the demo works in a namespace of its own and deletes it
  --no-manager        do not start the CloneSet controller here: the cluster runs one already
  --plain             plain progress lines even on a terminal (the default when stdout is not one)
  --log FILE          append the in-process manager's JSON logs to FILE
  --step-timeout SEC  give up when a step takes longer (default 60)
`;

/** Returns the parsed arguments, or a problem to print with the usage. */
export function parseDemoArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): { kind: 'ok'; args: DemoArgs } | { kind: 'invalid'; problem: string } {
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: {
        kubeconfig: { type: 'string' },
        'no-manager': { type: 'boolean', default: false },
        plain: { type: 'boolean', default: false },
        log: { type: 'string' },
        'step-timeout': { type: 'string', default: '60' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    });
    const timeout = Number(values['step-timeout']);
    if (!Number.isFinite(timeout) || timeout <= 0) return { kind: 'invalid', problem: `--step-timeout must be a positive number of seconds, got "${values['step-timeout']}"` };
    const kubeconfig = values.kubeconfig ?? (env.KUBECONFIG === '' ? undefined : env.KUBECONFIG);
    return { kind: 'ok', args: { kubeconfig, plain: values.plain, startManager: !values['no-manager'], logFile: values.log, stepTimeoutMs: timeout * 1000, help: values.help } };
  } catch (error) {
    return { kind: 'invalid', problem: error instanceof Error ? error.message : String(error) };
  }
}

async function main(): Promise<number> {
  const parsed = parseDemoArgs(process.argv.slice(2), process.env);
  if (parsed.kind === 'invalid') {
    process.stderr.write(`demo: ${parsed.problem}\n\n${USAGE}`);
    return 2;
  }
  const { args } = parsed;
  if (args.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const interrupt = new AbortController();
  const onSignal = (): void => {
    interrupt.abort();
  };
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  const tty = process.stdout.isTTY && !args.plain;
  try {
    // On a terminal every line fits its width (read at each redraw, so a resize takes effect); to a pipe, plain lines stay whole.
    const width = process.stdout.isTTY ? () => terminalWidth(process.stdout) : undefined;
    const report = await runDemo({ out: process.stdout, tty, color: tty && process.env.NO_COLOR === undefined, width, ...args, signal: interrupt.signal });
    if (report.ok) return 0;
    process.stderr.write(`demo: the rollout failed ${report.checks.filter((c) => !c.ok).length} check(s) (marked ✗ above)\n`);
    return 1;
  } catch (error) {
    process.stderr.write(`demo: ${error instanceof Error ? error.message : String(error)}\n`);
    return interrupt.signal.aborted ? 130 : 1;
  } finally {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) process.exitCode = await main();
