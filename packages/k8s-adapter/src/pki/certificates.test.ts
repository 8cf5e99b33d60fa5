import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createCertificateAuthority, generateKeyPairPem, issueCertificate } from './certificates.js';

describe('certificates', () => {
  const now = new Date('2026-11-22T00:00:00Z');
  const ca = createCertificateAuthority('test-ca', now, 10);

  it('creates a self-signed CA that verifies itself', () => {
    expect(ca.cert.ca).toBe(true);
    expect(ca.cert.subject).toBe('CN=test-ca');
    expect(ca.cert.verify(ca.cert.publicKey)).toBe(true);
    expect(new Date(ca.cert.validTo).getTime() - now.getTime()).toBe(10 * 86_400_000);
  });

  it('issues a serving certificate with DNS and IP SANs, signed by the CA', () => {
    const pair = issueCertificate(ca, { commonName: 'webhook', dnsNames: ['a.svc', 'localhost'], ipAddresses: ['127.0.0.1', '::1'], usages: ['server'] }, now);
    const cert = new X509Certificate(pair.certPem);
    expect(cert.ca).toBe(false);
    expect(cert.checkIssued(ca.cert)).toBe(true);
    expect(cert.verify(ca.cert.publicKey)).toBe(true);
    expect(cert.subjectAltName).toBe('DNS:a.svc, DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
    expect(cert.checkHost('a.svc')).toBe('a.svc');
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(cert.checkPrivateKey(createPrivateKey(pair.keyPem))).toBe(true);
  });

  it('issues a client certificate whose organisations become Kubernetes groups', () => {
    const cert = new X509Certificate(issueCertificate(ca, { commonName: 'admin', organizations: ['system:masters', 'dev'], usages: ['client'] }, now).certPem);
    expect(cert.subject.split('\n').sort()).toEqual(['CN=admin', 'O=dev', 'O=system:masters']);
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
    expect(cert.subjectAltName).toBeUndefined();
  });

  it('generates a key pair whose public half matches the private half', () => {
    const { privateKeyPem, publicKeyPem } = generateKeyPairPem();
    const derived = createPublicKey(createPrivateKey(privateKeyPem)).export({ type: 'spki', format: 'pem' });
    expect(derived).toBe(publicKeyPem);
  });
});
