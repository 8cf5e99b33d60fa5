import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const managerMain = fileURLToPath(new URL('../../../controllers/src/main.ts', import.meta.url));

/** A kruise-ts-daemon running as a separate process from its sources (tsx), for one node name. */
export interface DaemonProcess {
  readonly process: ChildProcess;
  readonly nodeName: string;
  /** JSON log lines it printed so far. */
  readonly logs: Record<string, unknown>[];
  /** What it wrote to stderr so far. */
  stderr(): string;
  /** Resolves with the first log line whose `msg` matches (rejects after `timeoutMs` or when the process exits). */
  waitForLog(msg: string | RegExp, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Resolves with the exit code (or signal name) once the process exited. */
  readonly exited: Promise<string>;
  /** Sends `signal` and resolves once the process exited. */
  kill(signal?: NodeJS.Signals): Promise<string>;
}

/** Starts `NODE_NAME=<nodeName> kruise-ts-daemon --kubeconfig … --runtime-endpoint … --addr=127.0.0.1:0 …args`. */
export function startDaemon(nodeName: string, options: { kubeconfig: string; runtimeEndpoint: string; args?: readonly string[] }): DaemonProcess {
  const args = [`--kubeconfig=${options.kubeconfig}`, `--runtime-endpoint=${options.runtimeEndpoint}`, '--addr=127.0.0.1:0', '--log-level=debug', ...(options.args ?? [])];
  return spawnLogged(nodeName, main, args, { ...process.env, NODE_NAME: nodeName });
}

/**
 * Starts kruise-ts-manager from its sources with only the image pre-pull controllers (nodeimage,
 * imagepulljob; ImagePullJobGate on), no webhooks, no leader election, servers on free loopback ports.
 */
export function startImagePullManager(kubeconfig: string): DaemonProcess {
  const args = [`--kubeconfig=${kubeconfig}`, '--metrics-addr=127.0.0.1:0', '--health-probe-addr=127.0.0.1:0', '--no-enable-webhooks', '--no-enable-leader-election', '--controllers=nodeimage,imagepulljob', '--feature-gates=ImagePullJobGate=true', '--log-level=debug'];
  return spawnLogged('manager', managerMain, args, process.env);
}

function spawnLogged(nodeName: string, entry: string, args: readonly string[], env: NodeJS.ProcessEnv): DaemonProcess {
  const child = spawn(process.execPath, ['--conditions=@kruise-ts/source', '--import', 'tsx', entry, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
  const logs: Record<string, unknown>[] = [];
  let stderr = '';
  let buffer = '';
  const listeners = new Set<() => void>();
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    for (let newline = buffer.indexOf('\n'); newline >= 0; newline = buffer.indexOf('\n')) {
      const text = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      try {
        logs.push(JSON.parse(text) as Record<string, unknown>);
      } catch {
        continue;
      }
      for (const listener of listeners) listener();
    }
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (process.env.KRUISE_TS_TEST_LOG !== undefined) process.stderr.write(chunk);
  });
  const exited = new Promise<string>((resolve) => {
    child.on('exit', (code, signal) => {
      resolve(signal ?? String(code));
    });
  });
  return {
    process: child,
    nodeName,
    logs,
    stderr: () => stderr,
    exited,
    waitForLog(msg, timeoutMs = 60_000) {
      const matches = (line: Record<string, unknown>): boolean => (typeof msg === 'string' ? line.msg === msg : msg.test(String(line.msg)));
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const line = logs.find(matches);
          if (line === undefined) return;
          done();
          resolve(line);
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`daemon ${nodeName} did not log ${String(msg)} within ${String(timeoutMs)} ms; stderr: ${stderr}`));
        }, timeoutMs);
        const done = (): void => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        void exited.then((code) => {
          done();
          reject(new Error(`daemon ${nodeName} exited (${code}) before logging ${String(msg)}; stderr: ${stderr}`));
        });
        listeners.add(check);
        check();
      });
    },
    async kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
