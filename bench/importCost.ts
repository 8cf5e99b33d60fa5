/**
 * Cold import cost of each published entry point: a fresh `node` process per entry imports the
 * built package (`dist/`, what a user installs), and, for the adapter's entries, starts and stops an
 * in-memory cluster as a user's unit test would, or loads a kubeconfig and sends one request as a
 * program talking to a real cluster does (what the manager, the daemon and the CLI load: client-node's
 * kubeconfig modules and undici). Prints wall time from process start to "imported" and to "memory
 * cluster up" (or "request sent"), the resident set and the heap at the end, and whether
 * `@kubernetes/client-node` or `tsyringe` were loaded (seen through a `module.registerHooks` resolve
 * hook, so a module loaded by any path counts). Each entry is measured `runs` times (default 5) and
 * the median printed. Never asserts.
 *
 *   pnpm --filter @kruise-ts/bench imports [runs]   (builds core, k8s-adapter and controllers first)
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** What the child does after the import: nothing, run a memory cluster, or load a kubeconfig and send a request. */
type Then = 'nothing' | 'cluster' | 'kubeconfig';

interface Sample {
  readonly importMs: number;
  readonly clusterMs: number | undefined;
  readonly rssMiB: number;
  readonly heapMiB: number;
  readonly loaded: readonly string[];
}

const WATCHED = ['@kubernetes/client-node', 'tsyringe', 'reflect-metadata', 'undici'];

/** The child program: records watched packages as they resolve, imports `entry`, then does `then`. */
function childSource(entry: string, then: Then): string {
  return `
import { registerHooks } from 'node:module';
import { performance } from 'node:perf_hooks';
const watched = ${JSON.stringify(WATCHED)};
const loaded = new Set();
registerHooks({ resolve(specifier, context, next) {
  const result = next(specifier, context);
  for (const name of watched) if (result.url.includes('/node_modules/' + name + '/')) loaded.add(name);
  return result;
} });
const mod = await import(${JSON.stringify(entry)});
const importMs = performance.now();
let clusterMs;
if (${JSON.stringify(then)} === 'cluster') {
  const cluster = await mod.createMemoryCluster();
  await cluster.client.list(mod.Resources.Pod, {});
  await cluster.close();
  clusterMs = performance.now();
}
if (${JSON.stringify(then)} === 'kubeconfig') {
  // A token user of a server nothing listens on: the request fails at once, after loading everything it needs.
  const { writeFileSync, mkdtempSync } = await import('node:fs');
  const file = mkdtempSync('/tmp/kruise-ts-imports-') + '/kubeconfig';
  writeFileSync(file, 'apiVersion: v1\\nkind: Config\\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]\\nusers: [{name: u, user: {token: t}}]\\ncontexts: [{name: x, context: {cluster: c, user: u}}]\\ncurrent-context: x\\n');
  const client = mod.createKubeClient(await mod.loadKubeConfig(file));
  await client.list(mod.Resources.Pod, {}).catch(() => undefined);
  clusterMs = performance.now();
}
const { rss, heapUsed } = process.memoryUsage();
process.stdout.write(JSON.stringify({ importMs, clusterMs, rssMiB: rss / 2 ** 20, heapMiB: heapUsed / 2 ** 20, loaded: [...loaded] }));
`;
}

function measure(entry: string, then: Then): Sample {
  const cwd = fileURLToPath(new URL('.', import.meta.url));
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', childSource(entry, then)], { cwd, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`importing ${entry} failed:\n${run.stderr}`);
  return JSON.parse(run.stdout) as Sample;
}

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

const runs = Number(process.argv[2] ?? 5);
// Not a dependency of the bench: imported by its file, as the adapter resolves it.
const clientNode = pathToFileURL(createRequire(new URL('../packages/k8s-adapter/package.json', import.meta.url)).resolve('@kubernetes/client-node')).href;
const entries: readonly (readonly [label: string, entry: string, then: Then])[] = [
  ['node alone (baseline)', 'node:path', 'nothing'],
  ['@kruise-ts/core', '@kruise-ts/core', 'nothing'],
  ['@kruise-ts/k8s-adapter + memory cluster', '@kruise-ts/k8s-adapter', 'cluster'],
  ['@kruise-ts/k8s-adapter + kubeconfig, 1 request', '@kruise-ts/k8s-adapter', 'kubeconfig'],
  ['@kruise-ts/k8s-adapter/testing', '@kruise-ts/k8s-adapter/testing', 'nothing'],
  ['@kruise-ts/controllers', '@kruise-ts/controllers', 'nothing'],
  ['@kubernetes/client-node alone', clientNode, 'nothing'],
];
const rows = entries.map(([label, entry, then]) => {
  // One warm-up run fills the OS file cache, so every run measured is the same kind of cold start.
  measure(entry, then);
  const samples = Array.from({ length: runs }, () => measure(entry, then));
  const clusterMs = samples.map((s) => s.clusterMs).filter((v): v is number => v !== undefined);
  return {
    entry: label,
    'import ms': median(samples.map((s) => s.importMs)).toFixed(0),
    'memory cluster / request ms': clusterMs.length === 0 ? '' : median(clusterMs).toFixed(0),
    'RSS MiB': median(samples.map((s) => s.rssMiB)).toFixed(1),
    'heap MiB': median(samples.map((s) => s.heapMiB)).toFixed(1),
    loaded: samples[0]?.loaded.join(' ') ?? '',
  };
});
console.log(`node ${process.version}, median of ${String(runs)} runs, wall time from process start`);
console.table(rows);
