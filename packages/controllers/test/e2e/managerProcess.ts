import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hangReport } from './hangReport.js';

const main = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const builtMain = fileURLToPath(new URL('../../dist/main.js', import.meta.url));
/** Each package the built manager runs (its own and its workspace dependencies'): a file of its build and its sources. */
const builds = [
  ['../../dist/main.js', '../../src'],
  ['../../../core/dist/index.js', '../../../core/src'],
  ['../../../k8s-adapter/dist/index.js', '../../../k8s-adapter/src'],
].map(([built, sources]) => ({ built: fileURLToPath(new URL(built ?? '', import.meta.url)), sources: fileURLToPath(new URL(sources ?? '', import.meta.url)) }));

/** The newest modification time of a source file under `dir` (ms), tests left out (the build has none). */
function newestUnder(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestUnder(path));
    else if (!/\.test\.ts$/.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * The built manager (`dist/main.js`), checked to exist and to be newer than every source it
 * bundles: a test that kills and restarts the manager many times starts it from the build (one
 * start from the sources through tsx took ~60 s at load 20, from the build 2.5-5 s at load 10).
 * Throws, saying to build, when it is missing or older.
 */
function checkedBuiltMain(): string {
  for (const { built, sources } of builds) {
    let builtAt: number;
    try {
      builtAt = statSync(built).mtimeMs;
    } catch {
      throw new Error(`${built} is missing: run \`pnpm run build\` first (this test starts the built manager)`);
    }
    if (newestUnder(sources) > builtAt) throw new Error(`${built} is older than a file under ${sources}: run \`pnpm run build\` first (this test starts the built manager)`);
  }
  return builtMain;
}

/** How {@link startManager} runs the manager. */
export interface ManagerStartOptions {
  /** Run the built `dist/main.js` (checked to be newer than the sources) instead of the sources through tsx. */
  readonly built?: boolean | undefined;
}

/** A kruise-ts-manager running as a separate process from its sources (tsx). */
export interface ManagerProcess {
  readonly process: ChildProcess;
  /** JSON log lines it printed so far. */
  readonly logs: Record<string, unknown>[];
  /** Resolves with the first log line whose `msg` matches (rejects after `timeoutMs`). */
  waitForLog(msg: string | RegExp, timeoutMs?: number): Promise<Record<string, unknown>>;
  /**
   * Sends `signal` and resolves once the process exited, with its exit code. A process still
   * running `timeoutMs` later (default 30 s) is SIGKILLed and the call rejects with its last log
   * lines, stderr and a {@link hangReport} (CPU use, threads, the JavaScript stack), so a shutdown
   * that hangs fails with what it was doing, not a test timeout.
   */
  kill(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | null>;
  /** Returns what its `/metrics` endpoint serves now (Prometheus text), once it has started. */
  metrics(): Promise<string>;
}

/**
 * Starts `kruise-ts-manager --kubeconfig <kubeconfig> ...args`, servers on loopback ports. Webhooks
 * are off unless `args` turn them on (`--enable-webhooks --webhook-url=...`, see webhook*.test.ts):
 * behind a Service that the test cluster does not have, they would refuse every CloneSet. `env`
 * is added to this process's environment (e.g. `KRUISE_TS_CLOCK_OFFSET_MS`, fault injection).
 * `KRUISE_TS_DEBUG_NODE_ARGS` in this process's environment adds Node options to the manager's,
 * e.g. `--prof --logfile=/tmp/v8-%p.log` (how the HTTP/2 hang of ADR 0028 was found).
 */
export function startManager(kubeconfig: string, args: readonly string[] = [], env: NodeJS.ProcessEnv = {}, options: ManagerStartOptions = {}): ManagerProcess {
  const entry = options.built === true ? [checkedBuiltMain()] : ['--conditions=@kruise-ts/source', '--import', 'tsx', main];
  // --inspect-port=0: a manager that hangs can be asked for its stack (SIGUSR1 opens the inspector on a free port).
  const child = spawn(
    process.execPath,
    ['--inspect-port=0', ...(process.env.KRUISE_TS_DEBUG_NODE_ARGS ?? '').split(' ').filter((a) => a !== ''), ...entry, `--kubeconfig=${kubeconfig}`, '--metrics-addr=127.0.0.1:0', '--health-probe-addr=127.0.0.1:0', '--log-level=debug', '--no-enable-webhooks', ...args],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } },
  );
  const logs: Record<string, unknown>[] = [];
  const waiters: { match: (line: Record<string, unknown>) => boolean; resolve: (line: Record<string, unknown>) => void }[] = [];
  let buffer = '';
  const stdout = { bytes: 0, lastAt: 0 };
  child.stdout.on('data', (chunk: Buffer) => {
    stdout.bytes += chunk.length;
    stdout.lastAt = Date.now();
    buffer += chunk.toString();
    let newline = buffer.indexOf('\n');
    while (newline >= 0) {
      const text = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      newline = buffer.indexOf('\n');
      let line: Record<string, unknown>;
      try {
        line = JSON.parse(text) as Record<string, unknown>;
      } catch {
        continue;
      }
      logs.push(line);
      for (const waiter of [...waiters]) {
        if (waiter.match(line)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(line);
        }
      }
    }
  });
  let stderrTail = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString()).slice(-4096);
    if (process.env.KRUISE_TS_TEST_LOG !== undefined) process.stderr.write(chunk);
  });
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => {
      resolve(code);
    });
  });
  const manager: ManagerProcess = {
    process: child,
    logs,
    waitForLog(msg, timeoutMs = 60_000) {
      const matches = (line: Record<string, unknown>): boolean => (typeof msg === 'string' ? line.msg === msg : msg.test(String(line.msg)));
      const seen = logs.find(matches);
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(new Error(`manager did not log ${String(msg)} within ${String(timeoutMs)} ms`));
        }, timeoutMs);
        waiters.push({
          match: matches,
          resolve: (line) => {
            clearTimeout(timer);
            resolve(line);
          },
        });
      });
    },
    async metrics() {
      const started = logs.find((line) => line.msg === 'kruise-ts-manager starting') ?? (await manager.waitForLog('kruise-ts-manager starting'));
      return (await fetch(`${String(started.metrics)}/metrics`)).text();
    },
    async kill(signal = 'SIGTERM', timeoutMs = 30_000) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      let timer: NodeJS.Timeout | undefined;
      const hung = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          void (async () => {
            const report = child.pid === undefined ? '(no pid)' : await hangReport(child.pid, () => stderrTail).catch((error: unknown) => `(no report: ${String(error)})`);
            child.kill('SIGKILL');
            const last = logs.slice(-15).map((line) => JSON.stringify(line)).join('\n');
            const received = `stdout: ${String(stdout.bytes)} bytes received, the last ${String(Date.now() - stdout.lastAt)} ms ago (${String(buffer.length)} bytes of an unfinished line)`;
            reject(new Error(`manager still running ${String(timeoutMs)} ms after ${signal}; its last log lines:\n${last}\n${received}\nstderr:\n${stderrTail}\nwhat it was doing:\n${report}`));
          })();
        }, timeoutMs);
      });
      try {
        return await Promise.race([exited, hung]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
  return manager;
}
