import { X509Certificate, createHash, createPrivateKey } from 'node:crypto';
import type { CertificateAuthority } from '@kruise-ts/k8s-adapter';

/** Reads the DER TLV at `offset`: where its value starts and where the whole element ends. */
function tlvAt(der: Buffer, offset: number): { valueStart: number; end: number } {
  const first = der[offset + 1];
  if (first === undefined) throw new Error('truncated DER');
  let length = first;
  let valueStart = offset + 2;
  if (first & 0x80) {
    const bytes = first & 0x7f;
    if (bytes === 0 || bytes > 4) throw new Error('unsupported DER length');
    length = 0;
    for (let i = 0; i < bytes; i++) length = length * 256 + (der[offset + 2 + i] ?? 0);
    valueStart += bytes;
  }
  const end = valueStart + length;
  if (end > der.length) throw new Error('truncated DER');
  return { valueStart, end };
}

/**
 * Returns the DER of a certificate's subject name: TBSCertificate is SEQUENCE { [0] version,
 * serialNumber, signature, issuer, validity, subject, ... }, the sixth element.
 */
function subjectDer(certificate: Buffer): Buffer {
  const tbs = tlvAt(certificate, tlvAt(certificate, 0).valueStart);
  let offset = tbs.valueStart;
  for (let index = 0; index < 5; index++) offset = tlvAt(certificate, offset).end;
  return certificate.subarray(offset, tlvAt(certificate, offset).end);
}

/**
 * Returns the {@link CertificateAuthority} stored as PEM (a CA made by `createCertificateAuthority`
 * and kept in a Secret), so that it can issue more certificates. Throws when the certificate is not
 * a CA or the key does not belong to it.
 */
export function certificateAuthorityFromPem(certPem: string, keyPem: string): CertificateAuthority {
  const cert = new X509Certificate(certPem);
  const privateKey = createPrivateKey(keyPem);
  if (!cert.ca) throw new Error('the certificate is not a CA');
  if (!cert.checkPrivateKey(privateKey)) throw new Error('the key does not belong to the CA certificate');
  const keyId = createHash('sha1').update(cert.publicKey.export({ type: 'spki', format: 'der' })).digest();
  return { cert, certPem: cert.toString(), keyPem, privateKey, subjectDer: subjectDer(cert.raw), keyId };
}

/**
 * Returns each certificate of a PEM bundle, in order.
 *
 * @example splitPemCertificates(a + b) → [a, b]
 */
export function splitPemCertificates(bundle: string): string[] {
  return bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)?.map((pem) => `${pem}\n`) ?? [];
}
