// Pure builders of the webhook configuration objects; no runtime imports, so the deploy/ generator
// (scripts/deploy) renders the same objects the manager ensures.
import type { AdmissionWebhookSpec } from './admissionTypes.js';
import type { JsonObject } from './jsonObject.js';

/** Name of the MutatingWebhookConfiguration the manager owns. */
export const MUTATING_WEBHOOK_CONFIGURATION_NAME = 'kruise-ts-mutating-webhook-configuration';
/** Name of the ValidatingWebhookConfiguration the manager owns. */
export const VALIDATING_WEBHOOK_CONFIGURATION_NAME = 'kruise-ts-validating-webhook-configuration';
/** Labels of everything the webhook side writes. */
export const WEBHOOK_LABELS = { 'app.kubernetes.io/name': 'kruise-ts', 'app.kubernetes.io/component': 'webhook' } as const;

/**
 * How the apiserver reaches the webhook server: through a Service (in-cluster, the default; port
 * 443) or at a URL (out-of-cluster and tests, e.g. `https://127.0.0.1:9876`).
 */
export type WebhookClientConfigMode =
  | { readonly kind: 'service'; readonly namespace: string; readonly name: string; readonly port?: number | undefined }
  | { readonly kind: 'url'; readonly baseUrl: string };


/** A Mutating- or ValidatingWebhookConfiguration (admissionregistration.k8s.io/v1). */
export interface WebhookConfigurationObject {
  apiVersion: 'admissionregistration.k8s.io/v1';
  kind: 'MutatingWebhookConfiguration' | 'ValidatingWebhookConfiguration';
  metadata: { name: string; labels?: Record<string, string>; resourceVersion?: string; [field: string]: unknown };
  webhooks: JsonObject[];
  [field: string]: unknown;
}

const base64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/**
 * Returns the `clientConfig` of a webhook at `path`: `{ service: { namespace, name, path, port } }`
 * or `{ url: baseUrl + path }`, with `caBundle` (base64 PEM) when given.
 *
 * @example webhookClientConfig({ kind: 'url', baseUrl: 'https://127.0.0.1:9876' }, '/convert') → { url: 'https://127.0.0.1:9876/convert' }
 */
export function webhookClientConfig(mode: WebhookClientConfigMode, path: string, caBundlePem?: string): JsonObject {
  const caBundle = caBundlePem === undefined ? {} : { caBundle: base64(caBundlePem) };
  if (mode.kind === 'url') return { url: `${mode.baseUrl.replace(/\/+$/, '')}${path}`, ...caBundle };
  return { service: { namespace: mode.namespace, name: mode.name, path, port: mode.port ?? 443 }, ...caBundle };
}

/**
 * What the installer sets per cluster on top of the built-in webhook specs (the manager's
 * `--webhook-failure-policies` and `--webhook-excluded-namespaces`, which the Helm chart fills from
 * its `webhook.failurePolicy` and `webhook.excludedNamespaces` values): so the manager, which keeps
 * its configurations in place, writes the installer's choices instead of reverting them.
 */
export interface WebhookOverrides {
  /** failurePolicy by webhook name, e.g. `{ 'vcloneset.kb.io': 'Ignore' }`; webhooks not named keep their spec's. */
  readonly failurePolicies?: Readonly<Record<string, 'Fail' | 'Ignore'>> | undefined;
  /** Namespaces no webhook is called for: one `kubernetes.io/metadata.name NotIn [...]` expression appended to every namespaceSelector. */
  readonly excludedNamespaces?: readonly string[] | undefined;
  /** timeoutSeconds of every admission webhook (`--webhook-timeout-seconds`, OpenKruise's chart `webhookConfiguration.timeoutSeconds`); omitted = each spec's. */
  readonly timeoutSeconds?: number | undefined;
}

function namespaceSelectorOf(spec: AdmissionWebhookSpec, excluded: readonly string[]): JsonObject {
  const selector = structuredClone(spec.namespaceSelector ?? {}) as JsonObject;
  if (excluded.length === 0) return selector;
  const expressions: unknown[] = Array.isArray(selector.matchExpressions) ? (selector.matchExpressions as unknown[]) : [];
  return { ...selector, matchExpressions: [...expressions, { key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: [...excluded] }] };
}

