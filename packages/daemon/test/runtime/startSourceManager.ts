import { fileURLToPath } from 'node:url';
import { startProcess, type ManagedProcess } from '@kruise-ts/k8s-adapter/testing';

const MANAGER_MAIN = fileURLToPath(new URL('../../../controllers/src/main.ts', import.meta.url));

/**
 * Starts kruise-ts-manager from its TypeScript sources (no build needed) against the test cluster
 * of `kubeconfigPath`, metrics and probes on free loopback ports, leader election off, its log in
 * `logDir/manager.log`; `args` adds the test's flags (controllers, gates, webhooks).
 *
 * @example startSourceManager({ kubeconfigPath, logDir: cluster.dir, args: ['--no-enable-webhooks', '--controllers=cloneset'] })
 */
export function startSourceManager(options: { readonly kubeconfigPath: string; readonly logDir: string; readonly args: readonly string[] }): ManagedProcess {
  return startProcess({
    name: 'kruise-ts-manager',
    command: process.execPath,
    args: ['--conditions=@kruise-ts/source', '--import', 'tsx', MANAGER_MAIN, `--kubeconfig=${options.kubeconfigPath}`, '--metrics-addr=127.0.0.1:0', '--health-probe-addr=127.0.0.1:0', '--no-enable-leader-election', ...options.args],
    logFile: `${options.logDir}/manager.log`,
  });
}
