import {
  CLONESET_V1ALPHA1_API_VERSION,
  convertCloneSetToV1alpha1,
  diffJson,
  parseCloneSet,
  validateCloneSet,
  validateCloneSetUpdate,
  withCloneSetDefaults,
  withPodTemplateDefaults,
  withVolumeClaimTemplateDefaults,
  type CloneSet,
  type FieldProblem,
  type JsonPatchOperation,
  type PodTemplateDefaultsOptions,
} from '@kruise-ts/core';
import { allow, allowWithPatch, denyProblems } from '../admissionDecisions.js';
import type { AdmissionRequest, AdmissionWebhook } from '../admissionTypes.js';
import { readAdmissionObject, type AdmissionObjectRead } from '../readAdmissionObject.js';
import { CLONESET_MUTATING_WEBHOOK, CLONESET_VALIDATING_WEBHOOK } from '../builtinWebhookSpecs.js';
import { diffJsonStrict } from './diffJsonStrict.js';
import { podsToDeleteProblems, type LookupPod } from './podsToDeleteProblems.js';

type Json = Record<string, unknown>;

const isV1alpha1 = (object: Json): boolean => object.apiVersion === CLONESET_V1ALPHA1_API_VERSION;

// v1beta1 field paths (what validation reports) → where the field sits in a v1alpha1 object.
const V1ALPHA1_PATHS: readonly [RegExp, string][] = [
  [/^spec\.updateStrategy\.rollingUpdate\.podUpdatePolicy/, 'spec.updateStrategy.type'],
  [/^spec\.updateStrategy\.rollingUpdate(?=\.|$)/, 'spec.updateStrategy'],
  [/^spec\.scaleStrategy\.enablePVCReuse/, 'spec.scaleStrategy.disablePVCReuse'],
  [/^spec\.scaleStrategy\.excludePreparingDelete/, 'metadata.labels[apps.kruise.io/cloneset-scaling-exclude-preparing-delete]'],
];

/**
 * Returns the problems with their paths as the user wrote the object: validation speaks v1beta1,
 * so for a v1alpha1 CloneSet `spec.updateStrategy.rollingUpdate.partition` becomes
 * `spec.updateStrategy.partition`.
 */
export function inVersionOf(object: Json, problems: readonly FieldProblem[]): FieldProblem[] {
  if (!isV1alpha1(object)) return [...problems];
  return problems.map((p) => ({ ...p, path: V1ALPHA1_PATHS.reduce((path, [from, to]) => path.replace(from, to), p.path) }));
}

const readCloneSet = (request: AdmissionRequest, field: 'object' | 'oldObject'): AdmissionObjectRead<CloneSet> => readAdmissionObject(request, field, parseCloneSet, 'CloneSet');

/** Options of {@link cloneSetMutatingWebhook}. */
export interface CloneSetMutatingOptions {
  /**
   * The gates the defaulting reads (off when absent, as OpenKruise's defaults): `TemplateNoDefaults`
   * leaves the pod template and volumeClaimTemplates as written; with
   * `DefaultHostNetworkHostPortsInPodTemplates` a hostNetwork template's ports get hostPorts.
   */
  readonly featureGates?:
    | { readonly TemplateNoDefaults?: boolean | undefined; readonly DefaultHostNetworkHostPortsInPodTemplates?: boolean | undefined }
    | undefined;
}

/** Returns the CloneSet with the pod template defaults and the volumeClaimTemplates' PVC defaults. */
function withTemplateDefaults(cs: CloneSet, options: PodTemplateDefaultsOptions): CloneSet {
  const claims = cs.spec.volumeClaimTemplates;
  return {
    ...cs,
    spec: { ...cs.spec, template: withPodTemplateDefaults(cs.spec.template, options), ...(claims !== undefined && { volumeClaimTemplates: claims.map(withVolumeClaimTemplateDefaults) }) },
  };
}

const UNDER_TEMPLATE = /^\/spec\/template(\/|$)/;
const templateOf = (object: Json): unknown => (typeof object.spec === 'object' && object.spec !== null ? (object.spec as Json).template : undefined);

/**
 * Returns the patch from `object` to `result` when the template was defaulted: `diffJson` outside
 * the template, and inside it a diff where `{}` counts (`securityContext: {}`, `emptyDir: {}` are
 * defaults the stored template must have, which `diffJson` would take for absent).
 */
function patchWithTemplateDefaults(object: Json, result: Json): JsonPatchOperation[] {
  const outside = diffJson(object, result).filter((op) => !UNDER_TEMPLATE.test(op.path));
  return [...outside, ...diffJsonStrict(templateOf(object), templateOf(result), '/spec/template')];
}

