import { KRUISE_CONTROLLER_REVISION_HASH_LABEL, UNITED_DEPLOYMENT_RESERVED_POD_LABEL } from '../api/labels.js';
import type { Pod } from '../api/pod.js';
import type { UnitedDeployment, UnitedDeploymentCondition, UnitedDeploymentStatus, UnitedDeploymentSubsetStatus } from '../api/unitedDeployment.js';
import { isPodReady, formatTime, type EpochMs } from '../shared/podState.js';
import { labelSelectorToString } from '../shared/selector.js';
import { childStatusReplicas, subsetPods, type SubsetChild } from './subsetChildren.js';

/** What {@link computeUnitedDeploymentStatus} reads. */
export interface UnitedDeploymentStatusInput {
  readonly ud: UnitedDeployment;
  /** The existing child of each subset (duplicates left out). */
  readonly children: ReadonlyMap<string, SubsetChild>;
  readonly pods: readonly Pod[];
  /** Replicas and partition allocated to each spec subset this pass. */
  readonly replicas: Readonly<Record<string, number>>;
  readonly partitions: Readonly<Record<string, number>>;
  /** The `Schedulable` condition of each subset (Adaptive), as decided this pass. */
  readonly schedulable: ReadonlyMap<string, UnitedDeploymentCondition>;
  /** Reserved pods of each subset: given only with Adaptive and reserveUnschedulablePods. */
  readonly reserved?: ReadonlyMap<string, number>;
  /** The current and the updated revision names. */
  readonly currentRevision: string;
  readonly updatedRevision: string;
  /** Whether this pass creates or deletes children (`SubsetProvisioned`). */
  readonly provisioned: boolean;
  readonly now: EpochMs;
}

/**
 * Returns the conditions with `condition` set as OpenKruise's `SetUnitedDeploymentCondition`:
 * unchanged when one of the type has the same status and reason; else replaced (moved to the end),
 * keeping its transition time when only the reason changed.
 *
 * @example [Updated True] + Updated True (same reason) → unchanged
 */
export function setUnitedDeploymentCondition(conditions: readonly UnitedDeploymentCondition[], condition: UnitedDeploymentCondition): UnitedDeploymentCondition[] {
  const current = conditions.find((c) => c.type === condition.type);
  if (current !== undefined && current.status === condition.status && current.reason === condition.reason) return [...conditions];
  const kept = current !== undefined && current.status === condition.status ? { ...condition, lastTransitionTime: current.lastTransitionTime } : condition;
  return [...conditions.filter((c) => c.type !== condition.type), kept];
}

function updatedCondition(current: string, expected: string, now: EpochMs): UnitedDeploymentCondition {
  const updating = current !== expected;
  return {
    type: 'UnitedDeploymentUpdated',
    status: updating ? 'False' : 'True',
    lastTransitionTime: formatTime(now),
    reason: updating ? 'UnitedDeploymentRevisionUpdating' : 'UnitedDeploymentRevisionUpdated',
    message: `${updating ? 'updating' : 'updated'} to revision ${expected}`,
  };
}

function subsetStatus(input: UnitedDeploymentStatusInput, name: string): UnitedDeploymentSubsetStatus {
  const child = input.children.get(name);
  const condition = input.schedulable.get(name);
  return {
    name,
    replicas: input.replicas[name] ?? 0,
    readyReplicas: child === undefined ? 0 : childStatusReplicas(child).readyReplicas,
    partition: input.partitions[name] ?? 0,
    ...(input.reserved?.has(name) === true ? { reservedPods: input.reserved.get(name) ?? 0 } : {}),
    ...(condition === undefined ? {} : { conditions: [condition] }),
  };
}

/**
 * Returns the status of a UnitedDeployment as OpenKruise's `calculateStatus` writes it (v1beta1
 * shape): `replicas` and `readyReplicas` summed over the children's statuses; `updatedReplicas`
 * and `updatedReadyReplicas` the subsets' pods labelled with the updated revision (and ready);
 * one `subsetStatuses` entry per spec subset (allocated replicas, the child's ready replicas, the
 * partition, the Adaptive `Schedulable` condition); `currentRevision` set on first sight and
 * moved to the updated revision once `updatedReadyReplicas` reaches `replicas`; `updatedRevision`;
 * conditions `UnitedDeploymentUpdated`, `SubsetProvisioned` (when children were created or
 * deleted) and `SubsetUpdated`; `labelSelector`; `observedGeneration`.
 *
 * @example children 2/2, 3/3, 5/5 ready, all pods at revision web-5f, current web-5f → replicas 10, readyReplicas 10, updatedReadyReplicas 10
 */
export function computeUnitedDeploymentStatus(input: UnitedDeploymentStatusInput): UnitedDeploymentStatus {
  const { ud, now } = input;
  const old = ud.status ?? {};
  let replicas = 0;
  let readyReplicas = 0;
  let updatedReplicas = 0;
  let updatedReadyReplicas = 0;
  let reservedPods = 0;
  for (const [name, child] of input.children) {
    const counts = childStatusReplicas(child);
    const reserved = input.reserved?.get(name) ?? 0;
    // Reserved pods are not counted as replicas (their substitutes are).
    replicas += counts.replicas - reserved;
    reservedPods += reserved;
    readyReplicas += counts.readyReplicas;
    const updated = subsetPods(input.pods, ud.spec.selector, name).filter((p) => p.metadata.deletionTimestamp === undefined && p.metadata.labels?.[KRUISE_CONTROLLER_REVISION_HASH_LABEL] === input.updatedRevision);
    updatedReplicas += updated.length;
    updatedReadyReplicas += updated.filter(isPodReady).length;
  }
  let conditions = setUnitedDeploymentCondition(old.conditions ?? [], updatedCondition(input.currentRevision, input.updatedRevision, now));
  if (input.provisioned) conditions = setUnitedDeploymentCondition(conditions, { type: 'SubsetProvisioned', status: 'True', lastTransitionTime: formatTime(now), reason: '', message: '' });
  conditions = setUnitedDeploymentCondition(conditions, { type: 'SubsetUpdated', status: 'True', lastTransitionTime: formatTime(now), reason: '', message: '' });
  let currentRevision = old.currentRevision === undefined || old.currentRevision === '' ? input.currentRevision : old.currentRevision;
  if (input.updatedRevision !== currentRevision && updatedReadyReplicas >= replicas) currentRevision = input.updatedRevision;
  return {
    ...old,
    observedGeneration: ud.metadata?.generation ?? 0,
    replicas,
    readyReplicas,
    updatedReplicas,
    updatedReadyReplicas,
    currentRevision,
    updatedRevision: input.updatedRevision,
    subsetStatuses: (ud.spec.topology?.subsets ?? []).map((s) => subsetStatus(input, s.name)),
    conditions,
    // With reservation the scale subresource counts only pods not reserved.
    labelSelector: labelSelectorToString(ud.spec.selector) + (input.reserved === undefined ? '' : `,${UNITED_DEPLOYMENT_RESERVED_POD_LABEL}=false`),
    ...(input.reserved === undefined ? {} : { reservedPods }),
  };
}
