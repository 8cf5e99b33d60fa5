import { X509Certificate, createPrivateKey } from 'node:crypto';
import { watch as watchFs } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../runtime/logger.js';
import type { CertificateSnapshot, CertificateSource } from './certificateSource.js';

/** File names read from the directory: those of a cert-manager Certificate's Secret mounted as a volume. */
export const EXTERNAL_CERT_FILES = { cert: 'tls.crt', key: 'tls.key', ca: 'ca.crt' } as const;

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Returns a {@link CertificateSource} reading certificates someone else provisions (cert-manager,
 * feature gate `EnableExternalCerts`) from `directory`: `tls.crt` and `tls.key` are served, and
 * `ca.crt`, when present, is written as `caBundle` (when absent, the caBundle is left to whoever
 * injects it, e.g. cert-manager's cainjector). A sync fails with a clear error while the files are
 * missing, unreadable or do not match. `watch` reports changes of the directory (Kubernetes swaps
 * the files of a mounted Secret atomically through a symlink).
 */
export function createDirectoryCertificateSource(options: { readonly directory: string; readonly logger: Logger }): CertificateSource {
  const { directory } = options;
  let last: string | undefined;
  return {
    async sync(): Promise<CertificateSnapshot> {
      const [certPem, keyPem, caPem] = await Promise.all(Object.values(EXTERNAL_CERT_FILES).map((f) => readOptional(join(directory, f))));
      if (certPem === undefined || keyPem === undefined) {
        throw new Error(`external webhook certificates: ${join(directory, EXTERNAL_CERT_FILES.cert)} and ${join(directory, EXTERNAL_CERT_FILES.key)} are required`);
      }
      let cert: X509Certificate;
      try {
        cert = new X509Certificate(certPem);
        if (!cert.checkPrivateKey(createPrivateKey(keyPem))) throw new Error('the key does not belong to the certificate');
      } catch (error) {
        throw new Error(`external webhook certificates in ${directory}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
      const fingerprint = `${cert.fingerprint256}|${caPem ?? ''}`;
      const action = last === undefined ? 'read' : last === fingerprint ? 'kept' : 'reloaded';
      last = fingerprint;
      return { serving: { certPem, keyPem }, caBundlePem: caPem, signingCaPem: caPem, action };
    },
    watch(onChange) {
      let timer: NodeJS.Timeout | undefined;
      let watcher: ReturnType<typeof watchFs> | undefined;
      try {
        watcher = watchFs(directory, () => {
          clearTimeout(timer);
          timer = setTimeout(onChange, 200);
        });
        watcher.on('error', (error) => {
          options.logger.warn({ err: error, directory }, 'watching the webhook certificate directory failed; relying on the periodic sync');
        });
      } catch (error) {
        options.logger.warn({ err: error, directory }, 'cannot watch the webhook certificate directory; relying on the periodic sync');
      }
      return () => {
        clearTimeout(timer);
        watcher?.close();
      };
    },
  };
}
