import { EXIT, print, str, wholeNumber, type CliIo } from './cliIo.js';
import { runWorkloadCommand } from './workloadCommands.js';
import { parseCommandLine, parseDuration, type FlagValues } from './parseCommandLine.js';
import { planRollout, type RolloutPlan } from './planRollout.js';
import { previewCommand } from './previewCommand.js';
import { createLiveStatusView } from './liveStatusView.js';
import { migrateCommand } from './migrateCommand.js';
import { resourceName, setPaused, watchRolloutStatus } from './rolloutCommands.js';
import { DEFAULT_KRUISE_NAMESPACE } from './rolloutHistory.js';
import type { RolloutStatus } from './rolloutStatus.js';
import { runningRevisionReader } from './runningRevisionReader.js';
import { rolloutRef, type RolloutRef } from './workloadRef.js';

export { EXIT, type CliIo } from './cliIo.js';

const statusRecord = (ref: RolloutRef, namespace: string, status: RolloutStatus, timedOut: boolean) => ({
  kind: ref.kind,
  ...(ref.kind === 'SidecarSet' ? {} : { namespace }),
  name: ref.name,
  status: status.kind,
  ...('reason' in status ? { reason: status.reason } : {}),
  message: status.message,
  timedOut,
});

async function rolloutStatusCommand(io: CliIo, ref: RolloutRef, flags: FlagValues): Promise<number> {
  const timeout = parseDuration(str(flags, 'timeout') ?? '0s');
  if (timeout.kind === 'invalid') {
    io.stderr(`error: --timeout: ${timeout.message}\n`);
    return EXIT.usage;
  }
  // kubectl's own check of a negative --revision, then a whole number.
  const revisionText = str(flags, 'revision') ?? '0';
  if (/^-\d+$/.test(revisionText)) {
    io.stderr(`error: --revision: revision must be a positive integer: ${revisionText}\n`);
    return EXIT.usage;
  }
  const revision = wholeNumber(io, flags, 'revision');
  if (revision === undefined) return EXIT.usage;
  const output = str(flags, 'output');
  const namespace = str(flags, 'namespace') ?? 'default';
  const client = await io.client(str(flags, 'kubeconfig'));
  const pin = revision === 0 ? undefined : { desired: revision, running: runningRevisionReader(client, ref, namespace, str(flags, 'kruise-namespace') ?? DEFAULT_KRUISE_NAMESPACE) };
  const watch = flags.watch !== false;
  // On a terminal, a live block redrawn in place; otherwise (a pipe, CI) a plain line per change.
  const terminal = io.terminal;
  const live = terminal !== undefined && watch && output === undefined ? createLiveStatusView(ref.kind, { write: io.stdout, columns: terminal.columns }, io.clock.now()) : undefined;
  const outcome = await watchRolloutStatus(client, io.clock, ref, {
    namespace,
    watch,
    timeoutMs: timeout.ms,
    onStatus: (status) => {
      // As kubectl, a failure is said once, as the error (stderr), not also as a status line.
      if (output === undefined && live === undefined && status.kind !== 'failed') io.stdout(`${status.message}\n`);
    },
    onObject: live === undefined ? undefined : (object, status) => { live.draw(object, status, io.clock.now()); },
    revision: pin,
  });
  if (output !== undefined) print(io, output, statusRecord(ref, namespace, outcome.status, outcome.kind === 'timed-out'));
  if (outcome.kind === 'timed-out') {
    io.stderr('error: timed out waiting for the condition\n');
    return EXIT.failed;
  }
  if (outcome.status.kind === 'failed') {
    io.stderr(`error: ${outcome.status.message}\n`);
    return EXIT.failed;
  }
  return EXIT.ok;
}

async function pauseCommand(io: CliIo, ref: RolloutRef, flags: FlagValues, paused: boolean): Promise<number> {
  const client = await io.client(str(flags, 'kubeconfig'));
  const outcome = await setPaused(client, ref, str(flags, 'namespace') ?? 'default', paused);
  if (outcome.kind === 'unchanged') {
    io.stderr(`error: ${outcome.message}\n`);
    return EXIT.failed;
  }
  const output = str(flags, 'output');
  if (output === undefined) io.stdout(`${resourceName(ref)} ${paused ? 'paused' : 'resumed'}\n`);
  else print(io, output, outcome.object);
  return EXIT.ok;
}

function planCommand(io: CliIo, flags: FlagValues): number {
  const file = str(flags, 'filename');
  if (file === undefined) {
    io.stderr('error: --filename (-f): the CloneSet manifest is required\n');
    return EXIT.usage;
  }
  const maxSteps = Number(str(flags, 'max-steps') ?? '20');
  if (!Number.isInteger(maxSteps) || maxSteps < 1) {
    io.stderr(`error: --max-steps: "${str(flags, 'max-steps') ?? ''}" is not a positive integer\n`);
    return EXIT.usage;
  }
  const podsFile = str(flags, 'pods');
  const plan: RolloutPlan = planRollout(io.readFile(file), podsFile === undefined ? '' : io.readFile(podsFile), maxSteps);
  const output = str(flags, 'output');
  if (output !== undefined) {
    print(io, output, plan);
    return EXIT.ok;
  }
  const lines = [...plan.header, ...plan.steps.flatMap(({ step, lines: said }) => [`Step ${step}: ${said[0] ?? ''}`, ...said.slice(1)]), plan.end.message];
  io.stdout(`${lines.join('\n')}\n`);
  return EXIT.ok;
}

/**
 * Runs one `kruise-ts` command line and returns its exit code (0 ok, 1 failed — including a
 * rollout past its deadline or `--timeout` —, 2 a wrong command line). Errors are printed to
 * `stderr` as `error: ...`, naming the flag or argument at fault.
 *
 * @example await runCli(['rollout', 'pause', 'cs/web'], io) → prints "cloneset.apps.kruise.io/web paused", returns 0
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const line = parseCommandLine(argv);
  if (line.kind === 'help') {
    io.stdout(line.text);
    return EXIT.ok;
  }
  if (line.kind === 'invalid') {
    io.stderr(`error: ${line.message}\n`);
    return EXIT.usage;
  }
  const { command, positionals, flags } = line;
  try {
    const handled = await runWorkloadCommand(io, command.path, positionals, flags);
    if (handled !== undefined) return handled;
    if (command.path[0] === 'preview') return await previewCommand(io, positionals, flags);
    if (command.path[0] === 'migrate') return await migrateCommand(io, positionals, flags);
    if (command.path[0] === 'plan') {
      if (positionals.length > 0) {
        io.stderr(`error: plan takes no arguments (got ${positionals.join(' ')}); the manifest goes in -f\n`);
        return EXIT.usage;
      }
      return planCommand(io, flags);
    }
    const ref = rolloutRef(positionals);
    if (!('type' in ref)) {
      io.stderr(`error: ${ref.message}\n`);
      return EXIT.usage;
    }
    const verb = command.path[1];
    if (verb === 'status') return await rolloutStatusCommand(io, ref, flags);
    return await pauseCommand(io, ref, flags, verb === 'pause');
  } catch (error) {
    io.stderr(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.failed;
  }
}
