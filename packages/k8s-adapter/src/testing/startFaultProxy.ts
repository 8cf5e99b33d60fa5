import { connect, createServer, type Socket } from 'node:net';
import { listenOnLoopback } from './listenOnLoopback.js';

/** A loopback TCP proxy that can cut its connections silently (see {@link startFaultProxy}). */
export interface FaultProxy {
  /** Port it listens on, on 127.0.0.1. */
  readonly port: number;
  /** Connections open through it now, blackholed ones included. */
  connections(): number;
  /**
   * Fault injection: every connection open now stops forwarding bytes in both directions; nothing
   * is closed (no FIN, no RST to either side), whatever either side sends is read and dropped, and
   * an end or error of one side is not passed on. New connections are forwarded as usual, unless
   * `newConnections` is true: then those opened from now on are cut from their start too (a
   * network partition), until {@link FaultProxy.heal}. Returns how many open connections it cut.
   */
  blackhole(options?: { readonly newConnections?: boolean }): number;
  /** Ends the partition of `blackhole({ newConnections: true })`: connections opened from now on are forwarded (those cut stay cut). */
  heal(): void;
  /** Bytes read from blackholed connections and dropped so far (both directions). */
  droppedBytes(): number;
  /** Stops listening and destroys every connection. Safe to call twice. */
  close(): Promise<void>;
}

interface Pair {
  readonly client: Socket;
  readonly upstream: Socket;
  blackholed: boolean;
}

/**
 * Starts a TCP proxy on 127.0.0.1 (a free port) forwarding each connection to `target`: test
 * harness for silent network faults (issue 20), e.g. a half-open connection between a controller
 * and kube-apiserver that TLS and HTTP above it cannot tell from an idle one. It forwards bytes
 * only, so TLS passes through end to end: point a kubeconfig's `server` at
 * `https://127.0.0.1:<port>` (the apiserver's certificate names 127.0.0.1).
 *
 * @example
 * ```ts
 * const proxy = await startFaultProxy({ host: '127.0.0.1', port: 6443 });
 * // ... a client connected through proxy.port ...
 * proxy.blackhole(); // → 3 (its watches go silent, its pending requests hang; new connections work)
 * proxy.blackhole({ newConnections: true }); // → 0 more; a new connection goes silent too, until proxy.heal()
 * ```
 */
export async function startFaultProxy(target: { readonly host: string; readonly port: number }): Promise<FaultProxy> {
  const pairs = new Set<Pair>();
  let dropped = 0;
  let partitioned = false;
  // Half-open allowed on both sides: Node would otherwise answer a FIN with its own at once.
  const server = createServer({ allowHalfOpen: true }, (client) => {
    const upstream = connect({ port: target.port, host: target.host, allowHalfOpen: true });
    const pair: Pair = { client, upstream, blackholed: partitioned };
    pairs.add(pair);
    const forward = (from: Socket, to: Socket): void => {
      from.on('data', (chunk: Buffer) => {
        if (pair.blackholed) dropped += chunk.length;
        else to.write(chunk);
      });
      from.on('end', () => {
        if (!pair.blackholed) to.end();
      });
      from.on('error', () => {
        if (!pair.blackholed) to.destroy();
      });
      from.on('close', () => {
        if (!pair.blackholed) to.destroy();
        if (client.destroyed && upstream.destroyed) pairs.delete(pair);
      });
    };
    forward(client, upstream);
    forward(upstream, client);
  });
  const port = await listenOnLoopback(server);
  let closed: Promise<void> | undefined;
  return {
    port,
    connections: () => [...pairs].filter((p) => !p.client.destroyed).length,
    blackhole(options = {}) {
      if (options.newConnections === true) partitioned = true;
      let cut = 0;
      for (const pair of pairs) {
        if (pair.blackholed || pair.client.destroyed) continue;
        pair.blackholed = true;
        cut++;
      }
      return cut;
    },
    heal() {
      partitioned = false;
    },
    droppedBytes: () => dropped,
    close() {
      closed ??= new Promise<void>((resolve) => {
        for (const pair of pairs) {
          pair.client.destroy();
          pair.upstream.destroy();
        }
        pairs.clear();
        server.close(() => {
          resolve();
        });
      });
      return closed;
    },
  };
}
