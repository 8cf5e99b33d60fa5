import { Agent } from 'node:https';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../runtime/logger.js';
import { cloneSetMutatingWebhook, cloneSetValidatingWebhook } from './cloneset/cloneSetAdmission.js';
import { cloneSetConverter } from './cloneset/cloneSetConverter.js';
import { createWebhookServer, type WebhookServer } from './createWebhookServer.js';
import { createPodMutatingWebhook } from './pod/podMutatingWebhook.js';
import { admissionReview, loopbackCertificates, sendRequest, type SendOptions } from './testing/webhook.testkit.js';
import { createWebhookRegistry } from './webhookRegistry.js';

const LIMIT = 32 * 1024;
const PATHS = ['/mutate-apps-kruise-io-cloneset', '/validate-apps-kruise-io-cloneset', '/mutate-pod', '/convert'] as const;

type Json = Record<string, unknown>;

/** Asserts the answer is a 4xx, or a 200 carrying a well-formed review for `path`. */
function expectWellFormed(path: string, status: number, text: string): void {
  expect(status === 200 || (status >= 400 && status < 500), `status ${String(status)}: ${text}`).toBe(true);
  if (status !== 200) {
    expect(text.length).toBeGreaterThan(0);
    return;
  }
  const body = JSON.parse(text) as { kind: string; response: Json };
  if (path === '/convert') {
    expect(body.kind).toBe('ConversionReview');
    const result = body.response.result as { status: string; message?: string };
    expect(['Success', 'Failure']).toContain(result.status);
    if (result.status === 'Failure') expect(result.message).toMatch(/\S/);
    return;
  }
  expect(body.kind).toBe('AdmissionReview');
  expect(typeof body.response.uid).toBe('string');
  expect(typeof body.response.allowed).toBe('boolean');
  if (body.response.allowed === false) expect((body.response.status as { message?: string }).message).toMatch(/\S/);
  if (body.response.patch !== undefined) expect(body.response.patchType).toBe('JSONPatch');
}

const kinds = fc.record({ group: fc.constantFrom('', 'apps', 'apps.kruise.io', 'x'), version: fc.constantFrom('v1', 'v1alpha1', 'v1beta1', 'v9'), kind: fc.constantFrom('CloneSet', 'Pod', 'Deployment', 'Nope') });
const resourceOf = (k: { group: string; version: string; kind: string }) => ({ group: k.group, version: k.version, resource: `${k.kind.toLowerCase()}s` });

/** A review with random but typed envelope and an arbitrary (often unparseable) object. */
const reviews = fc.record({
  uid: fc.string({ minLength: 1, maxLength: 20 }),
  kind: kinds,
  operation: fc.constantFrom('CREATE', 'UPDATE', 'DELETE', 'CONNECT'),
  object: fc.oneof(fc.anything(), fc.record({ apiVersion: fc.constantFrom('apps.kruise.io/v1alpha1', 'apps.kruise.io/v1beta1', 'v1'), kind: fc.constantFrom('CloneSet', 'Pod'), metadata: fc.anything(), spec: fc.anything() })),
  oldObject: fc.option(fc.anything(), { nil: undefined }),
}).map((r) => admissionReview({ ...r, resource: resourceOf(r.kind) }));

const conversions = fc
  .record({ uid: fc.string({ minLength: 1 }), desiredAPIVersion: fc.constantFrom('apps.kruise.io/v1alpha1', 'apps.kruise.io/v1beta1', 'v1', 'bad'), objects: fc.array(fc.oneof(fc.anything(), fc.record({ apiVersion: fc.constantFrom('apps.kruise.io/v1alpha1', 'apps.kruise.io/v1beta1'), kind: fc.constant('CloneSet'), spec: fc.anything() })), { maxLength: 3 }) })
  .map((request) => JSON.stringify({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'ConversionReview', request }));

const bodies = fc.oneof(
  { weight: 3, arbitrary: reviews },
  { weight: 2, arbitrary: conversions },
  { weight: 2, arbitrary: fc.json() },
  { weight: 2, arbitrary: fc.tuple(reviews, fc.nat()).map(([text, cut]) => text.slice(0, cut % text.length)) },
  { weight: 1, arbitrary: fc.string() },
  { weight: 1, arbitrary: fc.integer({ min: LIMIT + 1, max: 3 * LIMIT }).map((n) => `{"a":"${'x'.repeat(n)}"}`) },
);

const requests = fc.record({
  path: fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...PATHS) }, { weight: 1, arbitrary: fc.webPath().map((p) => `/${p.replace(/^\/+/, '')}`) }),
  method: fc.oneof({ weight: 9, arbitrary: fc.constant('POST') }, { weight: 1, arbitrary: fc.constantFrom('GET', 'PUT', 'DELETE', 'PATCH') }),
  contentType: fc.oneof({ weight: 9, arbitrary: fc.constantFrom<string | null>('application/json', 'application/json; charset=utf-8') }, { weight: 1, arbitrary: fc.constantFrom<string | null>('text/plain', 'application/xml', '', null, 'application/jsonx') }),
  body: bodies,
});

describe('webhook server under a few thousand generated bodies', () => {
  const certs = loopbackCertificates();
  const failures: unknown[] = [];
  const logger = createLogger({ level: 'error', destination: { write: (line: string) => failures.push(JSON.parse(line)) } });
  const registry = createWebhookRegistry()
    .admission(cloneSetMutatingWebhook())
    .admission(cloneSetValidatingWebhook())
    .admission(createPodMutatingWebhook({ managerNamespace: 'kruise-system', mutators: [{ name: 'label', mutate: (pod) => ({ kind: 'mutated', pod: { ...pod, metadata: { ...pod.metadata, labels: { ...pod.metadata.labels, fuzz: 'yes' } } } }) }] }))
    .conversion(cloneSetConverter);
  let server: WebhookServer;
  const agent = new Agent({ keepAlive: true, maxSockets: 1, ca: certs.caPem });
  beforeAll(async () => {
    server = await createWebhookServer({ host: '127.0.0.1', port: 0, certificate: certs.serving, registry, logger, maxBodyBytes: LIMIT, handlerTimeoutMs: 2_000 });
  });
  afterAll(async () => {
    agent.destroy();
    await server.close();
  });

  it('answers every request with a 4xx or a well-formed review, never a 5xx, crash or hang', async () => {
    await fc.assert(
      fc.asyncProperty(requests, async ({ path, method, contentType, body }) => {
        const options: SendOptions = { method, contentType, agent, timeoutMs: 5_000, ...(method === 'GET' ? {} : { body }) };
        const res = await sendRequest(`${server.url}${path}`, certs.caPem, options);
        expectWellFormed(path, res.status, res.text);
      }),
      { numRuns: 3_000, seed: Number(process.env.FUZZ_SEED ?? 20261122) },
    );
    expect(failures).toEqual([]);
  }, 120_000);

  it('still answers afterwards, and survives a body of 20 MiB', async () => {
    await sendRequest(`${server.url}/validate-apps-kruise-io-cloneset`, certs.caPem, { body: Buffer.alloc(20 * 1024 * 1024, 0x20) }).then(
      (res) => {
        expect(res.status).toBe(413);
      },
      (error: unknown) => {
        expect(String(error)).toMatch(/ECONNRESET|EPIPE|socket hang up/);
      },
    );
    const res = await sendRequest(`${server.url}/validate-apps-kruise-io-cloneset`, certs.caPem, { body: admissionReview({ uid: 'after', object: { spec: { replicas: -1 } } }) });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toMatchObject({ response: { uid: 'after', allowed: false } });
  });
});
