import { ZONE_LABEL } from './unitedDeploymentBuilder.js';
import { WORKLOADSPREAD_API_VERSION, WORKLOADSPREAD_KIND, type WorkloadSpread, type WorkloadSpreadSpec, type WorkloadSpreadStatus, type WorkloadSpreadSubset } from '../api/workloadSpread.js';

/** Options of {@link aWorkloadSpread}; unset fields stay unset. */
export interface WorkloadSpreadOptions {
  /** `metadata.name` (default `web-ws`). */
  readonly name?: string | undefined;
  /** `metadata.namespace` (default `default`). */
  readonly namespace?: string | undefined;
  readonly generation?: number | undefined;
  /** `spec.targetRef` (default the CloneSet `web`). */
  readonly targetRef?: WorkloadSpreadSpec['targetRef'];
  /** `spec.subsets` (default zone-a max 2, zone-b max 2, zone-c unlimited, each pinned to its zone). */
  readonly subsets?: readonly WorkloadSpreadSubset[] | undefined;
  readonly scheduleStrategy?: WorkloadSpreadSpec['scheduleStrategy'];
  /** `spec.targetFilter` (unset by default: every pod of the workload). */
  readonly targetFilter?: WorkloadSpreadSpec['targetFilter'];
  readonly status?: WorkloadSpreadStatus | undefined;
}

/**
 * Returns a subset pinned to a zone (`topology.kubernetes.io/zone In [zone]`), with an optional cap.
 *
 * @example aZoneSubset('zone-a', 2) → { name: 'zone-a', requiredNodeSelectorTerm: { matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['zone-a'] }] }, maxReplicas: 2 }
 */
export function aZoneSubset(zone: string, maxReplicas?: number | string): WorkloadSpreadSubset {
  return { name: zone, requiredNodeSelectorTerm: { matchExpressions: [{ key: ZONE_LABEL, operator: 'In', values: [zone] }] }, ...(maxReplicas === undefined ? {} : { maxReplicas }) };
}

/**
 * Returns an `apps.kruise.io/v1alpha1` WorkloadSpread.
 *
 * @example aWorkloadSpread({ subsets: [aZoneSubset('zone-a', 3), aZoneSubset('zone-b')] })
 */
export function aWorkloadSpread(options: WorkloadSpreadOptions = {}): WorkloadSpread {
  return {
    apiVersion: WORKLOADSPREAD_API_VERSION,
    kind: WORKLOADSPREAD_KIND,
    metadata: { name: options.name ?? 'web-ws', namespace: options.namespace ?? 'default', ...(options.generation === undefined ? {} : { generation: options.generation }) },
    spec: {
      targetRef: options.targetRef ?? { apiVersion: 'apps.kruise.io/v1alpha1', kind: 'CloneSet', name: 'web' },
      subsets: [...(options.subsets ?? [aZoneSubset('zone-a', 2), aZoneSubset('zone-b', 2), aZoneSubset('zone-c')])],
      ...(options.scheduleStrategy === undefined ? {} : { scheduleStrategy: options.scheduleStrategy }),
      ...(options.targetFilter === undefined ? {} : { targetFilter: options.targetFilter }),
    },
    ...(options.status === undefined ? {} : { status: options.status }),
  };
}
