import { parsePodUnavailableBudget, podUnavailableBudgetConflicts, validatePodUnavailableBudget, validatePodUnavailableBudgetUpdate, type PodUnavailableBudget } from '@kruise-ts/core';
import { KruiseResources, type KubeClient } from '@kruise-ts/k8s-adapter';
import { allow, denyProblems } from '../admissionDecisions.js';
import type { AdmissionRequest, AdmissionWebhook } from '../admissionTypes.js';
import { PUB_VALIDATING_WEBHOOK } from '../builtinWebhookSpecs.js';
import { readAdmissionObject, type AdmissionObjectRead } from '../readAdmissionObject.js';

const readPub = (request: AdmissionRequest, field: 'object' | 'oldObject'): AdmissionObjectRead<PodUnavailableBudget> =>
  readAdmissionObject(request, field, parsePodUnavailableBudget, 'PodUnavailableBudget');

/** Options of {@link podUnavailableBudgetValidatingWebhook}. */
export interface PodUnavailableBudgetValidatingOptions {
  /** Lists the other budgets of the namespace (the conflict check). */
  readonly client: KubeClient;
}

/**
 * Returns the PodUnavailableBudget validating webhook (OpenKruise `vpodunavailablebudget.kb.io`):
 * on CREATE and UPDATE every problem `validatePodUnavailableBudget` finds, on UPDATE also a changed
 * selector or targetRef, then a conflict with another budget of the namespace (same workload, or
 * overlapping selectors). Denials carry code 422 and each problem as `path: message`.
 *
 * @example CREATE { selector: { matchLabels: { app: 'web' } }, maxUnavailable: 1, minAvailable: 1 }
 *   → denied: `spec.maxUnavailable, minAvailable: Required value: maxUnavailable and minAvailable are mutually exclusive`
 */
export function podUnavailableBudgetValidatingWebhook(options: PodUnavailableBudgetValidatingOptions): AdmissionWebhook {
  return {
    ...PUB_VALIDATING_WEBHOOK,
    async handle(request, context) {
      if (request.operation !== 'CREATE' && request.operation !== 'UPDATE') return allow();
      const next = readPub(request, 'object');
      if (next.kind === 'denied') return next.decision;
      const problems = [...validatePodUnavailableBudget(next.value)];
      if (request.operation === 'UPDATE') {
        const old = readPub(request, 'oldObject');
        if (old.kind === 'denied') return old.decision;
        problems.push(...validatePodUnavailableBudgetUpdate(next.value, old.value));
      }
      if (problems.length === 0) {
        const namespace = request.namespace ?? next.value.metadata?.namespace;
        const others = await options.client.list(KruiseResources.PodUnavailableBudget, { ...(namespace === undefined ? {} : { namespace }), signal: context.signal });
        const withName = { ...next.value, metadata: { ...next.value.metadata, name: next.value.metadata?.name ?? request.name } };
        problems.push(...podUnavailableBudgetConflicts(withName, others.items));
      }
      return problems.length === 0 ? allow() : denyProblems(problems);
    },
  };
}
