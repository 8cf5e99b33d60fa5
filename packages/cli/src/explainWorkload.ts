import {
  daemonSetBudgets,
  daemonSetPartition,
  explainDaemonSetPods,
  parseDaemonSet,
  withDaemonSetSurgingDefaults,
  explainCloneSetPods,
  explainStatefulSetPods,
  parseStatefulSet,
  resolveStatefulSetSettings,
  parseCloneSet,
  planCloneSetPass,
  resolveCloneSetSettings,
  withCloneSetDefaults,
  type CloneSetExplanation,
  type ControllerRevision,
  type PodExplanation,
  type PodUnavailableBudget,
  type Pod,
  type Node,
} from '@kruise-ts/core';
import { KruiseResources, Resources, type KubeClient } from '@kruise-ts/k8s-adapter';
import { words } from './describePlans.js';

/** What `explain` prints: the CloneSet's numbers and one line per pod. */
export interface WorkloadExplanation {
  readonly kind: 'CloneSet' | 'StatefulSet' | 'DaemonSet';
  readonly namespace: string;
  readonly name: string;
  /** What the controller's next pass does (its stage: scale, refresh, update or idle). */
  readonly nextPass: string;
  readonly updateRevision: string;
  readonly currentRevision: string;
  readonly partition: number;
  readonly maxUnavailable: number;
  readonly paused: boolean;
  /** updateNum and updateMaxUnavailable of this pass (absent when paused or OnDelete). */
  readonly updateNum?: number;
  readonly updateMaxUnavailable?: number;
  readonly pods: ReadonlyArray<PodExplanation & { readonly says: string }>;
}

const line = (e: PodExplanation) => (e.position === undefined ? '' : ` (#${String(e.position)} in line)`);

/**
 * Returns one pod's reason in plain words.
 *
 * @example { reason: 'max-unavailable-reached', position: 2 } with maxUnavailable 2
 *   → 'waiting (#2 in line): maxUnavailable 2 reached, no more pods may be unavailable now'
 */
export function sayReason(e: PodExplanation, settings: { readonly partition: number; readonly maxUnavailable: number }): string {
  switch (e.reason) {
    case 'updated':
      return 'updated and available';
    case 'in-place-update-in-progress':
      return 'being updated in place: waiting for its containers to run the new spec';
    case 'in-place-grace-period':
      return `being updated in place: waiting out inPlaceUpdateStrategy.gracePeriodSeconds (${String(e.graceSecondsLeft ?? 0)}s left)`;
    case 'not-available-yet':
      return 'updated, waiting to become available (ready, and ready for minReadySeconds)';
    case 'paused':
      return 'not updated: the rollout is paused (rollingUpdate.paused)';
    case 'on-delete':
      return 'not updated: updateStrategy OnDelete (it comes back updated only when deleted)';
    case 'partition':
      return `not updated: partition ${String(settings.partition)} keeps it at the old revision`;
    case 'max-unavailable-reached':
      return `waiting${line(e)}: maxUnavailable ${String(settings.maxUnavailable)} reached, no more pods may be unavailable now`;
    case 'preparing-delete':
      return 'not updated: being deleted (lifecycle PreparingDelete)';
    case 'terminating':
      return 'terminating';
    case 'pod-states-refresh-first':
      return `next${line(e)}: after this pass writes pod states (lifecycle, labels)`;
    case 'update-in-place':
      return `next${line(e)}: updated in place (${(e.paths ?? []).join(', ')})`;
    case 'recreate':
      return e.recreateReason === 'recreate-policy' ? `next${line(e)}: recreated (podUpdatePolicy ReCreate)` : `next${line(e)}: recreated because ${words(e.recreateReason ?? '')} (${(e.paths ?? []).join(', ')})`;
    case 'lifecycle-hook-preparing':
      return `next${line(e)}: parked in PreparingUpdate for the inPlaceUpdate lifecycle hook`;
    case 'lifecycle-hook-waiting':
      return `waiting${line(e)}: the inPlaceUpdate lifecycle hook holds it (PreparingUpdate)`;
    case 'update-refused':
      return `refused: ${e.message ?? ''}`;
    case 'blocked-by-earlier-error':
      return `waiting${line(e)}: the update of a pod before it failed`;
    case 'pod-unavailable-budget':
      return `waiting${line(e)}: ${e.message ?? 'its PodUnavailableBudget allows no more unavailable pods'}`;
    case 'scale-first':
      return 'not updated yet: this pass creates, replaces or removes pods first';
    case 'specified-delete':
      return `next${line(e)}: deleted (apps.kruise.io/specified-delete) and created again at the update revision`;
    case 'volume-resize-first':
      return `waiting${line(e)}: its PVCs are expanded first`;
  }
}

