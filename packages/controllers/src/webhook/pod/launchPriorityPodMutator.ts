import { planLaunchPriorityInjection } from '@kruise-ts/core';
import { randomSuffix } from '../../workload/randomSuffix.js';
import type { PodMutation, PodMutator } from './podMutatingWebhook.js';

/** Options of {@link launchPriorityPodMutator}. */
export interface LaunchPriorityPodMutatorOptions {
  /** The 5 random characters a pod with only `generateName` gets (default: the apiserver's alphabet, random). */
  readonly nameSuffix?: (() => string) | undefined;
}

/**
 * Returns the pod mutator for container launch priority (OpenKruise's
 * `containerLaunchPriorityInitialization`, after SidecarSet injection in the chain so injected
 * sidecars are ordered too): a pod annotated `apps.kruise.io/container-launch-priority: Ordered`
 * or whose containers set different `KRUISE_CONTAINER_PRIORITY` values gets, in each container,
 * `KRUISE_CONTAINER_BARRIER` from key `p_<priority>` of ConfigMap `<pod>-barrier` (which the
 * `containerlaunchpriority` controller fills). A `KRUISE_CONTAINER_PRIORITY` that is not an integer
 * is refused with 400 naming the field (OpenKruise answers that error with a 500).
 *
 * @example pod web-0 annotated Ordered with containers a, b → a: env p_0, b: env p_-1 of web-0-barrier
 */
export function launchPriorityPodMutator(options: LaunchPriorityPodMutatorOptions = {}): PodMutator {
  const nameSuffix = options.nameSuffix ?? randomSuffix;
  return {
    name: 'containerlaunchpriority',
    mutate(pod, request): PodMutation {
      if (request.operation !== 'CREATE' || (request.subResource ?? '') !== '') return { kind: 'unchanged' };
      const decision = planLaunchPriorityInjection(pod, nameSuffix);
      if (decision.kind === 'invalid') return { kind: 'deny', message: `${decision.field}: Invalid value: ${decision.message}`, code: 400 };
      return decision.kind === 'inject' ? { kind: 'mutated', pod: decision.pod } : { kind: 'unchanged' };
    },
  };
}
