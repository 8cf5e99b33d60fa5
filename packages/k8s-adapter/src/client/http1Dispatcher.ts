import type { AgentOptions, RequestOptions } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import type { Dispatcher } from 'undici';

/** Makes a dispatcher; `connections` bounds its sockets per origin (default: no bound). */
export type Http1DispatcherFactory = (pool?: { readonly connections?: number }) => Dispatcher;

/**
 * Reads the current cluster's TLS and proxy options from `kubeConfig` once (client-node's own
 * `applyToHTTPSOptions`, then `createDispatcherOptions`) and returns a factory of undici
 * dispatchers to it that speak HTTP/1.1 only (`allowH2: false`, ADR 0028).
 *
 * Why: undici negotiates HTTP/2 with the apiserver by default, and on Node 24 aborting an HTTP/2
 * stream (a watch stopped, a request timed out, the manager shutting down) can spin the main
 * thread in `Http2Stream::SubmitRstStream` (`submitRstStream` → nghttp2 sending, memcpy and memset
 * without end; nodejs/node#52952): the process stops answering, signals included. Measured with
 * `bench/shutdownSoak.bench.ts`: 2 of 7 managers hung so at SIGTERM over HTTP/2, 0 of 75 over HTTP/1.1.
 *
 * A SOCKS proxy keeps `clientNodeDispatcher` (client-node's own SOCKS connector offers no ALPN, so
 * that connection is HTTP/1.1 already; it is not bounded).
 *
 * @example
 * ```ts
 * const context = new RequestContext(url, 'GET');
 * await kubeConfig.applySecurityAuthentication(context); // headers, and client-node's dispatcher
 * const make = await http1Dispatchers(kubeConfig, context.getDispatcher());
 * const requests = make({ connections: 8 }); // at most 8 sockets
 * const watches = make(); // a socket per watch
 * ```
 */
export async function http1Dispatchers(kubeConfig: KubeConfig, clientNodeDispatcher: Dispatcher | undefined): Promise<Http1DispatcherFactory> {
  const { Agent, ProxyAgent } = await import('undici');
  const https: RequestOptions = {};
  await kubeConfig.applyToHTTPSOptions(https);
  const agentOptions: AgentOptions = {
    ca: https.ca,
    cert: https.cert,
    key: https.key,
    pfx: https.pfx,
    passphrase: https.passphrase,
    ...(https.rejectUnauthorized === undefined ? {} : { rejectUnauthorized: https.rejectUnauthorized }),
    ...(https.servername === undefined ? {} : { servername: https.servername }),
  };
  const options = kubeConfig.createDispatcherOptions(kubeConfig.getCurrentCluster(), agentOptions);
  switch (options.type) {
    case 'agent':
      return (pool = {}) => new Agent({ connect: defined(options.connect), allowH2: false, ...defined(pool) });
    case 'proxy':
      return (pool = {}) => new ProxyAgent({ uri: options.uri, requestTls: defined(options.requestTls), connect: defined(options.connect), allowH2: false, ...defined(pool) });
    case 'socks': {
      if (clientNodeDispatcher === undefined) throw new Error(`no dispatcher for the SOCKS proxy ${options.uri}`);
      return () => clientNodeDispatcher;
    }
    case 'none':
      return (pool = {}) => new Agent({ allowH2: false, ...defined(pool) });
  }
}

/** `options` without the keys whose value is `undefined` (undici's option types admit none). */
function defined<T extends object>(options: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
}
