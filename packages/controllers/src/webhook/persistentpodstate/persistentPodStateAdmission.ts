import { PERSISTENTPODSTATE_API_VERSION, PERSISTENTPODSTATE_V1ALPHA1_API_VERSION, PersistentPodStateSchema, convertPersistentPodState, parsePersistentPodState, validatePersistentPodState, type PersistentPodState } from '@kruise-ts/core';
import { KruiseResources } from '@kruise-ts/k8s-adapter';
import { allow, denyProblems } from '../admissionDecisions.js';
import type { AdmissionRequest, AdmissionWebhook, Converter } from '../admissionTypes.js';
import { PERSISTENTPODSTATE_VALIDATING_WEBHOOK } from '../builtinWebhookSpecs.js';
import { readAdmissionObject, type AdmissionObjectRead } from '../readAdmissionObject.js';
import { versionConverter } from '../versionConverter.js';
import type { PersistentPodStateSource } from './persistentPodStatePodMutator.js';

const readState = (request: AdmissionRequest, field: 'object' | 'oldObject'): AdmissionObjectRead<PersistentPodState> => readAdmissionObject(request, field, parsePersistentPodState, 'PersistentPodState');

/**
 * Returns the PersistentPodState validating webhook (OpenKruise `vpersistentpodstate.kb.io`): the
 * problems of `validatePersistentPodState` with the old object on UPDATE and the namespace's other
 * PersistentPodStates (read from `source`: one per workload), with code 422 and field paths.
 *
 * @example a PersistentPodState without required nor preferred topology → denied:
 *   `spec: Invalid value: TopologyConstraint and TopologyPreference cannot be empty at the same time`
 */
export function persistentPodStateValidatingWebhook(options: { readonly source: PersistentPodStateSource }): AdmissionWebhook {
  return {
    ...PERSISTENTPODSTATE_VALIDATING_WEBHOOK,
    async handle(request, context) {
      if (request.operation !== 'CREATE' && request.operation !== 'UPDATE') return allow();
      const next = readState(request, 'object');
      if (next.kind === 'denied') return next.decision;
      let old: PersistentPodState | undefined;
      if (request.operation === 'UPDATE') {
        const read = readState(request, 'oldObject');
        if (read.kind === 'denied') return read.decision;
        old = read.value;
      }
      const others = await options.source(request.namespace ?? '', context.signal);
      const problems = validatePersistentPodState(next.value, { old, others });
      return problems.length === 0 ? allow() : denyProblems(problems);
    },
  };
}

/** The PersistentPodState conversion webhook: v1alpha1 ⇄ v1beta1, the same fields (only the apiVersion changes). */
export const persistentPodStateConverter: Converter = versionConverter(
  KruiseResources.PersistentPodState,
  { apiVersion: PERSISTENTPODSTATE_V1ALPHA1_API_VERSION, schema: PersistentPodStateSchema, convert: (pps) => convertPersistentPodState(pps, PERSISTENTPODSTATE_API_VERSION) },
  { apiVersion: PERSISTENTPODSTATE_API_VERSION, schema: PersistentPodStateSchema, convert: (pps) => convertPersistentPodState(pps, PERSISTENTPODSTATE_V1ALPHA1_API_VERSION) },
);
