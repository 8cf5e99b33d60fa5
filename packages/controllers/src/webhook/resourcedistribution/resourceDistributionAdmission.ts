import { parseResourceDistribution, validateResourceDistribution, type ResourceDistribution } from '@kruise-ts/core';
import { allow, deny, denyProblems } from '../admissionDecisions.js';
import type { AdmissionRequest, AdmissionWebhook } from '../admissionTypes.js';
import { RESOURCEDISTRIBUTION_VALIDATING_WEBHOOK } from '../builtinWebhookSpecs.js';
import { readAdmissionObject, type AdmissionObjectRead } from '../readAdmissionObject.js';

const readResourceDistribution = (request: AdmissionRequest, field: 'object' | 'oldObject'): AdmissionObjectRead<ResourceDistribution> =>
  readAdmissionObject(request, field, parseResourceDistribution, 'ResourceDistribution');

/** Options of {@link resourceDistributionValidatingWebhook}. */
export interface ResourceDistributionValidatingOptions {
  /** The `ResourceDistributionGate` feature gate (OpenKruise's default: off). While off, every ResourceDistribution is refused. */
  readonly featureGates?: { readonly ResourceDistributionGate?: boolean | undefined } | undefined;
}

/**
 * Returns the ResourceDistribution validating webhook (OpenKruise `vresourcedistribution.kb.io`):
 * while the `ResourceDistributionGate` gate is off every CREATE and UPDATE is refused with code 403
 * (`feature-gate ResourceDistributionGate is not enabled`), as OpenKruise; with it on, the
 * problems `validateResourceDistribution` finds (with the old object on UPDATE: the resource's
 * apiVersion, kind and name are immutable), with code 422, each as `path: message`. An object that
 * cannot be read is denied with code 400. DELETE is admitted.
 *
 * @example CREATE of a Deployment manifest → denied: `spec.resource: Invalid value: "apps/v1, Kind=Deployment": unknown or unsupported resource GroupKind, only support [/Secret /ConfigMap]`
 */
export function resourceDistributionValidatingWebhook(options: ResourceDistributionValidatingOptions = {}): AdmissionWebhook {
  const enabled = options.featureGates?.ResourceDistributionGate === true;
  return {
    ...RESOURCEDISTRIBUTION_VALIDATING_WEBHOOK,
    handle(request) {
      if (request.operation !== 'CREATE' && request.operation !== 'UPDATE') return allow();
      const next = readResourceDistribution(request, 'object');
      if (next.kind === 'denied') return next.decision;
      let old: ResourceDistribution | undefined;
      if (request.operation === 'UPDATE') {
        const read = readResourceDistribution(request, 'oldObject');
        if (read.kind === 'denied') return read.decision;
        old = read.value;
      }
      if (!enabled) return deny('feature-gate ResourceDistributionGate is not enabled', { code: 403 });
      const problems = validateResourceDistribution(next.value, old);
      return problems.length === 0 ? allow() : denyProblems(problems);
    },
  };
}
