// Certificates from node:crypto and der.ts, not an X.509 library: docs/decisions/0013-certificates-without-peculiar-x509.md
import { createHash, generateKeyPairSync, randomBytes, sign, X509Certificate, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';
import { bitString, boolean, namedBits, context, octetString, oid, sequence, set, time, unsignedInteger, utf8String } from './der.js';

const DAY_MS = 86_400_000;
const OID = {
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
} as const;

/** A certificate and its private key, both PEM-encoded (the key as PKCS#8). */
export interface PemKeyPair {
  readonly certPem: string;
  readonly keyPem: string;
}

/** A certificate authority that can issue certificates. */
export interface CertificateAuthority extends PemKeyPair {
  readonly cert: X509Certificate;
  readonly privateKey: KeyObject;
  /** DER of the CA's subject name (the issuer of what it signs). */
  readonly subjectDer: Buffer;
  readonly keyId: Buffer;
}

/** What a certificate issued by {@link issueCertificate} is for. */
export interface CertificateRequest {
  /** Subject common name, e.g. `admin` or `kruise-ts-webhook.kruise-system.svc`. */
  readonly commonName: string;
  /** Subject organisations (Kubernetes groups for client certificates), e.g. `['system:masters']`. */
  readonly organizations?: readonly string[];
  /** DNS subject alternative names (serving certificates). */
  readonly dnsNames?: readonly string[];
  /** IP subject alternative names (serving certificates), e.g. `['127.0.0.1']`. */
  readonly ipAddresses?: readonly string[];
  /** `server`, `client` or both. */
  readonly usages: readonly ('server' | 'client')[];
  /** Validity in days from `now` (default 365). */
  readonly validDays?: number;
}

function name(commonName: string, organizations: readonly string[] = []): Buffer {
  const rdn = (type: string, value: string): Buffer => set(sequence(oid(type), utf8String(value)));
  return sequence(...organizations.map((o) => rdn(OID.organization, o)), rdn(OID.commonName, commonName));
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return sequence(oid(id), ...(critical ? [boolean(true)] : []), octetString(value));
}

function keyIdOf(publicKey: KeyObject): Buffer {
  return createHash('sha1').update(publicKey.export({ type: 'spki', format: 'der' })).digest();
}

function ipBytes(ip: string): Buffer {
  if (isIP(ip) === 4) return Buffer.from(ip.split('.').map(Number));
  const [head = '', tail = ''] = ip.split('::');
  const groups = (s: string): string[] => (s === '' ? [] : s.split(':'));
  const missing = 8 - groups(head).length - groups(tail).length;
  const all = [...groups(head), ...Array<string>(ip.includes('::') ? missing : 0).fill('0'), ...groups(tail)];
  return Buffer.from(all.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff]));
}

/** Builds, signs and PEM-encodes one certificate. */
function certificate(args: {
  subject: Buffer;
  issuer: Buffer;
  publicKey: KeyObject;
  signingKey: KeyObject;
  notBefore: Date;
  notAfter: Date;
  extensions: Buffer[];
}): X509Certificate {
  const algorithm = sequence(oid(OID.ecdsaWithSha256));
  const tbs = sequence(
    context(0, unsignedInteger(Buffer.from([2])), true), // v3
    unsignedInteger(Buffer.concat([Buffer.from([0x01]), randomBytes(15)])),
    algorithm,
    args.issuer,
    sequence(time(args.notBefore), time(args.notAfter)),
    args.subject,
    args.publicKey.export({ type: 'spki', format: 'der' }),
    context(3, sequence(...args.extensions), true),
  );
  const der = sequence(tbs, algorithm, bitString(sign('sha256', tbs, args.signingKey)));
  const pem = `-----BEGIN CERTIFICATE-----\n${(der.toString('base64').match(/.{1,64}/g) ?? []).join('\n')}\n-----END CERTIFICATE-----\n`;
  return new X509Certificate(pem);
}

function newKeyPair(): { publicKey: KeyObject; privateKey: KeyObject } {
  return generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
}

const keyPem = (key: KeyObject): string => key.export({ type: 'pkcs8', format: 'pem' }).toString();

/**
 * Returns a new self-signed ECDSA P-256 certificate authority valid for `validDays` (default
 * 3650) from `now`.
 */
export function createCertificateAuthority(commonName: string, now = new Date(), validDays = 3650): CertificateAuthority {
  const { publicKey, privateKey } = newKeyPair();
  const subject = name(commonName);
  const keyId = keyIdOf(publicKey);
  const cert = certificate({
    subject,
    issuer: subject,
    publicKey,
    signingKey: privateKey,
    notBefore: new Date(now.getTime() - 60_000),
    notAfter: new Date(now.getTime() + validDays * DAY_MS),
    extensions: [
      extension(OID.basicConstraints, true, sequence(boolean(true))),
      extension(OID.keyUsage, true, namedBits(0x86)), // digitalSignature, keyCertSign, cRLSign
      extension(OID.subjectKeyIdentifier, false, octetString(keyId)),
    ],
  });
  return { cert, certPem: cert.toString(), keyPem: keyPem(privateKey), privateKey, subjectDer: subject, keyId };
}

/** Returns a certificate for `request` signed by `ca`, with a fresh ECDSA P-256 key. */
export function issueCertificate(ca: CertificateAuthority, request: CertificateRequest, now = new Date()): PemKeyPair {
  const { publicKey, privateKey } = newKeyPair();
  const altNames = [
    ...(request.dnsNames ?? []).map((dns) => context(2, Buffer.from(dns, 'ascii'), false)),
    ...(request.ipAddresses ?? []).map((ip) => context(7, ipBytes(ip), false)),
  ];
  const usages = request.usages.map((u) => oid(u === 'server' ? OID.serverAuth : OID.clientAuth));
  const cert = certificate({
    subject: name(request.commonName, request.organizations),
    issuer: ca.subjectDer,
    publicKey,
    signingKey: ca.privateKey,
    notBefore: new Date(now.getTime() - 60_000),
    notAfter: new Date(now.getTime() + (request.validDays ?? 365) * DAY_MS),
    extensions: [
      extension(OID.basicConstraints, true, sequence()),
      extension(OID.keyUsage, true, namedBits(0xa0)), // digitalSignature, keyEncipherment
      extension(OID.extKeyUsage, false, sequence(...usages)),
      extension(OID.authorityKeyIdentifier, false, sequence(context(0, ca.keyId, false))),
      ...(altNames.length > 0 ? [extension(OID.subjectAltName, false, sequence(...altNames))] : []),
    ],
  });
  return { certPem: cert.toString(), keyPem: keyPem(privateKey) };
}

/** Returns a new ECDSA P-256 key pair in PEM: private as PKCS#8, public as SPKI (e.g. service-account signing). */
export function generateKeyPairPem(): { privateKeyPem: string; publicKeyPem: string } {
  const { publicKey, privateKey } = newKeyPair();
  return { privateKeyPem: keyPem(privateKey), publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}
