import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Registry } from 'prom-client';
import type { Logger } from '../runtime/logger.js';
import { admissionResponse, parseAdmissionReview } from './admissionReview.js';
import { convertObjects, parseConversionReview } from './conversionReview.js';
import { handleAdmission } from './handleAdmission.js';
import { discardRequestBody, readRequestBody } from './readRequestBody.js';
import { createWebhookMetrics, type WebhookMetricSink, type WebhookOutcome } from './webhookMetrics.js';
import { CONVERSION_PATH, type WebhookRegistry } from './webhookRegistry.js';

/** A serving certificate and its key, PEM-encoded (the certificate may be followed by its chain). */
export interface ServingCertificate {
  readonly certPem: string;
  readonly keyPem: string;
}

/** Options of {@link createWebhookServer}. */
export interface WebhookServerOptions {
  /** Address to listen on (`0.0.0.0` in a pod, `127.0.0.1` in tests). */
  readonly host: string;
  /** Port to listen on; 0 lets the OS pick one. */
  readonly port: number;
  readonly certificate: ServingCertificate;
  /** What is served: admission webhooks by path, converters at `/convert`. */
  readonly registry: WebhookRegistry;
  readonly logger: Logger;
  /** Prometheus registry for the request metrics (none: not recorded). */
  readonly metrics?: Registry | undefined;
  /** Largest body accepted (default 3 MiB, as the apiserver's own request limit); larger gets 413. */
  readonly maxBodyBytes?: number | undefined;
  /** A handler answering later is cut off with a denial (default 9 000 ms, under the apiserver's 10 s). */
  readonly handlerTimeoutMs?: number | undefined;
  /** A request (headers and body) taking longer is dropped by the socket layer (default 30 000 ms). */
  readonly requestTimeoutMs?: number | undefined;
}

/** A listening webhook server. */
export interface WebhookServer {
  /** The address it listens on. */
  readonly host: string;
  /** The port it listens on (the one the OS picked when asked for port 0). */
  readonly port: number;
  /** `https://host:port`. */
  readonly url: string;
  /** Serves `certificate` to new connections from now on (hot rotation; open connections keep theirs). */
  setCertificate(certificate: ServingCertificate): void;
  /** Stops listening, lets requests in flight finish (at most 5 s) and resolves once closed. */
  close(): Promise<void>;
}

const DEFAULT_MAX_BODY = 3 * 1024 * 1024;
const TEXT = 'text/plain; charset=utf-8';

interface Reply {
  readonly status: number;
  readonly body: string;
  readonly contentType: string;
  readonly outcome: WebhookOutcome;
  /** The body was not (fully) read: close the connection after answering. */
  readonly early?: boolean;
  readonly headers?: Readonly<Record<string, string>>;
}

const text = (status: number, body: string, extra: Partial<Reply> = {}): Reply => ({ status, body: `${body}\n`, contentType: TEXT, outcome: 'rejected', ...extra });
const json = (body: unknown, outcome: WebhookOutcome): Reply => ({ status: 200, body: JSON.stringify(body), contentType: 'application/json', outcome });

const isJsonContentType = (value: string | undefined): boolean => value !== undefined && /^application\/json\s*(;|$)/i.test(value.trim());

/**
 * Returns an HTTPS server, listening, that answers AdmissionReview v1 requests at the paths of the
 * registry's webhooks and ConversionReview v1 requests at `/convert`, on one port. It is strict:
 * only POST (405), only `Content-Type: application/json` (415), bodies up to `maxBodyBytes` (413),
 * valid JSON (400) of the right review (400), known paths (404); a request of a kind the webhook's
 * rules do not cover is denied. Handlers that throw or time out give denials; nothing a client
 * sends crashes it or leaves a request hanging past `requestTimeoutMs`.
 *
 * @example
 * ```ts
 * const server = await createWebhookServer({ host: '127.0.0.1', port: 9876, certificate, registry, logger });
 * server.setCertificate(rotated);
 * await server.close();
 * ```
 */
