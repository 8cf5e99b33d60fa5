import { ensureRuntimeTools } from './runtimeTools.js';

/**
 * Makes sure containerd, runc, the registry, skopeo, umoci, busybox and the CNI plugins are
 * installed before any of the daemon's end-to-end tests runs (`scripts/runtime/install.sh`).
 */
export default async function setup(): Promise<void> {
  await ensureRuntimeTools();
}
