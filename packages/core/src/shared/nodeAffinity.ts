import { NODE_NAME_FIELD, type Node } from '../api/node.js';
import type { Affinity, NodeSelector, NodeSelectorRequirement } from '../api/podScheduling.js';
import { labelKeyProblems, labelValueProblems, type Labels } from './selector.js';

/**
 * A pod's required node affinity as Kubernetes evaluates it (`nodeaffinity.GetRequiredNodeAffinity`
 * of `k8s.io/component-helpers`): `spec.nodeSelector` (every pair) and the
 * `requiredDuringSchedulingIgnoredDuringExecution` terms (any term; each term's label expressions
 * and field requirements all hold). A term with an invalid requirement is dropped, as the lazy
 * parser does; a term with no requirement matches no node.
 */

/** A node as node affinity sees it: its name (field `metadata.name`) and labels. */
export interface NodeIdentity {
  readonly name: string;
  readonly labels: Labels;
}

/** One node selector requirement, checked and parsed once (`Gt`/`Lt` values as numbers). */
export interface CompiledNodeSelectorRequirement {
  readonly key: string;
  readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';
  readonly values: readonly string[];
  /** The number of Gt/Lt. */
  readonly bound: number;
}

/** One node selector term, compiled; a node matches it when it meets every requirement. */
export interface CompiledNodeSelectorTerm {
  /** Label requirements; undefined when the term has no `matchExpressions`. */
  readonly labels: readonly CompiledNodeSelectorRequirement[] | undefined;
  /** Field requirements (`metadata.name` In/NotIn one value); undefined without `matchFields`. */
  readonly fields: readonly CompiledNodeSelectorRequirement[] | undefined;
}

/** A pod's required node affinity, compiled once to be matched against many nodes. */
export interface RequiredNodeAffinity {
  /** `spec.nodeSelector`, when not empty. */
  readonly nodeSelector: Readonly<Record<string, string>> | undefined;
  /** The valid terms of the required node selector; undefined when the pod has none. */
  readonly terms: readonly CompiledNodeSelectorTerm[] | undefined;
}

const INT64 = /^[+-]?\d+$/;

// labels.NewRequirement: a valid key, the value count each operator needs, valid values, Gt/Lt integers.
function compileLabelRequirement(requirement: NodeSelectorRequirement): CompiledNodeSelectorRequirement | undefined {
  const values = requirement.values ?? [];
  if (labelKeyProblems(requirement.key).length > 0) return undefined;
  switch (requirement.operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0 || values.some((v) => labelValueProblems(v).length > 0)) return undefined;
      return { key: requirement.key, operator: requirement.operator, values, bound: 0 };
    case 'Exists':
    case 'DoesNotExist':
      return values.length === 0 ? { key: requirement.key, operator: requirement.operator, values, bound: 0 } : undefined;
    case 'Gt':
    case 'Lt': {
      const [value] = values;
      if (values.length !== 1 || value === undefined || !INT64.test(value)) return undefined;
      return { key: requirement.key, operator: requirement.operator, values, bound: Number(value) };
    }
    default:
      return undefined;
  }
}

// nodeSelectorRequirementsAsFieldSelector: only In and NotIn, with exactly one value.
function compileFieldRequirement(requirement: NodeSelectorRequirement): CompiledNodeSelectorRequirement | undefined {
  const values = requirement.values ?? [];
  if ((requirement.operator !== 'In' && requirement.operator !== 'NotIn') || values.length !== 1) return undefined;
  return { key: requirement.key, operator: requirement.operator, values, bound: 0 };
}

function compileAll(requirements: readonly NodeSelectorRequirement[] | null | undefined, compile: (r: NodeSelectorRequirement) => CompiledNodeSelectorRequirement | undefined): readonly CompiledNodeSelectorRequirement[] | undefined | 'invalid' {
  if (requirements === null || requirements === undefined || requirements.length === 0) return undefined;
  const compiled: CompiledNodeSelectorRequirement[] = [];
  for (const requirement of requirements) {
    const one = compile(requirement);
    if (one === undefined) return 'invalid';
    compiled.push(one);
  }
  return compiled;
}

