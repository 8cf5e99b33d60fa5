/**
 * A memory cgroup for a benchmark's manager process, so it runs as it does in its container under
 * the chart's `resources.limits.memory` (512Mi): node sizes its heap from the memory it is
 * constrained to (`process.constrainedMemory()`; in a 512 MiB cgroup node 24 sets a heap limit of
 * 259 MiB, on this 24 GiB host without one 4,144 MiB), and V8 then grows the old generation by
 * a smaller factor between full collections. Needs a writable cgroup v1 `memory` hierarchy or a
 * cgroup v2 one with the `memory` controller (root on this machine); throws saying so otherwise.
 */
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A created cgroup: the command prefix that starts a process inside it, and its removal. */
export interface MemoryCgroup {
  /** The cgroup's directory. */
  readonly dir: string;
  /**
   * Returns the command and arguments that run `command args...` inside the cgroup, with the
   * same pid (a shell that joins the cgroup, then execs the command).
   */
  wrap(command: string, args: readonly string[]): { command: string; args: string[] };
  /** Removes the cgroup (once its processes have exited; a busy one is left behind). */
  remove(): void;
}

/** This process's cgroup directory for the memory controller, and the name of its limit file. */
function memoryHierarchy(): { base: string; limitFile: string } {
  const lines = readFileSync('/proc/self/cgroup', 'utf8').split('\n');
  const v1 = lines.find((l) => l.split(':')[1]?.split(',').includes('memory') === true);
  if (v1 !== undefined && existsSync('/sys/fs/cgroup/memory')) return { base: join('/sys/fs/cgroup/memory', v1.split(':')[2] ?? '/'), limitFile: 'memory.limit_in_bytes' };
  const v2 = lines.find((l) => l.startsWith('0::'));
  for (const mount of ['/sys/fs/cgroup', '/sys/fs/cgroup/unified']) {
    const base = join(mount, v2?.slice(3) ?? '/');
    if (v2 !== undefined && existsSync(join(mount, 'cgroup.controllers')) && readFileSync(join(mount, 'cgroup.controllers'), 'utf8').split(/\s+/).includes('memory')) return { base, limitFile: 'memory.max' };
  }
  throw new Error('no memory cgroup hierarchy found (/proc/self/cgroup has no memory controller line, and no cgroup v2 mount offers the memory controller)');
}

/**
 * Creates a memory cgroup named `name` under this process's own, limited to `limitMiB` MiB.
 *
 * @example memoryCgroup('kruise-ts-bench-1234', 512).wrap(process.execPath, ['main.js'])
 *   // → { command: '/bin/sh', args: ['-c', 'echo $$ > <dir>/cgroup.procs && exec "$0" "$@"', '/usr/bin/node', 'main.js'] }
 */
export function memoryCgroup(name: string, limitMiB: number): MemoryCgroup {
  if (!Number.isInteger(limitMiB) || limitMiB <= 0) throw new Error(`memory limit must be a whole number of MiB > 0, got ${String(limitMiB)}`);
  const { base, limitFile } = memoryHierarchy();
  const dir = join(base, name);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, limitFile), String(limitMiB * 1024 * 1024));
  } catch (error) {
    throw new Error(`cannot create the memory cgroup ${dir} (${error instanceof Error ? error.message : String(error)}): run as root, or without --memory-limit`, { cause: error });
  }
  return {
    dir,
    wrap: (command, args) => ({ command: '/bin/sh', args: ['-c', `echo $$ > '${join(dir, 'cgroup.procs')}' && exec "$0" "$@"`, command, ...args] }),
    remove() {
      try {
        rmdirSync(dir);
      } catch {
        // still in use: left for the system to keep (harmless, empty once its processes exit)
      }
    },
  };
}
