import type { FeatureGates } from '../manager/featureGates.js';
import type { ManagerFlags } from '../manager/managerFlags.js';
import type { WebhookClientConfigMode } from './webhookConfigurations.js';

/** The webhook flags of the manager, checked and resolved. */
export interface WebhookSettings {
  /** Where the HTTPS server listens. */
  readonly listen: { readonly host: string; readonly port: number };
  /** How the apiserver reaches it. */
  readonly clientConfig: WebhookClientConfigMode;
  /** Self-provisioned in a Secret (default), or files from cert-manager (`EnableExternalCerts`). */
  readonly certificates: { readonly kind: 'secret'; readonly namespace: string; readonly name: string } | { readonly kind: 'directory'; readonly path: string };
  /** failurePolicy of the pod webhook. */
  readonly podFailurePolicy: 'Fail' | 'Ignore';
  /** The manager's namespace: the Service and Secret live there, and the pod webhook skips it. */
  readonly namespace: string;
  /** The Service in front of the webhook servers (named in the certificate either way). */
  readonly serviceName: string;
}

/** The flags read by {@link resolveWebhookSettings}. */
export type WebhookFlags = Pick<
  ManagerFlags,
  | 'enable-webhooks'
  | 'webhook-host'
  | 'webhook-port'
  | 'webhook-url'
  | 'webhook-namespace'
  | 'webhook-service-name'
  | 'webhook-secret-name'
  | 'webhook-cert-dir'
  | 'pod-webhook-failure-policy'
>;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

function checkUrl(value: string, problems: string[]): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    problems.push(`--webhook-url: must be a URL such as https://127.0.0.1:9876, got "${value}"`);
    return undefined;
  }
  if (url.protocol !== 'https:') problems.push(`--webhook-url: the apiserver calls webhooks over https only, got "${value}"`);
  if (url.search !== '' || url.hash !== '' || url.username !== '') problems.push(`--webhook-url: no query, fragment or credentials allowed, got "${value}"`);
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/**
 * Returns the webhook settings (undefined with `--enable-webhooks=false`), or every problem with
 * the flag it concerns: a port outside 1–65535, a `--webhook-url` that is not https, a failure
 * policy other than Fail/Ignore, `--webhook-cert-dir` without the `EnableExternalCerts` gate or
 * the gate without a directory.
 *
 * @example flags `--webhook-url=https://127.0.0.1:9876` → clientConfig `{ kind: 'url', baseUrl: 'https://127.0.0.1:9876' }`, certificates from Secret kruise-system/kruise-ts-webhook-certs
 */
export function resolveWebhookSettings(
  flags: WebhookFlags,
  gates: FeatureGates,
): { readonly kind: 'ok'; readonly settings: WebhookSettings | undefined } | { readonly kind: 'invalid'; readonly problems: readonly string[] } {
  if (!flags['enable-webhooks']) return { kind: 'ok', settings: undefined };
  const problems: string[] = [];
  const port = flags['webhook-port'];
  if (!Number.isInteger(port) || port < 1 || port > 65535) problems.push(`--webhook-port: must be a port 1..65535, got ${String(port)}`);
  const policy = flags['pod-webhook-failure-policy'];
  if (policy !== 'Fail' && policy !== 'Ignore') problems.push(`--pod-webhook-failure-policy: must be Fail or Ignore, got "${policy}"`);
  const namespace = flags['webhook-namespace'];
  if (!DNS_LABEL.test(namespace)) problems.push(`--webhook-namespace: must be a namespace name, got "${namespace}"`);
  for (const flag of ['webhook-service-name', 'webhook-secret-name'] as const) {
    if (!DNS_LABEL.test(flags[flag])) problems.push(`--${flag}: must be a DNS label, got "${flags[flag]}"`);
  }
  const baseUrl = flags['webhook-url'] === '' ? undefined : checkUrl(flags['webhook-url'], problems);
  const certDir = flags['webhook-cert-dir'];
  if (gates.EnableExternalCerts && certDir === '') problems.push('--webhook-cert-dir: required with the EnableExternalCerts feature gate (the directory holding tls.crt, tls.key and ca.crt)');
  if (!gates.EnableExternalCerts && certDir !== '') problems.push('--webhook-cert-dir: external certificates need --feature-gates=EnableExternalCerts=true');
  if (problems.length > 0) return { kind: 'invalid', problems };
  return {
    kind: 'ok',
    settings: {
      listen: { host: flags['webhook-host'], port },
      clientConfig: baseUrl === undefined ? { kind: 'service', namespace, name: flags['webhook-service-name'], port: 443 } : { kind: 'url', baseUrl },
      certificates: gates.EnableExternalCerts ? { kind: 'directory', path: certDir } : { kind: 'secret', namespace, name: flags['webhook-secret-name'] },
      podFailurePolicy: policy as 'Fail' | 'Ignore',
      namespace,
      serviceName: flags['webhook-service-name'],
    },
  };
}
