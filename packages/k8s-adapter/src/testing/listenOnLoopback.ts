import type { Server } from 'node:net';

/**
 * Starts `server` (a net, tls, http or https server) listening on 127.0.0.1 on a port the OS
 * picks, and resolves with that port once it listens (rejects if it cannot listen).
 *
 * @example const port = await listenOnLoopback(createServer(handler)); // → e.g. 41233
 */
export function listenOnLoopback(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : 0);
    });
  });
}
