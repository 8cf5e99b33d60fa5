import { AlreadyExistsError, ConflictError, NotFoundError, Resources, defineResource, type KubeClient, type KubeObject, type ResourceType } from '@kruise-ts/k8s-adapter';
import type { WebhookConfigurationObject } from './webhookConfigurations.js';
import { isJsonObject as isObject, type JsonObject } from './jsonObject.js';

type ConfigurationObject = WebhookConfigurationObject & KubeObject;

/** The admissionregistration.k8s.io/v1 resources the manager writes. */
export const WebhookConfigurationResources = {
  Mutating: defineResource<WebhookConfigurationObject & KubeObject>({ group: 'admissionregistration.k8s.io', version: 'v1', kind: 'MutatingWebhookConfiguration', plural: 'mutatingwebhookconfigurations', namespaced: false }),
  Validating: defineResource<WebhookConfigurationObject & KubeObject>({ group: 'admissionregistration.k8s.io', version: 'v1', kind: 'ValidatingWebhookConfiguration', plural: 'validatingwebhookconfigurations', namespaced: false }),
} as const;

const isEmpty = (value: unknown): boolean => value === undefined || value === null || (Array.isArray(value) ? value.length === 0 : isObject(value) && Object.keys(value).length === 0);

/** Returns whether `actual` has everything `desired` says (an empty desired value matches an absent one). */
function covers(actual: unknown, desired: unknown): boolean {
  if (isEmpty(desired)) return isEmpty(actual);
  if (Array.isArray(desired)) return Array.isArray(actual) && actual.length === desired.length && desired.every((d, i) => covers(actual[i], d));
  if (isObject(desired)) return isObject(actual) && Object.entries(desired).every(([key, value]) => covers(actual[key], value));
  return desired === actual;
}

const pemOf = (clientConfig: unknown): string => (isObject(clientConfig) && typeof clientConfig.caBundle === 'string' ? Buffer.from(clientConfig.caBundle, 'base64').toString('utf8') : '');

/** `desired` with the caBundle of `existing` where `desired` has none (external certs injected by someone else). */
function keepCaBundle(desired: JsonObject, existing: unknown): JsonObject {
  const config = desired.clientConfig;
  if (!isObject(config) || config.caBundle !== undefined || !isObject(existing) || !isObject(existing.clientConfig)) return desired;
  const caBundle = existing.clientConfig.caBundle;
  return caBundle === undefined ? desired : { ...desired, clientConfig: { ...config, caBundle } };
}

async function getOrUndefined<T extends KubeObject>(client: KubeClient, type: ResourceType<T>, name: string): Promise<T | undefined> {
  try {
    return await client.get(type, { name });
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

/**
 * Creates or updates the configuration named in `desired` so that its `webhooks` are exactly
 * those (owned by name: other fields and labels of the stored object are kept). Returns whether
 * it wrote, and the caBundle (PEM) of each webhook as stored afterwards.
 */
async function ensureConfiguration(client: KubeClient, type: ResourceType<ConfigurationObject>, desired: WebhookConfigurationObject): Promise<{ changed: boolean; bundles: string[] }> {
  for (let attempt = 1; attempt <= 5; attempt++) {
    const existing = await getOrUndefined(client, type, desired.metadata.name);
    const byName = new Map((existing?.webhooks ?? []).map((w) => [w.name, w]));
    const webhooks = desired.webhooks.map((w) => keepCaBundle(w, byName.get(w.name)));
    const bundles = webhooks.map((w) => pemOf(w.clientConfig));
    try {
      if (existing === undefined) {
        await client.create(type, { ...desired, webhooks });
        return { changed: true, bundles };
      }
      if (covers(existing.webhooks, webhooks) && covers(existing.metadata.labels, desired.metadata.labels)) return { changed: false, bundles };
      await client.replace(type, { ...existing, metadata: { ...existing.metadata, labels: { ...existing.metadata.labels, ...desired.metadata.labels } }, webhooks });
      return { changed: true, bundles };
    } catch (error) {
      if (!(error instanceof ConflictError) && !(error instanceof AlreadyExistsError)) throw error;
    }
  }
  throw new Error(`${desired.kind} ${desired.metadata.name}: still conflicting after 5 attempts`);
}

/** The CRD conversion settings to ensure: CRD name and its desired `spec.conversion`. */
export interface CrdConversion {
  /** e.g. `clonesets.apps.kruise.io`. */
  readonly crdName: string;
  readonly conversion: JsonObject;
}

/** What {@link ensureWebhookConfigurations} did. */
export interface EnsuredWebhooks {
  /** Objects written, e.g. `MutatingWebhookConfiguration/kruise-ts-mutating-webhook-configuration`, `CustomResourceDefinition/clonesets.apps.kruise.io`. */
  readonly updated: readonly string[];
  /** The caBundle (PEM, `''` when none) of every webhook and CRD conversion as they stand now. */
  readonly bundles: readonly string[];
  /** CRDs not installed (their conversion is left alone). */
  readonly missingCrds: readonly string[];
}

/**
 * Makes the cluster serve the manager's webhooks: switches each CRD's `spec.conversion` to the
 * conversion webhook (`strategy: Webhook`, ConversionReview v1, our clientConfig and caBundle),
 * then creates or updates the Mutating and Validating WebhookConfigurations (owned by name).
 * Writes only what differs, so calling it every minute costs reads only. A desired clientConfig
 * without caBundle keeps the stored one.
 */
export async function ensureWebhookConfigurations(
  client: KubeClient,
  desired: { readonly mutating: WebhookConfigurationObject; readonly validating: WebhookConfigurationObject; readonly conversions: readonly CrdConversion[] },
): Promise<EnsuredWebhooks> {
  const updated: string[] = [];
  const bundles: string[] = [];
  const missingCrds: string[] = [];
  for (const { crdName, conversion } of desired.conversions) {
    const crd = await getOrUndefined(client, Resources.CustomResourceDefinition, crdName);
    if (crd === undefined) {
      missingCrds.push(crdName);
      continue;
    }
    const current = crd.spec.conversion;
    const webhook = isObject(conversion.webhook) ? conversion.webhook : {};
    const stored = isObject(current) && isObject(current.webhook) ? current.webhook : undefined;
    const wanted = { ...conversion, webhook: keepCaBundle(webhook, stored) };
    bundles.push(pemOf(isObject(wanted.webhook) ? wanted.webhook.clientConfig : undefined));
    if (covers(current, wanted)) continue;
    await client.patch(Resources.CustomResourceDefinition, { name: crdName }, { type: 'json', operations: [{ op: 'add', path: '/spec/conversion', value: wanted }] });
    updated.push(`CustomResourceDefinition/${crdName}`);
  }
  // The admission webhooks after the conversions: a handler that reads a converted kind (through
  // an informer it starts on first use) is never called before that kind's conversion is set.
  for (const [type, object] of [[WebhookConfigurationResources.Mutating, desired.mutating], [WebhookConfigurationResources.Validating, desired.validating]] as const) {
    const result = await ensureConfiguration(client, type, object);
    if (result.changed) updated.push(`${object.kind}/${object.metadata.name}`);
    bundles.push(...result.bundles);
  }
  return { updated, bundles, missingCrds };
}
