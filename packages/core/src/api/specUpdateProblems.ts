import { diffJson } from '../inplace/diffJson.js';
import { fieldProblem, type FieldProblem } from '../shared/fieldProblem.js';
import { canonicalJson } from '../shared/revision.js';
import type { PodSpec } from './pod.js';

/**
 * Returns one problem per spec field that changed and is not in `mutable`, sorted by field,
 * each with `message` (the immutable-field rule of CloneSet and Advanced StatefulSet updates).
 *
 * @example before { replicas: 1, selector: a }, after { replicas: 2, selector: b }, mutable ['replicas'] → [{ path: 'spec.selector', message }]
 */
export function immutableSpecProblems(before: Readonly<Record<string, unknown>>, after: Readonly<Record<string, unknown>>, mutable: ReadonlySet<string>, message: string): FieldProblem[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys]
    .filter((key) => !mutable.has(key) && canonicalJson(before[key]) !== canonicalJson(after[key]))
    .sort()
    .map((key) => fieldProblem(`spec.${key}`, message));
}

const CONTAINER_IMAGE = /^\/containers\/\d+\/image$/;

/**
 * Returns one problem per change of a pod template's spec other than a container image: what a
 * workload with `podUpdatePolicy: InPlaceOnly` refuses (OpenKruise refuses such an update rather
 * than recreating pods). Paths are written as field paths (`spec.template.spec.containers[0].env`).
 *
 * @example env added to container 0 → [{ path: 'spec.template.spec.containers[0].env', message: 'only container images may change with podUpdatePolicy InPlaceOnly, but found add /containers/0/env' }]
 */
export function inPlaceOnlyTemplateProblems(before: PodSpec, after: PodSpec): FieldProblem[] {
  return diffJson(before, after)
    .filter((operation) => operation.op !== 'replace' || !CONTAINER_IMAGE.test(operation.path))
    .map((operation) => {
      const path = operation.path.split('/').slice(1).map((t) => (/^\d+$/.test(t) ? `[${t}]` : `.${t.replaceAll('~1', '/').replaceAll('~0', '~')}`));
      return fieldProblem(`spec.template.spec${path.join('')}`, `only container images may change with podUpdatePolicy InPlaceOnly, but found ${operation.op} ${operation.path}`);
    });
}