export function createWebhookServer(options: WebhookServerOptions): Promise<WebhookServer> {
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
  const timeoutMs = options.handlerTimeoutMs ?? 9_000;
  const record: WebhookMetricSink = options.metrics === undefined ? () => undefined : createWebhookMetrics(options.metrics);
  const { logger, registry } = options;
  const tls = (c: ServingCertificate) => ({ cert: c.certPem, key: c.keyPem, minVersion: 'TLSv1.2' as const });

  async function answer(request: IncomingMessage, path: string): Promise<Reply> {
    const webhook = path === CONVERSION_PATH ? undefined : registry.webhookAt(path);
    if (webhook === undefined && path !== CONVERSION_PATH) return text(404, `no webhook is served at ${path}`, { early: true });
    if (request.method !== 'POST') return text(405, `method ${request.method ?? ''} not allowed: webhooks take POST`, { early: true, headers: { allow: 'POST' } });
    const contentType = request.headers['content-type'];
    if (!isJsonContentType(contentType)) return text(415, `Content-Type must be application/json, got ${contentType === undefined ? 'none' : JSON.stringify(contentType)}`, { early: true });
    const declared = Number(request.headers['content-length'] ?? '0');
    if (declared > maxBody) return text(413, `body of ${String(declared)} bytes is larger than the ${String(maxBody)} allowed`, { early: true });
    const body = await readRequestBody(request, maxBody);
    if (body.kind === 'too-large') return text(413, `body is larger than the ${String(maxBody)} bytes allowed`, { early: true });
    if (body.kind === 'aborted') return text(400, 'request aborted', { early: true });
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.text);
    } catch (error) {
      return text(400, `malformed JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (webhook === undefined) {
      const review = parseConversionReview(parsed);
      if (review.kind === 'invalid') return text(400, `not a ConversionReview apiextensions.k8s.io/v1: ${review.message}`);
      const converted = convertObjects(registry, review.request);
      if (converted.failed) logger.warn({ uid: review.request.uid, response: converted.review.response }, 'conversion failed');
      return json(converted.review, converted.failed ? 'conversion-failed' : 'converted');
    }
    const review = parseAdmissionReview(parsed);
    if (review.kind === 'invalid') return text(400, `not an AdmissionReview admission.k8s.io/v1: ${review.message}`);
    const { decision, outcome } = await handleAdmission(webhook, review.request, { timeoutMs, logger });
    return json(admissionResponse(review.request.uid, decision), outcome);
  }

  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const started = performance.now();
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    let reply: Reply;
    try {
      reply = await answer(request, path);
    } catch (error) {
      // Defensive: answer() handles every expected failure; this keeps the process alive regardless.
      logger.error({ err: error, path }, 'webhook request failed');
      reply = text(500, 'internal error');
    }
    const known = path === CONVERSION_PATH || registry.webhookAt(path) !== undefined;
    record(known ? path : 'unknown', reply.outcome, (performance.now() - started) / 1000);
    if (response.destroyed || response.headersSent) return;
    response.writeHead(reply.status, {
      'content-type': reply.contentType,
      'content-length': Buffer.byteLength(reply.body),
      'x-content-type-options': 'nosniff',
      ...(reply.early === true ? { connection: 'close' } : {}),
      ...reply.headers,
    });
    response.end(reply.body);
    if (reply.early === true) discardRequestBody(request, response, 4 * maxBody);
  }

  const server = createServer(tls(options.certificate), (request, response) => {
    response.on('error', () => undefined);
    void serve(request, response);
  });
  server.requestTimeout = options.requestTimeoutMs ?? 30_000;
  server.headersTimeout = Math.min(10_000, server.requestTimeout);
  server.maxHeadersCount = 100;
  // Requests Node's HTTP parser refuses (a body without a length, oversized headers, too slow)
  // get a 4xx with a reason instead of an empty 400.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    const [status, reason] = error.code === 'HPE_HEADER_OVERFLOW' ? [431, 'Request Header Fields Too Large'] : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? [408, 'Request Timeout'] : [400, 'Bad Request'];
    const body = `malformed HTTP request: ${error.code ?? error.message}\n`;
    if (socket.writable && error.code !== 'ECONNRESET') socket.end(`HTTP/1.1 ${String(status)} ${reason}\r\ncontent-type: ${TEXT}\r\nconnection: close\r\ncontent-length: ${String(Buffer.byteLength(body))}\r\n\r\n${body}`);
    else socket.destroy();
  });
  server.on('tlsClientError', (error) => {
    logger.debug({ err: error }, 'webhook TLS handshake failed');
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      server.on('error', (error) => {
        logger.error({ err: error }, 'webhook server error');
      });
      const { address, port } = server.address() as AddressInfo;
      resolve({
        host: address,
        port,
        url: `https://${address.includes(':') ? `[${address}]` : address}:${String(port)}`,
        setCertificate: (certificate) => {
          server.setSecureContext(tls(certificate));
        },
        close: () =>
          new Promise<void>((done) => {
            const force = setTimeout(() => {
              server.closeAllConnections();
            }, 5_000);
            server.close(() => {
              clearTimeout(force);
              done();
            });
            server.closeIdleConnections();
          }),
      });
    });
  });
}
