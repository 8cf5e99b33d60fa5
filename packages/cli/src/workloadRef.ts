import { KruiseResources, type ResourceType } from '@kruise-ts/k8s-adapter';
import type { RolloutKind, RolloutTargetKind } from './rolloutStatus.js';

/** Anything named on the command line that `rollout status|pause|resume|history` take: a workload or a SidecarSet. */
export interface RolloutRef {
  readonly kind: RolloutTargetKind;
  readonly type: ResourceType;
  readonly name: string;
}

/** A workload named on the command line (CloneSet, Advanced StatefulSet or Advanced DaemonSet). */
export interface WorkloadRef extends RolloutRef {
  readonly kind: RolloutKind;
}

// kubectl's spellings: the plural, the singular, the short names of the CRDs, each with the group.
const KINDS: ReadonlyArray<readonly [RolloutTargetKind, readonly string[]]> = [
  ['CloneSet', ['cloneset', 'clonesets', 'clone', 'cs']],
  ['StatefulSet', ['statefulset', 'statefulsets', 'asts', 'sts']],
  ['DaemonSet', ['daemonset', 'daemonsets', 'ads', 'daemon']],
  ['SidecarSet', ['sidecarset', 'sidecarsets']],
];

const WORKLOAD_KINDS: readonly RolloutTargetKind[] = ['CloneSet', 'StatefulSet', 'DaemonSet'];

function kindOf(word: string): RolloutTargetKind | undefined {
  const bare = word.toLowerCase().replace(/\.apps\.kruise\.io$/, '');
  return KINDS.find(([, names]) => names.includes(bare))?.[0];
}

function parseRef(positionals: readonly string[], kinds: readonly RolloutTargetKind[]): RolloutRef | { readonly kind: 'invalid'; readonly message: string } {
  const [first = '', second] = positionals;
  const [typeWord = '', name = ''] = first.includes('/') && second === undefined ? first.split('/', 2) : [first, second ?? ''];
  if (typeWord === '') return { kind: 'invalid', message: 'a workload is required: TYPE NAME or TYPE/NAME (e.g. cloneset/web)' };
  const kind = kindOf(typeWord);
  if (kind === undefined || !kinds.includes(kind)) {
    const accepted = kinds.includes('SidecarSet') ? 'cloneset, statefulset.apps.kruise.io, daemonset.apps.kruise.io or sidecarset' : 'cloneset, statefulset.apps.kruise.io or daemonset.apps.kruise.io';
    const only = kind === 'SidecarSet' ? ' (a SidecarSet has rollout status, pause, resume and history only)' : '';
    return { kind: 'invalid', message: `TYPE: "${typeWord}" is not ${accepted}${only}` };
  }
  if (name === '') return { kind: 'invalid', message: `NAME: the ${kind}'s name is required` };
  if (positionals.length > (first.includes('/') ? 1 : 2)) return { kind: 'invalid', message: `unexpected arguments: ${positionals.slice(first.includes('/') ? 1 : 2).join(' ')}` };
  return { kind, type: KruiseResources[kind] as unknown as ResourceType, name };
}

/**
 * Reads `TYPE NAME` or `TYPE/NAME` (kubectl's forms) naming a CloneSet, Advanced StatefulSet or
 * Advanced DaemonSet, or says which word is wrong.
 *
 * @example workloadRef(['cloneset/web']) → { kind: 'CloneSet', type: KruiseResources.CloneSet, name: 'web' }
 * @example workloadRef(['asts', 'db']) → { kind: 'StatefulSet', type: KruiseResources.StatefulSet, name: 'db' }
 * @example workloadRef(['sidecarset/log']) → invalid 'TYPE: "sidecarset" is not cloneset, … (a SidecarSet has rollout status, pause, resume and history only)'
 */
export function workloadRef(positionals: readonly string[]): WorkloadRef | { readonly kind: 'invalid'; readonly message: string } {
  return parseRef(positionals, WORKLOAD_KINDS) as WorkloadRef | { readonly kind: 'invalid'; readonly message: string };
}

/**
 * Reads `TYPE NAME` or `TYPE/NAME` as {@link workloadRef} does, also taking a SidecarSet
 * (`sidecarset`, `sidecarsets`, with or without `.apps.kruise.io`): what `rollout status`,
 * `pause`, `resume` and `history` accept.
 *
 * @example rolloutRef(['sidecarset/log']) → { kind: 'SidecarSet', type: KruiseResources.SidecarSet, name: 'log' }
 */
export function rolloutRef(positionals: readonly string[]): RolloutRef | { readonly kind: 'invalid'; readonly message: string } {
  return parseRef(positionals, [...WORKLOAD_KINDS, 'SidecarSet']);
}
