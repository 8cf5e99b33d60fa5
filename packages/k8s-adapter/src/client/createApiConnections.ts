import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { HttpMethod, KubeConfig } from '@kubernetes/client-node';
import type { Dispatcher } from 'undici';
import { http1Dispatchers } from './http1Dispatcher.js';

/**
 * Sockets of a client's request pool. Unbounded, an unlimited-QPS burst of 500 pod creates opened a
 * TLS socket each (peak RSS 216 MiB against 146 over HTTP/2; ADR 0028). The 500-pod bench at
 * unlimited QPS, bounded at 16: 0→500 in 9.0 s, in-place 10.6 s, 163 MiB; at 8: 7.7 s, 9.7 s,
 * 161 MiB (at 30/50 the bound changes nothing: 32.8-32.9 s either way).
 */
export const REQUEST_SOCKETS = 8;

/**
 * One connection to the apiserver: two undici pools of keep-alive HTTP/1.1 sockets, one for
 * requests (at most {@link REQUEST_SOCKETS} sockets: a burst waits for a free one rather than
 * opening hundreds of TLS sockets) and one for watches (a socket per watch, as many as there are).
 */
export interface ApiConnection {
  /** The requests' pool. */
  readonly dispatcher: Dispatcher;
  /** The watches' pool. */
  readonly watches: Dispatcher;
  /** Set once the connection is presumed dead: no new request goes over it. */
  dropped: boolean;
}

/** What a request is sent with: the credentials' headers and the connection to send it over. */
export interface ApiCredentials {
  readonly headers: Record<string, string>;
  readonly connection: ApiConnection;
}

/** How a dropped connection was found when it was checked: a connection presumed dead (its watch went silent or a request timed out) gets a `GET /version` over it; no answer in time → `dead` (destroyed), any answer → `alive` (closed gracefully). */
export type DroppedConnection = { readonly verdict: 'dead'; readonly error: unknown } | { readonly verdict: 'alive' };

/** The apiserver connection and credentials of one client (see {@link createApiConnections}). */
export interface ApiConnections {
  /** The headers for a request to `url` and the connection to send it over (the current one, or a new one). */
  acquire(url: string, verb: string): Promise<ApiCredentials>;
  /**
   * Takes `connection` out of use (if still in use): the next request opens a new one. Then checks
   * it: a request for `/version` over it with `pingTimeoutMs` to answer. No answer: it is
   * destroyed, failing what is still in flight over it at once (a watch there restarts on the new
   * connection). An answer (any status): it is closed gracefully, what is in flight ends by itself.
   */
  presumeDead(connection: ApiConnection): void;
}

/** Options of {@link createApiConnections}. */
export interface ApiConnectionOptions {
  /** How long the check of a presumed-dead connection waits for an answer, in ms. */
  readonly pingTimeoutMs: number;
  /** How long credentials (headers) are reused before they are read again, in ms (default 10 000). */
  readonly credentialsTtlMs?: number;
  /** Called once a dropped connection has been checked (for logs and tests). */
  readonly onDropped?: ((outcome: DroppedConnection) => void) | undefined;
}

/**
 * Returns the connection and credentials of a client of `kubeConfig`. Credentials (tokens, exec
 * plugins) are read again every `credentialsTtlMs`; the connection is kept across those refreshes
 * as long as the TLS material (CA, client certificate and key, their files' contents, server, proxy)
 * is the same, and replaced when it changes or when a caller presumes it dead.
 *
 * Why: the connection of a client is two undici pools of keep-alive HTTP/1.1 sockets (HTTP/2 is
 * off: see `http1Dispatchers`). A silent cut (a NAT or load balancer losing its state: no FIN,
 * no RST) leaves its sockets open and mute, and undici would keep sending requests over the idle
 * ones. client-go finds such a connection with an HTTP/2 PING after 30 s without a frame
 * (ReadIdleTimeout) and closes it if the PING is not answered within 15 s (PingTimeout); here the
 * watchdog of a watch or the timeout of a request presumes the connection dead, new pools take the
 * next request at once, and `/version` over the old requests' pool decides between destroying both
 * and letting them drain.
 *
 * @example
 * ```ts
 * const connections = createApiConnections(kubeConfig, { pingTimeoutMs: 15_000 });
 * const { headers, connection } = await connections.acquire(url, 'GET'); // connection #1
 * // ... a request over it times out after 30 s ...
 * connections.presumeDead(connection);
 * (await connections.acquire(url, 'GET')).connection; // → connection #2; #1 destroyed 15 s later if mute
 * ```
 */
