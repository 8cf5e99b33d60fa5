import { Agent, createServer, request, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenOnLoopback } from '@kruise-ts/k8s-adapter/testing';

/** One call of the apiserver to a webhook, as the proxy passed it on. */
export interface WebhookCall {
  /** e.g. `/mutate-pod` (without the query: the apiserver adds `?timeout=10s`). */
  readonly path: string;
  /** The answer was held past the webhook's timeout. */
  readonly delayed: boolean;
  /** From the AdmissionReview: who made the request the apiserver asks about, e.g. `manager`. */
  readonly user: string;
  /** `CREATE`, `UPDATE`, `DELETE`... (empty for a conversion). */
  readonly operation: string;
  /** The resource asked about, e.g. `pods` or `clonesets`, with the subresource when any. */
  readonly resource: string;
  /** When the call arrived (ms since the epoch). */
  readonly at: number;
}

/** A TLS-terminating proxy in front of the manager's webhook server (see {@link startSlowWebhookProxy}). */
export interface SlowWebhookProxy {
  /** `https://127.0.0.1:<port>`: give it to the manager as `--webhook-url`. */
  readonly url: string;
  /** Serves with this certificate from now on (the manager's serving pair, from its Secret). */
  useCertificate(pem: { readonly certPem: string; readonly keyPem: string }): void;
  /** Starts holding the answers of `fraction` of the admission calls (drawn from `random`); `undefined` stops. */
  delay(options: { readonly fraction: number; readonly random: () => number } | undefined): void;
  /** Every call passed on so far, in order of arrival. */
  calls(): readonly WebhookCall[];
  close(): Promise<void>;
}

const isAdmission = (path: string): boolean => path.startsWith('/mutate-') || path.startsWith('/validate-');

interface ReviewSummary {
  readonly request?: { readonly operation?: string; readonly userInfo?: { readonly username?: string }; readonly resource?: { readonly resource?: string }; readonly subResource?: string };
}

function summarize(path: string, body: Buffer, delayed: boolean): WebhookCall {
  let review: ReviewSummary = {};
  try {
    review = JSON.parse(body.toString('utf8')) as ReviewSummary;
  } catch {
    // not JSON: recorded by path only
  }
  const r = review.request;
  const resource = `${r?.resource?.resource ?? ''}${r?.subResource === undefined || r.subResource === '' ? '' : `/${r.subResource}`}`;
  return { path, delayed, user: r?.userInfo?.username ?? '', operation: r?.operation ?? '', resource, at: Date.now() };
}

/**
 * Starts an HTTPS proxy on 127.0.0.1 in front of the webhook server on `upstreamPort`, for the
 * slow-webhook chaos e2e (issue 20): the apiserver calls the webhooks through it (the manager's
 * `--webhook-url` names it) and, once {@link SlowWebhookProxy.delay} is on, the answer to a drawn
 * share of admission calls (`/mutate-*`, `/validate-*`) is held `delayMs` (past the webhook's
 * timeoutSeconds) before it is sent: the manager's handler ran, its answer comes too late.
 * Conversions (`/convert`) always pass: they have no timeoutSeconds of their own (30 s fixed) and
 * are a different fault. It terminates TLS with the manager's own serving certificate (which
 * names 127.0.0.1), so it sees each call; until {@link SlowWebhookProxy.useCertificate} every
 * handshake fails.
 *
 * @example
 * ```ts
 * const proxy = await startSlowWebhookProxy({ upstreamPort: 9443, delayMs: 12_000 });
 * proxy.useCertificate(fromSecret); proxy.delay({ fraction: 0.5, random: seededRandom(7) });
 * // about half the /mutate-pod calls now time out in the apiserver (10 s)
 * ```
 */
export async function startSlowWebhookProxy(options: { readonly upstreamPort: number; readonly delayMs: number }): Promise<SlowWebhookProxy> {
  const calls: WebhookCall[] = [];
  let drawing: { readonly fraction: number; readonly random: () => number } | undefined;
  const timers = new Set<NodeJS.Timeout>();
  const upstream = new Agent({ keepAlive: true, rejectUnauthorized: false }); // loopback to the manager's own server
  const forward = (incoming: IncomingMessage, response: ServerResponse): void => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      const path = incoming.url ?? '/';
      const delayed = drawing !== undefined && isAdmission(path) && drawing.random() < drawing.fraction;
      calls.push(summarize(path.split('?')[0] ?? path, body, delayed));
      const outgoing = request({ host: '127.0.0.1', port: options.upstreamPort, path, method: incoming.method, headers: { ...incoming.headers, host: `127.0.0.1:${String(options.upstreamPort)}` }, agent: upstream }, (answer) => {
        const parts: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => parts.push(chunk));
        answer.on('end', () => {
          const send = (): void => {
            if (response.destroyed) return; // the apiserver gave up and closed the connection
            response.writeHead(answer.statusCode ?? 502, answer.headers);
            response.end(Buffer.concat(parts));
          };
          if (!delayed) {
            send();
            return;
          }
          const timer = setTimeout(() => {
            timers.delete(timer);
            send();
          }, options.delayMs); // the fault itself: an answer held this long, not a wait of the test
          timers.add(timer);
        });
      });
      outgoing.on('error', () => {
        if (!response.destroyed) response.destroy();
      });
      outgoing.end(body);
    });
  };
  const server: Server = createServer({}, forward);
  server.on('tlsClientError', () => undefined); // handshakes before the certificate is known
  const port = await listenOnLoopback(server);
  return {
    url: `https://127.0.0.1:${String(port)}`,
    useCertificate(pem) {
      server.setSecureContext({ cert: pem.certPem, key: pem.keyPem });
    },
    delay(settings) {
      drawing = settings;
    },
    calls: () => calls,
    close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      upstream.destroy();
      server.closeAllConnections();
      return new Promise((resolve) => {
        server.close(() => {
          resolve();
        });
      });
    },
  };
}
