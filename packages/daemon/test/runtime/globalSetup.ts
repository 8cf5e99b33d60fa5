import { ensureKubelet } from './ensureKubelet.js';
import { ensureRuntimeTools } from './runtimeTools.js';

/**
 * Makes sure containerd, runc, the registry, skopeo, umoci, busybox and the CNI plugins are
 * installed (`scripts/runtime/install.sh`) and the kubelet is built (cached in
 * ~/.cache/kruise-ts/kubelet) before any of the daemon's end-to-end tests runs. Never skips.
 */
export default async function setup(): Promise<void> {
  await ensureRuntimeTools();
  await ensureKubelet();
}
