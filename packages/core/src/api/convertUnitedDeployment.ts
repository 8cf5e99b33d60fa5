import { compact, nonEmpty } from './conversionHelpers.js';
import { UNITEDDEPLOYMENT_API_VERSION, type UnitedDeployment, type UnitedDeploymentStatus, type UnitedDeploymentSubsetStatus } from './unitedDeployment.js';
import { UNITEDDEPLOYMENT_V1ALPHA1_API_VERSION, type UnitedDeploymentV1alpha1, type UnitedDeploymentV1alpha1Status } from './unitedDeploymentV1alpha1.js';

/*
 * Conversion between the two UnitedDeployment versions, as OpenKruise's
 * (apis/apps/v1alpha1/uniteddeployment_conversion.go): the spec is the same in both; the status
 * differs.
 *
 * | v1alpha1                                 | v1beta1                                        |
 * |------------------------------------------|------------------------------------------------|
 * | spec (every field), unknown fields       | the same                                       |
 * | status.subsetReplicas[name]              | status.subsetStatuses[name].replicas           |
 * | status.updateStatus.currentPartitions    | status.subsetStatuses[name].partition          |
 * | status.updateStatus.updatedRevision      | status.updatedRevision                         |
 * | status.subsetStatuses (other fields)     | the same (an entry is added for a name only the maps have) |
 *
 * v1beta1 → v1alpha1 → v1beta1 is the identity for statuses whose subset entries all have a
 * name. v1alpha1 → v1beta1 → v1alpha1 keeps every value; the maps' values also land in
 * `subsetStatuses` (as OpenKruise).
 */

function withEntry(statuses: UnitedDeploymentSubsetStatus[], name: string, change: Partial<UnitedDeploymentSubsetStatus>): UnitedDeploymentSubsetStatus[] {
  const index = statuses.findIndex((s) => s.name === name);
  if (index < 0) return [...statuses, { name, ...change }];
  return statuses.map((s, i) => (i === index ? { ...s, ...change } : s));
}

function statusToV1beta1(status: UnitedDeploymentV1alpha1Status): UnitedDeploymentStatus {
  const { subsetReplicas, updateStatus, subsetStatuses, ...rest } = status;
  let statuses = subsetStatuses === undefined ? undefined : [...subsetStatuses];
  for (const [name, replicas] of Object.entries(subsetReplicas ?? {})) statuses = withEntry(statuses ?? [], name, { replicas });
  for (const [name, partition] of Object.entries(updateStatus?.currentPartitions ?? {})) statuses = withEntry(statuses ?? [], name, { partition });
  return compact<UnitedDeploymentStatus>({ ...rest, updatedRevision: updateStatus?.updatedRevision, subsetStatuses: statuses });
}

function namedMap(statuses: readonly UnitedDeploymentSubsetStatus[], field: 'replicas' | 'partition'): Record<string, number> | undefined {
  const entries = statuses.filter((s) => (s.name ?? '') !== '' && s[field] !== undefined).map((s) => [s.name ?? '', s[field] ?? 0] as const);
  return nonEmpty(Object.fromEntries(entries));
}

function statusToV1alpha1(status: UnitedDeploymentStatus): UnitedDeploymentV1alpha1Status {
  const { updatedRevision, ...rest } = status;
  const statuses = status.subsetStatuses ?? [];
  const currentPartitions = namedMap(statuses, 'partition');
  const updateStatus = updatedRevision === undefined && currentPartitions === undefined ? undefined : compact({ updatedRevision, currentPartitions });
  return compact<UnitedDeploymentV1alpha1Status>({ ...rest, subsetReplicas: namedMap(statuses, 'replicas'), updateStatus });
}

/**
 * Returns the `apps.kruise.io/v1beta1` form of a v1alpha1 UnitedDeployment: the spec as it is,
 * `status.subsetReplicas` and `status.updateStatus.currentPartitions` folded into
 * `status.subsetStatuses`, `status.updateStatus.updatedRevision` as `status.updatedRevision`.
 * The input is not modified.
 *
 * @example status `{ subsetReplicas: { a: 2 }, updateStatus: { updatedRevision: 'ud-5f', currentPartitions: { a: 1 } } }`
 *   → `{ updatedRevision: 'ud-5f', subsetStatuses: [{ name: 'a', replicas: 2, partition: 1 }] }`
 */
export function convertUnitedDeploymentToV1beta1(ud: UnitedDeploymentV1alpha1): UnitedDeployment {
  const apiVersion = ud.apiVersion === undefined ? undefined : UNITEDDEPLOYMENT_API_VERSION;
  return compact<UnitedDeployment>({ ...ud, apiVersion, status: ud.status === undefined ? undefined : statusToV1beta1(ud.status) });
}

/**
 * Returns the `apps.kruise.io/v1alpha1` form of a v1beta1 UnitedDeployment: the spec as it is,
 * the `subsetReplicas` map and `updateStatus` built from `subsetStatuses` and `updatedRevision`.
 *
 * @example status `{ updatedRevision: 'ud-5f', subsetStatuses: [{ name: 'a', replicas: 2, partition: 1 }] }`
 *   → `{ subsetStatuses: [...same], subsetReplicas: { a: 2 }, updateStatus: { updatedRevision: 'ud-5f', currentPartitions: { a: 1 } } }`
 */
export function convertUnitedDeploymentToV1alpha1(ud: UnitedDeployment): UnitedDeploymentV1alpha1 {
  const apiVersion = ud.apiVersion === undefined ? undefined : UNITEDDEPLOYMENT_V1ALPHA1_API_VERSION;
  return compact<UnitedDeploymentV1alpha1>({ ...ud, apiVersion, status: ud.status === undefined ? undefined : statusToV1alpha1(ud.status) });
}