export function createApiConnections(kubeConfig: KubeConfig, options: ApiConnectionOptions): ApiConnections {
  const server = kubeConfig.getCurrentCluster()?.server ?? '';
  const ttlMs = options.credentialsTtlMs ?? 10_000;
  let credentials: { headers: Record<string, string>; expires: number } | undefined;
  let current: { connection: ApiConnection; tls: string } | undefined;

  async function refresh(url: string, verb: string): Promise<void> {
    const { RequestContext } = await import('./clientNodeConfig.js');
    const context = new RequestContext(url, verb as HttpMethod);
    await kubeConfig.applySecurityAuthentication(context);
    credentials = { headers: context.getHeaders(), expires: Date.now() + ttlMs };
    // client-node's dispatcher (it would negotiate HTTP/2): never connected, closed unless kept for a SOCKS proxy.
    const offered = context.getDispatcher();
    const tls = await tlsFingerprint(kubeConfig);
    if (current !== undefined && !current.connection.dropped && current.tls === tls) {
      // Same TLS material: keep the connection (and its streams).
      if (offered !== undefined) void offered.close().catch(() => undefined);
      return;
    }
    const make = await http1Dispatchers(kubeConfig, offered);
    const dispatcher = make({ connections: REQUEST_SOCKETS });
    const watches = make();
    if (offered !== undefined && offered !== dispatcher && offered !== watches) void offered.close().catch(() => undefined);
    const replaced = current?.connection;
    current = { connection: { dispatcher, watches, dropped: false }, tls };
    if (replaced !== undefined && !replaced.dropped) {
      replaced.dropped = true;
      void closeConnection(replaced);
    }
  }

  async function check(connection: ApiConnection, headers: Record<string, string>): Promise<DroppedConnection> {
    // Raced against a timer of our own: undici leaves a request waiting on a socket that is still
    // connecting (the check's, through a partition) until its connect timeout (10 s), its signal
    // notwithstanding.
    let timer: NodeJS.Timeout | undefined;
    const unanswered = new Promise<DroppedConnection>((resolve) => {
      timer = setTimeout(() => {
        resolve({ verdict: 'dead', error: new Error(`no answer to GET /version within ${String(options.pingTimeoutMs)} ms`) });
      }, options.pingTimeoutMs);
    });
    const answered = (async (): Promise<DroppedConnection> => {
      try {
        const { request } = await import('undici');
        const response = await request(`${server}/version`, { headers, dispatcher: connection.dispatcher, signal: AbortSignal.timeout(options.pingTimeoutMs) });
        await response.body.arrayBuffer();
        return { verdict: 'alive' };
      } catch (error) {
        return { verdict: 'dead', error };
      }
    })();
    try {
      return await Promise.race([answered, unanswered]);
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    async acquire(url, verb) {
      if (credentials === undefined || credentials.expires <= Date.now() || current === undefined || current.connection.dropped) await refresh(url, verb);
      if (credentials === undefined || current === undefined) throw new Error('no credentials for the apiserver');
      return { headers: credentials.headers, connection: current.connection };
    },

    presumeDead(connection) {
      if (connection.dropped) return;
      connection.dropped = true;
      const headers = credentials?.headers ?? {};
      void check(connection, headers).then((outcome) => {
        // close() settles once what is in flight has ended (a watch: maybe much later).
        const ending = outcome.verdict === 'dead' ? destroyConnection(connection) : closeConnection(connection);
        void ending.catch(() => undefined);
        options.onDropped?.(outcome);
      });
    },
  };
}

/** A digest of what the connection's TLS is made of: server, proxy, CA, client certificate and key (file contents read now). */
async function tlsFingerprint(kubeConfig: KubeConfig): Promise<string> {
  const cluster = kubeConfig.getCurrentCluster();
  const user = kubeConfig.getCurrentUser();
  const file = async (path: string | undefined): Promise<string> => (path === undefined ? '' : readFile(path, 'utf8').catch(() => ''));
  const parts = [
    cluster?.server,
    cluster?.proxyUrl,
    String(cluster?.skipTLSVerify),
    cluster?.tlsServerName,
    cluster?.caData,
    await file(cluster?.caFile),
    user?.certData,
    await file(user?.certFile),
    user?.keyData,
    await file(user?.keyFile),
  ];
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

/** Closes both pools of `connection` gracefully: idle sockets at once, the others once what is in flight over them ended. */
async function closeConnection(connection: ApiConnection): Promise<void> {
  await Promise.all([connection.dispatcher.close(), connection.watches.close()]).catch(() => undefined);
}

/** Destroys both pools of `connection`: what is in flight over them fails at once. */
async function destroyConnection(connection: ApiConnection): Promise<void> {
  const reason = new Error('connection presumed dead: no answer to a check');
  await Promise.all([connection.dispatcher.destroy(reason), connection.watches.destroy(reason)]).catch(() => undefined);
}
