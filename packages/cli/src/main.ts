import { readFileSync } from 'node:fs';
import process from 'node:process';
import { createKubeClient, loadKubeConfig, systemClock } from '@kruise-ts/k8s-adapter';
import { runCli } from './runCli.js';

// The `kruise-ts` process: the real streams, files, kubeconfig and clock.
process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readFile: (path) => readFileSync(path, 'utf8'),
  client: async (kubeconfig) => createKubeClient(await loadKubeConfig(kubeconfig ?? '')),
  clock: systemClock(),
  terminal: process.stdout.isTTY ? { columns: () => process.stdout.columns } : undefined,
});
