import type { CloneSet } from '../api/cloneSet.js';
import { CLONESET_API_VERSION, CLONESET_KIND } from '../api/cloneSet.js';
import {
  CLONESET_INSTANCE_ID_LABEL,
  CONTROLLER_REVISION_HASH_LABEL,
  INPLACE_UPDATE_READY_CONDITION,
  LIFECYCLE_STATE_LABEL,
  LIFECYCLE_TIMESTAMP_ANNOTATION,
  POD_TEMPLATE_HASH_LABEL,
} from '../api/labels.js';
import type { OwnerReference } from '../api/objectMeta.js';
import type { PersistentVolumeClaim, Pod, PodTemplateSpec, Volume } from '../api/pod.js';
import type { EpochMs } from '../shared/podState.js';
import { formatTime } from '../shared/podState.js';
import { shortHash } from '../shared/revision.js';
import { suffixDrawer, type NameSuffixes } from '../workload/nameSuffixes.js';

/** Length of the random instance ids OpenKruise generates (`rand.String(5)`). */
export const INSTANCE_ID_LENGTH = 5;

/** Returns the instance id of a pod or PVC (`apps.kruise.io/cloneset-instance-id`), or `''`. */
export function instanceIdOf(object: { readonly metadata: { readonly labels?: Readonly<Record<string, string>> | undefined } }): string {
  return object.metadata.labels?.[CLONESET_INSTANCE_ID_LABEL] ?? '';
}

/** The instance ids for a scale-up and where they come from. */
export interface InstanceIds {
  /** Ids to use, sorted as OpenKruise sorts them (current-revision pods take the first ones). */
  readonly ids: readonly string[];
  /** The subset taken over from PVCs whose pod is gone. */
  readonly reused: ReadonlySet<string>;
  /** How many ids could not be made because the injected suffixes ran out. */
  readonly missing: number;
  /** Ids passed over because a PVC of theirs (or one a new pod would need) is still terminating, sorted. */
  readonly blocked: readonly string[];
}

/**
 * Where new instance-id suffixes come from: a list used in order (tests, offline plans), or a
 * function returning a fresh random 5-character suffix at each call (the controller's).
 */
export type InstanceIdSuffixes = NameSuffixes;

/** PVCs still being deleted, which an id must keep clear of; see {@link chooseInstanceIds}. */
export interface TerminatingClaims {
  /** PVCs with a deletionTimestamp (or being deleted in this pass). */
  readonly pvcs: readonly PersistentVolumeClaim[];
  /** Names of the PVCs a pod with `id` needs (`buildPodClaims`); without it only ids are compared. */
  readonly claimNamesOf?: (id: string) => readonly string[];
}

/**
 * Returns `count` instance ids: first ids of PVCs no active pod uses (when `reusePVCs`), then the
 * injected suffixes not already taken (asked for only as many as needed), sorted (OpenKruise `getOrGenAvailableIDs(...).List()`).
 * An id with a terminating PVC is neither reused nor drawn fresh (it counts as taken), and an id
 * whose pod would need a PVC name still terminating is skipped this pass: creating that PVC would
 * meet AlreadyExists until the old one is gone.
 *
 * @example count 2, pods use 'a','b', PVCs carry 'b','c', suffixes ['xk2p9'] → ids ['c', 'xk2p9'], reused {'c'}
 * @example the same with PVC 'data-web-c' of id 'c' terminating, suffixes ['xk2p9', 'm3k8q'] → ids ['m3k8q', 'xk2p9'], blocked ['c']
 */
export function chooseInstanceIds(
  count: number,
  pods: readonly Pod[],
  pvcs: readonly PersistentVolumeClaim[],
  suffixes: InstanceIdSuffixes,
  reusePVCs: boolean,
  terminating: TerminatingClaims = { pvcs: [] },
): InstanceIds {
  const used = new Set(pods.map(instanceIdOf).filter((id) => id !== ''));
  const terminatingIds = new Set(terminating.pvcs.map(instanceIdOf).filter((id) => id !== ''));
  const terminatingNames = new Set(terminating.pvcs.map((pvc) => pvc.metadata.name ?? ''));
  const clear = (id: string) =>
    terminatingNames.size === 0 || (!terminatingIds.has(id) && !(terminating.claimNamesOf?.(id) ?? []).some((name) => terminatingNames.has(name)));
  const taken = new Set([...used, ...pvcs.map(instanceIdOf).filter((id) => id !== ''), ...terminatingIds]);
  const free = reusePVCs ? [...new Set(pvcs.map(instanceIdOf))].filter((id) => id !== '' && !used.has(id)).sort() : [];
  const reused = free.filter(clear).slice(0, count);
  const blocked = new Set(free.filter((id) => !clear(id)));
  const fresh: string[] = [];
  const drawn = new Set<string>();
  const draw = suffixDrawer(suffixes);
  // A random suffix is taken with odds of about 1 in 14 million: a bounded number of draws is plenty.
  for (let tries = 0; reused.length + fresh.length < count && tries < 4 * count + 16; tries++) {
    const suffix = draw();
    if (suffix === undefined) break;
    if (taken.has(suffix) || drawn.has(suffix)) continue;
    drawn.add(suffix);
    if (clear(suffix)) fresh.push(suffix);
    else blocked.add(suffix);
  }
  const ids = [...reused, ...fresh].sort();
  return { ids, reused: new Set(reused), missing: count - ids.length, blocked: [...blocked].sort() };
}

