import { X509Certificate } from 'node:crypto';
import { connect } from 'node:tls';
import { Resources, createMemoryCluster, type MemoryCluster } from '@kruise-ts/k8s-adapter';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../runtime/logger.js';
import { createSecretCertificateSource } from './certificates/secretCertificateSource.js';
import { createBuiltinWebhooks } from './createBuiltinWebhooks.js';
import { createWebhookRuntime, type WebhookRuntime } from './createWebhookRuntime.js';
import { WebhookConfigurationResources } from './ensureWebhookConfigurations.js';
import { admissionAnswer, admissionReview, sendRequest } from './testing/webhook.testkit.js';
import { webhookHosts, type WebhookClientConfigMode } from './webhookConfigurations.js';

const DAY = 86_400_000;
// Long enough that advancing the fake clock by months wakes the sync loop a few times, not thousands.
const SYNC = 50 * DAY;
const clientConfig: WebhookClientConfigMode = { kind: 'service', namespace: 'kruise-system', name: 'kruise-ts-webhook-service' };
const pem = (base64: unknown): string => Buffer.from(String(base64), 'base64').toString('utf8');

/** Returns the SHA-256 fingerprint of the certificate the server at `url` presents. */
function servedFingerprint(url: string, caPem: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port), ca: caPem }, () => {
      resolve(socket.getPeerX509Certificate()?.fingerprint256 ?? '');
      socket.end();
    });
    socket.on('error', reject);
  });
}

describe('createWebhookRuntime (memory cluster, fake clock, real HTTPS)', () => {
  let cluster: MemoryCluster;
  let runtime: WebhookRuntime;
  let stop: AbortController;
  let running: Promise<void>;

  beforeEach(async () => {
    cluster = await createMemoryCluster({ nodes: 0 });
    cluster.registerResource(WebhookConfigurationResources.Mutating, { statusSubresource: false, generation: false });
    cluster.registerResource(WebhookConfigurationResources.Validating, { statusSubresource: false, generation: false });
    await cluster.client.create(Resources.Namespace, { metadata: { name: 'kruise-system' } });
    await cluster.client.create(Resources.CustomResourceDefinition, {
      metadata: { name: 'clonesets.apps.kruise.io' },
      spec: { group: 'apps.kruise.io', names: { kind: 'CloneSet', plural: 'clonesets' }, scope: 'Namespaced', versions: [{ name: 'v1beta1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }], conversion: { strategy: 'None' } },
    });
    const logger = createLogger({ level: 'silent' });
    const certificates = createSecretCertificateSource({ client: cluster.client, clock: cluster.clock, logger, namespace: 'kruise-system', name: 'kruise-ts-webhook-certs', hosts: [...webhookHosts(clientConfig, clientConfig), '127.0.0.1'] });
    const registry = createBuiltinWebhooks({ client: cluster.client, managerNamespace: 'kruise-system' });
    runtime = createWebhookRuntime({ client: cluster.client, clock: cluster.clock, logger, metrics: new Registry(), registry, listen: { host: '127.0.0.1', port: 0 }, clientConfig, certificates, syncIntervalMs: SYNC });
    stop = new AbortController();
    running = runtime.run(stop.signal);
    await vi.waitFor(() => {
      expect(runtime.isReady()).toBe(true);
    });
  });
  afterEach(async () => {
    stop.abort();
    await running;
    await cluster.close();
  });

  it('provisions certificates, configures webhooks and CRD conversion with the caBundle, and serves', async () => {
    const secret = await cluster.client.get(Resources.Secret, { namespace: 'kruise-system', name: 'kruise-ts-webhook-certs' });
    const caPem = pem(secret.data?.['ca-cert.pem']);
    const mutating = await cluster.client.get(WebhookConfigurationResources.Mutating, { name: 'kruise-ts-mutating-webhook-configuration' });
    expect(mutating.webhooks.map((w) => w.name)).toEqual(['mcloneset.kb.io', 'mpod.kb.io', 'msidecarset.kb.io', 'mstatefulset.kb.io', 'madvancedcronjob.kb.io', 'mbroadcastjob.kb.io', 'mdaemonset.kb.io', 'muniteddeployment.kb.io', 'mnodeimage.kb.io', 'mimagepulljob.kb.io', 'mimagelistpulljob.kb.io', 'mcontainerrecreaterequest.kb.io']);
    expect(mutating.webhooks.every((w) => pem((w.clientConfig as { caBundle: string }).caBundle) === caPem)).toBe(true);
    const crd = await cluster.client.get(Resources.CustomResourceDefinition, { name: 'clonesets.apps.kruise.io' });
    expect(crd.spec.conversion).toMatchObject({ strategy: 'Webhook', webhook: { conversionReviewVersions: ['v1'], clientConfig: { service: { path: '/convert' } } } });
    const res = await sendRequest(`${runtime.url() ?? ''}/validate-apps-kruise-io-cloneset`, caPem, { body: admissionReview({ object: { apiVersion: 'apps.kruise.io/v1beta1', kind: 'CloneSet', metadata: { name: 'x' }, spec: { replicas: -2 } } }) });
    expect(admissionAnswer(res.text)).toMatchObject({ allowed: false, status: { code: 400 } });
  });

  it('repairs a configuration someone changed at the next sync', async () => {
    const name = 'kruise-ts-validating-webhook-configuration';
    const stored = await cluster.client.get(WebhookConfigurationResources.Validating, { name });
    await cluster.client.replace(WebhookConfigurationResources.Validating, { ...stored, webhooks: [] });
    await cluster.clock.advance(SYNC);
    await vi.waitFor(async () => {
      expect((await cluster.client.get(WebhookConfigurationResources.Validating, { name })).webhooks.map((w) => w.name)).toEqual(['vdeletionprotection.kb.io', 'vpodunavailablebudget.kb.io', 'vpod.kb.io', 'vcloneset.kb.io', 'vsidecarset.kb.io', 'vstatefulset.kb.io', 'vadvancedcronjob.kb.io', 'vbroadcastjob.kb.io', 'vephemeraljob.kb.io', 'vdaemonset.kb.io', 'vuniteddeployment.kb.io', 'vresourcedistribution.kb.io', 'vpersistentpodstate.kb.io', 'vworkloadspread.kb.io', 'vnodeimage.kb.io', 'vimagepulljob.kb.io', 'vimagelistpulljob.kb.io', 'vcontainerrecreaterequest.kb.io', 'vpodprobemarker.kb.io']);
    });
  });

  it('rotates the serving certificate before expiry and hot-reloads it without restarting', async () => {
    const secret = await cluster.client.get(Resources.Secret, { namespace: 'kruise-system', name: 'kruise-ts-webhook-certs' });
    const caPem = pem(secret.data?.['ca-cert.pem']);
    const url = runtime.url() ?? '';
    const before = await servedFingerprint(url, caPem);
    expect(before).toBe(new X509Certificate(pem(secret.data?.['cert.pem'])).fingerprint256);
    await cluster.clock.advance(250 * DAY);
    await vi.waitFor(async () => {
      expect(await servedFingerprint(url, caPem)).not.toBe(before);
    });
    const rotated = await cluster.client.get(Resources.Secret, { namespace: 'kruise-system', name: 'kruise-ts-webhook-certs' });
    expect(await servedFingerprint(url, caPem)).toBe(new X509Certificate(pem(rotated.data?.['cert.pem'])).fingerprint256);
    expect(runtime.url()).toBe(url);
  });
});
