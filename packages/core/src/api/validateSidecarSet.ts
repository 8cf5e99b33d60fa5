import { fieldProblem, type FieldProblem } from '../shared/fieldProblem.js';
import type { IntOrPercent } from '../shared/intOrPercent.js';
import type { ControllerRevision } from '../shared/revision.js';
import { isEmptyLabelSelector, labelKeyProblems, validateLabelSelector, type LabelSelector } from '../shared/selector.js';
import type { ObjectMeta } from './objectMeta.js';
import type { SidecarSet, SidecarSetSpec } from './sidecarSet.js';
import { validateSidecarSetPatchMetadataWhitelist, type SidecarSetPatchMetadataWhitelist } from './sidecarSetPatchMetadataWhitelist.js';
import { findSidecarSetRevision } from './sidecarSetRevision.js';
import { priorityProblems, scatterProblems } from './validateCloneSetStrategies.js';
import { labelsProblems } from './validateCloneSetTemplate.js';
import { validateSidecarSetCanary } from './validateSidecarSetCanary.js';
import { validateSidecarSetContainers } from './validateSidecarSetContainers.js';
import { validateSidecarSetResourcesPolicies } from './validateSidecarSetResourcesPolicy.js';

/** Options of {@link validateSidecarSet}: what the webhook reads from the cluster. */
export interface ValidateSidecarSetOptions {
  /** The SidecarSet's ControllerRevisions; when given, a pinned `injectionStrategy.revision` must exist among them. */
  readonly revisions?: readonly ControllerRevision[] | undefined;
  /** The `SidecarSet_PatchPodMetadata_WhiteList` of `kruise-configuration`, if any. */
  readonly patchMetadataWhitelist?: SidecarSetPatchMetadataWhitelist | undefined;
  /** Why that whitelist could not be read (`parseSidecarSetPatchMetadataWhitelist`'s error): refuses SidecarSets that patch metadata. */
  readonly patchMetadataWhitelistError?: string | undefined;
  /** Every SidecarSet of the cluster; when given, a canary's base must be one of them and not a canary. */
  readonly sidecarSets?: readonly SidecarSet[] | undefined;
  /** The SidecarSet before an UPDATE (`validateSidecarSetUpdate` sets it): a canary's base may not change. */
  readonly old?: SidecarSet | undefined;
  /** Feature gates (default off). */
  readonly featureGates?: { readonly SidecarSetPatchPodMetadataDefaultsAllowed?: boolean | undefined } | undefined;
}

const NAME = /^[a-zA-Z0-9-]+$/;
const PERCENT = /^[0-9]+%$/;

function metadataProblems(metadata: ObjectMeta | undefined): FieldProblem[] {
  const name = metadata?.name ?? '';
  const problems: FieldProblem[] = [];
  if (name === '' && (metadata?.generateName ?? '') === '') problems.push(fieldProblem('metadata.name', 'Required value: name or generateName is required'));
  if (name !== '' && !NAME.test(name)) {
    problems.push(fieldProblem('metadata.name', `Invalid value: ${JSON.stringify(name)}: sidecarset name must consist of alphanumeric characters or '-'`));
  }
  if (name.length > 63) problems.push(fieldProblem('metadata.name', `Invalid value: ${JSON.stringify(name)}: must be no more than 63 characters`));
  if ((metadata?.namespace ?? '') !== '') problems.push(fieldProblem('metadata.namespace', 'Forbidden: not allowed on this type'));
  return [...problems, ...labelsProblems(metadata?.labels, 'metadata.labels'), ...annotationKeyProblems(metadata?.annotations, 'metadata.annotations')];
}

function annotationKeyProblems(annotations: Readonly<Record<string, string>> | undefined, path: string): FieldProblem[] {
  return Object.keys(annotations ?? {}).flatMap((key) => labelKeyProblems(key.toLowerCase()).map((m) => fieldProblem(`${path}[${key}]`, `Invalid value: ${JSON.stringify(key)}: ${m}`)));
}

function selectorProblems(selector: LabelSelector, path: string): FieldProblem[] {
  return [
    ...validateLabelSelector(selector, path),
    ...(isEmptyLabelSelector(selector) ? [fieldProblem(path, 'Invalid value: empty selector is not valid for sidecarset.')] : []),
  ];
}

function positiveIntOrPercent(value: IntOrPercent | undefined, path: string): FieldProblem[] {
  if (value === undefined) return [];
  if (typeof value === 'number') return value < 0 ? [fieldProblem(path, `Invalid value: ${String(value)}: must be greater than or equal to 0`)] : [];
  return PERCENT.test(value)
    ? []
    : [fieldProblem(path, `Invalid value: ${JSON.stringify(value)}: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')`)];
}

