import { applyJsonPatch } from '@kruise-ts/core';
import type { KubeObject, ResourceType } from '@kruise-ts/k8s-adapter';
import { createLogger } from '../runtime/logger.js';
import type { AdmissionOperation, AdmissionWebhook, DenialCause } from '../webhook/admissionTypes.js';
import type { WebhookRegistry } from '../webhook/webhookRegistry.js';

/** A write the manager's admission webhooks refused: the message names the fields, as `kubectl apply` would show it. */
export class AdmissionDeniedError extends Error {
  readonly _tag = 'AdmissionDenied' as const;
  /** The webhook that refused, e.g. `vcloneset.kb.io`. */
  readonly webhook: string;
  readonly causes: readonly DenialCause[];

  constructor(webhook: string, message: string, causes: readonly DenialCause[]) {
    super(`admission webhook "${webhook}" denied the request: ${message}`);
    this.name = 'AdmissionDeniedError';
    this.webhook = webhook;
    this.causes = causes;
  }
}

const matches = (webhook: AdmissionWebhook, type: ResourceType, operation: AdmissionOperation): boolean =>
  webhook.rules.some(
    (rule) =>
      (rule.apiGroups.includes('*') || rule.apiGroups.includes(type.group)) &&
      (rule.apiVersions.includes('*') || rule.apiVersions.includes(type.version)) &&
      (rule.resources.includes('*') || rule.resources.includes(type.plural)) &&
      (rule.operations as readonly string[]).some((o) => o === '*' || o === operation),
  );

/**
 * Returns `object` as the manager's admission webhooks leave it for a `CREATE` or `UPDATE` of
 * `type`: every mutating webhook whose rules match applies its patch (defaults), then every
 * validating one must allow it; a denial rejects with an {@link AdmissionDeniedError} naming the
 * fields (`spec.replicas: must be >= 0`). What the apiserver does before storing, minus the
 * namespace and object selectors (the test cluster has no opted-out namespace).
 */
export async function admitAsWebhooks<T extends KubeObject>(webhooks: WebhookRegistry, type: ResourceType<T>, operation: 'CREATE' | 'UPDATE', object: T, oldObject?: T): Promise<T> {
  const context = { signal: new AbortController().signal, logger: createLogger({ level: 'silent' }) };
  let current: unknown = { apiVersion: `${type.group === '' ? '' : `${type.group}/`}${type.version}`, kind: type.kind, ...object };
  const ordered = [...webhooks.webhooks.filter((w) => w.type === 'mutating'), ...webhooks.webhooks.filter((w) => w.type === 'validating')];
  for (const webhook of ordered) {
    if (!matches(webhook, type, operation)) continue;
    const decision = await webhook.handle(
      {
        uid: 'test',
        kind: { group: type.group, version: type.version, kind: type.kind },
        resource: { group: type.group, version: type.version, resource: type.plural },
        name: object.metadata.name,
        namespace: object.metadata.namespace,
        operation,
        object: current,
        oldObject,
      },
      context,
    );
    if (decision.kind === 'deny') throw new AdmissionDeniedError(webhook.name, decision.message, decision.causes ?? []);
    if (webhook.type === 'mutating' && decision.patch !== undefined && decision.patch.length > 0) current = applyJsonPatch(current, decision.patch);
  }
  return current as T;
}
