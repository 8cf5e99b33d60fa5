import { admitContainerRecreateRequest, crrSpecProblem, crrUpdateProblem, diffJson, parseContainerRecreateRequest, type ContainerRecreateRequest, type CrrPodLookup, type FieldProblem } from '@kruise-ts/core';
import { NotFoundError, Resources, type KubeClient } from '@kruise-ts/k8s-adapter';
import { allow, allowWithPatch, deny, denyProblems, problemsMessage } from '../admissionDecisions.js';
import type { AdmissionDecision, AdmissionRequest, AdmissionWebhook, AdmissionWebhookSpec } from '../admissionTypes.js';
import { readAdmissionObject, type AdmissionObjectRead } from '../readAdmissionObject.js';

const rules = [{ apiGroups: ['apps.kruise.io'], apiVersions: ['v1alpha1'], resources: ['containerrecreaterequests'], operations: ['CREATE', 'UPDATE'] }] as const;

/** Defaulting of ContainerRecreateRequests from their pod (OpenKruise `mcontainerrecreaterequest.kb.io`): failurePolicy Fail. */
export const CRR_MUTATING_WEBHOOK: AdmissionWebhookSpec = {
  name: 'mcontainerrecreaterequest.kb.io',
  path: '/mutate-apps-kruise-io-v1alpha1-containerrecreaterequest',
  type: 'mutating',
  rules,
  failurePolicy: 'Fail',
  timeoutSeconds: 10,
};

/** Validation of ContainerRecreateRequests (OpenKruise `vcontainerrecreaterequest.kb.io`): failurePolicy Fail. */
export const CRR_VALIDATING_WEBHOOK: AdmissionWebhookSpec = {
  name: 'vcontainerrecreaterequest.kb.io',
  path: '/validate-apps-kruise-io-v1alpha1-containerrecreaterequest',
  type: 'validating',
  rules,
  failurePolicy: 'Fail',
  timeoutSeconds: 10,
};

/** What the CRR webhooks need. */
export interface CrrWebhookOptions {
  readonly client: KubeClient;
  /** The KruiseDaemon gate (default on): off, every CRR is refused with 403 (no daemon would act on it). */
  readonly kruiseDaemon?: boolean | undefined;
}

const readCrr = (request: AdmissionRequest, field: 'object' | 'oldObject'): AdmissionObjectRead<ContainerRecreateRequest> => readAdmissionObject(request, field, parseContainerRecreateRequest, 'ContainerRecreateRequest');

const refuse = (problem: FieldProblem, code: number): AdmissionDecision => deny(problemsMessage([problem]), { code, reason: code === 400 ? 'BadRequest' : 'Forbidden' });

async function lookupPod(client: KubeClient, namespace: string, name: string, signal: AbortSignal | undefined): Promise<CrrPodLookup> {
  try {
    return { kind: 'found', pod: await client.get(Resources.Pod, { namespace, name }, signal === undefined ? {} : { signal }) };
  } catch (error) {
    if (error instanceof NotFoundError) return { kind: 'absent' };
    throw error;
  }
}

/**
 * Returns the CRR mutating webhook as OpenKruise's: on CREATE it reads the pod and answers with a
 * JSON patch from {@link admitContainerRecreateRequest} (labels, strategy defaults, statusContext,
 * preStop and ports from the pod) or a 400 naming the field; on UPDATE it refuses (403) a change of
 * the immutable spec, labels or unready-acquired annotation (`crrUpdateProblem`). 403 for every
 * request while KruiseDaemon is off.
 *
 * @example CREATE `{ spec: { podName: 'web-0', containers: [{ name: 'app' }] } }` with web-0 running on node-a
 *   → patch adding the labels `crr.apps.kruise.io/{pod-name,active,node-name,pod-uid}`, `/spec/strategy/failurePolicy` Fail
 *   and `/spec/containers/0/statusContext` { containerID, restartCount }
 */
export function crrMutatingWebhook(options: CrrWebhookOptions): AdmissionWebhook {
  return {
    ...CRR_MUTATING_WEBHOOK,
    async handle(request, context) {
      if (options.kruiseDaemon === false) return deny('feature-gate KruiseDaemon is not enabled', { code: 403 });
      if (request.operation !== 'CREATE' && request.operation !== 'UPDATE') return allow();
      const next = readCrr(request, 'object');
      if (next.kind === 'denied') return next.decision;
      if (request.operation === 'UPDATE') {
        const old = readCrr(request, 'oldObject');
        if (old.kind === 'denied') return old.decision;
        const problem = crrUpdateProblem(next.value, old.value);
        return problem === undefined ? allow() : refuse(problem, 403);
      }
      const namespace = request.namespace ?? next.value.metadata?.namespace ?? '';
      // The spec checks come first, as OpenKruise's (no pod read for a CRR refused anyway).
      const specProblem = crrSpecProblem(next.value);
      if (specProblem !== undefined) return refuse(specProblem, 400);
      const admission = admitContainerRecreateRequest(next.value, await lookupPod(options.client, namespace, next.value.spec.podName, context.signal));
      if (admission.kind === 'refused') return refuse(admission.problem, admission.code);
      return allowWithPatch(diffJson(next.object, { ...admission.crr, apiVersion: next.object['apiVersion'] }));
    },
  };
}

/**
 * Returns the CRR validating webhook: on CREATE and UPDATE the schema problems and the spec checks
 * of {@link crrSpecProblem} (422, field paths), on UPDATE also {@link crrUpdateProblem}; a second
 * line behind the mutating webhook for objects it did not see (OpenKruise's own validating webhook
 * checks PodUnavailableBudgets, which this one does not).
 *
 * @example UPDATE changing the `crr.apps.kruise.io/node-name` label → 422 `metadata.labels[crr.apps.kruise.io/node-name]: not allowed to update immutable label ...`
 */
export function crrValidatingWebhook(options: Pick<CrrWebhookOptions, 'kruiseDaemon'> = {}): AdmissionWebhook {
  return {
    ...CRR_VALIDATING_WEBHOOK,
    handle(request) {
      if (request.operation !== 'CREATE' && request.operation !== 'UPDATE') return allow();
      if (options.kruiseDaemon === false) return deny('feature-gate KruiseDaemon is not enabled', { code: 403 });
      const next = readCrr(request, 'object');
      if (next.kind === 'denied') return next.decision;
      const problems: FieldProblem[] = [];
      const specProblem = crrSpecProblem(next.value);
      if (specProblem !== undefined) problems.push(specProblem);
      if (request.operation === 'UPDATE') {
        const old = readCrr(request, 'oldObject');
        if (old.kind === 'denied') return old.decision;
        const updateProblem = crrUpdateProblem(next.value, old.value);
        if (updateProblem !== undefined) problems.push(updateProblem);
      }
      return problems.length === 0 ? allow() : denyProblems(problems);
    },
  };
}