/**
 * Returns the compiled terms of a required node selector: terms with an invalid requirement are
 * left out (Kubernetes ignores them "for backwards compatibility").
 */
export function compileNodeSelector(selector: NodeSelector): CompiledNodeSelectorTerm[] {
  const terms: CompiledNodeSelectorTerm[] = [];
  for (const term of selector.nodeSelectorTerms) {
    const labels = compileAll(term.matchExpressions, compileLabelRequirement);
    const fields = compileAll(term.matchFields, compileFieldRequirement);
    if (labels === 'invalid' || fields === 'invalid') continue;
    terms.push({ labels, fields });
  }
  return terms;
}

/**
 * Returns a pod spec's required node affinity, compiled: its `nodeSelector` and the terms of
 * `affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution`.
 *
 * @example requiredNodeAffinity({ zone: 'a' }, undefined) // { nodeSelector: { zone: 'a' }, terms: undefined }
 */
export function requiredNodeAffinity(nodeSelector: Readonly<Record<string, string>> | undefined, affinity: Affinity | undefined): RequiredNodeAffinity {
  const required = affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  return {
    nodeSelector: nodeSelector !== undefined && Object.keys(nodeSelector).length > 0 ? nodeSelector : undefined,
    terms: required === null || required === undefined ? undefined : compileNodeSelector(required),
  };
}

function labelMatches(requirement: CompiledNodeSelectorRequirement, labels: Labels): boolean {
  const present = labels !== undefined && Object.hasOwn(labels, requirement.key);
  const value = present ? (labels[requirement.key] ?? '') : '';
  switch (requirement.operator) {
    case 'In':
      return present && requirement.values.includes(value);
    case 'NotIn':
      return !present || !requirement.values.includes(value);
    case 'Exists':
      return present;
    case 'DoesNotExist':
      return !present;
    case 'Gt':
    case 'Lt': {
      if (!present || !INT64.test(value)) return false;
      const number = Number(value);
      return requirement.operator === 'Gt' ? number > requirement.bound : number < requirement.bound;
    }
  }
}

function fieldMatches(requirement: CompiledNodeSelectorRequirement, node: NodeIdentity): boolean {
  // A node has one selectable field, its name; any other field reads as empty.
  const value = requirement.key === NODE_NAME_FIELD ? node.name : '';
  return requirement.operator === 'In' ? value === requirement.values[0] : value !== requirement.values[0];
}

function termMatches(term: CompiledNodeSelectorTerm, node: NodeIdentity): boolean {
  if (term.labels === undefined && term.fields === undefined) return false;
  return (term.labels ?? []).every((r) => labelMatches(r, node.labels)) && (term.fields ?? []).every((r) => fieldMatches(r, node));
}

/**
 * Returns whether a node satisfies a required node affinity: every `nodeSelector` pair is among
 * its labels, and (when the pod has required terms) one valid term matches.
 *
 * @example matchesRequiredNodeAffinity(requiredNodeAffinity({ zone: 'a' }, undefined), { name: 'n1', labels: { zone: 'a' } }) // true
 */
export function matchesRequiredNodeAffinity(affinity: RequiredNodeAffinity, node: NodeIdentity): boolean {
  const selector = affinity.nodeSelector;
  if (selector !== undefined) {
    for (const key in selector) {
      if (!Object.hasOwn(selector, key)) continue;
      if (node.labels === undefined || !Object.hasOwn(node.labels, key) || node.labels[key] !== selector[key]) return false;
    }
  }
  return affinity.terms === undefined || affinity.terms.some((term) => termMatches(term, node));
}

/** Returns the identity of a node that node affinity matches on. */
export function nodeIdentity(node: Node): NodeIdentity {
  return { name: node.metadata.name ?? '', labels: node.metadata.labels };
}
