import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmdirSync, rmSync } from 'node:fs';

/** What {@link teardownRuntimeDir} removes. */
export interface RuntimeLeftovers {
  /** The temp directory holding the runtime's root, state, sockets and config. */
  readonly dir: string;
  /** Processes whose command line contains this string are killed with their descendants (e.g. containerd's socket path, which every shim is started with). */
  readonly processNeedle: string;
  /** A network interface to delete (the CNI bridge of the instance), when set. */
  readonly bridge?: string;
}

function readProcesses(): { pid: number; ppid: number; cmdline: string }[] {
  const out: { pid: number; ppid: number; cmdline: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid …; comm may hold spaces and parentheses, so split after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
      out.push({ pid: Number(entry), ppid, cmdline });
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

/** The pids whose command line contains `needle`, with all their descendants (not this process). */
export function processTree(needle: string): number[] {
  const procs = readProcesses();
  const found = new Set(procs.filter((p) => p.pid !== process.pid && p.cmdline.includes(needle)).map((p) => p.pid));
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of procs) {
      if (!found.has(p.pid) && found.has(p.ppid)) {
        found.add(p.pid);
        grew = true;
      }
    }
  }
  return [...found];
}

/**
 * The socket files of the runc shims started by the containerd whose command lines hold `needle`:
 * containerd 1.6 puts a shim's socket at `/run/containerd/s/<sha256 of "<address>/<namespace>/<id>">`
 * whatever its own state dir is, and a killed shim leaves it there.
 */
export function shimSocketsOf(needle: string): string[] {
  const sockets: string[] = [];
  for (const proc of readProcesses()) {
    if (!proc.cmdline.includes('containerd-shim') || !proc.cmdline.includes(needle)) continue;
    const args = proc.cmdline.trim().split(' ');
    const flag = (name: string): string | undefined => {
      const at = args.indexOf(name);
      return at < 0 ? undefined : args[at + 1];
    };
    const [address, namespace, id] = [flag('-address'), flag('-namespace'), flag('-id')];
    if (address === undefined || namespace === undefined || id === undefined) continue;
    sockets.push(`/run/containerd/s/${createHash('sha256').update(`${address}/${namespace}/${id}`).digest('hex')}`);
  }
  return sockets;
}

const CNI_RESULTS = '/var/lib/cni/results';

/**
 * libcni caches each sandbox's ADD result in /var/lib/cni/results/<network>-<sandbox id>-<ifname>
 * (containerd 1.6 has no setting to move it) and drops it at DEL, which a killed containerd never
 * runs: the files of this instance's sandboxes (ids from its CRI state dir) are removed here.
 */
function removeCniResults(dir: string): void {
  const sandboxes = `${dir}/state/io.containerd.grpc.v1.cri/sandboxes`;
  const ids = existsSync(sandboxes) ? readdirSync(sandboxes) : [];
  if (ids.length > 0 && existsSync(CNI_RESULTS)) {
    for (const file of readdirSync(CNI_RESULTS)) {
      if (ids.some((id) => file.includes(`-${id}-`))) rmSync(`${CNI_RESULTS}/${file}`, { force: true });
    }
  }
  for (const empty of [CNI_RESULTS, '/var/lib/cni']) {
    try {
      rmdirSync(empty);
    } catch {
      // not empty: another runtime's
    }
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function unescapeMountPath(path: string): string {
  return path.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

/** Mount points at or below `dir`, deepest first. */
export function mountsUnder(dir: string): string[] {
  const lines = readFileSync('/proc/self/mountinfo', 'utf8').split('\n');
  const points = lines.map((line) => unescapeMountPath(line.split(' ')[4] ?? '')).filter((p) => p === dir || p.startsWith(`${dir}/`));
  return [...new Set(points)].sort((a, b) => b.length - a.length);
}

/**
 * Synchronously removes everything a runtime instance left: SIGKILLs the processes whose command
 * line holds `processNeedle` and their descendants (containerd, its shims and the containers under
 * them), unmounts what is mounted below `dir` (rootfs overlays, network namespaces, /dev/shm),
 * deletes the CNI bridge, then deletes `dir`. Synchronous so it also runs from a process `exit`
 * hook when a test fails or is interrupted. Idempotent.
 */
export function teardownRuntimeDir(leftovers: RuntimeLeftovers): void {
  const shimSockets = new Set<string>();
  for (let round = 0; round < 50; round++) {
    const pids = processTree(leftovers.processNeedle);
    if (pids.length === 0) break;
    for (const socket of shimSocketsOf(leftovers.processNeedle)) shimSockets.add(socket);
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    sleepSync(20);
  }
  for (const point of mountsUnder(leftovers.dir)) {
    try {
      execFileSync('umount', ['-l', point], { stdio: 'ignore' });
    } catch {
      // unmounted with its parent
    }
  }
  if (leftovers.bridge !== undefined && existsSync(`/sys/class/net/${leftovers.bridge}`)) {
    try {
      execFileSync('ip', ['link', 'delete', leftovers.bridge], { stdio: 'ignore' });
    } catch {
      // gone meanwhile
    }
  }
  removeCniResults(leftovers.dir);
  rmSync(leftovers.dir, { recursive: true, force: true, maxRetries: 5 });
  for (const socket of shimSockets) rmSync(socket, { force: true });
  // `ctr` (client side) and the shims create these under /run/containerd whatever the config says;
  // they are removed when empty (another instance's files keep them).
  for (const shared of ['/run/containerd/fifo', '/run/containerd/runc/k8s.io', '/run/containerd/runc/default', '/run/containerd/runc', '/run/containerd/s', '/run/containerd']) {
    try {
      rmdirSync(shared);
    } catch {
      // missing or still in use
    }
  }
}