/** Returns the controller owner reference a CloneSet puts on its pods and PVCs. */
export function cloneSetOwnerReference(cloneSet: CloneSet): OwnerReference {
  return {
    apiVersion: cloneSet.apiVersion ?? CLONESET_API_VERSION,
    kind: CLONESET_KIND,
    name: cloneSet.metadata?.name ?? '',
    uid: cloneSet.metadata?.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

/**
 * Returns the PVCs a pod with `instanceId` uses, one per volumeClaimTemplate: named
 * `<template>-<cloneset>-<id>`, labelled with the selector's matchLabels and the instance id,
 * owned by the CloneSet.
 *
 * @example template 'data', CloneSet 'web', id 'xk2p9' → PVC 'data-web-xk2p9'
 */
export function buildPodClaims(cloneSet: CloneSet, instanceId: string): PersistentVolumeClaim[] {
  const csName = cloneSet.metadata?.name ?? '';
  return (cloneSet.spec.volumeClaimTemplates ?? []).map((template) => ({
    ...template,
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      ...template.metadata,
      name: `${template.metadata.name ?? ''}-${csName}-${instanceId}`,
      ...(cloneSet.metadata?.namespace === undefined ? {} : { namespace: cloneSet.metadata.namespace }),
      labels: { ...template.metadata.labels, ...cloneSet.spec.selector.matchLabels, [CLONESET_INSTANCE_ID_LABEL]: instanceId },
      ownerReferences: [...(template.metadata.ownerReferences ?? []), cloneSetOwnerReference(cloneSet)],
    },
  }));
}

function podVolumes(template: PodTemplateSpec, claims: readonly PersistentVolumeClaim[], claimTemplateNames: readonly string[]): Volume[] {
  const claimVolumes = claims.map((claim, i) => ({
    name: claimTemplateNames[i] ?? '',
    persistentVolumeClaim: { claimName: claim.metadata.name ?? '', readOnly: false },
  }));
  const others = (template.spec.volumes ?? []).filter((volume) => !claimTemplateNames.includes(volume.name));
  return [...claimVolumes, ...others];
}

/** What a new pod is made from. */
export interface NewPodSource {
  /** The CloneSet (name, namespace, uid, volumeClaimTemplates). */
  readonly cloneSet: CloneSet;
  /** The template of the pod's revision. */
  readonly template: PodTemplateSpec;
  /** The revision name written to `controller-revision-hash`. */
  readonly revision: string;
  /** The instance id: the suffix of the pod name and of its PVC names. */
  readonly instanceId: string;
  /** Creation time, written to the lifecycle timestamp (epoch ms). */
  readonly now: EpochMs;
}

/**
 * Returns the pod a CloneSet creates: the template's metadata and spec, name `<cloneset>-<id>`,
 * revision labels, instance id, the `InPlaceUpdateReady` readiness gate, PVC volumes for the
 * volumeClaimTemplates, lifecycle state `PreparingNormal`, and the CloneSet as controller.
 */
export function buildCloneSetPod(source: NewPodSource): Pod {
  const { cloneSet, template, revision, instanceId } = source;
  const csName = cloneSet.metadata?.name ?? '';
  const claims = buildPodClaims(cloneSet, instanceId);
  const gates = template.spec.readinessGates ?? [];
  const hasGate = gates.some((gate) => gate.conditionType === INPLACE_UPDATE_READY_CONDITION);
  const volumes = podVolumes(template, claims, (cloneSet.spec.volumeClaimTemplates ?? []).map((vct) => vct.metadata.name ?? ''));
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...template.metadata,
      name: `${csName}-${instanceId}`,
      generateName: `${csName}-`,
      ...(cloneSet.metadata?.namespace === undefined ? {} : { namespace: cloneSet.metadata.namespace }),
      labels: {
        ...template.metadata?.labels,
        [CONTROLLER_REVISION_HASH_LABEL]: revision,
        [POD_TEMPLATE_HASH_LABEL]: shortHash(revision),
        [CLONESET_INSTANCE_ID_LABEL]: instanceId,
        [LIFECYCLE_STATE_LABEL]: 'PreparingNormal',
      },
      annotations: { ...template.metadata?.annotations, [LIFECYCLE_TIMESTAMP_ANNOTATION]: formatTime(source.now) },
      ownerReferences: [cloneSetOwnerReference(cloneSet)],
    },
    spec: {
      ...template.spec,
      readinessGates: hasGate ? gates : [...gates, { conditionType: INPLACE_UPDATE_READY_CONDITION }],
      ...(volumes.length > 0 ? { volumes } : {}),
    },
  };
}
