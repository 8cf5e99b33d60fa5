import { parsePodProbeMarker, validatePodProbeMarker, type PodProbeMarker } from '@kruise-ts/core';
import { allow, deny, problemsMessage } from '../admissionDecisions.js';
import type { AdmissionRequest, AdmissionWebhook, AdmissionWebhookSpec } from '../admissionTypes.js';
import { readAdmissionObject, type AdmissionObjectRead } from '../readAdmissionObject.js';

/** Validation of PodProbeMarkers (OpenKruise `vpodprobemarker.kb.io`, its path and rules): failurePolicy Fail. */
export const POD_PROBE_MARKER_VALIDATING_WEBHOOK: AdmissionWebhookSpec = {
  name: 'vpodprobemarker.kb.io',
  path: '/validate-apps-kruise-io-podprobemarker',
  type: 'validating',
  rules: [{ apiGroups: ['apps.kruise.io'], apiVersions: ['v1alpha1', 'v1beta1'], resources: ['podprobemarkers'], operations: ['CREATE', 'UPDATE'] }],
  failurePolicy: 'Fail',
  timeoutSeconds: 10,
};

/** The gates the PodProbeMarker webhook checks (both on by default). */
export interface PodProbeMarkerWebhookOptions {
  readonly podProbeMarkerGate?: boolean | undefined;
  readonly kruiseDaemon?: boolean | undefined;
}

const read = (request: AdmissionRequest, field: 'object' | 'oldObject'): AdmissionObjectRead<PodProbeMarker> => readAdmissionObject(request, field, parsePodProbeMarker, 'PodProbeMarker');

/**
 * Returns the PodProbeMarker validating webhook: 403 while PodProbeMarkerGate or KruiseDaemon is
 * off (no daemon would probe), else core's {@link validatePodProbeMarker} on CREATE and UPDATE
 * (the old object's selector must not change), every problem with its field in one 400, as
 * OpenKruise answers.
 *
 * @example CREATE with a probe named "Ready" → 400 `spec.probes[0].name: Invalid value: "Ready": probe name can't be Ready`
 */
export function podProbeMarkerValidatingWebhook(options: PodProbeMarkerWebhookOptions = {}): AdmissionWebhook {
  return {
    ...POD_PROBE_MARKER_VALIDATING_WEBHOOK,
    handle(request) {
      if (request.operation !== 'CREATE' && request.operation !== 'UPDATE') return allow();
      if (options.podProbeMarkerGate === false) return deny('feature-gate PodProbeMarkerGate is not enabled', { code: 403 });
      if (options.kruiseDaemon === false) return deny('feature-gate KruiseDaemon is not enabled', { code: 403 });
      const next = read(request, 'object');
      if (next.kind === 'denied') return next.decision;
      let old: PodProbeMarker | undefined;
      if (request.operation === 'UPDATE') {
        const previous = read(request, 'oldObject');
        if (previous.kind === 'denied') return previous.decision;
        old = previous.value;
      }
      const problems = validatePodProbeMarker(next.value, old);
      return problems.length === 0 ? allow() : deny(problemsMessage(problems), { code: 400, reason: 'BadRequest' });
    },
  };
}
