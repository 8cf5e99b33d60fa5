import { X509Certificate } from 'node:crypto';
import { AlreadyExistsError, ConflictError, NotFoundError, Resources, type Clock, type KubeClient, type KubeObject } from '@kruise-ts/k8s-adapter';
import type { Logger } from '../../runtime/logger.js';
import type { CertificateSnapshot, CertificateSource } from './certificateSource.js';
import { applyCertificatePlan, planWebhookCertificates, type CertificatePolicy, type WebhookCertificates } from './planWebhookCertificates.js';

/**
 * Keys of the Secret, OpenKruise's (`pkg/webhook/util/writer`): `ca-cert.pem`, `ca-key.pem`,
 * `cert.pem`/`tls.crt`, `key.pem`/`tls.key`; plus `ca-bundle.pem`, the CAs the apiserver trusts
 * while a CA rotation is under way.
 */
export const WEBHOOK_SECRET_KEYS = {
  caCertPem: 'ca-cert.pem',
  caKeyPem: 'ca-key.pem',
  caBundlePem: 'ca-bundle.pem',
  certPem: 'cert.pem',
  keyPem: 'key.pem',
} as const;

type SecretObject = KubeObject & { data?: Record<string, string>; type?: string };

const decode = (data: Record<string, string> | undefined, key: string): string => Buffer.from(data?.[key] ?? '', 'base64').toString('utf8');
const encode = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/** Returns the certificates stored in a Secret's `data`, or undefined when the CA or serving pair is missing. */
export function certificatesFromSecretData(data: Record<string, string> | undefined): WebhookCertificates | undefined {
  const caCertPem = decode(data, WEBHOOK_SECRET_KEYS.caCertPem);
  const caKeyPem = decode(data, WEBHOOK_SECRET_KEYS.caKeyPem);
  const certPem = decode(data, WEBHOOK_SECRET_KEYS.certPem) || decode(data, 'tls.crt');
  const keyPem = decode(data, WEBHOOK_SECRET_KEYS.keyPem) || decode(data, 'tls.key');
  if (caCertPem === '' || caKeyPem === '') return undefined;
  return { caCertPem, caKeyPem, caBundlePem: decode(data, WEBHOOK_SECRET_KEYS.caBundlePem) || caCertPem, certPem, keyPem };
}

/** Returns the Secret `data` holding `certificates` (PEM, base64-encoded as Secrets store it). */
export function certificatesToSecretData(certificates: WebhookCertificates): Record<string, string> {
  return {
    [WEBHOOK_SECRET_KEYS.caCertPem]: encode(certificates.caCertPem),
    [WEBHOOK_SECRET_KEYS.caKeyPem]: encode(certificates.caKeyPem),
    [WEBHOOK_SECRET_KEYS.caBundlePem]: encode(certificates.caBundlePem),
    [WEBHOOK_SECRET_KEYS.certPem]: encode(certificates.certPem),
    [WEBHOOK_SECRET_KEYS.keyPem]: encode(certificates.keyPem),
    'tls.crt': encode(certificates.certPem),
    'tls.key': encode(certificates.keyPem),
  };
}

/** Options of {@link createSecretCertificateSource}. */
export interface SecretCertificateSourceOptions {
  readonly client: KubeClient;
  /**
   * The time certificates are issued at and checked for rotation by. The apiserver judges their
   * validity by its own clock: kruise-ts-manager passes its `ServerClock` (a host 2 min ahead would
   * otherwise issue certificates not valid for the apiserver for another minute).
   */
  readonly clock: Clock;
  readonly logger: Logger;
  /** The Secret, e.g. `kruise-system/kruise-ts-webhook-certs`. */
  readonly namespace: string;
  readonly name: string;
  /** Names and IPs the serving certificate covers. */
  readonly hosts: readonly string[];
  readonly policy?: CertificatePolicy | undefined;
}

const snapshot = (certificates: WebhookCertificates, action: string): CertificateSnapshot => ({
  serving: { certPem: certificates.certPem, keyPem: certificates.keyPem },
  caBundlePem: certificates.caBundlePem,
  signingCaPem: certificates.caCertPem,
  action,
});

/**
 * Returns a {@link CertificateSource} that keeps a self-provisioned CA and serving certificate in
 * a Secret shared by every replica. Each sync reads the Secret and plans (`planWebhookCertificates`):
 * absent → create it (when another replica created it first, `AlreadyExists`, read theirs); due
 * for rotation → replace it, guarded by its resourceVersion (on `Conflict` another replica
 * rotated: read again). So replicas converge on one set of certificates, the first writer wins.
 */
export function createSecretCertificateSource(options: SecretCertificateSourceOptions): CertificateSource {
  const { client, namespace, name, hosts } = options;
  const read = async (): Promise<SecretObject | undefined> => {
    try {
      return await client.get(Resources.Secret, { namespace, name });
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  };
  return {
    async sync({ bundleTrusted }) {
      for (let attempt = 1; attempt <= 5; attempt++) {
        const secret = await read();
        const current = certificatesFromSecretData(secret?.data);
        const now = options.clock.now();
        const plan = planWebhookCertificates(current, { now, hosts, bundleTrusted, policy: options.policy });
        if (plan.kind === 'keep' && current !== undefined) return snapshot(current, 'kept');
        const next = applyCertificatePlan(current, plan, { now, hosts, policy: options.policy });
        const action = `${plan.kind}${'reason' in plan ? ` (${plan.reason})` : ''}`;
        try {
          if (secret === undefined) {
            const labels = { 'app.kubernetes.io/name': 'kruise-ts', 'app.kubernetes.io/component': 'webhook' };
            await client.create(Resources.Secret, { apiVersion: 'v1', kind: 'Secret', metadata: { namespace, name, labels }, type: 'Opaque', data: certificatesToSecretData(next) });
          } else {
            await client.replace(Resources.Secret, { ...secret, data: { ...secret.data, ...certificatesToSecretData(next) } });
          }
          options.logger.info({ secret: `${namespace}/${name}`, action, notAfter: new X509Certificate(next.certPem).validTo }, 'webhook certificates written');
          return snapshot(next, action);
        } catch (error) {
          if (!(error instanceof AlreadyExistsError) && !(error instanceof ConflictError)) throw error;
          options.logger.debug({ secret: `${namespace}/${name}`, attempt }, 'webhook certificate Secret written by another replica; reading it');
        }
      }
      throw new Error(`webhook certificate Secret ${namespace}/${name}: still conflicting after 5 attempts`);
    },
  };
}
