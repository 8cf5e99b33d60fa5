import { createServer, connect, type Socket } from 'node:net';

/** A TCP proxy on loopback in front of a registry, slowing what it sends back. */
export interface ThrottlingProxy {
  /** `127.0.0.1:<port>`: use it as the registry host of image references. */
  readonly host: string;
  /** Bytes per second sent back to clients; `Infinity` lifts the limit (also for transfers under way). */
  setRate(bytesPerSecond: number): void;
  close(): Promise<void>;
}

/**
 * Starts a loopback TCP proxy to `target` (`127.0.0.1:<port>`) that delivers the upstream's
 * bytes at `bytesPerSecond`: a pull of a 1 MB layer at 64 KiB/s takes ~16 s, a window in which a
 * test can kill the daemon mid-pull. It only paces real traffic; tests still wait on conditions.
 */
export async function startThrottlingProxy(target: string, bytesPerSecond: number): Promise<ThrottlingProxy> {
  const [targetHost = '127.0.0.1', targetPort = '0'] = target.split(':');
  let rate = bytesPerSecond;
  const sockets = new Set<Socket>();
  const wakers = new Set<() => void>();
  const server = createServer((client) => {
    const upstream = connect(Number(targetPort), targetHost);
    sockets.add(client);
    sockets.add(upstream);
    client.pipe(upstream);
    upstream.on('data', (chunk: Buffer) => {
      client.write(chunk);
      if (!Number.isFinite(rate)) return;
      upstream.pause();
      const wake = (): void => {
        clearTimeout(timer);
        wakers.delete(wake);
        upstream.resume();
      };
      const timer = setTimeout(wake, (chunk.length / rate) * 1000);
      wakers.add(wake);
    });
    upstream.on('end', () => client.end());
    const close = (): void => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', close);
    upstream.on('error', close);
    client.on('close', close);
    upstream.on('close', close);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => { resolve(); });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no port');
  return {
    host: `127.0.0.1:${String(address.port)}`,
    setRate(bytes) {
      rate = bytes;
      if (!Number.isFinite(bytes)) for (const wake of [...wakers]) wake();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => { resolve(); });
      }),
  };
}
