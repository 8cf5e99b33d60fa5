import type { TestManager } from '@kruise-ts/controllers/testing';
import type { Clock, KubeClient } from '@kruise-ts/k8s-adapter';
import type { CliIo } from './cliIo.js';
import { runCli } from './runCli.js';

/** A CliIo over a test manager's memory cluster (or none), capturing what the CLI prints. */
export interface Captured {
  readonly io: CliIo;
  readonly out: () => string;
  readonly err: () => string;
}

/** Returns a {@link Captured} io: stdout and stderr kept, files from `files`, the manager's client and fake clock. */
export function capture(manager: TestManager | undefined, files: Readonly<Record<string, string>> = {}): Captured {
  const client = () => (manager === undefined ? Promise.reject(new Error('no cluster in this test')) : Promise.resolve(manager.cluster.client));
  return captureWith(client, manager?.cluster.clock ?? { now: () => 0, sleep: () => Promise.resolve() }, files);
}

/** Returns a {@link Captured} io on a cluster's client (a real one in e2e tests) and a clock. */
export function captureOn(client: KubeClient, clock: Clock): Captured {
  return captureWith(() => Promise.resolve(client), clock, {});
}

function captureWith(client: CliIo['client'], clock: Clock, files: Readonly<Record<string, string>>): Captured {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: (text) => (out += text),
    stderr: (text) => (err += text),
    readFile: (path) => {
      const text = files[path];
      if (text === undefined) throw new Error(`ENOENT: no such file or directory, open '${path}'`);
      return text;
    },
    client,
    clock,
  };
  return { io, out: () => out, err: () => err };
}

/** A command line running in the background: its exit code once it ended, and the promise of it. */
export interface RunningCli {
  /** The exit code, undefined while the command still runs. */
  readonly exit: () => number | undefined;
  readonly done: Promise<number>;
}

/** Starts `runCli(argv, io)` without waiting for it (a `rollout status` that blocks). */
export function startCli(argv: readonly string[], io: CliIo): RunningCli {
  let code: number | undefined;
  const done = runCli(argv, io).then((exit) => (code = exit));
  return { exit: () => code, done };
}
