import { z } from 'zod';
import { fieldProblem, type FieldProblem } from './fieldProblem.js';

/** Schema of the operator of a label selector requirement. */
export const LabelSelectorOperatorSchema = z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']);
/** `In`, `NotIn`, `Exists` or `DoesNotExist`. */
export type LabelSelectorOperator = z.infer<typeof LabelSelectorOperatorSchema>;

/** Schema of a `LabelSelectorRequirement`: `key`, `operator` and (for In/NotIn) `values`. */
export const LabelSelectorRequirementSchema = z.looseObject({
  key: z.string(),
  operator: LabelSelectorOperatorSchema,
  values: z.array(z.string()).optional(),
});
/** One requirement of a label selector, e.g. `{ key: 'tier', operator: 'In', values: ['a', 'b'] }`. */
export type LabelSelectorRequirement = z.infer<typeof LabelSelectorRequirementSchema>;

/** Schema of a `metav1.LabelSelector`; unknown fields are kept. */
export const LabelSelectorSchema = z.looseObject({
  matchLabels: z.record(z.string(), z.string()).optional(),
  matchExpressions: z.array(LabelSelectorRequirementSchema).optional(),
});
/** A Kubernetes label selector: every `matchLabels` pair and every `matchExpressions` entry must hold. */
export type LabelSelector = z.infer<typeof LabelSelectorSchema>;

/** Labels of an object (`metadata.labels`); undefined means no labels. */
export type Labels = Readonly<Record<string, string>> | undefined;

function hasLabel(labels: Labels, key: string): labels is Readonly<Record<string, string>> {
  return labels !== undefined && Object.hasOwn(labels, key);
}

/**
 * Returns whether `labels` satisfy one requirement. A requirement Kubernetes would refuse to
 * compile (In/NotIn without values, Exists/DoesNotExist with values) matches nothing.
 */
export function matchesLabelRequirement(requirement: LabelSelectorRequirement, labels: Labels): boolean {
  const values = requirement.values ?? [];
  const present = hasLabel(labels, requirement.key);
  switch (requirement.operator) {
    case 'In':
      return present && values.includes(labels[requirement.key] ?? '');
    case 'NotIn':
      return values.length > 0 && (!present || !values.includes(labels[requirement.key] ?? ''));
    case 'Exists':
      return values.length === 0 && present;
    case 'DoesNotExist':
      return values.length === 0 && !present;
  }
}

/**
 * Returns whether `labels` match `selector` with Kubernetes semantics: every `matchLabels` pair
 * is present with that value and every expression holds. An empty selector (`{}`) matches
 * everything; a missing (nil) selector is the caller's concern (workloads treat it as matching
 * nothing).
 *
 * @example matchesLabelSelector({ matchLabels: { app: 'nginx' } }, { app: 'nginx', tier: 'a' }) → true
 * @example matchesLabelSelector({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['a'] }] }, {}) → true
 */
export function matchesLabelSelector(selector: LabelSelector, labels: Labels): boolean {
  const matchLabels = selector.matchLabels;
  if (matchLabels !== undefined) {
    for (const key in matchLabels) {
      if (!Object.hasOwn(matchLabels, key)) continue;
      if (!hasLabel(labels, key) || labels[key] !== matchLabels[key]) return false;
    }
  }
  const expressions = selector.matchExpressions;
  if (expressions === undefined) return true;
  for (const requirement of expressions) if (!matchesLabelRequirement(requirement, labels)) return false;
  return true;
}

/** Returns whether the selector has neither `matchLabels` nor `matchExpressions` (it selects everything). */
export function isEmptyLabelSelector(selector: LabelSelector): boolean {
  return Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0;
}

function requirementToString(requirement: LabelSelectorRequirement): string {
  const values = [...(requirement.values ?? [])].sort().join(',');
  switch (requirement.operator) {
    case 'In':
      return `${requirement.key} in (${values})`;
    case 'NotIn':
      return `${requirement.key} notin (${values})`;
    case 'Exists':
      return requirement.key;
    case 'DoesNotExist':
      return `!${requirement.key}`;
  }
}

