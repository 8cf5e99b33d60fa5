import { KRUISE_CONTROLLER_REVISION_HASH_LABEL, SUBSET_NAME_LABEL, SUBSET_PATCH_ANNOTATION } from '../api/labels.js';
import type { PodSpec, PodTemplateSpec } from '../api/pod.js';
import type { NodeSelectorTerm, Toleration } from '../api/podScheduling.js';
import { CLONESET_API_VERSION } from '../api/cloneSet.js';
import { STATEFULSET_API_VERSION } from '../api/statefulSet.js';
import type { Subset, UnitedDeployment } from '../api/unitedDeployment.js';
import { UNITEDDEPLOYMENT_API_VERSION, UNITEDDEPLOYMENT_KIND } from '../api/unitedDeployment.js';
import { isDnsSubdomain } from '../api/validateCloneSetTemplate.js';
import type { SubsetTemplateField } from '../api/validateUnitedDeployment.js';
import { builtinListStrategy } from '../shared/listStrategy.js';
import { applyStrategicMergePatch } from '../shared/strategicMergePatch.js';
import type { JsonObject } from '../shared/jsonValue.js';
import type { OwnedObject } from '../workload/workloadEffect.js';

/** The apiVersion and kind of the child workload each template field makes. */
export const SUBSET_CHILD_TYPES: Readonly<Record<SubsetTemplateField, { readonly apiVersion: string; readonly kind: string }>> = {
  statefulSetTemplate: { apiVersion: 'apps/v1', kind: 'StatefulSet' },
  advancedStatefulSetTemplate: { apiVersion: STATEFULSET_API_VERSION, kind: 'StatefulSet' },
  cloneSetTemplate: { apiVersion: CLONESET_API_VERSION, kind: 'CloneSet' },
  deploymentTemplate: { apiVersion: 'apps/v1', kind: 'Deployment' },
};

/**
 * Returns the `generateName` of a subset's child: `<ud>-<subset>-`, or `<ud>-` when that is not a
 * valid DNS subdomain prefix (OpenKruise's `getSubsetPrefix`).
 *
 * @example subsetChildPrefix('web', 'zone-a') // 'web-zone-a-'
 */
export function subsetChildPrefix(udName: string, subsetName: string): string {
  const prefix = `${udName}-${subsetName}-`;
  // A prefix is checked as a name with a character appended (generateName adds a suffix).
  return isDnsSubdomain(`${prefix}a`) ? prefix : `${udName}-`;
}

type Json = Record<string, unknown>;

// OpenKruise's attachNodeAffinity: the subset's match expressions join every required term (or
// make the only one); a subset without expressions leaves the affinity alone.
function withNodeAffinity(spec: PodSpec, term: NodeSelectorTerm | undefined): PodSpec {
  const expressions = term?.matchExpressions ?? [];
  if (expressions.length === 0) return spec;
  const affinity = (spec['affinity'] ?? {}) as Json;
  const nodeAffinity = (affinity['nodeAffinity'] ?? {}) as Json;
  const required = (nodeAffinity['requiredDuringSchedulingIgnoredDuringExecution'] ?? {}) as Json;
  const terms = (required['nodeSelectorTerms'] ?? []) as NodeSelectorTerm[];
  const merged: NodeSelectorTerm[] = terms.length === 0 ? [{ matchExpressions: [...expressions] }] : terms.map((t) => ({ ...t, matchExpressions: [...(t.matchExpressions ?? []), ...expressions] }));
  return { ...spec, affinity: { ...affinity, nodeAffinity: { ...nodeAffinity, requiredDuringSchedulingIgnoredDuringExecution: { ...required, nodeSelectorTerms: merged } } } };
}

// OpenKruise's attachTolerations: the subset's tolerations the pod does not have yet are appended.
function withTolerations(spec: PodSpec, tolerations: readonly Toleration[] | undefined): PodSpec {
  if (tolerations === undefined || tolerations.length === 0) return spec;
  const existing = (spec['tolerations'] ?? []) as Toleration[];
  const same = (a: Toleration, b: Toleration) => JSON.stringify(a) === JSON.stringify(b);
  return { ...spec, tolerations: [...existing, ...tolerations.filter((t) => !existing.some((e) => same(e, t)))] };
}

/**
 * Returns a pod template with a subset's placement and patch: its node selector term added to the
 * required node affinity, its tolerations added, and its `patch` applied as a strategic merge
 * patch of the `PodTemplateSpec` (containers, env, volumes... merged by name; other lists
 * replaced), as OpenKruise's adapters do. The patch wins over the placement.
 *
 * @example template nginx:1, subset { nodeSelectorTerm: zone In [a], patch: { spec: { containers: [{ name: 'main', image: 'nginx:2' }] } } }
 *   → affinity zone In [a], container main image nginx:2
 */
