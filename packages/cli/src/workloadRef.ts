import { KruiseResources, type ResourceType } from '@kruise-ts/k8s-adapter';
import type { RolloutKind } from './rolloutStatus.js';

/** A workload named on the command line. */
export interface WorkloadRef {
  readonly kind: RolloutKind;
  readonly type: ResourceType;
  readonly name: string;
}

// kubectl's spellings: the plural, the singular, the short names of the CRDs, each with the group.
const KINDS: ReadonlyArray<readonly [RolloutKind, readonly string[]]> = [
  ['CloneSet', ['cloneset', 'clonesets', 'clone', 'cs']],
  ['StatefulSet', ['statefulset', 'statefulsets', 'asts', 'sts']],
  ['DaemonSet', ['daemonset', 'daemonsets', 'ads', 'daemon']],
];

function kindOf(word: string): RolloutKind | undefined {
  const bare = word.toLowerCase().replace(/\.apps\.kruise\.io$/, '');
  return KINDS.find(([, names]) => names.includes(bare))?.[0];
}

/**
 * Reads `TYPE NAME` or `TYPE/NAME` (kubectl's forms), or says which word is wrong.
 *
 * @example workloadRef(['cloneset/web']) → { kind: 'CloneSet', type: KruiseResources.CloneSet, name: 'web' }
 * @example workloadRef(['asts', 'db']) → { kind: 'StatefulSet', type: KruiseResources.StatefulSet, name: 'db' }
 */
export function workloadRef(positionals: readonly string[]): WorkloadRef | { readonly kind: 'invalid'; readonly message: string } {
  const [first = '', second] = positionals;
  const [typeWord = '', name = ''] = first.includes('/') && second === undefined ? first.split('/', 2) : [first, second ?? ''];
  if (typeWord === '') return { kind: 'invalid', message: 'a workload is required: TYPE NAME or TYPE/NAME (e.g. cloneset/web)' };
  const kind = kindOf(typeWord);
  if (kind === undefined) return { kind: 'invalid', message: `TYPE: "${typeWord}" is not cloneset, statefulset.apps.kruise.io or daemonset.apps.kruise.io` };
  if (name === '') return { kind: 'invalid', message: `NAME: the ${kind}'s name is required` };
  if (positionals.length > (first.includes('/') ? 1 : 2)) return { kind: 'invalid', message: `unexpected arguments: ${positionals.slice(first.includes('/') ? 1 : 2).join(' ')}` };
  return { kind, type: KruiseResources[kind] as unknown as ResourceType, name };
}