function webhookEntry(spec: AdmissionWebhookSpec, mode: WebhookClientConfigMode, caBundlePem: string | undefined, overrides: WebhookOverrides): JsonObject {
  return {
    name: spec.name,
    admissionReviewVersions: ['v1'],
    sideEffects: 'None',
    failurePolicy: overrides.failurePolicies?.[spec.name] ?? spec.failurePolicy,
    matchPolicy: 'Equivalent',
    timeoutSeconds: overrides.timeoutSeconds ?? spec.timeoutSeconds,
    clientConfig: webhookClientConfig(mode, spec.path, caBundlePem),
    rules: spec.rules.map((r) => ({ apiGroups: [...r.apiGroups], apiVersions: [...r.apiVersions], operations: [...r.operations], resources: [...r.resources], scope: r.scope ?? '*' })),
    namespaceSelector: namespaceSelectorOf(spec, overrides.excludedNamespaces ?? []),
    objectSelector: structuredClone(spec.objectSelector ?? {}),
    ...(spec.type === 'mutating' ? { reinvocationPolicy: 'Never' } : {}),
  };
}

/**
 * Returns the MutatingWebhookConfiguration and ValidatingWebhookConfiguration for `specs`, every
 * field the apiserver would default set explicitly (matchPolicy, scope, selectors, port,
 * reinvocationPolicy) so that a stored configuration compares equal to a freshly built one.
 * `overrides` replace failure policies by webhook name and exclude namespaces from every webhook.
 *
 * @example buildWebhookConfigurations([cloneSetValidating], { clientConfig: { kind: 'url', baseUrl: 'https://127.0.0.1:9876' } })
 *   → validating.webhooks[0].clientConfig.url === 'https://127.0.0.1:9876/validate-apps-kruise-io-cloneset'
 */
export function buildWebhookConfigurations(
  specs: readonly AdmissionWebhookSpec[],
  options: { readonly clientConfig: WebhookClientConfigMode; readonly caBundlePem?: string | undefined; readonly overrides?: WebhookOverrides | undefined },
): { mutating: WebhookConfigurationObject; validating: WebhookConfigurationObject } {
  const configuration = (kind: WebhookConfigurationObject['kind'], name: string, type: AdmissionWebhookSpec['type']): WebhookConfigurationObject => ({
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind,
    metadata: { name, labels: { ...WEBHOOK_LABELS } },
    webhooks: specs.filter((s) => s.type === type).map((s) => webhookEntry(s, options.clientConfig, options.caBundlePem, options.overrides ?? {})),
  });
  return {
    mutating: configuration('MutatingWebhookConfiguration', MUTATING_WEBHOOK_CONFIGURATION_NAME, 'mutating'),
    validating: configuration('ValidatingWebhookConfiguration', VALIDATING_WEBHOOK_CONFIGURATION_NAME, 'validating'),
  };
}

/**
 * Returns a CRD's `spec.conversion` sending conversions to `/convert` (ConversionReview v1).
 *
 * @example buildCrdConversion({ kind: 'service', namespace: 'kruise-system', name: 'kruise-ts-webhook-service' }) →
 *   { strategy: 'Webhook', webhook: { clientConfig: { service: { ..., path: '/convert', port: 443 } }, conversionReviewVersions: ['v1'] } }
 */
export function buildCrdConversion(mode: WebhookClientConfigMode, caBundlePem?: string): JsonObject {
  return { strategy: 'Webhook', webhook: { clientConfig: webhookClientConfig(mode, '/convert', caBundlePem), conversionReviewVersions: ['v1'] } };
}

/**
 * Returns the names and IPs the serving certificate must cover: the Service's DNS names, and the
 * host of the URL when the apiserver calls by URL.
 *
 * @example webhookHosts({ kind: 'url', baseUrl: 'https://127.0.0.1:9876' }, { namespace: 'kruise-system', name: 'svc' })
 *   → ['svc.kruise-system.svc', 'svc.kruise-system.svc.cluster.local', 'svc.kruise-system', 'svc', '127.0.0.1']
 */
export function webhookHosts(mode: WebhookClientConfigMode, service: { readonly namespace: string; readonly name: string }): string[] {
  const { namespace, name } = mode.kind === 'service' ? mode : service;
  const hosts = [`${name}.${namespace}.svc`, `${name}.${namespace}.svc.cluster.local`, `${name}.${namespace}`, name];
  if (mode.kind === 'url') hosts.push(new URL(mode.baseUrl).hostname.replace(/^\[(.*)\]$/, '$1'));
  return [...new Set(hosts)];
}
