import {
  STATEFULSET_V1ALPHA1_API_VERSION,
  STATEFULSET_V1BETA1_FIELDS_ANNOTATION,
  convertStatefulSetToV1alpha1,
  diffJson,
  parseStatefulSet,
  validateStatefulSet,
  validateStatefulSetUpdate,
  withPodTemplateDefaults,
  withStatefulSetDefaults,
  withVolumeClaimTemplateDefaults,
  type JsonPatchOperation,
  type PodTemplateDefaultsOptions,
  type StatefulSet,
  type StatefulSetDefaultsGates,
} from '@kruise-ts/core';
import { allow, allowWithPatch, denyProblems } from '../admissionDecisions.js';
import type { AdmissionRequest, AdmissionWebhook } from '../admissionTypes.js';
import { STATEFULSET_MUTATING_WEBHOOK, STATEFULSET_VALIDATING_WEBHOOK } from '../builtinWebhookSpecs.js';
import { diffJsonStrict } from '../cloneset/diffJsonStrict.js';
import { readAdmissionObject, type AdmissionObjectRead } from '../readAdmissionObject.js';

type Json = Record<string, unknown>;

const isV1alpha1 = (object: Json): boolean => object.apiVersion === STATEFULSET_V1ALPHA1_API_VERSION;

const readStatefulSet = (request: AdmissionRequest, field: 'object' | 'oldObject'): AdmissionObjectRead<StatefulSet> => readAdmissionObject(request, field, parseStatefulSet, 'StatefulSet');

/** Options of {@link statefulSetMutatingWebhook}. */
export interface StatefulSetMutatingOptions {
  /**
   * The gates the defaulting reads, with OpenKruise's defaults when absent: `TemplateNoDefaults`
   * (off) leaves the pod template and volumeClaimTemplates as written;
   * `DefaultHostNetworkHostPortsInPodTemplates` (off) gives a hostNetwork template's ports
   * hostPorts; `StatefulSetAutoDeletePVC` (on) and `StatefulSetAutoResizePVCGate` (off) as in
   * `withStatefulSetDefaults`.
   */
  readonly featureGates?:
    | (StatefulSetDefaultsGates & { readonly TemplateNoDefaults?: boolean | undefined; readonly DefaultHostNetworkHostPortsInPodTemplates?: boolean | undefined })
    | undefined;
}

/** Returns the set with the pod template defaults and the volumeClaimTemplates' PVC defaults. */
function withTemplateDefaults(sts: StatefulSet, options: PodTemplateDefaultsOptions): StatefulSet {
  const claims = sts.spec.volumeClaimTemplates;
  return {
    ...sts,
    spec: { ...sts.spec, template: withPodTemplateDefaults(sts.spec.template, options), ...(claims !== undefined && { volumeClaimTemplates: claims.map(withVolumeClaimTemplateDefaults) }) },
  };
}

const UNDER_TEMPLATE = /^\/spec\/template(\/|$)/;
const templateOf = (object: Json): unknown => (typeof object.spec === 'object' && object.spec !== null ? (object.spec as Json).template : undefined);

/** The patch from `object` to `result`, where inside the template an empty `{}` counts (a default such as `securityContext: {}`). */
function patchWithTemplateDefaults(object: Json, result: Json): JsonPatchOperation[] {
  const outside = diffJson(object, result).filter((op) => !UNDER_TEMPLATE.test(op.path));
  return [...outside, ...diffJsonStrict(templateOf(object), templateOf(result), '/spec/template')];
}

/**
 * Returns the v1alpha1 form of the defaulted set, its v1beta1-fields annotation as the request had
 * it: OpenKruise's webhook converts back to v1alpha1, where the defaults of v1beta1-only fields
 * (the retention policy) have no place, so they are not added.
 */
function asRequestedV1alpha1(object: Json, defaulted: StatefulSet): Json {
  const converted = convertStatefulSetToV1alpha1(defaulted);
  const requested = (object.metadata as { annotations?: Record<string, string> } | undefined)?.annotations?.[STATEFULSET_V1BETA1_FIELDS_ANNOTATION];
  const { [STATEFULSET_V1BETA1_FIELDS_ANNOTATION]: _generated, ...others } = converted.metadata?.annotations ?? {};
  // An empty annotations map counts as absent in the diff.
  const annotations = requested === undefined ? others : { ...others, [STATEFULSET_V1BETA1_FIELDS_ANNOTATION]: requested };
  return { ...converted, metadata: { ...converted.metadata, annotations } };
}

