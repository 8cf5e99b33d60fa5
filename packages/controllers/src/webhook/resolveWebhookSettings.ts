import type { FeatureGates } from '../manager/featureGates.js';
import type { ManagerFlags } from '../manager/managerFlags.js';
import { builtinWebhookSpecs } from './builtinWebhookSpecs.js';
import type { WebhookClientConfigMode, WebhookOverrides } from './webhookConfigurations.js';

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
  /** Per-webhook failure policies and excluded namespaces written into the configurations. */
  readonly overrides: WebhookOverrides;
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
  | 'webhook-failure-policies'
  | 'webhook-excluded-namespaces'
  | 'webhook-timeout-seconds'
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

const listOf = (value: string): string[] => value.split(',').map((s) => s.trim()).filter((s) => s !== '');

/**
 * Reads `--webhook-failure-policies` (`name=Fail|Ignore`, comma-separated; empty entries, as a
 * Helm range leaves, are skipped), `--webhook-excluded-namespaces` and `--webhook-timeout-seconds`
 * (0 leaves each webhook's own), naming every bad entry.
 *
 * @example "vcloneset.kb.io=Ignore,mpod.kb.io=Fail," → failurePolicies { 'vcloneset.kb.io': 'Ignore', 'mpod.kb.io': 'Fail' }
 */
function parseOverrides(flags: WebhookFlags, problems: string[]): WebhookOverrides {
  const known = new Set(builtinWebhookSpecs({ podFailurePolicy: 'Ignore', managerNamespace: 'kruise-system' }).map((s) => s.name));
  const failurePolicies: Record<string, 'Fail' | 'Ignore'> = {};
  for (const entry of listOf(flags['webhook-failure-policies'])) {
    const [name = '', policy, ...rest] = entry.split('=').map((s) => s.trim());
    if (policy === undefined || rest.length > 0) problems.push(`--webhook-failure-policies: "${entry}" must be <webhook name>=Fail|Ignore`);
    else if (!known.has(name)) problems.push(`--webhook-failure-policies: no webhook named "${name}" (known: ${[...known].join(', ')})`);
    else if (policy !== 'Fail' && policy !== 'Ignore') problems.push(`--webhook-failure-policies: ${name} must be Fail or Ignore, got "${policy}"`);
    else failurePolicies[name] = policy;
  }
  const excludedNamespaces = [...new Set(listOf(flags['webhook-excluded-namespaces']))];
  for (const ns of excludedNamespaces) if (!DNS_LABEL.test(ns)) problems.push(`--webhook-excluded-namespaces: "${ns}" is not a namespace name`);
  const timeoutSeconds = flags['webhook-timeout-seconds'];
  if (timeoutSeconds === 0) return { failurePolicies, excludedNamespaces };
  if (!Number.isInteger(timeoutSeconds) || timeoutSeconds > 30) problems.push(`--webhook-timeout-seconds: must be a whole number of seconds 1..30 (0: each webhook's own), got ${String(timeoutSeconds)}`);
  return { failurePolicies, excludedNamespaces, timeoutSeconds };
}

/**
 * Returns the webhook settings (undefined with `--enable-webhooks=false`), or every problem with
 * the flag it concerns: a port outside 1–65535, a `--webhook-url` that is not https, a failure
 * policy other than Fail/Ignore, `--webhook-cert-dir` without the `EnableExternalCerts` gate or
 * the gate without a directory, a `--webhook-failure-policies` entry naming no webhook or a policy
 * other than Fail/Ignore, an excluded namespace that is no namespace name.
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
  const overrides = parseOverrides(flags, problems);
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
      overrides,
      namespace,
      serviceName: flags['webhook-service-name'],
    },
  };
}