/**
 * Reads a CloneSet, its pods, revisions and the namespace's PodUnavailableBudgets, and explains
 * each pod with core's `explainCloneSetPods` (the controller's own update selection), after
 * `planCloneSetPass` names the current and update revisions and what its next pass does.
 */
export async function explainCloneSet(client: KubeClient, namespace: string, name: string, now: number): Promise<WorkloadExplanation> {
  const object = await client.get(KruiseResources.CloneSet, { namespace, name });
  const parsed = parseCloneSet(object);
  if (parsed.kind === 'invalid') throw new Error(`CloneSet "${name}" is invalid: ${parsed.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
  const cloneSet = withCloneSetDefaults(parsed.value);
  const uid = object.metadata.uid;
  const owned = <T extends { metadata: { ownerReferences?: readonly { uid: string; controller?: boolean | undefined }[] | undefined } }>(items: readonly T[]) => items.filter((o) => (o.metadata.ownerReferences ?? []).some((r) => r.controller === true && r.uid === uid));
  const pods = owned((await client.list(Resources.Pod, { namespace })).items) as Pod[];
  const revisions = owned((await client.list(Resources.ControllerRevision, { namespace })).items) as ControllerRevision[];
  const pubs = (await client.list(KruiseResources.PodUnavailableBudget, { namespace }).then((l) => l.items, () => [])) as PodUnavailableBudget[];
  const pass = planCloneSetPass({ cloneSet, pods, pvcs: [], revisions, now, instanceIdSuffixes: () => 'x' });
  const known = revisions.some((r) => r.metadata.name === pass.updateRevision.metadata.name) ? revisions : [...revisions, pass.updateRevision];
  const explained: CloneSetExplanation = explainCloneSetPods({ cloneSet, pods, currentRevision: pass.currentRevision, updateRevision: pass.updateRevision, revisions: known, now, pubs });
  const settings = resolveCloneSetSettings(cloneSet);
  return {
    kind: 'CloneSet',
    namespace,
    name,
    nextPass: pass.step.stage,
    updateRevision: pass.updateRevision.metadata.name ?? '',
    currentRevision: pass.currentRevision.metadata.name ?? '',
    partition: settings.partition,
    maxUnavailable: settings.maxUnavailable,
    paused: settings.paused,
    ...(explained.diffs === undefined ? {} : { updateNum: explained.diffs.updateNum, updateMaxUnavailable: explained.diffs.updateMaxUnavailable }),
    pods: explained.pods.map((e) => ({ ...e, says: sayReason(e, settings) })),
  };
}

/**
 * Reads an Advanced StatefulSet, its pods, PVCs and revisions, and explains each pod with core's
 * `explainStatefulSetPods` (the controller's own pass: its stage, the rolling update's order, actions and end).
 */
export async function explainStatefulSet(client: KubeClient, namespace: string, name: string, now: number): Promise<WorkloadExplanation> {
  const object = await client.get(KruiseResources.StatefulSet, { namespace, name });
  const parsed = parseStatefulSet(object);
  if (parsed.kind === 'invalid') throw new Error(`StatefulSet "${name}" is invalid: ${parsed.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
  const uid = object.metadata.uid;
  const controlled = (refs: readonly { uid: string; controller?: boolean | undefined }[] | undefined) => (refs ?? []).some((r) => r.controller === true && r.uid === uid);
  const pods = (await client.list(Resources.Pod, { namespace })).items.filter((p) => controlled(p.metadata.ownerReferences)) as Pod[];
  const revisions = (await client.list(Resources.ControllerRevision, { namespace })).items.filter((r) => controlled(r.metadata.ownerReferences)) as ControllerRevision[];
  const pvcs = (await client.list(Resources.PersistentVolumeClaim, { namespace })).items;
  const explained = explainStatefulSetPods({ statefulSet: parsed.value, pods, pvcs, revisions, now });
  const settings = resolveStatefulSetSettings(parsed.value);
  return {
    kind: 'StatefulSet',
    namespace,
    name,
    nextPass: explained.pass.step.stage,
    updateRevision: explained.targetRevision,
    currentRevision: explained.pass.currentRevision.metadata.name ?? '',
    partition: settings.partition,
    maxUnavailable: settings.maxUnavailable,
    paused: settings.paused,
    pods: explained.pods.map((e) => ({ ...e, says: sayReason(e, settings) })),
  };
}

/**
 * Reads an Advanced DaemonSet, its pods, revisions and the nodes, and explains each pod with core's
 * `explainDaemonSetPods` (the controller's own pass: its stage, the nodes the update may touch in
 * order, what it does on each, and what the budget leaves for later).
 */
export async function explainDaemonSet(client: KubeClient, namespace: string, name: string, now: number): Promise<WorkloadExplanation> {
  const object = await client.get(KruiseResources.DaemonSet, { namespace, name });
  const parsed = parseDaemonSet(object, { beforeConversion: withDaemonSetSurgingDefaults });
  if (parsed.kind === 'invalid') throw new Error(`DaemonSet "${name}" is invalid: ${parsed.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
  const uid = object.metadata.uid;
  const controlled = (refs: readonly { uid: string; controller?: boolean | undefined }[] | undefined) => (refs ?? []).some((r) => r.controller === true && r.uid === uid);
  const pods = (await client.list(Resources.Pod, { namespace })).items.filter((p) => controlled(p.metadata.ownerReferences)) as Pod[];
  const revisions = (await client.list(Resources.ControllerRevision, { namespace })).items.filter((r) => controlled(r.metadata.ownerReferences)) as ControllerRevision[];
  const nodes = (await client.list(Resources.Node)).items as unknown as Node[];
  const explained = explainDaemonSetPods({ daemonSet: parsed.value, pods, nodes, revisions, now });
  const { settings } = explained.pass;
  const desired = explained.pass.status.desiredNumberScheduled ?? 0;
  const budgets = { partition: daemonSetPartition(settings, desired), maxUnavailable: daemonSetBudgets(settings, desired).maxUnavailable };
  return {
    kind: 'DaemonSet',
    namespace,
    name,
    nextPass: explained.pass.step.stage,
    updateRevision: explained.targetRevision,
    currentRevision: '',
    ...budgets,
    paused: settings.paused,
    pods: explained.pods.map((e) => ({ ...e, says: sayReason(e, budgets) })),
  };
}

/** The kinds `explain` reads, by a pod's controller kind. */
export type ExplainedKind = 'CloneSet' | 'StatefulSet' | 'DaemonSet';

/** Returns the kind (CloneSet, Advanced StatefulSet or DaemonSet) and name of a pod's controller, or why it has none explain reads. */
export async function ownerOfPod(client: KubeClient, namespace: string, pod: string): Promise<{ readonly kind: ExplainedKind; readonly name: string }> {
  const object = await client.get(Resources.Pod, { namespace, name: pod });
  const owner = (object.metadata.ownerReferences ?? []).find((r) => r.controller === true);
  const kruise = owner?.apiVersion.startsWith('apps.kruise.io/') === true;
  if (owner === undefined || !kruise || (owner.kind !== 'CloneSet' && owner.kind !== 'StatefulSet' && owner.kind !== 'DaemonSet')) {
    throw new Error(`pod "${pod}" is not controlled by a CloneSet, an Advanced StatefulSet or an Advanced DaemonSet${owner === undefined ? '' : ` (its controller is ${owner.kind} ${owner.name})`}`);
  }
  return { kind: owner.kind, name: owner.name };
}

/**
 * Returns the explanation as lines: a header with the numbers, then `POD  REVISION  WHY`.
 * (`updateNum` is CloneSet's; an Advanced StatefulSet has no such number.)
 *
 * @example → 'CloneSet default/web: update revision web-2, partition 3, maxUnavailable 2; updateNum 5, updateMaxUnavailable 2; next pass: idle'
 */
export function explanationLines(e: WorkloadExplanation): string[] {
  const numbers = e.updateNum === undefined ? '' : `; updateNum ${String(e.updateNum)}, updateMaxUnavailable ${String(e.updateMaxUnavailable ?? 0)}`;
  const head = `${e.kind} ${e.namespace}/${e.name}: update revision ${e.updateRevision}, partition ${String(e.partition)}, maxUnavailable ${String(e.maxUnavailable)}${e.paused ? ', paused' : ''}${numbers}; next pass: ${e.nextPass}`;
  const podWidth = Math.max(3, ...e.pods.map((p) => p.pod.length)) + 2;
  const revWidth = Math.max(8, ...e.pods.map((p) => p.revision.length)) + 2;
  return [head, '', `${'POD'.padEnd(podWidth)}${'REVISION'.padEnd(revWidth)}WHY`, ...e.pods.map((p) => `${p.pod.padEnd(podWidth)}${p.revision.padEnd(revWidth)}${p.says}`)];
}
