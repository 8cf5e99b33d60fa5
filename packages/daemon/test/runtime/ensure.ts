// Installs the container runtime when missing and builds the kubelet into the cache when missing,
// then prints where things are. `scripts/check.sh` runs this before the tests; the daemon's e2e
// global setup does the same.
import { ensureKubelet } from './ensureKubelet.js';
import { ensureRuntimeTools, RUNTIME_TOOLS } from './runtimeTools.js';

await ensureRuntimeTools();
const kubelet = await ensureKubelet();
process.stdout.write(`container runtime: ${RUNTIME_TOOLS.containerd}, ${RUNTIME_TOOLS.runc}, ${RUNTIME_TOOLS.registry}\nkubelet: ${kubelet}\n`);
