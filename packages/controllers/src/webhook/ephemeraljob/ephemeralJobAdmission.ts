import { EphemeralJobSchema, validateEphemeralJob, zodIssuesToProblems, type EphemeralJob } from '@kruise-ts/core';
import { allow, denyProblems } from '../admissionDecisions.js';
import type { AdmissionWebhook } from '../admissionTypes.js';
import { EPHEMERALJOB_VALIDATING_WEBHOOK } from '../builtinWebhookSpecs.js';
import { readAdmissionObject } from '../readAdmissionObject.js';

type Parsed = { readonly kind: 'valid'; readonly value: EphemeralJob } | { readonly kind: 'invalid'; readonly problems: ReturnType<typeof zodIssuesToProblems> };

const parseEphemeralJob = (input: unknown): Parsed => {
  const parsed = EphemeralJobSchema.safeParse(input, { reportInput: true });
  return parsed.success ? { kind: 'valid', value: parsed.data } : { kind: 'invalid', problems: zodIssuesToProblems(parsed.error.issues) };
};

/**
 * Returns the EphemeralJob validating webhook (OpenKruise `vephemeraljob.kb.io`): on CREATE and
 * UPDATE every problem `validateEphemeralJob` finds (selector, ephemeral containers: name, image,
 * pull policy, fields Kubernetes forbids on them, subPath; non-negative counts). Denials carry code
 * 422 with each problem's path; an object that cannot be read is denied with 400. DELETE is admitted.
 *
 * @example CREATE with an ephemeral container setting `ports` → denied:
 *   `spec.template.ephemeralContainers[0].ports: Forbidden: cannot be set for an Ephemeral Container`
 */
export function ephemeralJobValidatingWebhook(): AdmissionWebhook {
  return {
    ...EPHEMERALJOB_VALIDATING_WEBHOOK,
    handle(request) {
      if (request.operation !== 'CREATE' && request.operation !== 'UPDATE') return allow();
      const read = readAdmissionObject(request, 'object', parseEphemeralJob, 'EphemeralJob');
      if (read.kind === 'denied') return read.decision;
      const problems = validateEphemeralJob(read.value);
      return problems.length === 0 ? allow() : denyProblems(problems);
    },
  };
}
