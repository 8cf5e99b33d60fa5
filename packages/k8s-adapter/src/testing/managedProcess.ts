import { spawn } from 'node:child_process';
import { accessSync, constants, openSync, closeSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';

/** How a managed process ended. */
export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A child process in its own process group, logging to a file, that never outlives the test. */
export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  /** Settles when the process has exited (never rejects). */
  readonly exited: Promise<ProcessExit>;
  /** Returns true while the process runs. */
  isRunning(): boolean;
  /** Returns the last `lines` lines of the log. */
  logTail(lines?: number): Promise<string>;
  /** Sends SIGTERM to the process group, then SIGKILL after `graceMs`; resolves once it exited. */
  stop(graceMs?: number): Promise<ProcessExit>;
}

const live = new Map<number, string>();
const exitCleanups = new Set<() => void>();
let hooksInstalled = false;

/**
 * Runs `cleanup` (synchronous) if this process exits or is interrupted before `cancel()` is
 * called: the test cluster removes its directory this way.
 */
export function onAbnormalExit(cleanup: () => void): () => void {
  installHooks();
  exitCleanups.add(cleanup);
  return () => exitCleanups.delete(cleanup);
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/** Kills every live managed process group at once (used on exit and on fatal signals). */
function killAll(): void {
  for (const pid of live.keys()) killGroup(pid, 'SIGKILL');
  live.clear();
  for (const cleanup of exitCleanups) {
    try {
      cleanup();
    } catch {
      // best effort on the way out
    }
  }
  exitCleanups.clear();
}

function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = (): void => {
      killAll();
      process.off(signal, onSignal);
      // Re-raise with the default behaviour when nobody else handles it.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}

let setprivPath: string | null | undefined;
/** `setpriv --pdeathsig` makes the kernel kill the child if this process dies, even by SIGKILL. */
function setpriv(): string | null {
  if (setprivPath !== undefined) return setprivPath;
  setprivPath = null;
  for (const candidate of ['/usr/bin/setpriv', '/bin/setpriv']) {
    try {
      accessSync(candidate, constants.X_OK);
      setprivPath = candidate;
      break;
    } catch {
      // try the next one
    }
  }
  return setprivPath;
}

/** Returns the process list entries (pids) whose command line contains `needle`. */
export async function findProcesses(needle: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = (await readFile(`/proc/${entry}/cmdline`, 'utf8')).replaceAll('\0', ' ');
      if (cmdline.includes(needle)) pids.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return pids;
}

/**
 * Starts `command` in its own process group with stdout and stderr appended to `logFile`.
 * The process is killed when this Node process exits, is interrupted, or dies (pdeathsig).
 */
export function startProcess(args: {
  name: string;
  command: string;
  args: readonly string[];
  logFile: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}): ManagedProcess {
  installHooks();
  const fd = openSync(args.logFile, 'a');
  const wrapper = setpriv();
  const [file, argv] = wrapper ? [wrapper, ['--pdeathsig', 'KILL', '--', args.command, ...args.args]] : [args.command, [...args.args]];
  const child = spawn(file, argv, {
    detached: true,
    stdio: ['ignore', fd, fd],
    env: args.env ?? process.env,
    ...(args.cwd === undefined ? {} : { cwd: args.cwd }),
  });
  closeSync(fd);
  const pid = child.pid;
  let running = pid !== undefined;
  const exited = new Promise<ProcessExit>((resolve) => {
    child.on('error', () => {
      running = false;
      resolve({ code: 127, signal: null });
    });
    child.on('exit', (code, signal) => {
      running = false;
      if (pid !== undefined) live.delete(pid);
      resolve({ code, signal });
    });
  });
  if (pid !== undefined) live.set(pid, args.name);
  child.unref();
  const logTail = async (lines = 30): Promise<string> => {
    const text = await readFile(args.logFile, 'utf8').catch(() => '');
    return text.trimEnd().split('\n').slice(-lines).join('\n');
  };
  const stop = async (graceMs = 5_000): Promise<ProcessExit> => {
    if (pid === undefined || !running) return exited;
    killGroup(pid, 'SIGTERM');
    const timer = setTimeout(() => {
      killGroup(pid, 'SIGKILL');
    }, graceMs);
    const result = await exited;
    clearTimeout(timer);
    killGroup(pid, 'SIGKILL'); // anything the leader left behind in its group
    return result;
  };
  return { name: args.name, pid: pid ?? -1, logFile: args.logFile, exited, isRunning: () => running, logTail, stop };
}
