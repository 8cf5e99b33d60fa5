import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findProcesses, startTestCluster, TestClusterError } from '../../src/testing/index.js';


async function occupyPort(): Promise<{ server: Server; port: number }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { server, port: address.port };
}

async function waitForNoProcesses(needle: string, timeoutMs = 10_000): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  let left = await findProcesses(needle);
  while (left.length > 0 && Date.now() < deadline) {
    // A poll for the processes to be gone (what the tests wait for), not a wait for nothing to happen.
    await new Promise((r) => setTimeout(r, 100));
    left = await findProcesses(needle);
  }
  return left;
}

describe('startTestCluster failures', () => {
  // Other test files (and other checkouts on the machine) start clusters at the same time, so
  // "no process left behind" looks only at clusters of this file: startTestCluster makes its
  // directory under os.tmpdir(), which reads TMPDIR at each call, and this file's worker points it
  // at a scratch directory of its own.
  const savedTmpdir = process.env.TMPDIR;
  let scratch: string;
  let empty: string;
  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'kruise-ts-harness-failures-'));
    process.env.TMPDIR = scratch;
    empty = await mkdtemp(join(tmpdir(), 'kruise-ts-empty-'));
  });
  afterAll(async () => {
    if (savedTmpdir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmpdir;
    await rm(scratch, { recursive: true, force: true });
  });
  const leftovers = async (): Promise<number[]> => findProcesses(join(scratch, 'kruise-ts-cluster-'));

  it('names the missing binary and the command that builds it, and starts nothing', async () => {
    const env = { ...process.env, KUBEBUILDER_ASSETS: empty, KRUISE_TS_CACHE_DIR: empty };
    const error = await startTestCluster({ env, build: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TestClusterError);
    const e = error as TestClusterError;
    expect(e.failure).toBe('binary-missing');
    expect(e.component).toBe('etcd');
    expect(e.message).toContain('missing: etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok');
    expect(e.hint).toMatch(/K8S_VERSION=v1\.\d+\.\d+ .*bash .*envtest\/build\.sh /);
    expect(await leftovers()).toEqual([]);
  });

  it.each([
    ['kube-apiserver', 'apiServer'],
    ['etcd', 'etcd'],
  ] as const)('a taken %s port is a clear port-in-use error and leaves no process behind', async (component, key) => {
    const { server, port } = await occupyPort();
    try {
      const error = await startTestCluster({ nodes: 0, ports: { [key]: port } }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TestClusterError);
      const e = error as TestClusterError;
      expect(e.component).toBe(component);
      expect(e.failure).toBe('port-in-use');
      expect(e.message).toContain('port already in use');
      expect(e.logTail).toMatch(/address already in use/);
      expect(await waitForNoProcesses(`:${String(port)}`)).toEqual([]);
      expect(await leftovers()).toEqual([]);
    } finally {
      server.close();
    }
  });

  it('processes die with the test process even when it is killed with SIGKILL', async () => {
    const script = fileURLToPath(new URL('./fixtures/startAndWait.ts', import.meta.url));
    const child = spawn(process.execPath, ['--conditions=@kruise-ts/source', '--import', 'tsx', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const dir = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /^DIR (.+)$/m.exec(out);
        if (match?.[1] !== undefined) resolve(match[1]);
      });
      child.on('exit', (code) => {
        reject(new Error(`fixture exited early with ${String(code)}`));
      });
    });
    expect((await findProcesses(dir)).length).toBeGreaterThanOrEqual(3); // etcd, apiserver, kwok
    child.kill('SIGKILL');
    expect(await waitForNoProcesses(dir)).toEqual([]);
    await rm(dir, { recursive: true, force: true });
  });
});
