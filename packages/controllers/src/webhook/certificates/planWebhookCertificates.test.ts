import { X509Certificate } from 'node:crypto';
import { createCertificateAuthority } from '@kruise-ts/k8s-adapter';
import { describe, expect, it } from 'vitest';
import { certificateAuthorityFromPem, splitPemCertificates } from './certificateAuthorityFromPem.js';
import { applyCertificatePlan, planWebhookCertificates, type WebhookCertificates } from './planWebhookCertificates.js';

const DAY = 86_400_000;
const T0 = Date.parse('2026-01-01T00:00:00Z');
const hosts = ['svc.kruise-system.svc', '127.0.0.1'];
const created = applyCertificatePlan(undefined, { kind: 'create', reason: 'missing' }, { now: T0, hosts });
const plan = (current: WebhookCertificates | undefined, now: number, options: { hosts?: string[]; bundleTrusted?: boolean } = {}) =>
  planWebhookCertificates(current, { now, hosts: options.hosts ?? hosts, bundleTrusted: options.bundleTrusted ?? true });

describe('planWebhookCertificates', () => {
  it('creates a CA and a serving certificate it signed, covering the hosts', () => {
    const ca = new X509Certificate(created.caCertPem);
    const serving = new X509Certificate(created.certPem);
    expect(ca.ca).toBe(true);
    expect(serving.checkIssued(ca) && serving.verify(ca.publicKey)).toBe(true);
    expect(serving.checkHost('svc.kruise-system.svc')).toBe('svc.kruise-system.svc');
    expect(serving.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(created.caBundlePem).toBe(created.caCertPem);
    expect(plan(created, T0)).toEqual({ kind: 'keep' });
  });

  it.each([
    ['nothing stored', undefined, T0, { kind: 'create', reason: 'missing' }],
    ['a CA key that does not match', { ...created, caKeyPem: applyCertificatePlan(undefined, { kind: 'create', reason: 'missing' }, { now: T0, hosts }).caKeyPem }, T0, { kind: 'create', reason: 'ca-invalid' }],
    ['a serving key that does not match', { ...created, keyPem: created.caKeyPem }, T0, { kind: 'reissue', reason: 'invalid' }],
    ['serving certificate at 200 of 365 days (165 left > 1/3)', created, T0 + 200 * DAY, { kind: 'keep' }],
    ['serving certificate at 250 of 365 days (115 left < 1/3)', created, T0 + 250 * DAY, { kind: 'reissue', reason: 'expiring' }],
    ['serving certificate expired', created, T0 + 366 * DAY, { kind: 'reissue', reason: 'expired' }],
    ['CA at 2500 of 3650 days (< 1/3 left)', created, T0 + 2500 * DAY, { kind: 'rotate-ca', reason: 'ca-expiring' }],
    ['CA expired', created, T0 + 3651 * DAY, { kind: 'create', reason: 'ca-expired' }],
  ] as const)('%s', (_story, current, now, expected) => {
    expect(plan(current, now)).toEqual(expected);
  });

  it('reissues when a host is added (e.g. a new --webhook-url)', () => {
    expect(plan(created, T0, { hosts: [...hosts, '10.0.0.7'] })).toEqual({ kind: 'reissue', reason: 'hosts-changed' });
    const reissued = applyCertificatePlan(created, { kind: 'reissue', reason: 'hosts-changed' }, { now: T0, hosts: [...hosts, '10.0.0.7'] });
    expect(new X509Certificate(reissued.certPem).checkIP('10.0.0.7')).toBe('10.0.0.7');
    expect(reissued.caCertPem).toBe(created.caCertPem);
  });

  it('rotates a CA in two steps: the new CA joins the bundle first, the serving certificate follows once the bundle is trusted', () => {
    const now = T0 + 2500 * DAY;
    const fresh = applyCertificatePlan(created, { kind: 'reissue', reason: 'expiring' }, { now: now - DAY, hosts });
    const rotated = applyCertificatePlan(fresh, { kind: 'rotate-ca', reason: 'ca-expiring' }, { now, hosts });
    expect(splitPemCertificates(rotated.caBundlePem)).toEqual([rotated.caCertPem, created.caCertPem]);
    expect(rotated.certPem).toBe(fresh.certPem);
    // Not yet trusted by the apiserver: keep serving the certificate of the old CA.
    expect(plan(rotated, now, { bundleTrusted: false })).toEqual({ kind: 'keep' });
    expect(plan(rotated, now, { bundleTrusted: true })).toEqual({ kind: 'reissue', reason: 'issuer-changed' });
    const reissued = applyCertificatePlan(rotated, { kind: 'reissue', reason: 'issuer-changed' }, { now, hosts });
    expect(new X509Certificate(reissued.certPem).checkIssued(new X509Certificate(rotated.caCertPem))).toBe(true);
    expect(plan(reissued, now)).toEqual({ kind: 'keep' });
    // A later reissue drops CAs that have expired meanwhile.
    const later = T0 + 3651 * DAY;
    const renewed = applyCertificatePlan(reissued, { kind: 'reissue', reason: 'expiring' }, { now: later, hosts });
    expect(splitPemCertificates(renewed.caBundlePem)).toEqual([rotated.caCertPem]);
  });
});

it('prunes expired CAs from the bundle', () => {
  const shortLived = createCertificateAuthority('old', new Date(T0), 1);
  const withExpired = { ...created, caBundlePem: created.caCertPem + shortLived.certPem };
  expect(plan(withExpired, T0 + DAY / 2)).toEqual({ kind: 'keep' });
  expect(plan(withExpired, T0 + 2 * DAY)).toEqual({ kind: 'prune-bundle' });
  const pruned = applyCertificatePlan(withExpired, { kind: 'prune-bundle' }, { now: T0 + 2 * DAY, hosts });
  expect(pruned.caBundlePem).toBe(created.caCertPem);
  expect(plan(pruned, T0 + 2 * DAY)).toEqual({ kind: 'keep' });
});

describe('certificateAuthorityFromPem', () => {
  it('reloads a stored CA that issues certificates chaining to it', () => {
    const ca = certificateAuthorityFromPem(created.caCertPem, created.caKeyPem);
    expect(ca.subjectDer.toString('latin1')).toContain('kruise-ts-webhook-ca');
    const again = applyCertificatePlan(created, { kind: 'reissue', reason: 'expiring' }, { now: T0, hosts });
    const cert = new X509Certificate(again.certPem);
    expect(cert.issuer).toBe(new X509Certificate(created.caCertPem).subject);
    expect(cert.verify(ca.cert.publicKey)).toBe(true);
  });

  it('refuses a key of another CA and a non-CA certificate', () => {
    expect(() => certificateAuthorityFromPem(created.caCertPem, created.keyPem)).toThrow('the key does not belong to the CA certificate');
    expect(() => certificateAuthorityFromPem(created.certPem, created.keyPem)).toThrow('the certificate is not a CA');
  });
});
