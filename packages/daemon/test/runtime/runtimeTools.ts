import { accessSync, constants } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runCommand } from './runCommand.js';

/** The programs the runtime harness runs, by absolute path (Debian's packages put them there). */
export const RUNTIME_TOOLS = {
  containerd: '/usr/bin/containerd',
  ctr: '/usr/bin/ctr',
  runc: '/usr/sbin/runc',
  registry: '/usr/bin/docker-registry',
  skopeo: '/usr/bin/skopeo',
  umoci: '/usr/bin/umoci',
  busybox: '/bin/busybox',
  htpasswd: '/usr/bin/htpasswd',
  cniBinDir: '/usr/lib/cni',
} as const;

/** `scripts/runtime/install.sh` of the repository: installs the missing runtime packages. */
export const INSTALL_SCRIPT = fileURLToPath(new URL('../../../../scripts/runtime/install.sh', import.meta.url));

/** Returns the runtime tools that are not installed (empty when all are). */
export function missingRuntimeTools(): string[] {
  const missing: string[] = [];
  for (const [name, path] of Object.entries(RUNTIME_TOOLS)) {
    try {
      accessSync(name === 'cniBinDir' ? `${path}/bridge` : path, constants.X_OK);
    } catch {
      missing.push(`${name} (${path})`);
    }
  }
  return missing;
}

/**
 * Installs what is missing with `scripts/runtime/install.sh` (apt-get, as root) and checks again.
 * Takes a few milliseconds when everything is present; never skips: a tool that cannot be
 * installed fails with its name and the script to run.
 */
export async function ensureRuntimeTools(): Promise<void> {
  if (missingRuntimeTools().length === 0) return;
  await runCommand('bash', [INSTALL_SCRIPT], { timeoutMs: 600_000 });
  const still = missingRuntimeTools();
  if (still.length > 0) throw new Error(`container runtime tools missing after ${INSTALL_SCRIPT}: ${still.join(', ')}`);
}
