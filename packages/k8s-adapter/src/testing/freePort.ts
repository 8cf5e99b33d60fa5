import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** Where ports handed out below the ephemeral range start (Linux default range: 32768–60999). */
const LOWEST_PORT = 20_000;

/**
 * The first port of the OS's ephemeral range (`/proc/sys/net/ipv4/ip_local_port_range`), or
 * `undefined` where it cannot be read.
 */
function ephemeralRangeStart(): number | undefined {
  try {
    const first = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(first) && first > LOWEST_PORT + 1000 ? first : undefined;
  } catch {
    return undefined;
  }
}

/** Listens on `port` (0: the OS picks) of 127.0.0.1, closes, and returns the port, or `undefined` when it is taken. */
function tryPort(port: number): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE' || error.code === 'EACCES') resolve(undefined);
      else reject(error);
    });
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      const bound = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => {
        resolve(bound);
      });
    });
  });
}

/**
 * Returns a TCP port on 127.0.0.1 that was free a moment ago. It is drawn at random below the OS's
 * ephemeral range, so a process that binds port 0 meanwhile can never be given it: a manager
 * started with `--metrics-addr=127.0.0.1:0` and `--webhook-port=<freePort()>` once got the
 * webhook's port for its metrics server (EADDRINUSE, a red CI run). Where the range cannot be
 * read, the OS picks the port.
 *
 * @example on Linux with the default range 32768–60999 → a free port in 20000–32767, e.g. 27113
 */
export async function freePort(): Promise<number> {
  const start = ephemeralRangeStart();
  if (start !== undefined) {
    for (let attempt = 0; attempt < 50; attempt++) {
      const port = await tryPort(LOWEST_PORT + Math.floor(Math.random() * (start - LOWEST_PORT)));
      if (port !== undefined) return port;
    }
  }
  const port = await tryPort(0);
  if (port === undefined) throw new Error('no free TCP port on 127.0.0.1');
  return port;
}