function updateStrategyProblems(spec: SidecarSetSpec): FieldProblem[] {
  const strategy = spec.updateStrategy ?? {};
  if ((strategy.type ?? 'RollingUpdate') !== 'RollingUpdate') return [];
  const path = 'spec.updateStrategy';
  const partitionSet = strategy.partition !== undefined && strategy.partition !== 0;
  return [
    ...(partitionSet && strategy.selector !== undefined ? [fieldProblem(path, 'Invalid value: Partition and Selector cannot be used together')] : []),
    ...(strategy.selector === undefined ? [] : selectorProblems(strategy.selector, `${path}.selector`)),
    ...positiveIntOrPercent(strategy.partition, `${path}.partition`),
    ...positiveIntOrPercent(strategy.maxUnavailable, `${path}.maxUnavailable`),
    ...priorityProblems(strategy.priorityStrategy, `${path}.priorityStrategy`),
    ...scatterProblems(strategy.scatterStrategy, `${path}.scatterStrategy`),
    // OpenKruise cannot upgrade native sidecars (initContainers with restartPolicy Always) in place.
    ...((spec.initContainers ?? []).some((c) => c.restartPolicy === 'Always')
      ? [fieldProblem(path, 'Required value: The initContainer in-place upgrade is not currently supported.')]
      : []),
  ];
}

function injectionStrategyProblems(ss: SidecarSet, revisions: readonly ControllerRevision[] | undefined): FieldProblem[] {
  const revision = ss.spec.injectionStrategy?.revision;
  const path = 'spec.injectionStrategy.revision';
  if (revision === undefined) return [];
  if (revision.revisionName === undefined && revision.customVersion === undefined) {
    return [fieldProblem(path, 'Invalid value: revisionName and customVersion cannot be empty simultaneously')];
  }
  if (revisions === undefined) return [];
  const found = findSidecarSetRevision(ss, revision, revisions);
  return found.kind === 'found' ? [] : [fieldProblem(path, `Invalid value: Cannot find specific ControllerRevision, err: ${found.message}`)];
}

function patchPodMetadataProblems(spec: SidecarSetSpec): FieldProblem[] {
  const seen = new Set<string>();
  return (spec.patchPodMetadata ?? []).flatMap((patch, i) => {
    const path = `spec.patchPodMetadata[${String(i)}]`;
    const keys = Object.keys(patch.annotations ?? {});
    return [
      ...(keys.length === 0 ? [fieldProblem(`${path}.annotations`, 'Required value: no annotations defined for SidecarSet')] : []),
      ...annotationKeyProblems(patch.annotations, `${path}.annotations`),
      ...keys.flatMap((key) => {
        const repeated = seen.has(key);
        seen.add(key);
        return repeated ? [fieldProblem(`${path}.annotations[${key}]`, `Required value: patch annotation[${key}] already exist`)] : [];
      }),
    ];
  });
}

/**
 * Returns every problem of a v1beta1 SidecarSet, as OpenKruise's validating webhook finds them,
 * each with its field path; empty means valid. Checks: name (alphanumerics and '-', at most 63),
 * no namespace (cluster-scoped), labels and annotation keys; a non-empty, valid `selector` and
 * `namespaceSelector`; a pinned injection revision names one (and, given `revisions`, exists);
 * for RollingUpdate: partition and selector not together, partition / maxUnavailable
 * non-negative ints or percentages, priority and scatter rules, no native-sidecar initContainers;
 * containers, init containers and volumes (`validateSidecarSetContainers`); resources policies
 * (`validateSidecarSetResourcesPolicies`); patchPodMetadata (annotations present, valid, not
 * patched twice, allowed by the whitelist); a canary's base annotation (`validateSidecarSetCanary`).
 * Absent fields count as their defaults. Update-only rules and conflicts with other SidecarSets are
 * `validateSidecarSetUpdate` and `validateSidecarSetConflicts`.
 *
 * @example `spec: { containers: [...] }` without a selector →
 *   `[{ path: 'spec.selector', message: 'Required value: no selector defined for SidecarSet' }]`
 */
export function validateSidecarSet(ss: SidecarSet, options: ValidateSidecarSetOptions = {}): readonly FieldProblem[] {
  const spec = ss.spec;
  return [
    ...metadataProblems(ss.metadata),
    ...(spec.selector === undefined ? [fieldProblem('spec.selector', 'Required value: no selector defined for SidecarSet')] : selectorProblems(spec.selector, 'spec.selector')),
    ...(spec.namespaceSelector === undefined ? [] : selectorProblems(spec.namespaceSelector, 'spec.namespaceSelector')),
    ...injectionStrategyProblems(ss, options.revisions),
    ...updateStrategyProblems(spec),
    ...validateSidecarSetContainers(spec),
    ...validateSidecarSetResourcesPolicies(spec),
    ...validateSidecarSetPatchMetadataWhitelist(ss, {
      whitelist: options.patchMetadataWhitelist,
      whitelistError: options.patchMetadataWhitelistError,
      defaultsAllowed: options.featureGates?.SidecarSetPatchPodMetadataDefaultsAllowed,
    }),
    ...patchPodMetadataProblems(spec),
    ...validateSidecarSetCanary(ss, { sidecarSets: options.sidecarSets, old: options.old }),
  ];
}
