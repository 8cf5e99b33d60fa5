import { request as httpsRequest, Agent } from 'node:https';
import { createCertificateAuthority, issueCertificate } from '@kruise-ts/k8s-adapter';
import type { AdmissionRequest } from '../admissionTypes.js';
import type { ServingCertificate } from '../createWebhookServer.js';

/** Returns a fresh CA and a serving certificate for `127.0.0.1` and `localhost` it signed. */
export function loopbackCertificates(now = new Date()): { caPem: string; serving: ServingCertificate } {
  const ca = createCertificateAuthority('webhook-test-ca', now, 30);
  const pair = issueCertificate(ca, { commonName: 'localhost', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'], usages: ['server'], validDays: 10 }, now);
  return { caPem: ca.certPem, serving: { certPem: pair.certPem, keyPem: pair.keyPem } };
}

/** A response read back in full. */
export interface TestResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly text: string;
}

/** Options of {@link sendRequest}. */
export interface SendOptions {
  readonly method?: string;
  /** Default `application/json`; `null` sends none. */
  readonly contentType?: string | null;
  readonly body?: string | Buffer;
  readonly agent?: Agent;
  /** Fails the request after this many ms (default 10 000). */
  readonly timeoutMs?: number;
}

/**
 * Sends one HTTPS request to `url` trusting `caPem` and resolves with the status and body. A
 * response that arrives while the body is still being written (an early 413) counts; a connection
 * closed without any response rejects.
 */
export function sendRequest(url: string, caPem: string, options: SendOptions = {}): Promise<TestResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    if (options.contentType !== null) headers['content-type'] = options.contentType ?? 'application/json';
    const req = httpsRequest(url, { method: options.method ?? 'POST', ca: caPem, headers, agent: options.agent ?? false, timeout: options.timeoutMs ?? 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => {
      req.destroy(new Error(`no response from ${url} within ${String(options.timeoutMs ?? 10_000)} ms`));
    });
    req.on('error', reject);
    if (options.body !== undefined) req.end(options.body);
    else req.end();
  });
}

/** Returns an AdmissionReview v1 body asking about `request` (uid, kind and resource filled in for a v1beta1 CloneSet CREATE unless given). */
export function admissionReview(request: Partial<AdmissionRequest> & Record<string, unknown>): string {
  return JSON.stringify({
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: 'uid-1',
      kind: { group: 'apps.kruise.io', version: 'v1beta1', kind: 'CloneSet' },
      resource: { group: 'apps.kruise.io', version: 'v1beta1', resource: 'clonesets' },
      operation: 'CREATE',
      namespace: 'default',
      ...request,
    },
  });
}

/** Returns the `response` of an AdmissionReview body with its JSON patch decoded. */
export function admissionAnswer(text: string): { uid: string; allowed: boolean; status?: { code?: number; message?: string; reason?: string; details?: { causes?: { field: string; message: string }[] } }; patch?: unknown[]; warnings?: string[] } {
  const review = JSON.parse(text) as { response: { uid: string; allowed: boolean; patch?: string; status?: never; warnings?: string[] } };
  const { patch, ...rest } = review.response;
  return { ...rest, ...(patch === undefined ? {} : { patch: JSON.parse(Buffer.from(patch, 'base64').toString('utf8')) as unknown[] }) };
}

/** Returns `document` with RFC 6902 add/replace/remove `operations` applied (enough to check webhook patches). */
export function applyJsonPatch(document: unknown, operations: readonly unknown[]): unknown {
  const root: { value: unknown } = { value: structuredClone(document) };
  for (const operation of operations as { op: string; path: string; value?: unknown }[]) {
    const tokens = operation.path.split('/').slice(1).map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'));
    let parent: Record<string, unknown> = root;
    let key = 'value';
    for (const token of tokens) {
      parent = parent[key] as Record<string, unknown>;
      key = token;
    }
    if (Array.isArray(parent) && operation.op === 'add') parent.splice(key === '-' ? parent.length : Number(key), 0, operation.value);
    else if (Array.isArray(parent) && operation.op === 'remove') parent.splice(Number(key), 1);
    else if (operation.op === 'remove') Reflect.deleteProperty(parent, key);
    else parent[key] = operation.value;
  }
  return root.value;
}

/** Options of {@link kruiseAdmissionRequest}. */
export interface KruiseAdmissionRequestOptions {
  readonly operation?: AdmissionRequest['operation'];
  readonly oldObject?: unknown;
  /** `v1beta1` unless given. */
  readonly version?: string;
}

/**
 * Returns an AdmissionRequest for an `apps.kruise.io` kind in namespace `default` (CREATE of a
 * v1beta1 object unless the options say otherwise), as the webhook handlers receive it.
 *
 * @example kruiseAdmissionRequest('AdvancedCronJob', 'advancedcronjobs', object, { operation: 'UPDATE', oldObject })
 */
export function kruiseAdmissionRequest(kind: string, resource: string, object: unknown, options: KruiseAdmissionRequestOptions = {}): AdmissionRequest {
  const version = options.version ?? 'v1beta1';
  return {
    uid: 'u',
    kind: { group: 'apps.kruise.io', version, kind },
    resource: { group: 'apps.kruise.io', version, resource },
    operation: options.operation ?? 'CREATE',
    namespace: 'default',
    object,
    oldObject: options.oldObject,
  };
}
