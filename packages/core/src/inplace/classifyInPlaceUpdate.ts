import { VOLUME_CLAIM_TEMPLATE_HASH_ANNOTATION } from '../api/labels.js';
import type { PodTemplateSpec, ResourceRequirements } from '../api/pod.js';
import { templateFromRevision, type ControllerRevision } from '../shared/revision.js';
import { classifyTemplateOperation, type TemplateOperationClass } from './classifyTemplateOperation.js';
import { diffJson, escapeJsonPointer, type JsonPatchOperation } from './diffJson.js';
import { withInPlaceFeatureGateDefaults, type InPlaceFeatureGates } from './inPlaceFeatureGates.js';
import type { InPlaceUpdateSpec } from './inPlaceUpdateSpec.js';
import { computePodQosClass } from './podQosClass.js';
import { splitMetadataChanges } from './splitMetadataChanges.js';

/** Why a pod must be recreated instead of updated in place ("recreated because `<reason>`"). */
export type RecreateReason =
  | 'no-revision'
  | 'invalid-revision'
  | 'volume-claim-templates-changed'
  | 'spec-changed'
  | 'resources-not-in-place'
  | 'qos-class-changed';

/** Whether a pod can move from one revision to another in place, and how or why not. */
export type InPlaceVerdict =
  | {
      readonly kind: 'in-place';
      /** What to change on the pod (pass it to `planInPlaceUpdatePatch`). */
      readonly spec: InPlaceUpdateSpec;
      /** Every template path that differs (RFC 6901, relative to the template). */
      readonly paths: readonly string[];
    }
  | {
      readonly kind: 'recreate';
      readonly reason: RecreateReason;
      /** The template paths that forced the recreate (empty when no diff was made). */
      readonly paths: readonly string[];
    };

/** Options of {@link classifyInPlaceUpdate}. */
export interface ClassifyInPlaceUpdateOptions {
  /** OpenKruise feature gates; unset gates take OpenKruise's defaults. */
  readonly featureGates?: InPlaceFeatureGates;
  /** Ignore a volumeClaimTemplates hash change (CloneSet's InPlaceOnly sets it). */
  readonly ignoreVolumeClaimTemplatesHashDiff?: boolean;
  /** Value recorded as the target revision; defaults to the new revision's name (pass the short hash under CloneSetShortHash). */
  readonly revision?: string;
}

const VCT_HASH_PATH = `/metadata/annotations/${escapeJsonPointer(VOLUME_CLAIM_TEMPLATE_HASH_ANNOTATION)}`;

/**
 * Returns whether a pod of `oldRevision` can be updated in place to `newRevision` (OpenKruise's
 * `defaultCalculateInPlaceUpdateSpec`): in place when the templates differ only in container
 * images, labels/annotations, and (gate InPlaceWorkloadVerticalScaling) cpu/memory values of
 * existing requests/limits that keep the pod's QoS class; recreate otherwise, with the reason and
 * the paths. With RecreatePodWhenChangeVCTInCloneSetGate, revisions whose VCT-hash annotations
 * both exist and differ force a recreate unless `ignoreVolumeClaimTemplatesHashDiff`.
 *
 * @example image nginx:1 → nginx:2 of container 0 'app'
 *   // { kind: 'in-place', spec: { revision: 'web-2', containerImages: { app: 'nginx:2' }, ... }, paths: ['/spec/containers/0/image'] }
 * @example an env value changed
 *   // { kind: 'recreate', reason: 'spec-changed', paths: ['/spec/containers/0/env/0/value'] }
 */
