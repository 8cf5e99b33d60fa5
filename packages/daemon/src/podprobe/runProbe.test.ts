import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createFakeContainerRuntime } from '../testing/fakeContainerRuntime.js';
import { runProbe } from './runProbe.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function listen(server: Server | ReturnType<typeof createTcpServer>): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => { server.close(() => { resolve(); }); }));
  return (server.address() as AddressInfo).port;
}

describe('runProbe', () => {
  it('exec: exit 0 → Succeeded with stdout; exit 1 → Failed with stderr; both through ExecSync with the timeout', async () => {
    const runtime = createFakeContainerRuntime();
    runtime.setExec((_id, cmd) => (cmd[1] === '/tmp/ready' ? { exitCode: 0, stdout: 'ready\n', stderr: '' } : { exitCode: 1, stdout: '', stderr: 'cat: /tmp/x: No such file or directory\n' }));
    expect(await runProbe(runtime, { exec: { command: ['cat', '/tmp/ready'] } }, { containerId: 'c1', podIP: '' }, 3)).toEqual({ state: 'Succeeded', message: 'ready\n' });
    expect(await runProbe(runtime, { exec: { command: ['cat', '/tmp/x'] } }, { containerId: 'c1', podIP: '' }, 3)).toEqual({ state: 'Failed', message: 'cat: /tmp/x: No such file or directory\n' });
    expect(runtime.calls).toEqual([{ kind: 'exec', id: 'c1', cmd: ['cat', '/tmp/ready'] }, { kind: 'exec', id: 'c1', cmd: ['cat', '/tmp/x'] }]);
  });

  it('exec: the message is cut to 1024 characters', async () => {
    const runtime = createFakeContainerRuntime();
    runtime.setExec(() => ({ exitCode: 0, stdout: 'x'.repeat(5000), stderr: '' }));
    expect((await runProbe(runtime, { exec: { command: ['yes'] } }, { containerId: 'c1', podIP: '' }, 1)).message).toHaveLength(1024);
  });

  it('httpGet to the pod IP: 200 → Succeeded with the body, 500 → Failed with the status code; headers and the kube-probe User-Agent sent', async () => {
    const seen: Record<string, string | undefined>[] = [];
    const port = await listen(
      createServer((request, response) => {
        seen.push({ path: request.url, agent: request.headers['user-agent'], custom: request.headers['x-probe'] as string | undefined });
        response.statusCode = request.url === '/healthz' ? 200 : 500;
        response.end('body');
      }),
    );
    const runtime = createFakeContainerRuntime();
    expect(await runProbe(runtime, { httpGet: { path: '/healthz', port, scheme: 'HTTP', httpHeaders: [{ name: 'X-Probe', value: 'yes' }] } }, { containerId: 'c1', podIP: '127.0.0.1' }, 1, { userAgent: 'kruise-daemon/test kube-probe' })).toEqual({ state: 'Succeeded', message: 'body' });
    expect(await runProbe(runtime, { httpGet: { path: '/broken', port, scheme: 'HTTP' } }, { containerId: 'c1', podIP: '127.0.0.1' }, 1)).toEqual({ state: 'Failed', message: 'HTTP probe failed with statuscode: 500' });
    expect(seen[0]).toEqual({ path: '/healthz', agent: 'kruise-daemon/test kube-probe', custom: 'yes' });
  });

  it('tcpSocket: a listening port → Succeeded, a closed one → Failed with the connection error', async () => {
    const open = await listen(createTcpServer((socket) => socket.end()));
    const closedServer = createTcpServer();
    const closed = await listen(closedServer);
    await closers.pop()?.();
    const runtime = createFakeContainerRuntime();
    expect(await runProbe(runtime, { tcpSocket: { port: open } }, { containerId: 'c1', podIP: '127.0.0.1' }, 1)).toEqual({ state: 'Succeeded', message: '' });
    expect(await runProbe(runtime, { tcpSocket: { port: closed } }, { containerId: 'c1', podIP: '127.0.0.1' }, 1)).toEqual({ state: 'Failed', message: expect.stringContaining('ECONNREFUSED') as unknown });
  });
});