/**
 * Returns the CloneSet defaulting webhook (OpenKruise `mcloneset.kb.io`): the object read in its
 * version (v1alpha1 or v1beta1), `withCloneSetDefaults` applied in v1beta1, converted back to the
 * request's version, and the difference returned as a JSON patch. The pod template gets
 * `withPodTemplateDefaults` (and each volumeClaimTemplate `status.phase` Pending) on CREATE, and on
 * UPDATE only when the template changed, unless the `TemplateNoDefaults` gate is on: what is
 * stored, and hashed into revisions, is then what the apiserver would make of the pods. An object
 * that cannot be read (new or old) is denied with code 400 and each problem's field.
 *
 * @example CREATE `{ spec: { selector, template } }` (v1beta1) → patch adding `/spec/replicas` 1,
 *   `/spec/revisionHistoryLimit` 10, `/spec/updateStrategy` `{ type: 'RollingUpdate', rollingUpdate: { partition: 0, maxUnavailable: '20%', maxSurge: 0, podUpdatePolicy: 'ReCreate' } }`,
 *   and the template defaults (`/spec/template/spec/restartPolicy` `Always`, `/spec/template/spec/containers/0/imagePullPolicy` `Always`...)
 */
export function cloneSetMutatingWebhook(options: CloneSetMutatingOptions = {}): AdmissionWebhook {
  const gates = options.featureGates ?? {};
  const templateOptions: PodTemplateDefaultsOptions = { defaultHostNetworkHostPorts: gates.DefaultHostNetworkHostPortsInPodTemplates === true };
  return {
    ...CLONESET_MUTATING_WEBHOOK,
    handle(request) {
      const read = readCloneSet(request, 'object');
      if (read.kind === 'denied') return read.decision;
      let injectTemplateDefaults = gates.TemplateNoDefaults !== true;
      if (injectTemplateDefaults && request.operation === 'UPDATE') {
        const old = readCloneSet(request, 'oldObject');
        if (old.kind === 'denied') return old.decision;
        injectTemplateDefaults = diffJson(old.value.spec.template, read.value.spec.template).length > 0;
      }
      const defaulted = withCloneSetDefaults(injectTemplateDefaults ? withTemplateDefaults(read.value, templateOptions) : read.value);
      const result: Json = isV1alpha1(read.object) ? convertCloneSetToV1alpha1(defaulted) : defaulted;
      return allowWithPatch(injectTemplateDefaults ? patchWithTemplateDefaults(read.object, result) : diffJson(read.object, result));
    },
  };
}

/** Options of {@link cloneSetValidatingWebhook}. */
export interface CloneSetValidatingOptions {
  /** Reads a pod (for `scaleStrategy.podsToDelete`); omitted = those names are not checked against the cluster. */
  readonly lookupPod?: LookupPod | undefined;
}

/**
 * Returns the CloneSet validating webhook (OpenKruise `vcloneset.kb.io`): on CREATE every problem
 * `validateCloneSet` finds, on UPDATE those of `validateCloneSetUpdate` (selector and other
 * fields immutable, InPlaceOnly refusing changes that cannot be done in place); names newly added
 * to `scaleStrategy.podsToDelete` must not be terminating pods or pods of another owner. Denials
 * carry code 422, each problem as `path: message` in the message and as a cause, with the paths
 * of the request's version. DELETE is admitted.
 *
 * @example UPDATE changing `spec.selector` → denied:
 *   `spec.selector: field is immutable: updates to cloneset spec for fields other than 'replicas', ... are forbidden`
 */
export function cloneSetValidatingWebhook(options: CloneSetValidatingOptions = {}): AdmissionWebhook {
  return {
    ...CLONESET_VALIDATING_WEBHOOK,
    async handle(request, context) {
      if (request.operation !== 'CREATE' && request.operation !== 'UPDATE') return allow();
      const next = readCloneSet(request, 'object');
      if (next.kind === 'denied') return next.decision;
      let problems: readonly FieldProblem[];
      let previous: readonly string[] = [];
      if (request.operation === 'UPDATE') {
        const old = readCloneSet(request, 'oldObject');
        if (old.kind === 'denied') return old.decision;
        problems = validateCloneSetUpdate(old.value, next.value);
        previous = old.value.spec.scaleStrategy?.podsToDelete ?? [];
      } else {
        problems = validateCloneSet(next.value);
      }
      if (options.lookupPod !== undefined && problems.length === 0) {
        problems = await podsToDeleteProblems(next.value, previous, options.lookupPod, context.signal);
      }
      return problems.length === 0 ? allow() : denyProblems(inVersionOf(next.object, problems));
    },
  };
}