export function classifyInPlaceUpdate(
  oldRevision: ControllerRevision | undefined,
  newRevision: ControllerRevision | undefined,
  options: ClassifyInPlaceUpdateOptions = {},
): InPlaceVerdict {
  if (!oldRevision || !newRevision) return { kind: 'recreate', reason: 'no-revision', paths: [] };
  const gates = withInPlaceFeatureGateDefaults(options.featureGates);
  if (gates.RecreatePodWhenChangeVCTInCloneSetGate && !options.ignoreVolumeClaimTemplatesHashDiff && vctHashChanged(oldRevision, newRevision)) {
    return { kind: 'recreate', reason: 'volume-claim-templates-changed', paths: [VCT_HASH_PATH] };
  }
  const oldTemplate = templateFromRevision(oldRevision);
  const newTemplate = templateFromRevision(newRevision);
  if (!oldTemplate || !newTemplate) return { kind: 'recreate', reason: 'invalid-revision', paths: [] };
  const operations = diffJson(oldRevision.data, newRevision.data).map(relativeToTemplate);
  const classes = operations.map((operation) => classifyTemplateOperation(operation, oldTemplate, gates.InPlaceWorkloadVerticalScaling));
  const refused = refusal(operations, classes, oldTemplate, newTemplate);
  if (refused) return refused;
  const metadata = splitMetadataChanges(oldTemplate, newTemplate, gates.InPlaceUpdateEnvFromMetadata);
  const spec: InPlaceUpdateSpec = {
    revision: options.revision ?? newRevision.metadata.name ?? '',
    containerImages: Object.fromEntries(classes.flatMap((c) => (c.kind === 'image' ? [[c.container, c.image]] : []))),
    containerRefMetadata: metadata.containerRefMetadata,
    containerResources: collectResources(classes),
    ...(metadata.metadataPatch ? { metadataPatch: metadata.metadataPatch } : {}),
    updateEnvFromMetadata: Object.keys(metadata.containerRefMetadata).length > 0,
  };
  return { kind: 'in-place', spec, paths: operations.map((operation) => operation.path) };
}

/** Returns the recreate verdict the classified operations force, or `undefined` when none does. */
function refusal(
  operations: readonly JsonPatchOperation[],
  classes: readonly TemplateOperationClass[],
  oldTemplate: PodTemplateSpec,
  newTemplate: PodTemplateSpec,
): InPlaceVerdict | undefined {
  const pathsOf = (keep: (c: TemplateOperationClass) => boolean): string[] => operations.filter((_, i) => keep(classes[i] ?? { kind: 'metadata' })).map((op) => op.path);
  const disallowed = pathsOf((c) => c.kind === 'disallowed');
  if (disallowed.length > 0) {
    const specChanged = classes.some((c) => c.kind === 'disallowed' && c.reason === 'spec-changed');
    return { kind: 'recreate', reason: specChanged ? 'spec-changed' : 'resources-not-in-place', paths: disallowed };
  }
  const resized = pathsOf((c) => c.kind === 'resource');
  if (resized.length > 0 && computePodQosClass(oldTemplate.spec) !== computePodQosClass(newTemplate.spec)) {
    return { kind: 'recreate', reason: 'qos-class-changed', paths: resized };
  }
  return undefined;
}

/** Revision data holds `{spec:{template:...}}`: report paths relative to the template. */
function relativeToTemplate(operation: JsonPatchOperation): JsonPatchOperation {
  const path = operation.path.startsWith('/spec/template/') ? operation.path.slice('/spec/template'.length) : operation.path;
  return { ...operation, path };
}

function vctHashChanged(oldRevision: ControllerRevision, newRevision: ControllerRevision): boolean {
  const before = oldRevision.metadata.annotations?.[VOLUME_CLAIM_TEMPLATE_HASH_ANNOTATION];
  const after = newRevision.metadata.annotations?.[VOLUME_CLAIM_TEMPLATE_HASH_ANNOTATION];
  // A revision without the annotation predates the gate: never recreate for it.
  return before !== undefined && after !== undefined && before !== after;
}

function collectResources(classes: readonly TemplateOperationClass[]): Record<string, ResourceRequirements> {
  const resources: Record<string, { limits?: Record<string, string>; requests?: Record<string, string> }> = {};
  for (const c of classes) {
    if (c.kind !== 'resource') continue;
    const entry = (resources[c.container] ??= {});
    (entry[c.field] ??= {})[c.resource] = c.quantity;
  }
  return resources;
}
