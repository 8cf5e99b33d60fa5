import { fieldProblem, type FieldProblem } from '../shared/fieldProblem.js';
import { canonicalJson } from '../shared/revision.js';
import type { LabelSelector } from '../shared/selector.js';
import type { SidecarSet } from './sidecarSet.js';
import { isCanaryPair } from './validateSidecarSetCanary.js';

/*
 * The check OpenKruise's SidecarSet validating webhook runs against every other SidecarSet
 * (`validateSidecarConflict`): two SidecarSets that may select the same pods must not inject
 * containers (or init containers) of the same name, volumes of the same name with different
 * sources, or the same annotation when either patches it with `Overwrite`.
 */

// key → values a selector allows ('ALL' for Exists), from matchLabels and In/Exists expressions.
function allowedValues(selector: LabelSelector): Map<string, string[]> {
  const allowed = new Map<string, string[]>(Object.entries(selector.matchLabels ?? {}).map(([key, value]) => [key, [value]]));
  for (const requirement of selector.matchExpressions ?? []) {
    if (requirement.operator === 'In') allowed.set(requirement.key, [...(allowed.get(requirement.key) ?? []), ...(requirement.values ?? [])]);
    if (requirement.operator === 'Exists') allowed.set(requirement.key, ['ALL']);
  }
  return allowed;
}

// Whether some requirement of `b` can never hold together with what `a` allows.
function isDisjoint(a: LabelSelector, b: LabelSelector): boolean {
  const allowed = allowedValues(a);
  const excludes = (key: string, value: string) => {
    const values = allowed.get(key);
    return values !== undefined && !values.includes('ALL') && !values.includes(value);
  };
  if (Object.entries(b.matchLabels ?? {}).some(([key, value]) => excludes(key, value))) return true;
  return (b.matchExpressions ?? []).some((requirement) => {
    const values = allowed.get(requirement.key);
    const wanted = requirement.values ?? [];
    switch (requirement.operator) {
      case 'In':
        return values !== undefined && !values.includes('ALL') && !wanted.some((v) => values.includes(v));
      case 'NotIn':
        return values !== undefined && values.every((v) => wanted.includes(v));
      case 'Exists':
        return values === undefined;
      case 'DoesNotExist':
        return values !== undefined;
    }
  });
}

/**
 * Returns whether two label selectors may select the same object, by OpenKruise's rule
 * (`util.IsSelectorOverlapping`): they are disjoint only when a key constrained by one has values
 * the other excludes (`a=b` vs `a=c`, `a In [b]` vs `a NotIn [b]`, `a=b` vs `!a`); keys only one
 * of them constrains never make them disjoint.
 *
 * @example isLabelSelectorOverlapping({ matchLabels: { app: 'a' } }, { matchLabels: { tier: 'web' } }) → true
 * @example isLabelSelectorOverlapping({ matchLabels: { app: 'a' } }, { matchLabels: { app: 'b' } }) → false
 */
export function isLabelSelectorOverlapping(a: LabelSelector, b: LabelSelector): boolean {
  return !(isDisjoint(a, b) || isDisjoint(b, a));
}

/**
 * Returns whether two SidecarSets may inject the same pod: both have a selector, the selectors
 * overlap, and so do their namespaceSelectors when both have one (a v1alpha1 `namespace` is a
 * `kubernetes.io/metadata.name` entry there, so different namespaces never overlap).
 *
 * @example selectors app=a and app=a, namespaceSelectors for namespaces prod and dev → false
 */
export function areSidecarSetsOverlapping(a: SidecarSet, b: SidecarSet): boolean {
  const [nsA, nsB] = [a.spec.namespaceSelector, b.spec.namespaceSelector];
  if (nsA !== undefined && nsB !== undefined && !isLabelSelectorOverlapping(nsA, nsB)) return false;
  return a.spec.selector !== undefined && b.spec.selector !== undefined && isLabelSelectorOverlapping(a.spec.selector, b.spec.selector);
}

interface Owners {
  readonly initContainers: Map<string, string>;
  readonly containers: Map<string, string>;
  readonly volumes: Map<string, { owner: string; json: string }>;
  readonly annotations: Map<string, { owner: string; overwrite: boolean }>;
}

function ownersOf(others: readonly SidecarSet[]): Owners {
  const owners: Owners = { initContainers: new Map(), containers: new Map(), volumes: new Map(), annotations: new Map() };
  for (const other of others) {
    const name = other.metadata?.name ?? '';
    for (const c of other.spec.initContainers ?? []) owners.initContainers.set(c.name, name);
    for (const c of other.spec.containers ?? []) owners.containers.set(c.name, name);
    for (const v of other.spec.volumes ?? []) owners.volumes.set(v.name, { owner: name, json: canonicalJson(v) });
    for (const patch of other.spec.patchPodMetadata ?? []) {
      if ((patch.patchPolicy ?? 'Retain') === 'Retain') continue;
      for (const key of Object.keys(patch.annotations ?? {})) owners.annotations.set(key, { owner: name, overwrite: patch.patchPolicy === 'Overwrite' });
    }
  }
  return owners;
}

function annotationConflicts(ss: SidecarSet, owners: Owners): FieldProblem[] {
  return (ss.spec.patchPodMetadata ?? []).flatMap((patch, i) => {
    const policy = patch.patchPolicy ?? 'Retain';
    if (policy === 'Retain') return [];
    return Object.keys(patch.annotations ?? {}).flatMap((key) => {
      const other = owners.annotations.get(key);
      if (other === undefined || (policy !== 'Overwrite' && !other.overwrite)) return [];
      return [fieldProblem(`spec.patchPodMetadata[${String(i)}].annotations[${key}]`, `annotation ${key} is in conflict with sidecarset ${other.owner}`)];
    });
  });
}

/**
 * Returns the conflicts of `ss` with the SidecarSets in `all` that may inject the same pods (see
 * {@link areSidecarSetsOverlapping}; a SidecarSet of the same name is `ss` itself, and a canary and
 * its base replace each other in a pod (`isCanaryPair`), so both are skipped):
 * an init container or container name another one injects too, a volume name another one defines
 * differently, an annotation another one also patches when either uses `Overwrite`. Each problem
 * names the other SidecarSet. Pure: the caller lists the SidecarSets.
 *
 * @example log-a and log-b both select app=web and both inject container `fluentd` →
 *   `[{ path: 'spec.containers[0].name', message: 'container fluentd already exist in log-b' }]`
 */
export function validateSidecarSetConflicts(ss: SidecarSet, all: readonly SidecarSet[]): FieldProblem[] {
  const name = ss.metadata?.name;
  const owners = ownersOf(all.filter((other) => other.metadata?.name !== name && !isCanaryPair(ss, other) && areSidecarSetsOverlapping(ss, other)));
  const containerConflicts = (field: 'initContainers' | 'containers') =>
    (ss.spec[field] ?? []).flatMap((c, i) => {
      const owner = owners[field].get(c.name);
      return owner === undefined ? [] : [fieldProblem(`spec.${field}[${String(i)}].name`, `container ${c.name} already exist in ${owner}`)];
    });
  const volumeConflicts = (ss.spec.volumes ?? []).flatMap((v, i) => {
    const other = owners.volumes.get(v.name);
    return other === undefined || other.json === canonicalJson(v)
      ? []
      : [fieldProblem(`spec.volumes[${String(i)}].name`, `volume ${v.name} is in conflict with sidecarset ${other.owner}`)];
  });
  return [...containerConflicts('initContainers'), ...containerConflicts('containers'), ...volumeConflicts, ...annotationConflicts(ss, owners)];
}
