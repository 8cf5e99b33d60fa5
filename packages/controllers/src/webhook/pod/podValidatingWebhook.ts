import { allow } from '../admissionDecisions.js';
import type { AdmissionContext, AdmissionRequest, AdmissionWebhook } from '../admissionTypes.js';
import { podValidatingWebhookSpec } from '../builtinWebhookSpecs.js';

/** What one pod validator decided: let the operation pass, or refuse it with a message and an HTTP code. */
export type PodValidation = { readonly kind: 'allow' } | { readonly kind: 'deny'; readonly message: string; readonly code: number; readonly reason: string };

/**
 * One check of pod operations at `/validate-pod` (PodUnavailableBudget today, WorkloadSpread
 * later), as OpenKruise's `validatingPodFn` chain: the first refusal wins.
 */
export interface PodValidator {
  /** Short name for logs, e.g. `podunavailablebudget`. */
  readonly name: string;
  validate(request: AdmissionRequest, context: AdmissionContext): PodValidation | Promise<PodValidation>;
}

/** Options of {@link createPodValidatingWebhook}. */
export interface PodValidatingWebhookOptions {
  /** `Ignore` (default) or `Fail`, as the pod mutating webhook's. */
  readonly failurePolicy?: 'Fail' | 'Ignore' | undefined;
  /** The manager's namespace, never validated (with `kube-system` and `control-plane` namespaces). */
  readonly managerNamespace: string;
  readonly validators?: readonly PodValidator[] | undefined;
}

/**
 * Returns the pod validating webhook `vpod.kb.io` at `/validate-pod` (pod UPDATE and DELETE,
 * `pods/eviction` CREATE, `pods/resize` UPDATE): each validator in order, the first refusal
 * answers with its code (a PodUnavailableBudget refusal is a 429, so `kubectl drain` retries as it
 * does for a PodDisruptionBudget).
 *
 * @example createPodValidatingWebhook({ managerNamespace: 'kruise-system', validators: [pubPodValidator({ client, clock })] })
 */
export function createPodValidatingWebhook(options: PodValidatingWebhookOptions): AdmissionWebhook {
  const validators = options.validators ?? [];
  return {
    ...podValidatingWebhookSpec({ failurePolicy: options.failurePolicy ?? 'Ignore', managerNamespace: options.managerNamespace }),
    async handle(request, context) {
      if (request.namespace === options.managerNamespace) return allow();
      for (const validator of validators) {
        const result = await validator.validate(request, context);
        if (result.kind === 'deny') return { kind: 'deny', message: result.message, code: result.code, reason: result.reason };
      }
      return allow();
    },
  };
}
