import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A listening HTTP server: where it listens and how to close it. */
export interface HttpEndpoint {
  /** The address it listens on, e.g. `127.0.0.1`. */
  readonly host: string;
  /** The port it listens on (the one the OS picked when asked for port 0). */
  readonly port: number;
  /** `http://host:port`, brackets added around an IPv6 host. */
  readonly url: string;
  /** Stops listening, closes idle keep-alive connections and resolves once the server closed. */
  close(): Promise<void>;
}

/** A request handler that answers with a status, a content type and a body. */
export type HttpHandler = (request: IncomingMessage, url: URL) => Promise<{ status: number; contentType: string; body: string }>;

/**
 * Returns an {@link HttpEndpoint} serving `handler` on `host:port` once it listens (rejects when
 * it cannot, e.g. the port is taken). Only GET and HEAD are answered (405 otherwise); a handler
 * that throws gives a 500.
 */
export function listenHttp(options: { readonly host: string; readonly port: number }, handler: HttpHandler): Promise<HttpEndpoint> {
  const server = createServer((request, response) => void respond(handler, request, response));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      const { address, port } = server.address() as AddressInfo;
      resolve({
        host: address,
        port,
        url: `http://${address.includes(':') ? `[${address}]` : address}:${String(port)}`,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((error) => {
              if (error === undefined) done();
              else fail(error);
            });
            server.closeIdleConnections();
          }),
      });
    });
  });
}

async function respond(handler: HttpHandler, request: IncomingMessage, response: ServerResponse): Promise<void> {
  let result: { status: number; contentType: string; body: string };
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    result = { status: 405, contentType: 'text/plain; charset=utf-8', body: 'method not allowed\n' };
  } else {
    try {
      result = await handler(request, new URL(request.url ?? '/', 'http://localhost'));
    } catch (error) {
      result = { status: 500, contentType: 'text/plain; charset=utf-8', body: `internal error: ${error instanceof Error ? error.message : String(error)}\n` };
    }
  }
  response.writeHead(result.status, { 'content-type': result.contentType, 'x-content-type-options': 'nosniff' });
  response.end(request.method === 'HEAD' ? undefined : result.body);
}
