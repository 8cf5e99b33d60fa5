import { parseIntOrPercent } from '../shared/intOrPercent.js';
import { fieldProblem, type FieldProblem } from '../shared/fieldProblem.js';
import { BROADCASTJOB_CONTROLLER_UID_LABEL, BROADCASTJOB_NAME_LABEL, type BroadcastJob } from './broadcastJob.js';
import type { BroadcastJobSpec } from './broadcastJobSpec.js';
import { podTemplateProblems } from './validateCloneSetTemplate.js';
import { alphanumericNameProblems } from './validateObjectMeta.js';

function completionPolicyProblems(spec: BroadcastJobSpec): FieldProblem[] {
  const policy = spec.completionPolicy;
  if (policy?.type !== 'Never') return [];
  return [
    ...(policy.ttlSecondsAfterFinished === undefined
      ? []
      : [fieldProblem('spec.completionPolicy.ttlSecondsAfterFinished', `Invalid value: ${String(policy.ttlSecondsAfterFinished)}: ttlSecondsAfterFinished can just work with Always CompletionPolicyType`)]),
    ...(policy.activeDeadlineSeconds === undefined
      ? []
      : [fieldProblem('spec.completionPolicy.activeDeadlineSeconds', `Invalid value: ${String(policy.activeDeadlineSeconds)}: activeDeadlineSeconds can just work with Always CompletionPolicyType`)]),
  ];
}

function templateProblems(spec: BroadcastJobSpec): FieldProblem[] {
  const restartPolicy = spec.template.spec.restartPolicy ?? '';
  const labels = spec.template.metadata?.labels ?? {};
  return [
    ...(restartPolicy !== 'OnFailure' && restartPolicy !== 'Never'
      ? [fieldProblem('spec.template.spec.restartPolicy', `Invalid value: ${JSON.stringify(restartPolicy)}: pod restartPolicy can only be Never or OnFailure`)]
      : []),
    ...((labels[BROADCASTJOB_NAME_LABEL] ?? '') !== '' || (labels[BROADCASTJOB_CONTROLLER_UID_LABEL] ?? '') !== ''
      ? [fieldProblem('spec.template.metadata.labels', `Invalid value: "${BROADCASTJOB_NAME_LABEL}" and "${BROADCASTJOB_CONTROLLER_UID_LABEL}" are not allowed to preset in pod labels`)]
      : []),
    ...podTemplateProblems(spec.template, 'spec.template'),
  ];
}

function parallelismProblems(spec: BroadcastJobSpec): FieldProblem[] {
  if (spec.parallelism === undefined) return [];
  const parsed = parseIntOrPercent(spec.parallelism);
  if (parsed.kind === 'invalid') return [fieldProblem('spec.parallelism', `Invalid value: ${JSON.stringify(spec.parallelism)}: ${parsed.message}`)];
  const value = parsed.kind === 'int' ? parsed.value : parsed.percent;
  return value < 0 ? [fieldProblem('spec.parallelism', `Invalid value: ${JSON.stringify(spec.parallelism)}: must be greater than or equal to 0`)] : [];
}

/**
 * Returns every problem of a BroadcastJob as OpenKruise's validating webhook
 * (`pkg/webhook/broadcastjob/validating`) finds them, each with its field path; an empty array
 * means valid. Checks: the name (letters, digits and '-', at most 63) and labels; with
 * `completionPolicy.type: Never`, no `ttlSecondsAfterFinished` nor `activeDeadlineSeconds`; the
 * template's `restartPolicy` is `Never` or `OnFailure`; the template labels do not preset
 * `broadcastjob-name` or `broadcastjob-controller-uid`; the pod template is valid
 * (`podTemplateProblems`). kruise-ts also refuses a `parallelism` that is not an int or a
 * whole-number percentage, or is negative (OpenKruise would fail on it at every pass).
 *
 * @example `{ completionPolicy: { type: 'Never', ttlSecondsAfterFinished: 60 } }` →
 *   `[{ path: 'spec.completionPolicy.ttlSecondsAfterFinished', message: 'Invalid value: 60: ttlSecondsAfterFinished can just work with Always CompletionPolicyType' }]`
 */
export function validateBroadcastJob(job: BroadcastJob): readonly FieldProblem[] {
  return [...alphanumericNameProblems(job.metadata, 'BroadcastJob'), ...completionPolicyProblems(job.spec), ...templateProblems(job.spec), ...parallelismProblems(job.spec)];
}
