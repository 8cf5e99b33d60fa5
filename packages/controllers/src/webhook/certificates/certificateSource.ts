import type { ServingCertificate } from '../createWebhookServer.js';

/** The certificates the webhook server should use now. */
export interface CertificateSnapshot {
  /** What the server presents. */
  readonly serving: ServingCertificate;
  /** PEM to write as `caBundle` into the webhook configurations and CRDs; undefined = leave theirs (someone else injects it). */
  readonly caBundlePem: string | undefined;
  /** The CA that signed `serving`, when known: the apiserver must trust it. */
  readonly signingCaPem: string | undefined;
  /** What the sync did, for the log: `kept`, `created (missing)`, `reissue (expiring)`, `read`... */
  readonly action: string;
}

/** Where the webhook certificates come from: self-provisioned in a Secret, or files written by cert-manager. */
export interface CertificateSource {
  /**
   * Returns the certificates to use, first creating or rotating them when this source provisions
   * its own. `bundleTrusted`: the apiserver already trusts the current signing CA (see
   * `planWebhookCertificates`).
   */
  sync(input: { readonly bundleTrusted: boolean }): Promise<CertificateSnapshot>;
  /** Calls `onChange` when the source may have changed outside this process (files rewritten); returns a stop function. */
  watch?(onChange: () => void): () => void;
}