export function subsetPodTemplate(template: PodTemplateSpec, subset: Subset): PodTemplateSpec {
  const spec = withTolerations(withNodeAffinity(template.spec, subset.nodeSelectorTerm), subset.tolerations);
  const placed: PodTemplateSpec = { ...template, spec };
  if (subset.patch === undefined) return placed;
  return applyStrategicMergePatch(placed, subset.patch as JsonObject, builtinListStrategy) as unknown as PodTemplateSpec;
}

/** The text of a subset's patch as OpenKruise records it in `apps.kruise.io/subset-patch` (`''` without a patch). */
export function subsetPatchText(subset: Subset): string {
  return subset.patch === undefined ? '' : JSON.stringify(subset.patch);
}

function withPartition(field: SubsetTemplateField, spec: Json, partition: number): Json {
  switch (field) {
    case 'cloneSetTemplate': {
      // The v1beta1 CloneSet keeps its partition under rollingUpdate (v1alpha1: updateStrategy.partition).
      const strategy = (spec['updateStrategy'] ?? {}) as Json;
      return { ...spec, updateStrategy: { ...strategy, rollingUpdate: { ...(strategy['rollingUpdate'] as Json | undefined), partition } } };
    }
    case 'advancedStatefulSetTemplate':
    case 'statefulSetTemplate': {
      const strategy = (spec['updateStrategy'] ?? {}) as Json;
      const type = (strategy['type'] as string | undefined) ?? 'RollingUpdate';
      // OnDelete has no partition.
      if (type !== 'RollingUpdate') return spec;
      return { ...spec, updateStrategy: { ...strategy, type, rollingUpdate: { ...(strategy['rollingUpdate'] as Json | undefined), partition } } };
    }
    case 'deploymentTemplate':
      return spec;
  }
}

/** What {@link buildSubsetChild} needs. */
export interface SubsetChildInput {
  readonly ud: UnitedDeployment;
  readonly field: SubsetTemplateField;
  readonly subset: Subset;
  /** The UnitedDeployment revision (name) the child is at. */
  readonly revision: string;
  readonly replicas: number;
  readonly partition: number;
}

/**
 * Returns the child workload of a subset, as OpenKruise's adapters build it
 * (`ApplySubsetTemplate`): `generateName` `<ud>-<subset>-`, the template's labels and annotations
 * plus the selector's labels, `apps.kruise.io/controller-revision-hash` (the UnitedDeployment
 * revision) and `apps.kruise.io/subset-name`, the `apps.kruise.io/subset-patch` annotation, a
 * controller reference to the UnitedDeployment; the template's spec with the selector narrowed to
 * the subset, `replicas`, the partition (`updateStrategy.rollingUpdate.partition` of a v1beta1
 * CloneSet or a StatefulSet, none for a Deployment), and the pod template labelled
 * and placed by {@link subsetPodTemplate}.
 *
 * @example ud web, subset zone-a (20 % of 10), revision web-5f → CloneSet generateName 'web-zone-a-', spec.replicas 2,
 *   selector { app: web, apps.kruise.io/subset-name: zone-a }, updateStrategy.rollingUpdate.partition 0
 */
export function buildSubsetChild(input: SubsetChildInput): OwnedObject {
  const { ud, field, subset, revision } = input;
  const template = ud.spec.template?.[field] as { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec: Json & { template: PodTemplateSpec } };
  const udName = ud.metadata?.name ?? '';
  const subsetLabels = { [KRUISE_CONTROLLER_REVISION_HASH_LABEL]: revision, [SUBSET_NAME_LABEL]: subset.name };
  const podTemplate = subsetPodTemplate({ ...template.spec.template, metadata: { ...template.spec.template.metadata, labels: { ...template.spec.template.metadata?.labels, ...subsetLabels } } }, subset);
  const selector = { ...ud.spec.selector, matchLabels: { ...ud.spec.selector.matchLabels, [SUBSET_NAME_LABEL]: subset.name } };
  const spec = withPartition(field, { ...template.spec, selector, replicas: input.replicas, template: podTemplate }, input.partition);
  return {
    ...SUBSET_CHILD_TYPES[field],
    metadata: {
      generateName: subsetChildPrefix(udName, subset.name),
      ...(ud.metadata?.namespace === undefined ? {} : { namespace: ud.metadata.namespace }),
      labels: { ...template.metadata?.labels, ...ud.spec.selector.matchLabels, ...subsetLabels },
      annotations: { ...template.metadata?.annotations, [SUBSET_PATCH_ANNOTATION]: subsetPatchText(subset) },
      ownerReferences: [{ apiVersion: UNITEDDEPLOYMENT_API_VERSION, kind: UNITEDDEPLOYMENT_KIND, name: udName, uid: ud.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true }],
    },
    spec,
  };
}
