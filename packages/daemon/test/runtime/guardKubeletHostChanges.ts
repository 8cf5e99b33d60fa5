import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { onAbnormalExit } from '@kruise-ts/k8s-adapter/testing';

/**
 * Kernel settings a kubelet rewrites at start when `protectKernelDefaults` is false (the only
 * way it starts on a host whose values differ): `vm.overcommit_memory=1`, `kernel.panic=10`,
 * `kernel.panic_on_oops=1`, `kernel.keys.root_maxkeys`, `kernel.keys.root_maxbytes`.
 */
export const KUBELET_SYSCTLS = ['vm/overcommit_memory', 'kernel/panic', 'kernel/panic_on_oops', 'kernel/keys/root_maxkeys', 'kernel/keys/root_maxbytes'] as const;

/** The device-plugin socket directory a kubelet creates under this fixed path whatever its --root-dir. */
const FIXED_KUBELET_DIR = '/var/lib/kubelet';

let holders = 0;
let saved: { sysctls: Map<string, string>; kubeletDirExisted: boolean } | undefined;
let cancelHook: (() => void) | undefined;

function restore(): void {
  if (saved === undefined) return;
  for (const [key, value] of saved.sysctls) {
    try {
      writeFileSync(`/proc/sys/${key}`, value);
    } catch {
      // read-only here: nothing was changed either
    }
  }
  if (!saved.kubeletDirExisted) rmSync(FIXED_KUBELET_DIR, { recursive: true, force: true });
  saved = undefined;
}

/**
 * Records the host state test kubelets change (the {@link KUBELET_SYSCTLS}, whether
 * /var/lib/kubelet existed) before the first of them starts, and returns a release function;
 * when the last holder releases — or the process exits — the values are written back and a
 * /var/lib/kubelet the kubelets created is removed. E.g. `kernel.panic` 1 before, 10 while a
 * kubelet runs, 1 again after.
 */
export function guardKubeletHostChanges(): () => void {
  if (holders === 0) {
    const sysctls = new Map<string, string>();
    for (const key of KUBELET_SYSCTLS) {
      try {
        sysctls.set(key, readFileSync(`/proc/sys/${key}`, 'utf8').trim());
      } catch {
        // not on this kernel
      }
    }
    saved = { sysctls, kubeletDirExisted: existsSync(FIXED_KUBELET_DIR) };
    cancelHook = onAbnormalExit(restore);
  }
  holders++;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    holders--;
    if (holders === 0) {
      restore();
      cancelHook?.();
      cancelHook = undefined;
    }
  };
}
