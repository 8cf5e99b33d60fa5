import { Agent, request as httpsRequest } from 'node:https';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../runtime/logger.js';
import { allow, allowWithPatch, deny, denyProblems } from './admissionDecisions.js';
import type { AdmissionWebhook } from './admissionTypes.js';
import { createWebhookServer, type WebhookServer } from './createWebhookServer.js';
import { admissionAnswer, admissionReview, loopbackCertificates, sendRequest } from './testing/webhook.testkit.js';
import { createWebhookRegistry } from './webhookRegistry.js';

const rules = [{ apiGroups: ['apps.kruise.io'], apiVersions: ['v1beta1'], resources: ['clonesets'], operations: ['CREATE', 'UPDATE'] }] as const;
const webhook = (name: string, path: string, type: 'mutating' | 'validating', handle: AdmissionWebhook['handle']): AdmissionWebhook => ({ name, path, type, rules, failurePolicy: 'Fail', timeoutSeconds: 10, handle });

describe('createWebhookServer (real HTTPS on loopback)', () => {
  const certs = loopbackCertificates();
  const logs: Record<string, unknown>[] = [];
  const logger = createLogger({ level: 'debug', destination: { write: (line: string) => logs.push(JSON.parse(line) as Record<string, unknown>) } });
  const metrics = new Registry();
  const registry = createWebhookRegistry()
    .admission(webhook('mutate.test', '/mutate', 'mutating', () => allowWithPatch([{ op: 'add', path: '/spec/replicas', value: 1 }])))
    .admission(webhook('validate.test', '/validate', 'validating', (request) => ((request.object as { spec?: { replicas?: number } }).spec?.replicas ?? 0) < 0 ? denyProblems([{ path: 'spec.replicas', message: 'must be >= 0' }]) : allow()))
    .admission(webhook('throws.test', '/throws', 'validating', () => { throw new Error('boom'); }))
    .admission(webhook('hangs.test', '/hangs', 'validating', () => new Promise(() => undefined)))
    .admission(webhook('patching-validator.test', '/patching-validator', 'validating', () => allowWithPatch([{ op: 'add', path: '/x', value: 1 }])))
    .admission(webhook('forbids.test', '/forbids', 'validating', () => deny('not today')))
    .conversion({
      group: 'apps.kruise.io',
      kind: 'CloneSet',
      plural: 'clonesets',
      convert: (object, desired) => (object.spec === 'bad' ? { kind: 'failed', message: 'spec: bad' } : { kind: 'converted', object: { ...object, converted: desired } }),
    });
  let server: WebhookServer;
  const post = (path: string, body: string, options: Parameters<typeof sendRequest>[2] = {}) => sendRequest(`${server.url}${path}`, certs.caPem, { body, ...options });

  beforeAll(async () => {
    server = await createWebhookServer({ host: '127.0.0.1', port: 0, certificate: certs.serving, registry, logger, metrics, handlerTimeoutMs: 200, maxBodyBytes: 64 * 1024 });
  });
  afterAll(async () => {
    await server.close();
  });

  it('answers a mutating review with a base64 JSONPatch', async () => {
    const res = await post('/mutate?timeout=10s', admissionReview({ uid: 'a1', object: { spec: {} } }));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toMatchObject({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid: 'a1', allowed: true, patchType: 'JSONPatch' } });
    expect(admissionAnswer(res.text).patch).toEqual([{ op: 'add', path: '/spec/replicas', value: 1 }]);
  });

  it('answers a validating review with a denial naming the field, with causes', async () => {
    const res = await post('/validate', admissionReview({ uid: 'v1', object: { spec: { replicas: -1 } } }));
    expect(admissionAnswer(res.text)).toEqual({
      uid: 'v1',
      allowed: false,
      status: { status: 'Failure', code: 422, reason: 'Invalid', message: 'spec.replicas: must be >= 0', details: { causes: [{ field: 'spec.replicas', message: 'must be >= 0', reason: 'FieldValueInvalid' }] } },
    });
    expect(admissionAnswer((await post('/validate', admissionReview({ uid: 'v2', object: { spec: { replicas: 1 } } }))).text)).toEqual({ uid: 'v2', allowed: true });
    expect(admissionAnswer((await post('/forbids', admissionReview({}))).text).status).toMatchObject({ code: 403, message: 'not today' });
  });

  it('converts objects at /convert, and fails the review naming the object', async () => {
    const review = (objects: unknown[]) => JSON.stringify({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'ConversionReview', request: { uid: 'c1', desiredAPIVersion: 'apps.kruise.io/v1alpha1', objects } });
    const ok = JSON.parse((await post('/convert', review([{ apiVersion: 'apps.kruise.io/v1beta1', kind: 'CloneSet', spec: {} }, { apiVersion: 'apps.kruise.io/v1alpha1', kind: 'CloneSet' }]))).text) as unknown;
    expect(ok).toEqual({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'ConversionReview',
      response: { uid: 'c1', result: { status: 'Success' }, convertedObjects: [{ apiVersion: 'apps.kruise.io/v1alpha1', kind: 'CloneSet', spec: {}, converted: 'apps.kruise.io/v1alpha1' }, { apiVersion: 'apps.kruise.io/v1alpha1', kind: 'CloneSet' }] },
    });
    const failed = JSON.parse((await post('/convert', review([{ apiVersion: 'apps.kruise.io/v1beta1', kind: 'CloneSet', spec: 'bad' }]))).text) as { response: { result: unknown } };
    expect(failed.response.result).toEqual({ status: 'Failure', message: 'objects[0] (CloneSet apps.kruise.io/v1beta1): spec: bad' });
    const unknown = JSON.parse((await post('/convert', review([{ apiVersion: 'apps.kruise.io/v1beta1', kind: 'SidecarSet' }]))).text) as { response: { result: { message: string } } };
    expect(unknown.response.result.message).toContain('no converter for SidecarSet.apps.kruise.io');
  });

  it.each([
    ['an unknown path', '/nowhere', {}, 404, 'no webhook is served at /nowhere'],
    ['PUT', '/validate', { method: 'PUT' }, 405, 'method PUT not allowed: webhooks take POST'],
    ['text/plain', '/validate', { contentType: 'text/plain' }, 415, 'Content-Type must be application/json, got "text/plain"'],
    ['no Content-Type', '/validate', { contentType: null }, 415, 'got none'],
    ['malformed JSON', '/validate', { body: '{"apiVersion": ' }, 400, 'malformed JSON'],
    ['JSON that is not a review', '/validate', { body: '[1,2]' }, 400, 'not an AdmissionReview admission.k8s.io/v1: body must be a JSON object'],
    ['a review without uid', '/validate', { body: admissionReview({ uid: '' }) }, 400, 'request.uid must be a non-empty string'],
    ['a declared body over the limit', '/validate', { body: `{"a":"${'x'.repeat(70 * 1024)}"}` }, 413, 'larger than the 65536'],
  ] as const)('refuses %s', async (_story, path, options, status, message) => {
    const res = await post(path, admissionReview({}), options);
    expect(res.status).toBe(status);
    expect(res.text).toContain(message);
  });

  it('refuses a chunked body that grows past the limit with 413', async () => {
    const res = await new Promise<number>((resolve, reject) => {
      const req = httpsRequest(`${server.url}/validate`, { method: 'POST', agent: new Agent({ ca: certs.caPem }), headers: { 'content-type': 'application/json' } }, (r) => {
        resolve(r.statusCode ?? 0);
        r.resume();
      });
      req.on('error', reject);
      for (let i = 0; i < 20; i++) req.write('x'.repeat(8 * 1024));
      req.end();
    });
    expect(res).toBe(413);
  });

  it('denies a kind the webhook does not handle without calling it', async () => {
    const res = await post('/validate', admissionReview({ kind: { group: 'apps', version: 'v1', kind: 'Deployment' }, resource: { group: 'apps', version: 'v1', resource: 'deployments' } }));
    expect(admissionAnswer(res.text)).toMatchObject({ allowed: false, status: { code: 400, message: 'webhook validate.test does not handle CREATE of apps/v1 deployments' } });
  });

  it('turns a throwing or hanging handler into a logged denial, and drops patches of validating webhooks', async () => {
    expect(admissionAnswer((await post('/throws', admissionReview({ uid: 't1' }))).text)).toMatchObject({ uid: 't1', allowed: false, status: { code: 500, message: 'webhook throws.test failed: boom' } });
    expect(logs.some((l) => l.msg === 'admission handler failed' && l.webhook === 'throws.test')).toBe(true);
    const started = Date.now();
    expect(admissionAnswer((await post('/hangs', admissionReview({}))).text)).toMatchObject({ allowed: false, status: { message: 'webhook hangs.test failed: no answer within 200 ms' } });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(admissionAnswer((await post('/patching-validator', admissionReview({}))).text)).toEqual({ uid: 'uid-1', allowed: true });
  });

  it('serves a new certificate to new connections after setCertificate', async () => {
    const next = loopbackCertificates();
    server.setCertificate(next.serving);
    const body = admissionReview({ object: { spec: {} } });
    expect((await sendRequest(`${server.url}/validate`, next.caPem, { body })).status).toBe(200);
    await expect(sendRequest(`${server.url}/validate`, certs.caPem, { body })).rejects.toThrow(/self-signed|unable to verify|certificate/i);
    server.setCertificate(certs.serving);
  });

  it('records requests by path and outcome', async () => {
    const text = await metrics.metrics();
    expect(text).toMatch(/kruise_ts_webhook_requests_total\{webhook="\/mutate",outcome="patched"\} [1-9]/);
    expect(text).toMatch(/kruise_ts_webhook_requests_total\{webhook="\/validate",outcome="denied"\} [1-9]/);
    expect(text).toMatch(/kruise_ts_webhook_requests_total\{webhook="unknown",outcome="rejected"\} [1-9]/);
    expect(text).toMatch(/kruise_ts_webhook_requests_total\{webhook="\/convert",outcome="conversion-failed"\} [1-9]/);
    expect(text).toContain('kruise_ts_webhook_request_duration_seconds_bucket{le="0.005",webhook="/mutate",outcome="patched"}');
  });
});
