import type { TestManager } from '@kruise-ts/controllers/testing';
import type { CliIo } from './cliIo.js';

/** A CliIo over a test manager's memory cluster (or none), capturing what the CLI prints. */
export interface Captured {
  readonly io: CliIo;
  readonly out: () => string;
  readonly err: () => string;
}

/** Returns a {@link Captured} io: stdout and stderr kept, files from `files`, the manager's client and fake clock. */
export function capture(manager: TestManager | undefined, files: Readonly<Record<string, string>> = {}): Captured {
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
    client: () => (manager === undefined ? Promise.reject(new Error('no cluster in this test')) : Promise.resolve(manager.cluster.client)),
    clock: manager?.cluster.clock ?? { now: () => 0, sleep: () => Promise.resolve() },
  };
  return { io, out: () => out, err: () => err };
}
