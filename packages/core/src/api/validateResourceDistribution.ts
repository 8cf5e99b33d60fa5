import { fieldProblem, type FieldProblem } from '../shared/fieldProblem.js';
import { validateLabelSelector } from '../shared/selector.js';
import type { DistributedResource, ResourceDistribution, ResourceDistributionTargetNamespaces, ResourceDistributionTargets } from './resourceDistribution.js';
import { isDnsLabel, isDnsSubdomain } from './validateCloneSetTemplate.js';
import { objectMetaProblems } from './validateObjectMeta.js';

/** The kinds a ResourceDistribution may copy (OpenKruise's `supportedGKList`): core/v1 Secret and ConfigMap. */
export const DISTRIBUTABLE_KINDS: readonly string[] = ['Secret', 'ConfigMap'];

/** Returns whether `resource` is a core/v1 Secret or ConfigMap (apiVersion `v1`, the core group). */
export function isDistributableResource(resource: DistributedResource): boolean {
  return resource.apiVersion === 'v1' && DISTRIBUTABLE_KINDS.includes(resource.kind ?? '');
}

function resourceProblems(resource: DistributedResource, old: DistributedResource | undefined): FieldProblem[] {
  if (Object.keys(resource).length === 0) return [fieldProblem('spec.resource', 'Invalid value: {}: empty resource is not allowed')];
  if ((resource.apiVersion ?? '') === '' || (resource.kind ?? '') === '') {
    return [fieldProblem('spec.resource', 'Internal error: failed to deserialize resource, please check your spec.resource: Object \'Kind\' and \'apiVersion\' are missing')];
  }
  if (!isDistributableResource(resource)) {
    return [fieldProblem('spec.resource', `Invalid value: "${resource.apiVersion ?? ''}, Kind=${resource.kind ?? ''}": unknown or unsupported resource GroupKind, only support [/Secret /ConfigMap]`)];
  }
  if (old !== undefined && (old.apiVersion !== resource.apiVersion || old.kind !== resource.kind || old.metadata?.name !== resource.metadata?.name)) {
    return [fieldProblem('spec.resource', 'Invalid value: "null": resource apiVersion, kind, and name are immutable')];
  }
  // OpenKruise creates the resource in dry-run mode; its name is what the apiserver would refuse.
  const name = resource.metadata?.name ?? '';
  if (name === '') return [fieldProblem('spec.resource.metadata.name', 'Required value: name is required')];
  return isDnsSubdomain(name) ? [] : [fieldProblem('spec.resource.metadata.name', `Invalid value: ${JSON.stringify(name)}: must be a DNS-1123 subdomain (lowercase alphanumerics, '-' and '.')`)];
}

const namesOf = (namespaces: ResourceDistributionTargetNamespaces | undefined): string[] => (namespaces?.list ?? []).map((n) => n.name ?? '');

function namespaceNameProblems(names: readonly string[], path: string): FieldProblem[] {
  return names
    .filter((name) => !isDnsLabel(name))
    .map((name) => fieldProblem(path, `Invalid value: ${JSON.stringify(name)}: a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character`));
}

function targetsProblems(targets: ResourceDistributionTargets): FieldProblem[] {
  const included = namesOf(targets.includedNamespaces);
  const excluded = namesOf(targets.excludedNamespaces);
  const ambiguous = excluded.filter((name) => included.includes(name));
  return [
    ...namespaceNameProblems(included, 'spec.targets.includedNamespaces'),
    ...namespaceNameProblems(excluded, 'spec.targets.excludedNamespaces'),
    ...(ambiguous.length > 0
      ? [fieldProblem('spec.targets', `Invalid value: ambiguous targets because namespace [${ambiguous.join(' ')}] is in both IncludedNamespaces.List and ExcludedNamespaces.List`)]
      : []),
    ...(targets.namespaceSelector === undefined ? [] : validateLabelSelector(targets.namespaceSelector, 'spec.targets.namespaceSelector')),
  ];
}

/**
 * Returns every problem of a ResourceDistribution as OpenKruise's validating webhook
 * (`pkg/webhook/resourcedistribution/validating`) finds them, each with its field path; an empty
 * array means valid. With `old` (an update) the resource's apiVersion, kind and name may not
 * change. Checks: the metadata (a DNS-1123 subdomain name, labels); `spec.resource` not empty,
 * with apiVersion and kind, a core/v1 Secret or ConfigMap, named with a DNS-1123 subdomain (where
 * OpenKruise creates it in dry-run mode, kruise-ts checks the name the apiserver would refuse);
 * included and excluded namespaces DNS-1123 labels, none in both lists; the namespace selector
 * valid. Like OpenKruise, no namespace is forbidden (`kube-system` may be a target).
 *
 * @example targets `{ includedNamespaces: { list: [{ name: 'a' }] }, excludedNamespaces: { list: [{ name: 'a' }] } }` →
 *   `[{ path: 'spec.targets', message: 'Invalid value: ambiguous targets because namespace [a] is in both IncludedNamespaces.List and ExcludedNamespaces.List' }]`
 */
export function validateResourceDistribution(rd: ResourceDistribution, old?: ResourceDistribution): readonly FieldProblem[] {
  return [...objectMetaProblems(rd.metadata), ...resourceProblems(rd.spec.resource, old?.spec.resource), ...targetsProblems(rd.spec.targets)];
}
