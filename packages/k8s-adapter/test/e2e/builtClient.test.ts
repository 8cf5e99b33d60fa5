import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../../src/testing/index.js';

/**
 * The built adapter (`dist/`, what the manager, the daemon and the CLI run) against a real
 * kube-apiserver: its kubeconfig and authentication come from client-node's modules bundled without
 * the generated API models (ADR 0024), which the tests from source never run. A child `node`
 * loads the kubeconfig of a client-certificate user, lists, creates and watches through it, and
 * records every module it resolves: none may come from `@kubernetes/client-node` itself.
 */
const builtAdapter = fileURLToPath(new URL('../../dist/index.js', import.meta.url));

const child = (kubeconfig: string): string => `
import { registerHooks } from 'node:module';
const fromClientNode = [];
registerHooks({ resolve(specifier, context, next) {
  const result = next(specifier, context);
  if (result.url.includes('/@kubernetes/client-node/')) fromClientNode.push(result.url);
  return result;
} });
const adapter = await import(${JSON.stringify(builtAdapter)});
const client = adapter.createKubeClient(await adapter.loadKubeConfig(${JSON.stringify(kubeconfig)}));
const namespaces = (await client.list(adapter.Resources.Namespace)).items.map((n) => n.metadata.name);
const controller = new AbortController();
const seen = [];
const watching = (async () => {
  for await (const event of client.watch(adapter.Resources.ConfigMap, { namespace: 'default', signal: controller.signal })) {
    seen.push(event.type + ' ' + (event.object?.metadata?.name ?? ''));
    if (event.object?.metadata?.name === 'built-client') controller.abort();
  }
})().catch((error) => { if (!controller.signal.aborted) throw error; });
await client.create(adapter.Resources.ConfigMap, { metadata: { name: 'built-client', namespace: 'default' }, data: { a: '1' } });
await watching;
console.log(JSON.stringify({ namespaces, seen, fromClientNode }));
`;

function runChild(source: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, ['--input-type=module', '-e', source], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    proc.on('exit', (code) => {
      resolve({ code, stdout, stderr });
    });
  });
}

describe('the built adapter on a real apiserver', () => {
  let cluster: TestCluster;
  beforeAll(async () => {
    cluster = await startTestCluster({ nodes: 0 });
  });
  afterAll(async () => {
    await cluster.stop();
  });

  it('authenticates with a client certificate through client-node bundled without its models, and lists, creates and watches', async () => {
    expect(existsSync(builtAdapter), `${builtAdapter} is missing: run \`pnpm run build\` first`).toBe(true);
    const kubeconfig = await cluster.kubeconfigFor('built-client-user', ['system:masters']);
    const run = await runChild(child(kubeconfig));
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const outcome = JSON.parse(run.stdout) as { namespaces: string[]; seen: string[]; fromClientNode: string[] };
    expect(outcome.namespaces).toContain('default');
    expect(outcome.seen).toContain('ADDED built-client');
    expect(outcome.fromClientNode).toEqual([]);
  });
});
