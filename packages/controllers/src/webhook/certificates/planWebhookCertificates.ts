import { X509Certificate, createPrivateKey } from 'node:crypto';
import { isIP } from 'node:net';
import { createCertificateAuthority, issueCertificate } from '@kruise-ts/k8s-adapter';
import { certificateAuthorityFromPem, splitPemCertificates } from './certificateAuthorityFromPem.js';

/** The webhook server's certificates as the manager keeps them (all PEM). */
export interface WebhookCertificates {
  /** The CA that signs serving certificates (self-provisioned). */
  readonly caCertPem: string;
  readonly caKeyPem: string;
  /** What the apiserver is told to trust (`caBundle`): the signing CA first, then older CAs still valid. */
  readonly caBundlePem: string;
  /** The serving certificate and its key. */
  readonly certPem: string;
  readonly keyPem: string;
}

/** Lifetimes: the CA lives long, the serving certificate shorter; each is renewed with `renewBefore` of its life left. */
export interface CertificatePolicy {
  readonly caValidDays: number;
  readonly servingValidDays: number;
  /** Fraction of the validity left at which a certificate is renewed (1/3: a 1-year certificate after ~8 months). */
  readonly renewBefore: number;
}

/** CA 10 years, serving certificate 1 year, each renewed with a third of its validity left. */
export const DEFAULT_CERTIFICATE_POLICY: CertificatePolicy = { caValidDays: 3650, servingValidDays: 365, renewBefore: 1 / 3 };

/** What to do with the stored certificates, and why. */
export type CertificatePlan =
  | { readonly kind: 'keep' }
  /** Start over: a new CA and serving certificate (nothing usable is stored). */
  | { readonly kind: 'create'; readonly reason: 'missing' | 'ca-invalid' | 'ca-expired' }
  /** A new signing CA joins the bundle; the serving certificate stays until the bundle is trusted. */
  | { readonly kind: 'rotate-ca'; readonly reason: 'ca-expiring' }
  /** A new serving certificate from the signing CA. */
  | { readonly kind: 'reissue'; readonly reason: 'invalid' | 'expired' | 'expiring' | 'hosts-changed' | 'issuer-changed' }
  /** Expired CAs leave the bundle. */
  | { readonly kind: 'prune-bundle' };

/** What {@link planWebhookCertificates} weighs besides the certificates. */
export interface CertificatePlanInput {
  /** Epoch ms. */
  readonly now: number;
  /** Names and IPs the serving certificate must cover, e.g. `kruise-ts-webhook-service.kruise-system.svc`, `127.0.0.1`. */
  readonly hosts: readonly string[];
  /** The webhook configurations and CRDs already carry a caBundle with the signing CA (it is safe to serve a certificate it signed). */
  readonly bundleTrusted: boolean;
  readonly policy?: CertificatePolicy | undefined;
}

const read = (pem: string): X509Certificate | undefined => {
  try {
    return new X509Certificate(pem);
  } catch {
    return undefined;
  }
};
const validity = (cert: X509Certificate) => ({ from: Date.parse(cert.validFrom), to: Date.parse(cert.validTo) });
const renewDue = (cert: X509Certificate, now: number, fraction: number): boolean => {
  const { from, to } = validity(cert);
  return to - now < (to - from) * fraction;
};
const covers = (cert: X509Certificate, host: string): boolean => (isIP(host) === 0 ? cert.checkHost(host) !== undefined : cert.checkIP(host) !== undefined);

function keyMatches(cert: X509Certificate, keyPem: string): boolean {
  try {
    return cert.checkPrivateKey(createPrivateKey(keyPem));
  } catch {
    return false;
  }
}

/**
 * Returns what to do with the stored webhook certificates, checks in order: nothing stored or a
 * broken or expired CA → `create`; CA with less than `renewBefore` of its life left → `rotate-ca`;
 * serving certificate broken or expired → `reissue`; signed by an older CA of the bundle →
 * `reissue` once `bundleTrusted` (until then `keep`: the apiserver would not trust a certificate
 * from the new CA yet); missing one of `hosts` → `reissue`; less than `renewBefore` left →
 * `reissue`; expired CAs in the bundle → `prune-bundle`; else `keep`.
 *
 * @example a 365-day serving certificate issued 250 days ago (115 days left < 365/3) → `{ kind: 'reissue', reason: 'expiring' }`
 */
