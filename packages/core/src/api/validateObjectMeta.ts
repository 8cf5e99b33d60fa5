import { fieldProblem, type FieldProblem } from '../shared/fieldProblem.js';
import type { ObjectMeta } from './objectMeta.js';
import { isDnsSubdomain, labelsProblems } from './validateCloneSetTemplate.js';

/**
 * Returns the problems of a workload's metadata as Kubernetes' `ValidateObjectMeta` (with a
 * DNS-subdomain name) finds the ones that matter to a webhook: no name nor generateName, a name
 * that is not a DNS-1123 subdomain, invalid labels. The rules CloneSet, Advanced StatefulSet and
 * Advanced DaemonSet share.
 *
 * @example objectMetaProblems({ name: 'Web_1' }) → [{ path: 'metadata.name', message: '"Web_1" must be a DNS-1123 subdomain (lowercase alphanumerics, \'-\' and \'.\')' }]
 */
export function objectMetaProblems(metadata: ObjectMeta | undefined): FieldProblem[] {
  const name = metadata?.name;
  if (name === undefined || name === '') {
    return (metadata?.generateName ?? '') === '' ? [fieldProblem('metadata.name', 'Required value: name or generateName is required')] : [];
  }
  return [
    ...(isDnsSubdomain(name) ? [] : [fieldProblem('metadata.name', `${JSON.stringify(name)} must be a DNS-1123 subdomain (lowercase alphanumerics, '-' and '.')`)]),
    ...labelsProblems(metadata?.labels, 'metadata.labels'),
  ];
}