/**
 * Returns the Advanced StatefulSet defaulting webhook (OpenKruise `mstatefulset.kb.io`): the object
 * read in its version (v1alpha1 or v1beta1), `withStatefulSetDefaults` applied in v1beta1, the
 * status dropped (the controller's, as OpenKruise's webhook clears it; the apiserver keeps the
 * stored one anyway), converted back to the request's version, and the difference returned as a
 * JSON patch. The pod template gets `withPodTemplateDefaults` (and each volumeClaimTemplate
 * `status.phase` Pending) on CREATE, and on UPDATE only when the template changed, unless the
 * `TemplateNoDefaults` gate is on. An object that cannot be read (new or old) is denied with code
 * 400 and each problem's field.
 *
 * @example CREATE `{ spec: { selector, template } }` (v1beta1) → patch adding `/spec/replicas` 1,
 *   `/spec/revisionHistoryLimit` 10, `/spec/podManagementPolicy` OrderedReady,
 *   `/spec/updateStrategy` `{ type: 'RollingUpdate', rollingUpdate: { partition: 0, maxUnavailable: 1, podUpdatePolicy: 'ReCreate', minReadySeconds: 0 } }`,
 *   `/spec/persistentVolumeClaimRetentionPolicy` Retain/Retain, and the template defaults
 */
export function statefulSetMutatingWebhook(options: StatefulSetMutatingOptions = {}): AdmissionWebhook {
  const gates = options.featureGates ?? {};
  const templateOptions: PodTemplateDefaultsOptions = { defaultHostNetworkHostPorts: gates.DefaultHostNetworkHostPortsInPodTemplates === true };
  return {
    ...STATEFULSET_MUTATING_WEBHOOK,
    handle(request) {
      const read = readStatefulSet(request, 'object');
      if (read.kind === 'denied') return read.decision;
      let injectTemplateDefaults = gates.TemplateNoDefaults !== true;
      if (injectTemplateDefaults && request.operation === 'UPDATE') {
        const old = readStatefulSet(request, 'oldObject');
        if (old.kind === 'denied') return old.decision;
        injectTemplateDefaults = diffJson(old.value.spec.template, read.value.spec.template).length > 0;
      }
      const { status: _cleared, ...defaulted } = withStatefulSetDefaults(injectTemplateDefaults ? withTemplateDefaults(read.value, templateOptions) : read.value, gates);
      const result: Json = isV1alpha1(read.object) ? asRequestedV1alpha1(read.object, defaulted) : defaulted;
      return allowWithPatch(injectTemplateDefaults ? patchWithTemplateDefaults(read.object, result) : diffJson(read.object, result));
    },
  };
}

/**
 * Returns the Advanced StatefulSet validating webhook (OpenKruise `vstatefulset.kb.io`): on CREATE
 * every problem `validateStatefulSet` finds, on UPDATE those of `validateStatefulSetUpdate`
 * (selector, serviceName and podManagementPolicy immutable, InPlaceOnly refusing template changes
 * that cannot be done in place). A v1alpha1 object is validated in its v1beta1 form (the paths
 * are the same). Denials carry code 422, each problem as `path: message` in the message and as a
 * cause. DELETE is admitted.
 *
 * @example CREATE with OrderedReady and `rollingUpdate.maxUnavailable: 2` → denied:
 *   `spec.updateStrategy.rollingUpdate.maxUnavailable: can only work with Parallel PodManagementPolicyType`
 */
export function statefulSetValidatingWebhook(): AdmissionWebhook {
  return {
    ...STATEFULSET_VALIDATING_WEBHOOK,
    handle(request) {
      if (request.operation !== 'CREATE' && request.operation !== 'UPDATE') return allow();
      const next = readStatefulSet(request, 'object');
      if (next.kind === 'denied') return next.decision;
      if (request.operation === 'CREATE') {
        const problems = validateStatefulSet(next.value);
        return problems.length === 0 ? allow() : denyProblems(problems);
      }
      const old = readStatefulSet(request, 'oldObject');
      if (old.kind === 'denied') return old.decision;
      const problems = validateStatefulSetUpdate(old.value, next.value);
      return problems.length === 0 ? allow() : denyProblems(problems);
    },
  };
}
