import { execFile } from 'node:child_process';

/** What a finished command printed. */
export interface CommandOutput {
  readonly stdout: string;
  readonly stderr: string;
}

/** A command of the runtime harness that exited non-zero; the message names it and quotes stderr. */
export class CommandError extends Error {
  constructor(
    readonly command: string,
    readonly args: readonly string[],
    readonly exitCode: number | null,
    readonly stdout: string,
    readonly stderr: string,
  ) {
    super(`${command} ${args.join(' ')} failed (exit ${String(exitCode)}): ${(stderr.trim() || stdout.trim()).slice(-2_000)}`);
    this.name = 'CommandError';
  }
}

/**
 * Runs `command` with `args` (no shell) and resolves with its output, or rejects with a
 * {@link CommandError} quoting its stderr. `timeoutMs` (default 60 000) kills a command that
 * hangs, e.g. `runCommand('ctr', ['--address', sock, 'version'])` → `{ stdout: 'Client: …', stderr: '' }`.
 */
export function runCommand(
  command: string,
  args: readonly string[],
  options: { timeoutMs?: number; env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<CommandOutput> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      [...args],
      {
        timeout: options.timeoutMs ?? 60_000,
        maxBuffer: 64 * 1024 * 1024,
        env: options.env ?? process.env,
        ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
      },
      (error, stdout, stderr) => {
        if (error) {
          const code = typeof error.code === 'number' ? error.code : null;
          reject(new CommandError(command, args, code, stdout, stderr));
        } else {
          resolve({ stdout, stderr });
        }
      },
    );
  });
}