/**
 * Returns the selector in Kubernetes' string form, as CloneSet writes it to
 * `status.labelSelector` for the scale subresource: requirements sorted by key, `matchLabels` as
 * `key=value`, set values sorted, joined by commas. An empty selector gives `""`.
 *
 * @example labelSelectorToString({ matchLabels: { app: 'nginx' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['b', 'a'] }] })
 *   → 'app=nginx,tier in (a,b)'
 */
export function labelSelectorToString(selector: LabelSelector): string {
  const parts = [
    ...Object.entries(selector.matchLabels ?? {}).map(([key, value]) => ({ key, text: `${key}=${value}` })),
    ...(selector.matchExpressions ?? []).map((r) => ({ key: r.key, text: requirementToString(r) })),
  ];
  // Stable sort by key only, as Kubernetes orders requirements.
  return parts
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((part) => part.text)
    .join(',');
}

const NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Returns the problems of a label key (a Kubernetes qualified name: optional DNS-subdomain prefix
 * of at most 253 characters, `/`, and a name of at most 63 alphanumerics, `-`, `_`, `.`), as
 * messages; empty when valid.
 */
export function labelKeyProblems(key: string): readonly string[] {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  const problems: string[] = [];
  if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) {
    problems.push(`prefix of ${JSON.stringify(key)} must be a lowercase DNS subdomain of at most 253 characters`);
  }
  if (name.length === 0 || name.length > 63 || !NAME_PART.test(name)) {
    problems.push(
      `name part of ${JSON.stringify(key)} must be 1-63 alphanumeric characters, '-', '_' or '.', starting and ending with an alphanumeric character`,
    );
  }
  return problems;
}

/** Returns the problems of a label value (empty, or at most 63 characters like a name part); empty when valid. */
export function labelValueProblems(value: string): readonly string[] {
  if (value === '') return [];
  return value.length <= 63 && NAME_PART.test(value)
    ? []
    : [
        `${JSON.stringify(value)} must be at most 63 alphanumeric characters, '-', '_' or '.', starting and ending with an alphanumeric character`,
      ];
}

function requirementProblems(requirement: LabelSelectorRequirement, path: string): FieldProblem[] {
  const problems = labelKeyProblems(requirement.key).map((m) => fieldProblem(`${path}.key`, m));
  const count = requirement.values?.length ?? 0;
  const setBased = requirement.operator === 'In' || requirement.operator === 'NotIn';
  if (setBased && count === 0) {
    problems.push(fieldProblem(`${path}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
  }
  if (!setBased && count > 0) {
    problems.push(fieldProblem(`${path}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
  }
  return problems;
}

/**
 * Returns every problem of a label selector as Kubernetes' `ValidateLabelSelector` finds them:
 * invalid keys and values in `matchLabels`, invalid expression keys, In/NotIn without values,
 * Exists/DoesNotExist with values. `path` prefixes each problem (e.g. `spec.selector`).
 *
 * @example validateLabelSelector({ matchExpressions: [{ key: 'a', operator: 'In' }] }, 'spec.selector')
 *   → [{ path: 'spec.selector.matchExpressions[0].values', message: "must be specified when `operator` is 'In' or 'NotIn'" }]
 */
export function validateLabelSelector(selector: LabelSelector, path: string): readonly FieldProblem[] {
  const labelProblems = Object.entries(selector.matchLabels ?? {}).flatMap(([key, value]) => [
    ...labelKeyProblems(key).map((m) => fieldProblem(`${path}.matchLabels`, m)),
    ...labelValueProblems(value).map((m) => fieldProblem(`${path}.matchLabels`, m)),
  ]);
  const expressionProblems = (selector.matchExpressions ?? []).flatMap((r, i) =>
    requirementProblems(r, `${path}.matchExpressions[${String(i)}]`),
  );
  return [...labelProblems, ...expressionProblems];
}
