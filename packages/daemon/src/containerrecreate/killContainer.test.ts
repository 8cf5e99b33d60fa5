import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createFakeContainerRuntime } from '../testing/fakeContainerRuntime.js';
import { killContainer } from './killContainer.js';

let server: Server | undefined;
afterEach(async () => {
  const open = server;
  if (open !== undefined) await new Promise((resolve) => { open.close(resolve); });
  server = undefined;
});

async function serve(status: number): Promise<{ port: number; paths: string[] }> {
  const paths: string[] = [];
  server = createServer((request, response) => {
    paths.push(request.url ?? '');
    response.statusCode = status;
    response.end('bye');
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, paths };
}

const now = () => 0;

describe('killContainer', () => {
  it('runs the exec preStop, then stops with the grace period', async () => {
    const runtime = createFakeContainerRuntime();
    const id = runtime.add({ podUid: 'u1', name: 'app', createdAt: 0 });
    expect(await killContainer(runtime, { id, podSandboxId: 'sandbox-u1' }, 20, { exec: { command: ['/stop'] } }, { now })).toEqual({ kind: 'stopped', preStopMs: 0 });
    expect(runtime.calls).toEqual([{ kind: 'exec', id, cmd: ['/stop'] }, { kind: 'stop', id, timeoutSeconds: 20 }]);
  });

  it('runs an HTTP preStop on the pod IP with a named port, then stops', async () => {
    const runtime = createFakeContainerRuntime();
    const id = runtime.add({ podUid: 'u1', name: 'web', createdAt: 0 });
    const { port, paths } = await serve(200);
    const outcome = await killContainer(runtime, { id, podSandboxId: 'sandbox-u1', ports: [{ name: 'http', containerPort: port }] }, 5, { httpGet: { port: 'http', path: 'drain' } }, { now });
    expect(outcome.kind).toBe('stopped');
    expect(paths).toEqual(['/drain']);
    expect(runtime.calls).toEqual([{ kind: 'stop', id, timeoutSeconds: 5 }]);
  });

  it('stops anyway after a failed preStop (exit code, HTTP 500, unknown named port) and reports the failure, as the kubelet; only a failed stop fails', async () => {
    const runtime = createFakeContainerRuntime();
    const id = runtime.add({ podUid: 'u1', name: 'web', createdAt: 0 });
    runtime.setExec(() => ({ exitCode: 3, stdout: '', stderr: 'cannot drain\n' }));
    expect(await killContainer(runtime, { id, podSandboxId: 's' }, 5, { exec: { command: ['/bin/drain'] } }, { now })).toEqual({ kind: 'stopped', preStopMs: 0, preStopFailure: 'preStop hook failed: command [/bin/drain] exited with 3: cannot drain' });
    const { port } = await serve(500);
    expect(await killContainer(runtime, { id, podSandboxId: 's' }, 5, { httpGet: { port } }, { now })).toEqual({ kind: 'stopped', preStopMs: 0, preStopFailure: `preStop hook failed: GET http://127.0.0.1:${String(port)}/: HTTP 500` });
    expect(await killContainer(runtime, { id, podSandboxId: 's' }, 5, { httpGet: { port: 'admin' } }, { now })).toEqual({ kind: 'stopped', preStopMs: 0, preStopFailure: 'preStop hook failed: no port named admin in the container' });
    expect(runtime.calls.filter((c) => c.kind === 'stop')).toHaveLength(3);
    const failed = await killContainer(runtime, { id: 'gone', podSandboxId: 's' }, 5, undefined, { now });
    expect(failed.kind === 'failed' && failed.message.startsWith('kill container error: ')).toBe(true);
  });
});
