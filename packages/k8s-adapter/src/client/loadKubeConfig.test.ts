import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KubeConfigError } from '../errors.js';
import { loadKubeConfig } from './loadKubeConfig.js';

const dir = mkdtempSync(join(tmpdir(), 'kruise-ts-kubeconfig-'));
function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}
const nothing = { env: {}, home: dir, exists: () => false };

const GOOD = `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: 'https://127.0.0.1:6443' } }]
users: [{ name: u, user: { token: t } }]
contexts: [{ name: x, context: { cluster: c, user: u } }]
current-context: x
`;

async function failure(promise: Promise<unknown>): Promise<KubeConfigError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!(error instanceof KubeConfigError)) throw new Error(`expected a KubeConfigError, got ${String(error)}`);
  return error;
}

describe('loadKubeConfig', () => {
  it('loads a kubeconfig file and its current cluster', async () => {
    const config = await loadKubeConfig(file('good.yaml', GOOD));
    expect(config.getCurrentCluster()?.server).toBe('https://127.0.0.1:6443');
  });

  it.each([
    ['a file that does not exist', () => '/nonexistent/kubeconfig', 'missing', 'kubeconfig /nonexistent/kubeconfig: no such file'],
    ['a file that is not YAML', () => file('broken.yaml', 'clusters: [\n'), 'invalid', 'kubeconfig <dir>/broken.yaml: not a kubeconfig: '],
    ['a kubeconfig without current-context', () => file('nocontext.yaml', GOOD.replace('current-context: x\n', '')), 'invalid', 'kubeconfig <dir>/nocontext.yaml: has no current-context'],
    ['a context naming no cluster', () => file('nocluster.yaml', GOOD.replace('cluster: c,', 'cluster: gone,')), 'invalid', 'kubeconfig <dir>/nocluster.yaml: its current context "x" names no cluster with a server'],
  ])('%s → one line naming the file and the problem', async (_story, path, problem, message) => {
    const error = await failure(loadKubeConfig(path()));
    expect(error.problem).toBe(problem);
    expect(error.message.replaceAll(dir, '<dir>')).toContain(message);
    expect(error.message).not.toContain('\n');
  });

  it('a path that cannot be read as a file (a directory) → unreadable with the error code', async () => {
    const error = await failure(loadKubeConfig(dir));
    expect([error.problem, error.message]).toEqual(['unreadable', `kubeconfig ${dir}: cannot be read (EISDIR)`]);
  });

  it('nothing to load → a none error saying what was looked at', async () => {
    const error = await failure(loadKubeConfig('', nothing));
    expect(error.problem).toBe('none');
    expect(error.message).toMatch(/^no kubeconfig found: .*pass --kubeconfig=<file> or set KUBECONFIG$/);
  });
});
