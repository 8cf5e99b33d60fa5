import { X509Certificate } from 'node:crypto';
import { Resources, createMemoryCluster, type KubeClient, type MemoryCluster } from '@kruise-ts/k8s-adapter';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../runtime/logger.js';
import { certificatesFromSecretData, createSecretCertificateSource } from './secretCertificateSource.js';

const DAY = 86_400_000;
const hosts = ['kruise-ts-webhook-service.kruise-system.svc', '127.0.0.1'];
const logger = createLogger({ level: 'silent' });

describe('createSecretCertificateSource (memory cluster, fake clock)', () => {
  let cluster: MemoryCluster;
  const replica = (client: KubeClient = cluster.client) => createSecretCertificateSource({ client, clock: cluster.clock, logger, namespace: 'kruise-system', name: 'kruise-ts-webhook-certs', hosts });
  const stored = async () => certificatesFromSecretData((await cluster.client.get(Resources.Secret, { namespace: 'kruise-system', name: 'kruise-ts-webhook-certs' })).data);

  beforeEach(async () => {
    cluster = await createMemoryCluster({ nodes: 0 });
    await cluster.client.create(Resources.Namespace, { metadata: { name: 'kruise-system' } });
  });
  afterEach(async () => {
    await cluster.close();
  });

  it('creates the Secret once when two replicas start together; both serve the same certificate', async () => {
    const [a, b] = await Promise.all([replica().sync({ bundleTrusted: false }), replica().sync({ bundleTrusted: false })]);
    expect(a.serving).toEqual(b.serving);
    expect([a.action, b.action].sort()).toEqual(['create (missing)', 'kept']);
    const secret = await stored();
    expect(secret?.certPem).toBe(a.serving.certPem);
    expect(a.caBundlePem).toBe(secret?.caCertPem);
    const serving = new X509Certificate(a.serving.certPem);
    expect(serving.checkHost(hosts[0] ?? '')).toBeDefined();
    expect(serving.checkIP('127.0.0.1')).toBe('127.0.0.1');
  });

  it('rotates the serving certificate before it expires, keeping the CA; the other replica picks it up', async () => {
    const a = replica();
    const b = replica();
    const first = await a.sync({ bundleTrusted: true });
    await cluster.clock.advance(200 * DAY);
    expect((await b.sync({ bundleTrusted: true })).action).toBe('kept');
    await cluster.clock.advance(50 * DAY); // 250 of 365 days: less than a third left
    const [ra, rb] = await Promise.all([a.sync({ bundleTrusted: true }), b.sync({ bundleTrusted: true })]);
    expect(ra.serving).toEqual(rb.serving);
    expect(ra.serving.certPem).not.toBe(first.serving.certPem);
    expect(ra.signingCaPem).toBe(first.signingCaPem);
    expect(ra.caBundlePem).toBe(first.caBundlePem);
    expect([ra.action, rb.action].sort()).toEqual(['kept', 'reissue (expiring)']);
    expect(Date.parse(new X509Certificate(ra.serving.certPem).validTo)).toBeGreaterThan(cluster.clock.now() + 300 * DAY);
  });

  it('rotates the CA in two steps, serving the old certificate until the new CA is trusted', async () => {
    const a = replica();
    const first = await a.sync({ bundleTrusted: true });
    await cluster.clock.advance(2500 * DAY);
    // The serving certificate expired long ago: reissued from the current CA, which is itself due.
    const step1 = await a.sync({ bundleTrusted: true });
    expect(step1.action).toBe('rotate-ca (ca-expiring)');
    expect(step1.caBundlePem).toContain(first.signingCaPem?.trim());
    expect(step1.signingCaPem).not.toBe(first.signingCaPem);
    const step2 = await a.sync({ bundleTrusted: false });
    expect(step2.action).toBe('reissue (expired)');
    expect(new X509Certificate(step2.serving.certPem).checkIssued(new X509Certificate(step2.signingCaPem ?? ''))).toBe(true);
  });

  it('starts over when the Secret holds garbage', async () => {
    await cluster.client.create(Resources.Secret, { metadata: { namespace: 'kruise-system', name: 'kruise-ts-webhook-certs' }, data: { 'ca-cert.pem': Buffer.from('junk').toString('base64'), 'ca-key.pem': Buffer.from('junk').toString('base64') } });
    expect((await replica().sync({ bundleTrusted: false })).action).toBe('create (ca-invalid)');
    expect(new X509Certificate((await stored())?.caCertPem ?? '').ca).toBe(true);
  });
});
