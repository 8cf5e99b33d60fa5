import { parseWorkloadSpread, validateWorkloadSpread, validateWorkloadSpreadUpdate, workloadSpreadConflicts, type WorkloadSpread } from '@kruise-ts/core';
import { KruiseResources, type KubeReader } from '@kruise-ts/k8s-adapter';
import { allow, denyProblems } from '../admissionDecisions.js';
import type { AdmissionRequest, AdmissionWebhook } from '../admissionTypes.js';
import { WORKLOADSPREAD_VALIDATING_WEBHOOK } from '../builtinWebhookSpecs.js';
import { readAdmissionObject, type AdmissionObjectRead } from '../readAdmissionObject.js';

const readSpread = (request: AdmissionRequest, field: 'object' | 'oldObject'): AdmissionObjectRead<WorkloadSpread> => readAdmissionObject(request, field, parseWorkloadSpread, 'WorkloadSpread');

/**
 * Returns the WorkloadSpread validating webhook (OpenKruise `vworkloadspread.kb.io`): on CREATE and
 * UPDATE every problem `validateWorkloadSpread` finds, on UPDATE a changed targetRef, then a
 * conflict with another WorkloadSpread of the namespace on the same workload, listed through
 * `client` (the manager's informer cache, as OpenKruise's cached client). Denials carry code
 * 422 and each problem as `path: message`.
 *
 * @example CREATE with subsets a and a → denied: `spec.subsets[1].name: Invalid value: "a": duplicated subset name a`
 */
export function workloadSpreadValidatingWebhook(options: { readonly client: KubeReader }): AdmissionWebhook {
  return {
    ...WORKLOADSPREAD_VALIDATING_WEBHOOK,
    async handle(request, context) {
      if (request.operation !== 'CREATE' && request.operation !== 'UPDATE') return allow();
      const next = readSpread(request, 'object');
      if (next.kind === 'denied') return next.decision;
      const problems = validateWorkloadSpread(next.value);
      if (request.operation === 'UPDATE') {
        const old = readSpread(request, 'oldObject');
        if (old.kind === 'denied') return old.decision;
        problems.push(...validateWorkloadSpreadUpdate(next.value, old.value));
      }
      if (problems.length === 0) {
        const namespace = request.namespace ?? next.value.metadata?.namespace;
        const others = await options.client.list(KruiseResources.WorkloadSpread, { ...(namespace === undefined ? {} : { namespace }), signal: context.signal });
        const withName = { ...next.value, metadata: { ...next.value.metadata, name: next.value.metadata?.name ?? request.name } };
        problems.push(...workloadSpreadConflicts(withName, others.items));
      }
      return problems.length === 0 ? allow() : denyProblems(problems);
    },
  };
}