export function planWebhookCertificates(current: WebhookCertificates | undefined, input: CertificatePlanInput): CertificatePlan {
  const policy = input.policy ?? DEFAULT_CERTIFICATE_POLICY;
  if (current === undefined) return { kind: 'create', reason: 'missing' };
  const ca = read(current.caCertPem);
  if (ca?.ca !== true || !keyMatches(ca, current.caKeyPem)) return { kind: 'create', reason: 'ca-invalid' };
  if (validity(ca).to <= input.now) return { kind: 'create', reason: 'ca-expired' };
  if (renewDue(ca, input.now, policy.renewBefore)) return { kind: 'rotate-ca', reason: 'ca-expiring' };
  const serving = read(current.certPem);
  if (serving === undefined || !keyMatches(serving, current.keyPem)) return { kind: 'reissue', reason: 'invalid' };
  if (validity(serving).to <= input.now) return { kind: 'reissue', reason: 'expired' };
  const bundle = splitPemCertificates(current.caBundlePem).map(read);
  if (!serving.checkIssued(ca) || !serving.verify(ca.publicKey)) {
    const byOlderCa = bundle.some((older) => older !== undefined && serving.checkIssued(older) && serving.verify(older.publicKey));
    if (!byOlderCa) return { kind: 'reissue', reason: 'invalid' };
    if (input.bundleTrusted) return { kind: 'reissue', reason: 'issuer-changed' };
    return { kind: 'keep' };
  }
  if (!input.hosts.every((host) => covers(serving, host))) return { kind: 'reissue', reason: 'hosts-changed' };
  if (renewDue(serving, input.now, policy.renewBefore)) return { kind: 'reissue', reason: 'expiring' };
  if (bundle.some((c) => c === undefined || validity(c).to <= input.now) || !bundle.some((c) => c?.fingerprint256 === ca.fingerprint256)) return { kind: 'prune-bundle' };
  return { kind: 'keep' };
}

function issueServing(caCertPem: string, caKeyPem: string, hosts: readonly string[], now: number, policy: CertificatePolicy): { certPem: string; keyPem: string } {
  const ca = certificateAuthorityFromPem(caCertPem, caKeyPem);
  const request = {
    commonName: hosts[0] ?? 'kruise-ts-webhook',
    dnsNames: hosts.filter((h) => isIP(h) === 0),
    ipAddresses: hosts.filter((h) => isIP(h) !== 0),
    usages: ['server'] as const,
    validDays: policy.servingValidDays,
  };
  return issueCertificate(ca, request, new Date(now));
}

/** Returns `bundle` without expired or unreadable certificates, `first` leading. */
function bundleWith(first: string, bundle: string, now: number): string {
  const firstCert = read(first);
  const rest = splitPemCertificates(bundle).filter((pem) => {
    const cert = read(pem);
    return cert !== undefined && validity(cert).to > now && cert.fingerprint256 !== firstCert?.fingerprint256;
  });
  return [first, ...rest].join('');
}

/**
 * Returns the certificates after carrying out `plan` (the same object for `keep`): new keys are
 * generated, the CA signs with ECDSA P-256 (`@kruise-ts/k8s-adapter` PKI).
 */
export function applyCertificatePlan(
  current: WebhookCertificates | undefined,
  plan: CertificatePlan,
  options: { readonly now: number; readonly hosts: readonly string[]; readonly policy?: CertificatePolicy | undefined },
): WebhookCertificates {
  const policy = options.policy ?? DEFAULT_CERTIFICATE_POLICY;
  const { now, hosts } = options;
  if (plan.kind === 'create' || current === undefined) {
    const ca = createCertificateAuthority('kruise-ts-webhook-ca', new Date(now), policy.caValidDays);
    return { caCertPem: ca.certPem, caKeyPem: ca.keyPem, caBundlePem: ca.certPem, ...issueServing(ca.certPem, ca.keyPem, hosts, now, policy) };
  }
  switch (plan.kind) {
    case 'keep':
      return current;
    case 'rotate-ca': {
      const ca = createCertificateAuthority('kruise-ts-webhook-ca', new Date(now), policy.caValidDays);
      return { ...current, caCertPem: ca.certPem, caKeyPem: ca.keyPem, caBundlePem: bundleWith(ca.certPem, current.caBundlePem, now) };
    }
    case 'reissue':
      return { ...current, caBundlePem: bundleWith(current.caCertPem, current.caBundlePem, now), ...issueServing(current.caCertPem, current.caKeyPem, hosts, now, policy) };
    case 'prune-bundle':
      return { ...current, caBundlePem: bundleWith(current.caCertPem, current.caBundlePem, now) };
  }
}
