import type { Logger } from '../runtime/logger.js';
import type { AdmissionDecision, AdmissionRequest, AdmissionWebhook, WebhookRule } from './admissionTypes.js';
import type { WebhookOutcome } from './webhookMetrics.js';

const includes = (list: readonly string[], value: string): boolean => list.includes('*') || list.includes(value);

// As the apiserver matches `resources`: `pods` (no subresource), `pods/status`, `pods/*`, `*`, `*/*`.
function resourceMatches(patterns: readonly string[], resource: string, subResource: string): boolean {
  return patterns.some((pattern) => {
    const [patternResource = '', patternSub] = pattern.split('/', 2);
    if (patternResource !== '*' && patternResource !== resource) return false;
    return patternSub === undefined ? subResource === '' : patternSub === '*' || patternSub === subResource;
  });
}

function ruleMatches(rule: WebhookRule, request: AdmissionRequest): boolean {
  return (
    includes(rule.apiGroups, request.resource.group) &&
    includes(rule.apiVersions, request.resource.version) &&
    resourceMatches(rule.resources, request.resource.resource, request.subResource ?? '') &&
    includes(rule.operations, request.operation)
  );
}

/** Returns whether one of the webhook's rules covers the request's resource, version and operation. */
export function webhookHandles(webhook: Pick<AdmissionWebhook, 'rules'>, request: AdmissionRequest): boolean {
  return webhook.rules.some((rule) => ruleMatches(rule, request));
}

function timeout(signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => {
    signal.addEventListener('abort', () => {
      reject(signal.reason as Error);
    }, { once: true });
  });
}

/**
 * Returns the decision of `webhook` on `request` and how it ended. A request the webhook's rules
 * do not cover (an unknown kind sent to a known path) is denied with code 400 without calling the
 * handler; a handler that throws or does not answer within `timeoutMs` gives a denial naming the
 * webhook and the error (code 500), logged; a patch from a validating webhook is dropped.
 */
export async function handleAdmission(webhook: AdmissionWebhook, request: AdmissionRequest, options: { timeoutMs: number; logger: Logger }): Promise<{ decision: AdmissionDecision; outcome: WebhookOutcome }> {
  if (!webhookHandles(webhook, request)) {
    const { group, version, resource } = request.resource;
    const message = `webhook ${webhook.name} does not handle ${request.operation} of ${group === '' ? '' : `${group}/`}${version} ${resource}${request.subResource ? `/${request.subResource}` : ''}`;
    return { decision: { kind: 'deny', code: 400, reason: 'BadRequest', message }, outcome: 'denied' };
  }
  const logger = options.logger.child({ webhook: webhook.name, uid: request.uid });
  const abort = new AbortController();
  const timer = setTimeout(() => {
    abort.abort(new Error(`no answer within ${String(options.timeoutMs)} ms`));
  }, options.timeoutMs);
  try {
    const decision = await Promise.race([Promise.resolve().then(() => webhook.handle(request, { signal: abort.signal, logger })), timeout(abort.signal)]);
    if (decision.kind === 'deny') {
      logger.debug({ operation: request.operation, namespace: request.namespace, name: request.name, message: decision.message }, 'admission denied');
      return { decision, outcome: 'denied' };
    }
    if (webhook.type === 'validating' && decision.patch !== undefined && decision.patch.length > 0) {
      logger.warn('validating webhook returned a patch; dropped');
      return { decision: { ...decision, patch: undefined }, outcome: 'allowed' };
    }
    return { decision, outcome: decision.patch !== undefined && decision.patch.length > 0 ? 'patched' : 'allowed' };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    logger.error({ err: error, operation: request.operation, namespace: request.namespace, name: request.name }, 'admission handler failed');
    return { decision: { kind: 'deny', code: 500, reason: 'InternalError', message: `webhook ${webhook.name} failed: ${message}` }, outcome: 'failed' };
  } finally {
    clearTimeout(timer);
  }
}
