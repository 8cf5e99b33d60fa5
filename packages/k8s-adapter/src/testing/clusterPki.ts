import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createCertificateAuthority, generateKeyPairPem, issueCertificate, type CertificateAuthority } from '../pki/certificates.js';

/** File paths and PEM contents of a test cluster's certificates. */
export interface ClusterPki {
  readonly ca: CertificateAuthority;
  readonly caFile: string;
  readonly servingCertFile: string;
  readonly servingKeyFile: string;
  readonly serviceAccountKeyFile: string;
  readonly serviceAccountPublicKeyFile: string;
  readonly admin: { readonly certPem: string; readonly keyPem: string };
}

/**
 * Returns a fresh PKI written to `dir`: one CA that signs the apiserver's serving certificate
 * (SANs 127.0.0.1, localhost and the in-cluster `kubernetes` names) and the admin client
 * certificate (CN admin, O system:masters); and a service-account signing key.
 */
export async function createClusterPki(dir: string): Promise<ClusterPki> {
  const ca = createCertificateAuthority('kruise-ts-test-ca');
  const serving = issueCertificate(ca, {
    commonName: 'kube-apiserver',
    dnsNames: ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local'],
    ipAddresses: ['127.0.0.1', '10.0.0.1'],
    usages: ['server'],
  });
  const admin = issueCertificate(ca, { commonName: 'admin', organizations: ['system:masters'], usages: ['client'] });
  const files = {
    caFile: join(dir, 'ca.crt'),
    servingCertFile: join(dir, 'apiserver.crt'),
    servingKeyFile: join(dir, 'apiserver.key'),
    serviceAccountKeyFile: join(dir, 'sa.key'),
    serviceAccountPublicKeyFile: join(dir, 'sa.pub'),
  };
  const serviceAccountKey = generateKeyPairPem();
  await Promise.all([
    writeFile(files.caFile, ca.certPem),
    writeFile(files.servingCertFile, serving.certPem),
    writeFile(files.servingKeyFile, serving.keyPem, { mode: 0o600 }),
    writeFile(files.serviceAccountKeyFile, serviceAccountKey.privateKeyPem, { mode: 0o600 }),
    writeFile(files.serviceAccountPublicKeyFile, serviceAccountKey.publicKeyPem),
  ]);
  return { ca, ...files, admin };
}

/** Returns an admin kubeconfig (YAML) for `server` with the certificates embedded. */
export function adminKubeconfig(server: string, pki: ClusterPki): string {
  return kubeconfigWith(server, pki.ca.certPem, 'admin', pki.admin);
}

/** Returns a kubeconfig (YAML) for `server` that authenticates as `user` with a certificate its CA signed. */
export function userKubeconfig(server: string, pki: ClusterPki, user: string, groups: readonly string[]): string {
  return kubeconfigWith(server, pki.ca.certPem, user, issueCertificate(pki.ca, { commonName: user, organizations: groups, usages: ['client'] }));
}

function kubeconfigWith(server: string, caPem: string, user: string, credentials: { certPem: string; keyPem: string }): string {
  const b64 = (s: string): string => Buffer.from(s).toString('base64');
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: kruise-ts-test',
    '  cluster:',
    `    server: ${server}`,
    `    certificate-authority-data: ${b64(caPem)}`,
    'users:',
    `- name: ${JSON.stringify(user)}`,
    '  user:',
    `    client-certificate-data: ${b64(credentials.certPem)}`,
    `    client-key-data: ${b64(credentials.keyPem)}`,
    'contexts:',
    '- name: kruise-ts-test',
    `  context: {cluster: kruise-ts-test, user: ${JSON.stringify(user)}}`,
    'current-context: kruise-ts-test',
    '',
  ].join('\n');
}
