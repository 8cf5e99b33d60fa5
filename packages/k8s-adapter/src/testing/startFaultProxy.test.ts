import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startFaultProxy, type FaultProxy } from './startFaultProxy.js';

/** An echo server that counts the bytes it received per connection (in order of connection). */
async function echoServer(): Promise<{ server: Server; port: number; received: number[] }> {
  const received: number[] = [];
  const server = createServer((socket) => {
    const index = received.push(0) - 1;
    socket.on('data', (chunk: Buffer) => {
      received[index] = (received[index] ?? 0) + chunk.length;
      socket.write(chunk);
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { server, port: typeof address === 'object' && address !== null ? address.port : 0, received };
}

/** Connects to `port` and records what comes back and whether the connection ended. */
async function dial(port: number): Promise<{ socket: Socket; echoed: () => string; ended: () => boolean }> {
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  let text = '';
  let ended = false;
  socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
  socket.on('end', () => (ended = true));
  socket.on('close', () => (ended = true));
  socket.on('error', () => (ended = true));
  return { socket, echoed: () => text, ended: () => ended };
}

describe('startFaultProxy', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });
  const start = async (): Promise<{ proxy: FaultProxy; received: number[] }> => {
    const echo = await echoServer();
    cleanup.push(() => new Promise<void>((resolve) => echo.server.close(() => { resolve(); })));
    const proxy = await startFaultProxy({ host: '127.0.0.1', port: echo.port });
    cleanup.push(() => proxy.close());
    return { proxy, received: echo.received };
  };

  it('forwards both ways until blackholed; then the old connection stays open but silent, a new one works', async () => {
    const { proxy, received } = await start();
    const old = await dial(proxy.port);
    old.socket.write('ping');
    await vi.waitFor(() => { expect(old.echoed()).toBe('ping'); });
    expect(proxy.blackhole()).toBe(1);

    old.socket.write('lost');
    await vi.waitFor(() => { expect(proxy.droppedBytes()).toBe(4); });
    const fresh = await dial(proxy.port);
    fresh.socket.write('pong');
    await vi.waitFor(() => { expect(fresh.echoed()).toBe('pong'); });

    expect(received).toEqual([4, 4]); // the upstream never got "lost"
    expect(old.echoed()).toBe('ping');
    expect(old.ended()).toBe(false);
    expect(proxy.connections()).toBe(2);
    old.socket.destroy();
    fresh.socket.destroy();
  });

  it('a partition (newConnections) cuts the connections opened during it from their start; heal() forwards new ones again', async () => {
    const { proxy, received } = await start();
    expect(proxy.blackhole({ newConnections: true })).toBe(0);
    const during = await dial(proxy.port);
    during.socket.write('lost');
    await vi.waitFor(() => { expect(proxy.droppedBytes()).toBe(4); });
    proxy.heal();
    const after = await dial(proxy.port);
    after.socket.write('pong');
    await vi.waitFor(() => { expect(after.echoed()).toBe('pong'); });
    expect(during.echoed()).toBe('');
    expect(received).toEqual([0, 4]); // the partitioned connection reached the upstream, none of its bytes did
    during.socket.destroy();
    after.socket.destroy();
  });

  it('an end from a blackholed side is not passed on; close() ends everything', async () => {
    const { proxy } = await start();
    const client = await dial(proxy.port);
    proxy.blackhole();
    client.socket.end();
    await vi.waitFor(() => { expect(client.socket.writableFinished).toBe(true); });
    expect(client.ended()).toBe(false);
    await proxy.close();
    await vi.waitFor(() => { expect(client.ended()).toBe(true); });
    expect(proxy.connections()).toBe(0);
  });
});
