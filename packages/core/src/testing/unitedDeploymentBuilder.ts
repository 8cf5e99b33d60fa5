import type { Container } from '../api/pod.js';
import type { NodeSelectorTerm, Toleration } from '../api/podScheduling.js';
import { SUBSET_TEMPLATE_FIELDS, type SubsetTemplateField } from '../api/validateUnitedDeployment.js';
import { UNITEDDEPLOYMENT_API_VERSION, UNITEDDEPLOYMENT_KIND, type Subset, type UnitedDeployment, type UnitedDeploymentScheduleStrategy, type UnitedDeploymentStatus } from '../api/unitedDeployment.js';
import type { IntOrPercent } from '../shared/intOrPercent.js';

/** One subset of {@link aUnitedDeployment}: a name and a zone (node label `topology.kubernetes.io/zone`), or a whole {@link Subset}. */
export type SubsetOption = Subset | { readonly name: string; readonly zone?: string; readonly replicas?: IntOrPercent; readonly minReplicas?: IntOrPercent; readonly maxReplicas?: IntOrPercent; readonly tolerations?: readonly Toleration[]; readonly patch?: Readonly<Record<string, unknown>> };

/** Options of {@link aUnitedDeployment}; unset fields stay unset in the spec (OpenKruise defaults apply). */
export interface UnitedDeploymentOptions {
  /** `metadata.name` (default `web`). */
  readonly name?: string;
  /** `metadata.namespace` (default `default`). */
  readonly namespace?: string;
  /** `metadata.uid` (default `uid-<name>`). */
  readonly uid?: string;
  /** `metadata.generation` (default 1). */
  readonly generation?: number;
  /** `spec.replicas`. */
  readonly replicas?: number;
  /** The child kind (default `cloneSetTemplate`). */
  readonly templateKind?: SubsetTemplateField;
  /** Template containers (default one `main` container running `nginx:1`). */
  readonly containers?: readonly Container[];
  /** The subsets (default none). */
  readonly subsets?: readonly SubsetOption[];
  readonly scheduleStrategy?: UnitedDeploymentScheduleStrategy;
  /** `updateStrategy.manualUpdate.partitions`. */
  readonly partitions?: Readonly<Record<string, number>>;
  readonly revisionHistoryLimit?: number;
  readonly status?: UnitedDeploymentStatus;
}

/** The node label the builder's zones select on. */
export const ZONE_LABEL = 'topology.kubernetes.io/zone';

function subsetOf(option: SubsetOption): Subset {
  if (!('zone' in option)) return option as Subset;
  const { zone, ...rest } = option as { readonly zone?: string };
  const term: NodeSelectorTerm | undefined = zone === undefined ? undefined : { matchExpressions: [{ key: ZONE_LABEL, operator: 'In', values: [zone] }] };
  return { ...(rest as Subset), ...(term === undefined ? {} : { nodeSelectorTerm: term }) };
}

/**
 * Returns a UnitedDeployment for tests: selector `app=<name>`, a child template of the chosen kind
 * (CloneSet by default) with that label, and the given subsets (a `zone` becomes a node selector
 * term on `topology.kubernetes.io/zone`). Deterministic: the same options give the same object.
 *
 * @example aUnitedDeployment({ replicas: 10, subsets: [{ name: 'a', zone: 'zone-a', replicas: '20%' }, { name: 'b', zone: 'zone-b', replicas: 3 }, { name: 'c', zone: 'zone-c' }] })
 */
export function aUnitedDeployment(options: UnitedDeploymentOptions = {}): UnitedDeployment {
  const name = options.name ?? 'web';
  const labels = { app: name };
  const field = options.templateKind ?? 'cloneSetTemplate';
  if (!SUBSET_TEMPLATE_FIELDS.includes(field)) throw new Error(`templateKind ${field} is not one of ${SUBSET_TEMPLATE_FIELDS.join(', ')}`);
  const containers = options.containers ?? [{ name: 'main', image: 'nginx:1' }];
  const child = { metadata: { labels }, spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [...containers] } } } };
  const manualUpdate = options.partitions === undefined ? undefined : { partitions: { ...options.partitions } };
  return {
    apiVersion: UNITEDDEPLOYMENT_API_VERSION,
    kind: UNITEDDEPLOYMENT_KIND,
    metadata: { name, namespace: options.namespace ?? 'default', uid: options.uid ?? `uid-${name}`, generation: options.generation ?? 1 },
    spec: {
      ...(options.replicas === undefined ? {} : { replicas: options.replicas }),
      selector: { matchLabels: labels },
      template: { [field]: child },
      topology: {
        subsets: (options.subsets ?? []).map(subsetOf),
        ...(options.scheduleStrategy === undefined ? {} : { scheduleStrategy: options.scheduleStrategy }),
      },
      ...(manualUpdate === undefined ? {} : { updateStrategy: { type: 'Manual', manualUpdate } }),
      ...(options.revisionHistoryLimit === undefined ? {} : { revisionHistoryLimit: options.revisionHistoryLimit }),
    },
    ...(options.status === undefined ? {} : { status: options.status }),
  };
}
