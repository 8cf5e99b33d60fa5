import { PodSchema, diffJson, type Pod } from '@kruise-ts/core';
import { allow, allowWithPatch } from '../admissionDecisions.js';
import type { AdmissionContext, AdmissionRequest, AdmissionWebhook } from '../admissionTypes.js';
import { podMutatingWebhookSpec } from '../builtinWebhookSpecs.js';

/** What one pod mutator decided: leave the pod, change it (the whole new pod), or refuse it. */
export type PodMutation =
  | { readonly kind: 'unchanged' }
  | { readonly kind: 'mutated'; readonly pod: Pod; readonly warnings?: readonly string[] | undefined }
  | { readonly kind: 'deny'; readonly message: string; readonly code?: number | undefined };

/**
 * One step of pod mutation on CREATE (SidecarSet injection, later others), in the spirit of
 * OpenKruise's `/mutate-pod` chain: each mutator sees the pod as the previous ones left it and
 * returns a new pod (never modifying the one it got); the webhook answers with one JSON patch from
 * the submitted pod to the last one.
 */
export interface PodMutator {
  /** Short name for logs, e.g. `sidecarset`. */
  readonly name: string;
  mutate(pod: Pod, request: AdmissionRequest, context: AdmissionContext): PodMutation | Promise<PodMutation>;
}

/** Options of {@link createPodMutatingWebhook}. */
export interface PodMutatingWebhookOptions {
  /** `Ignore` (default): pods are created without mutation while the manager is down; `Fail` blocks them. */
  readonly failurePolicy?: 'Fail' | 'Ignore' | undefined;
  /** The manager's namespace, never mutated (with `kube-system` and namespaces labelled `control-plane`). */
  readonly managerNamespace: string;
  /** Mutators run in order; none = the pod is admitted unchanged. */
  readonly mutators?: readonly PodMutator[] | undefined;
}

/**
 * Returns the pod mutating webhook `mpod.kb.io` at `/mutate-pod`, running `mutators` on each pod
 * CREATE. A pod that kruise-ts cannot read (its schema is stricter than the apiserver's in places)
 * is admitted unchanged with a warning in the log rather than refused: this webhook must never be
 * the reason a pod cannot be created. A mutator that throws fails the request (a denial, logged).
 *
 * @example createPodMutatingWebhook({ managerNamespace: 'kruise-system', mutators: [sidecarSetInjector] })
 */
export function createPodMutatingWebhook(options: PodMutatingWebhookOptions): AdmissionWebhook {
  const mutators = options.mutators ?? [];
  return {
    ...podMutatingWebhookSpec({ failurePolicy: options.failurePolicy ?? 'Ignore', managerNamespace: options.managerNamespace }),
    async handle(request, context) {
      if (mutators.length === 0 || request.operation !== 'CREATE' || request.namespace === options.managerNamespace) return allow();
      const parsed = PodSchema.safeParse(request.object);
      if (!parsed.success) {
        context.logger.warn({ namespace: request.namespace, name: request.name, issues: parsed.error.issues.slice(0, 5) }, 'pod not readable by kruise-ts; admitted unchanged');
        return allow();
      }
      let pod: Pod = parsed.data;
      let mutated = false;
      const warnings: string[] = [];
      for (const mutator of mutators) {
        const result = await mutator.mutate(pod, request, context);
        if (result.kind === 'deny') return { kind: 'deny', message: result.message, code: result.code ?? 403, reason: 'Forbidden' };
        if (result.kind === 'mutated') {
          pod = result.pod;
          mutated = true;
          warnings.push(...(result.warnings ?? []));
        }
      }
      // Unchanged by every mutator: no patch at all (not even what reading the pod normalised).
      const decision = mutated ? allowWithPatch(diffJson(request.object, pod)) : allow();
      return warnings.length === 0 ? decision : { ...decision, warnings };
    },
  };
}
