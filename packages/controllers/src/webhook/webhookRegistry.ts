import type { AdmissionWebhook, Converter } from './admissionTypes.js';

/** The path the CRD conversion webhook is served at. */
export const CONVERSION_PATH = '/convert';

/**
 * The webhooks one server serves and the manager writes into the webhook configurations: admission
 * webhooks by path, and converters by group and kind. One registry is the single source of truth
 * for both, so a registered handler is always configured and a configured path always served.
 */
export interface WebhookRegistry {
  /** Adds an admission webhook; throws when its path or name is taken, or its path is malformed. */
  admission(webhook: AdmissionWebhook): this;
  /** Adds a converter; throws when its group and kind already have one. */
  conversion(converter: Converter): this;
  /** Returns the admission webhook served at `path`. */
  webhookAt(path: string): AdmissionWebhook | undefined;
  /** Returns the converter of `group`/`kind`. */
  converterFor(group: string, kind: string): Converter | undefined;
  /** Every admission webhook, in registration order. */
  readonly webhooks: readonly AdmissionWebhook[];
  /** Every converter, in registration order. */
  readonly converters: readonly Converter[];
}

/**
 * Returns an empty {@link WebhookRegistry}.
 *
 * @example
 * ```ts
 * const registry = createWebhookRegistry()
 *   .admission({ name: 'vcloneset.kb.io', path: '/validate-apps-kruise-io-cloneset', type: 'validating', rules, failurePolicy: 'Fail', timeoutSeconds: 10, handle })
 *   .conversion(cloneSetConverter);
 * ```
 */
export function createWebhookRegistry(): WebhookRegistry {
  const byPath = new Map<string, AdmissionWebhook>();
  const converters = new Map<string, Converter>();
  const registry: WebhookRegistry = {
    admission(webhook) {
      if (!/^\/[A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*$/.test(webhook.path) || webhook.path === CONVERSION_PATH) {
        throw new Error(`webhook ${webhook.name}: path "${webhook.path}" must be an absolute URL path other than ${CONVERSION_PATH}`);
      }
      if (byPath.has(webhook.path)) throw new Error(`webhook ${webhook.name}: path ${webhook.path} is already served by ${byPath.get(webhook.path)?.name ?? '?'}`);
      if ([...byPath.values()].some((w) => w.name === webhook.name)) throw new Error(`webhook ${webhook.name}: name already registered`);
      if (webhook.timeoutSeconds < 1 || webhook.timeoutSeconds > 30) throw new Error(`webhook ${webhook.name}: timeoutSeconds must be 1..30`);
      byPath.set(webhook.path, webhook);
      return registry;
    },
    conversion(converter) {
      const key = `${converter.kind}.${converter.group}`;
      if (converters.has(key)) throw new Error(`a converter for ${key} is already registered`);
      converters.set(key, converter);
      return registry;
    },
    webhookAt: (path) => byPath.get(path),
    converterFor: (group, kind) => converters.get(`${kind}.${group}`),
    get webhooks() {
      return [...byPath.values()];
    },
    get converters() {
      return [...converters.values()];
    },
  };
  return registry;
}
