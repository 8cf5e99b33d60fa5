import type { BroadcastJob, BroadcastJobStatus } from '../api/broadcastJob.js';
import { BROADCASTJOB_API_VERSION, BROADCASTJOB_KIND, type BroadcastJobCompletionPolicy, type BroadcastJobFailurePolicy } from '../api/broadcastJobSpec.js';
import type { Container, PodSpec } from '../api/pod.js';
import type { IntOrPercent } from '../shared/intOrPercent.js';

/** Options of {@link aBroadcastJob}; unset fields stay unset in the spec (OpenKruise defaults apply). */
export interface BroadcastJobOptions {
  /** `metadata.name` (default `bcj`). */
  readonly name?: string | undefined;
  /** `metadata.namespace` (default `default`). */
  readonly namespace?: string | undefined;
  /** `metadata.uid` (default `uid-<name>`). */
  readonly uid?: string | undefined;
  readonly parallelism?: IntOrPercent | undefined;
  readonly completionPolicy?: BroadcastJobCompletionPolicy | undefined;
  readonly failurePolicy?: BroadcastJobFailurePolicy | undefined;
  readonly paused?: boolean | undefined;
  /** `template.spec.restartPolicy` (default `Never`). */
  readonly restartPolicy?: string | undefined;
  /** Containers of the pod template (default one `main` container running `busybox:1`). */
  readonly containers?: readonly Container[] | undefined;
  /** Extra pod spec fields (tolerations, nodeSelector, affinity...). */
  readonly podSpec?: Partial<PodSpec> | undefined;
  readonly status?: BroadcastJobStatus | undefined;
}

function defined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}

/**
 * Returns an `apps.kruise.io/v1beta1` BroadcastJob running `busybox:1` with `restartPolicy: Never`
 * and only the given knobs set, so it passes `validateBroadcastJob` unless a knob makes it invalid.
 *
 * @example aBroadcastJob({ parallelism: 2, completionPolicy: { type: 'Always', ttlSecondsAfterFinished: 30 } })
 */
export function aBroadcastJob(options: BroadcastJobOptions = {}): BroadcastJob {
  const name = options.name ?? 'bcj';
  return {
    apiVersion: BROADCASTJOB_API_VERSION,
    kind: BROADCASTJOB_KIND,
    metadata: { name, namespace: options.namespace ?? 'default', uid: options.uid ?? `uid-${name}` },
    spec: {
      template: {
        spec: {
          restartPolicy: options.restartPolicy ?? 'Never',
          containers: (options.containers ?? [{ name: 'main', image: 'busybox:1' }]).map((c) => ({ ...c })),
          ...options.podSpec,
        },
      },
      ...defined({ parallelism: options.parallelism, completionPolicy: options.completionPolicy, failurePolicy: options.failurePolicy, paused: options.paused }),
    },
    ...defined({ status: options.status }),
  };
}
