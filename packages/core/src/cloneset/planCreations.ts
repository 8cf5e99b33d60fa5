import type { CloneSet } from '../api/cloneSet.js';
import type { PersistentVolumeClaim, Pod, PodTemplateSpec } from '../api/pod.js';
import type { EpochMs } from '../shared/podState.js';
import { slowStartBatches } from '../workload/slowStart.js';
import { buildCloneSetPod, buildPodClaims, chooseInstanceIds, type InstanceIdSuffixes } from './scaleCreations.js';

/** One pod to create, with the PVCs to create before it. */
export interface PodCreation {
  readonly kind: 'create-pod';
  /** The pod object to create. */
  readonly pod: Pod;
  /** PVCs to create first (those that already exist are left out). */
  readonly pvcs: readonly PersistentVolumeClaim[];
  /** The revision the pod is created at. */
  readonly revision: string;
  /** `current`: kept back by partition; `update`: the new template. */
  readonly revisionRole: 'current' | 'update';
  /** The instance id (pod `<cloneset>-<id>`, PVCs `<template>-<cloneset>-<id>`). */
  readonly instanceId: string;
  /** The id (and its PVCs) come from a pod that vanished. */
  readonly reusesInstanceId: boolean;
}

/** What {@link planCreations} needs. */
export interface CreationsInput {
  /** The CloneSet (its template is the update revision's). */
  readonly cloneSet: CloneSet;
  /** How many pods to create (scaleUpLimit). */
  readonly count: number;
  /** How many of them at the current revision (scaleUpNumOldRevision). */
  readonly currentCount: number;
  /** Revision name for current-revision pods. */
  readonly currentRevision: string;
  /** Revision name for the other pods. */
  readonly updateRevision: string;
  /** Template recorded in the current revision. */
  readonly currentTemplate: PodTemplateSpec;
  /** Active pods (their instance ids are taken). */
  readonly pods: readonly Pod[];
  /** PVCs owned by the CloneSet, terminating ones left out. */
  readonly pvcs: readonly PersistentVolumeClaim[];
  /** Owned PVCs still being deleted: their ids and names are kept clear of (default none). */
  readonly terminatingPvcs?: readonly PersistentVolumeClaim[];
  /** Random 5-character suffixes for new ids, in order. */
  readonly suffixes: InstanceIdSuffixes;
  /** Reuse ids of PVCs whose pod is gone (`enablePVCReuse`). */
  readonly reusePVCs: boolean;
  /** Creation time, epoch ms. */
  readonly now: EpochMs;
}

/**
 * Returns the pods to create: `min(count, currentCount)` at the current revision from the
 * current template, the rest at the update revision, ids sorted so current-revision pods take the
 * first ones; plus the slow-start batches, how many ids were missing, and the ids passed over
 * because of terminating PVCs.
 *
 * @example count 3, currentCount 1, ids ['id1', 'id3', 'id4'] → web-id1 at current, web-id3 and web-id4 at update
 */
export function planCreations(input: CreationsInput): { pods: PodCreation[]; batches: number[]; missingIds: number; blockedIds: readonly string[] } {
  const claimNamesOf = (id: string) => buildPodClaims(input.cloneSet, id).map((pvc) => pvc.metadata.name ?? '');
  const ids = chooseInstanceIds(input.count, input.pods, input.pvcs, input.suffixes, input.reusePVCs, { pvcs: input.terminatingPvcs ?? [], claimNamesOf });
  const existing = new Set(input.pvcs.map((pvc) => pvc.metadata.name ?? ''));
  const current = Math.min(input.count, input.currentCount);
  const pods = ids.ids.map((instanceId, index): PodCreation => {
    const role = index < current ? 'current' : 'update';
    const revision = role === 'current' ? input.currentRevision : input.updateRevision;
    const template = role === 'current' ? input.currentTemplate : input.cloneSet.spec.template;
    const pod = buildCloneSetPod({ cloneSet: input.cloneSet, template, revision, instanceId, now: input.now });
    const pvcs = buildPodClaims(input.cloneSet, instanceId).filter((pvc) => !existing.has(pvc.metadata.name ?? ''));
    return { kind: 'create-pod', pod, pvcs, revision, revisionRole: role, instanceId, reusesInstanceId: ids.reused.has(instanceId) };
  });
  return { pods, batches: slowStartBatches(pods.length), missingIds: ids.missing, blockedIds: ids.blocked };
}
