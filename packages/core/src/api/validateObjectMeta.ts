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

const ALPHANUMERIC_NAME = /^[a-zA-Z0-9-]+$/;

/**
 * Returns the problems of the metadata of a kind OpenKruise names with letters, digits and '-' up
 * to 63 characters (AdvancedCronJob, BroadcastJob: `validate<Kind>Name`): no name nor
 * generateName, a name with other characters or longer than 63, invalid labels. `kind` goes into
 * the message as OpenKruise writes it.
 *
 * @example alphanumericNameProblems({ name: 'a.b' }, 'BroadcastJob') → [{ path: 'metadata.name', message:
 *   'Invalid value: "a.b": BroadcastJob name must consist of alphanumeric characters or \'-\' (e.g. \'example-com\', regex used for validation is \'^[a-zA-Z0-9\\-]+$\')' }]
 */
export function alphanumericNameProblems(metadata: ObjectMeta | undefined, kind: string): FieldProblem[] {
  const name = metadata?.name ?? '';
  if (name === '' && (metadata?.generateName ?? '') === '') return [fieldProblem('metadata.name', 'Required value: name or generateName is required')];
  return [
    ...(name !== '' && !ALPHANUMERIC_NAME.test(name)
      ? [fieldProblem('metadata.name', `Invalid value: ${JSON.stringify(name)}: ${kind} name must consist of alphanumeric characters or '-' (e.g. 'example-com', regex used for validation is '^[a-zA-Z0-9\\-]+$')`)]
      : []),
    ...(name.length > 63 ? [fieldProblem('metadata.name', `Invalid value: ${JSON.stringify(name)}: must be no more than 63 characters`)] : []),
    ...labelsProblems(metadata?.labels, 'metadata.labels'),
  ];
}
