import type { IntOrPercent } from '../shared/intOrPercent.js';
import type { BroadcastJob } from './broadcastJob.js';
import type { BroadcastJobCompletionPolicy, BroadcastJobFailurePolicy } from './broadcastJobSpec.js';
import { withPodTemplateDefaults, type PodTemplateDefaultsOptions } from './podTemplateDefaults.js';

/** Default `spec.parallelism` of a BroadcastJob: 2^31-1, i.e. no limit (OpenKruise `1<<31 - 1`). */
export const DEFAULT_BROADCASTJOB_PARALLELISM = 2147483647;
/** Default `restartPolicy` of a BroadcastJob's pod template. */
export const DEFAULT_BROADCASTJOB_RESTART_POLICY = 'OnFailure';

/** A BroadcastJob with OpenKruise's defaults applied (what {@link withBroadcastJobDefaults} returns). */
export type DefaultedBroadcastJob = BroadcastJob & {
  readonly spec: BroadcastJob['spec'] & {
    readonly parallelism: IntOrPercent;
    readonly completionPolicy: BroadcastJobCompletionPolicy & { readonly type: 'Always' | 'Never' };
    readonly failurePolicy: BroadcastJobFailurePolicy & { readonly type: 'Continue' | 'FailFast' | 'Pause' };
  };
};

/** Options of {@link withBroadcastJobDefaults}. */
export interface BroadcastJobDefaultsOptions extends PodTemplateDefaultsOptions {
  /**
   * Also give the pod template OpenKruise's pod defaults (`withPodTemplateDefaults`), as the
   * webhook does on create and when an update changes `spec.template`, unless the
   * TemplateNoDefaults gate is on. Default false.
   */
  readonly templateDefaults?: boolean;
}

/**
 * Returns a copy of a BroadcastJob with the defaults OpenKruise's mutating webhook sets
 * (`SetDefaultsBroadcastJob`): `completionPolicy.type` Always, `parallelism` 2147483647 (no
 * limit), `failurePolicy.type` FailFast, the template's `restartPolicy` OnFailure when unset
 * (before the pod defaults, which would otherwise make it Always, a value BroadcastJob refuses)
 * and, with `templateDefaults`, the pod defaults. Set values are never changed; applying it twice
 * gives the same object.
 *
 * @example `{ spec: { template } }` → spec gains `parallelism: 2147483647, completionPolicy: { type: 'Always' },
 *   failurePolicy: { type: 'FailFast' }` and `template.spec.restartPolicy: 'OnFailure'`
 */
export function withBroadcastJobDefaults(job: BroadcastJob, options: BroadcastJobDefaultsOptions = {}): DefaultedBroadcastJob {
  const spec = job.spec;
  const podSpec = spec.template.spec;
  const restartPolicy = podSpec.restartPolicy === undefined || podSpec.restartPolicy === '' ? DEFAULT_BROADCASTJOB_RESTART_POLICY : podSpec.restartPolicy;
  const template = { ...spec.template, spec: { ...podSpec, restartPolicy } };
  return {
    ...job,
    spec: {
      ...spec,
      template: options.templateDefaults === true ? withPodTemplateDefaults(template, options) : template,
      parallelism: spec.parallelism ?? DEFAULT_BROADCASTJOB_PARALLELISM,
      completionPolicy: { ...spec.completionPolicy, type: spec.completionPolicy?.type ?? 'Always' },
      failurePolicy: { ...spec.failurePolicy, type: spec.failurePolicy?.type ?? 'FailFast' },
    },
  };
}
