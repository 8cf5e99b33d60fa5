import { kruiseCrdName, type Clock, type KubeClient } from '@kruise-ts/k8s-adapter';
import type { Registry } from 'prom-client';
import type { Logger } from '../runtime/logger.js';
import type { CertificateSnapshot, CertificateSource } from './certificates/certificateSource.js';
import { createWebhookServer, type WebhookServer } from './createWebhookServer.js';
import { ensureWebhookConfigurations } from './ensureWebhookConfigurations.js';
import { buildCrdConversion, buildWebhookConfigurations, type WebhookClientConfigMode, type WebhookOverrides } from './webhookConfigurations.js';
import type { WebhookRegistry } from './webhookRegistry.js';

/** Options of {@link createWebhookRuntime}. */
export interface WebhookRuntimeOptions {
  readonly client: KubeClient;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Prometheus registry for the request metrics. */
  readonly metrics: Registry;
  /** The webhooks served and configured. */
  readonly registry: WebhookRegistry;
  /** Where the HTTPS server listens. */
  readonly listen: { readonly host: string; readonly port: number };
  /** How the apiserver reaches it (Service or URL). */
  readonly clientConfig: WebhookClientConfigMode;
  /** Per-webhook failure policies and excluded namespaces the installer chose (kept on every sync). */
  readonly overrides?: WebhookOverrides | undefined;
  /** Self-provisioned Secret or external files. */
  readonly certificates: CertificateSource;
  /** Time between two syncs of certificates and configurations (default 60 000 ms, OpenKruise's resync). */
  readonly syncIntervalMs?: number | undefined;
  /** Wait before retrying a failed first sync (default 2 000 ms). */
  readonly retryDelayMs?: number | undefined;
  /** Per-request deadline of handlers (default 9 000 ms). */
  readonly handlerTimeoutMs?: number | undefined;
}

/** The webhook side of the manager: the HTTPS server plus the loop keeping certificates and configurations in place. */
export interface WebhookRuntime {
  /**
   * Provisions certificates (retrying until it can), listens, ensures the webhook configurations
   * and CRD conversion, then re-syncs every interval (rotating certificates, reloading them into
   * the server, repairing drifted configurations) until `signal` aborts; then closes the server and
   * resolves. Rejects when the server cannot listen (e.g. the port is taken).
   */
  run(signal: AbortSignal): Promise<void>;
  /** True once the server listens with a certificate and the configurations were ensured once (the readiness check). */
  isReady(): boolean;
  /** `https://host:port` once listening. */
  url(): string | undefined;
}

/**
 * Returns the {@link WebhookRuntime}. Every replica runs one (not only the leader, as OpenKruise):
 * the Service spreads admission calls over all ready replicas, and they share the certificates.
 */
export function createWebhookRuntime(options: WebhookRuntimeOptions): WebhookRuntime {
  const { client, clock, logger, registry, clientConfig } = options;
  const log = logger.child({ component: 'webhook' });
  let ready = false;
  let server: WebhookServer | undefined;
  let bundleTrusted = false;
  let warnedMissing = '';

  async function ensure(snapshot: CertificateSnapshot): Promise<void> {
    const { mutating, validating } = buildWebhookConfigurations(registry.webhooks, { clientConfig, caBundlePem: snapshot.caBundlePem, overrides: options.overrides });
    const conversions = registry.converters.map((c) => ({ crdName: kruiseCrdName(c), conversion: buildCrdConversion(clientConfig, snapshot.caBundlePem) }));
    const result = await ensureWebhookConfigurations(client, { mutating, validating, conversions });
    if (result.updated.length > 0) log.info({ updated: result.updated }, 'webhook configurations updated');
    if (result.missingCrds.join() !== warnedMissing) {
      warnedMissing = result.missingCrds.join();
      if (warnedMissing !== '') log.warn({ crds: result.missingCrds }, 'CRDs not installed; their conversion webhook is not configured');
    }
    const signing = snapshot.signingCaPem?.trim();
    bundleTrusted = signing !== undefined && result.bundles.length > 0 && result.bundles.every((b) => b.includes(signing));
  }

  async function sync(): Promise<CertificateSnapshot> {
    const snapshot = await options.certificates.sync({ bundleTrusted });
    if (snapshot.action !== 'kept') log.info({ action: snapshot.action }, 'webhook certificates synced');
    return snapshot;
  }

  /** Runs `step` until it succeeds; resolves undefined when aborted first. */
  async function untilDone<T>(what: string, step: () => Promise<T>, signal: AbortSignal): Promise<T | undefined> {
    const aborted = (): boolean => signal.aborted;
    for (;;) {
      try {
        return await step();
      } catch (error) {
        if (aborted()) return undefined;
        log.warn({ err: error }, `${what} failed; retrying`);
        await clock.sleep(options.retryDelayMs ?? 2_000, signal).catch(() => undefined);
        if (aborted()) return undefined;
      }
    }
  }

  return {
    isReady: () => ready,
    url: () => server?.url,
    async run(signal) {
      const aborted = (): boolean => signal.aborted;
      let wake = new AbortController();
      const stopWatching = options.certificates.watch?.(() => {
        wake.abort();
      });
      try {
        let snapshot = await untilDone('provisioning webhook certificates', sync, signal);
        if (snapshot === undefined) return;
        server = await createWebhookServer({ ...options.listen, certificate: snapshot.serving, registry, logger: log, metrics: options.metrics, handlerTimeoutMs: options.handlerTimeoutMs });
        let served = snapshot.serving.certPem;
        log.info({ url: server.url }, 'webhook server listening');
        const first = snapshot;
        const ensured = await untilDone('ensuring webhook configurations', async () => { await ensure(first); return true; }, signal);
        if (ensured === undefined) return;
        ready = true;
        log.info({ url: server.url, webhooks: registry.webhooks.map((w) => w.path), clientConfig }, 'webhook server ready');
        while (!aborted()) {
          await clock.sleep(options.syncIntervalMs ?? 60_000, AbortSignal.any([signal, wake.signal])).catch(() => undefined);
          if (aborted()) break;
          wake = new AbortController();
          try {
            snapshot = await sync();
            if (snapshot.serving.certPem !== served) {
              server.setCertificate(snapshot.serving);
              served = snapshot.serving.certPem;
              log.info({ action: snapshot.action }, 'webhook serving certificate reloaded');
            }
            await ensure(snapshot);
          } catch (error) {
            log.warn({ err: error }, 'webhook sync failed; the server keeps its current certificate');
          }
        }
      } finally {
        ready = false;
        stopWatching?.();
        await server?.close();
      }
    },
  };
}
