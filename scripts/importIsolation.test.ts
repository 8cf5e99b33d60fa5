import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * What a user's program loads: each case runs a fresh `node` (the packages' sources through tsx)
 * with a `module.registerHooks` resolve hook that refuses the blocked packages and their modules. A static import of
 * one anywhere in the entry's graph makes the import itself fail; the child then calls something
 * that really needs the package and expects the hook's refusal, so a hook that never ran cannot make
 * the test pass.
 */
const controllersDir = fileURLToPath(new URL('../packages/controllers/', import.meta.url));
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

interface Outcome {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function runChild(blocked: readonly string[], body: string): Outcome {
  const source = `
import { registerHooks } from 'node:module';
const blocked = ${JSON.stringify(blocked)};
registerHooks({ resolve(specifier, context, next) {
  // A package or any module of it (client-node is loaded by deep imports of its kubeconfig modules).
  const name = blocked.find((b) => specifier === b || specifier.startsWith(b + '/'));
  if (name !== undefined) throw new Error('blocked import of ' + name);
  return next(specifier, context);
} });
${body}
`;
  const run = spawnSync(process.execPath, ['--conditions=@kruise-ts/source', '--import', tsx, '--input-type=module', '-e', source], { cwd: controllersDir, encoding: 'utf8', timeout: 60_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

// Each child transpiles a package's whole source graph through tsx: seconds on a loaded machine, so
// the cases get the child's own 60 s limit rather than vitest's 5 s default.
describe('imports that stay light', { timeout: 60_000 }, () => {
  it('@kruise-ts/k8s-adapter runs a memory cluster without loading @kubernetes/client-node or undici; loadKubeConfig loads it', () => {
    const outcome = runChild(
      ['@kubernetes/client-node', 'undici'],
      `
const adapter = await import('@kruise-ts/k8s-adapter');
const cluster = await adapter.createMemoryCluster({ nodes: 1 });
const pods = await cluster.client.list(adapter.Resources.Pod);
await cluster.close();
console.log('memory cluster pods: ' + pods.items.length);
// A file that exists (node itself): loadKubeConfig gets as far as importing client-node to parse it.
await adapter.loadKubeConfig(process.execPath).catch((error) => console.log('loadKubeConfig: ' + error.message));
`,
    );
    expect(outcome.stderr).toBe('');
    expect(outcome.stdout).toBe('memory cluster pods: 0\nloadKubeConfig: blocked import of @kubernetes/client-node\n');
  });

  it('@kruise-ts/k8s-adapter/testing imports without @kubernetes/client-node', () => {
    const outcome = runChild(
      ['@kubernetes/client-node'],
      `
const testing = await import('@kruise-ts/k8s-adapter/testing');
console.log('startTestCluster: ' + typeof testing.startTestCluster);
await import('@kubernetes/client-node').catch((error) => console.log(error.message));
`,
    );
    expect(outcome.stderr).toBe('');
    expect(outcome.stdout).toBe('startTestCluster: function\nblocked import of @kubernetes/client-node\n');
  });

  it('@kruise-ts/controllers/testing runs a test manager without client-node, tsyringe or reflect-metadata', () => {
    const outcome = runChild(
      ['@kubernetes/client-node', 'undici', 'tsyringe', 'reflect-metadata'],
      `
const { startTestManager } = await import('@kruise-ts/controllers/testing');
const manager = await startTestManager({ controllers: ['cloneset'] });
await manager.close();
console.log('test manager closed');
await import('reflect-metadata').catch((error) => console.log(error.message));
`,
    );
    expect(outcome.stderr).toBe('');
    expect(outcome.stdout).toBe('test manager closed\nblocked import of reflect-metadata\n');
  });

  it('@kruise-ts/controllers imports without client-node, tsyringe or reflect-metadata (they belong to the manager binary)', () => {
    const outcome = runChild(
      ['@kubernetes/client-node', 'tsyringe', 'reflect-metadata'],
      `
const controllers = await import('@kruise-ts/controllers');
console.log('createManager: ' + typeof controllers.createManager);
await import('tsyringe').catch((error) => console.log(error.message));
`,
    );
    expect(outcome.stderr).toBe('');
    expect(outcome.stdout).toBe('createManager: function\nblocked import of tsyringe\n');
  });
});
