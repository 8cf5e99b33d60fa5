import {
  SIDECARSET_V1ALPHA1_API_VERSION,
  convertSidecarSetToV1alpha1,
  diffJson,
  parseSidecarSet,
  validateSidecarSet,
  validateSidecarSetConflicts,
  validateSidecarSetUpdate,
  withSidecarSetDefaults,
  withSidecarSetHashAnnotations,
  type FieldProblem,
  type SidecarSet,
  type SidecarSetPatchMetadataWhitelistRead,
} from '@kruise-ts/core';
import { allow, allowWithPatch, denyProblems } from '../admissionDecisions.js';
import type { AdmissionRequest, AdmissionWebhook } from '../admissionTypes.js';
import { readAdmissionObject, type AdmissionObjectRead } from '../readAdmissionObject.js';
import { SIDECARSET_MUTATING_WEBHOOK, SIDECARSET_VALIDATING_WEBHOOK } from '../builtinWebhookSpecs.js';
import type { SidecarSetSource } from './sidecarSetSource.js';

const readSidecarSet = (request: AdmissionRequest, field: 'object' | 'oldObject'): AdmissionObjectRead<SidecarSet> => readAdmissionObject(request, field, parseSidecarSet, 'SidecarSet');

/**
 * Returns the SidecarSet defaulting webhook (OpenKruise `msidecarset.kb.io`), on CREATE and UPDATE:
 * the object read in its version, `withSidecarSetDefaults` then `withSidecarSetHashAnnotations`
 * applied in v1beta1, converted back to the request's version, the difference as a JSON patch. The
 * hash annotations are what the pods injected later are compared with. An object that cannot be
 * read is denied with code 400 naming each field.
 *
 * @example CREATE `{ spec: { selector, containers: [{ name: 'log', image: 'fluentd:1' }] } }` → patch adding the
 *   container defaults, `updateStrategy` `{ type: 'RollingUpdate', maxUnavailable: 1, partition: 0 }` and both hash annotations
 */
export function sidecarSetMutatingWebhook(): AdmissionWebhook {
  return {
    ...SIDECARSET_MUTATING_WEBHOOK,
    handle(request) {
      const read = readSidecarSet(request, 'object');
      if (read.kind === 'denied') return read.decision;
      const defaulted = withSidecarSetHashAnnotations(withSidecarSetDefaults(read.value));
      const result = read.object.apiVersion === SIDECARSET_V1ALPHA1_API_VERSION ? convertSidecarSetToV1alpha1(defaulted) : defaulted;
      return allowWithPatch(diffJson(read.object, result));
    },
  };
}

/** Options of {@link sidecarSetValidatingWebhook}. */
export interface SidecarSetValidatingOptions {
  /** Every SidecarSet (for conflicts) and their revisions (a pinned injection revision must exist). */
  readonly source: Pick<SidecarSetSource, 'sidecarSets' | 'revisions'>;
  /** Reads the patchPodMetadata whitelist (`kruise-configuration`); only called for SidecarSets that patch pod metadata. */
  readonly readPatchMetadataWhitelist?: ((signal: AbortSignal) => Promise<SidecarSetPatchMetadataWhitelistRead>) | undefined;
  readonly featureGates?: { readonly SidecarSetPatchPodMetadataDefaultsAllowed?: boolean | undefined } | undefined;
}

/**
 * Returns the SidecarSet validating webhook (OpenKruise `vsidecarset.kb.io`): on CREATE every
 * problem of `validateSidecarSet`, on UPDATE those of `validateSidecarSetUpdate` (containers cannot
 * be added, upgradeType and a canary's base are immutable), and on both the conflicts with the
 * other SidecarSets that may select the same pods (`validateSidecarSetConflicts`: a container, init
 * container or differently defined volume of the same name, an annotation both patch with
 * Overwrite; a canary and its base never conflict). A canary's base is looked up among every
 * SidecarSet. The patch-metadata whitelist is read only for SidecarSets that patch pod metadata;
 * when it cannot be read those are refused with its error, the others admitted. Denials carry code 422
 * and each problem as `path: message` and as a cause. DELETE is admitted.
 *
 * @example CREATE `log-b` injecting `fluentd` while `log-a` does so for the same pods →
 *   denied: `spec.containers[0].name: container fluentd already exist in log-a`
 */
export function sidecarSetValidatingWebhook(options: SidecarSetValidatingOptions): AdmissionWebhook {
  return {
    ...SIDECARSET_VALIDATING_WEBHOOK,
    async handle(request, context) {
      if (request.operation !== 'CREATE' && request.operation !== 'UPDATE') return allow();
      const next = readSidecarSet(request, 'object');
      if (next.kind === 'denied') return next.decision;
      const ss = next.value;
      const [all, revisions, whitelist] = await Promise.all([
        options.source.sidecarSets(context.signal),
        options.source.revisions(context.signal),
        (ss.spec.patchPodMetadata ?? []).length > 0 ? options.readPatchMetadataWhitelist?.(context.signal) : undefined,
      ]);
      const validation = {
        revisions,
        sidecarSets: all,
        patchMetadataWhitelist: whitelist?.kind === 'parsed' ? whitelist.whitelist : undefined,
        patchMetadataWhitelistError: whitelist?.kind === 'invalid' ? whitelist.message : undefined,
        featureGates: options.featureGates,
      };
      let problems: readonly FieldProblem[];
      if (request.operation === 'UPDATE') {
        const old = readSidecarSet(request, 'oldObject');
        if (old.kind === 'denied') return old.decision;
        problems = validateSidecarSetUpdate(old.value, ss, validation);
      } else {
        problems = validateSidecarSet(ss, validation);
      }
      problems = [...problems, ...validateSidecarSetConflicts(ss, all)];
      return problems.length === 0 ? allow() : denyProblems(problems);
    },
  };
}
