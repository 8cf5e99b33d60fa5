import type {
  CloneSet,
  CloneSetPodUpdatePolicy,
  CloneSetScaleStrategy,
  CloneSetStatus,
  CloneSetUpdateStrategyType,
  RollingUpdateCloneSetStrategy,
} from '../api/cloneSet.js';
import { CLONESET_API_VERSION, CLONESET_KIND } from '../api/cloneSet.js';
import type { Container, PersistentVolumeClaim } from '../api/pod.js';
import type { Lifecycle, UpdatePriorityStrategy, UpdateScatterStrategy } from '../api/pub.js';
import type { IntOrPercent } from '../shared/intOrPercent.js';
import type { NodeLabels } from '../workload/podSorter.js';

/** Options of {@link aCloneSet}; unset fields stay unset in the spec (OpenKruise defaults apply). */
export interface CloneSetOptions {
  /** `metadata.name` (default `web`). */
  readonly name?: string;
  /** `metadata.namespace` (default `default`). */
  readonly namespace?: string;
  /** `metadata.generation` (default 1). */
  readonly generation?: number;
  /** `metadata.labels`. */
  readonly labels?: Readonly<Record<string, string>>;
  /** `spec.replicas`. */
  readonly replicas?: number;
  /** `rollingUpdate.partition`. */
  readonly partition?: IntOrPercent;
  /** `rollingUpdate.maxUnavailable`. */
  readonly maxUnavailable?: IntOrPercent;
  /** `rollingUpdate.maxSurge`. */
  readonly maxSurge?: IntOrPercent;
  /** `rollingUpdate.paused`. */
  readonly paused?: boolean;
  /** `updateStrategy.type`. */
  readonly updateType?: CloneSetUpdateStrategyType;
  /** `rollingUpdate.podUpdatePolicy`. */
  readonly podUpdatePolicy?: CloneSetPodUpdatePolicy;
  /** `inPlaceUpdateStrategy.gracePeriodSeconds`. */
  readonly gracePeriodSeconds?: number;
  /** `rollingUpdate.priorityStrategy`. */
  readonly priorityStrategy?: UpdatePriorityStrategy;
  /** `rollingUpdate.scatterStrategy`. */
  readonly scatterStrategy?: UpdateScatterStrategy;
  /** `scaleStrategy.podsToDelete`. */
  readonly podsToDelete?: readonly string[];
  /** `scaleStrategy.maxUnavailable`. */
  readonly scaleMaxUnavailable?: IntOrPercent;
  /** `scaleStrategy.enablePVCReuse`. */
  readonly enablePVCReuse?: boolean;
  /** `scaleStrategy.excludePreparingDelete`. */
  readonly excludePreparingDelete?: boolean;
  /** `spec.minReadySeconds`. */
  readonly minReadySeconds?: number;
  /** `spec.progressDeadlineSeconds`. */
  readonly progressDeadlineSeconds?: number;
  /** `spec.lifecycle`. */
  readonly lifecycle?: Lifecycle;
  /** Template containers (default one `main` container running `nginx:1`). */
  readonly containers?: readonly Container[];
  /** Names of volumeClaimTemplates (1Gi each), mounted nowhere. */
  readonly volumeClaimTemplates?: readonly string[];
  /** Topology keys of template topologySpreadConstraints. */
  readonly topologyKeys?: readonly string[];
  /** `status` as it is. */
  readonly status?: CloneSetStatus;
}

function claimTemplate(name: string): PersistentVolumeClaim {
  return {
    metadata: { name },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
  };
}

function defined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}

/**
 * Returns an `apps.kruise.io/v1beta1` CloneSet selecting `app: <name>`, with only the given knobs
 * set.
 *
 * @example aCloneSet({ replicas: 5, partition: 3, maxUnavailable: 1 })
 */
export function aCloneSet(options: CloneSetOptions = {}): CloneSet {
  const name = options.name ?? 'web';
  const rollingUpdate = rollingUpdateOf(options);
  const scaleStrategy = scaleStrategyOf(options);
  const constraints = (options.topologyKeys ?? []).map((topologyKey) => ({ maxSkew: 1, topologyKey, whenUnsatisfiable: 'ScheduleAnyway' }));
  return {
    apiVersion: CLONESET_API_VERSION,
    kind: CLONESET_KIND,
    metadata: { name, namespace: options.namespace ?? 'default', uid: `uid-${name}`, generation: options.generation ?? 1, ...defined({ labels: options.labels }) },
    spec: {
      ...defined({ replicas: options.replicas, minReadySeconds: options.minReadySeconds, progressDeadlineSeconds: options.progressDeadlineSeconds, lifecycle: options.lifecycle }),
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: (options.containers ?? [{ name: 'main', image: 'nginx:1' }]).map((container) => ({ ...container })),
          ...(constraints.length > 0 ? { topologySpreadConstraints: constraints } : {}),
        },
      },
      ...(options.volumeClaimTemplates === undefined ? {} : { volumeClaimTemplates: options.volumeClaimTemplates.map(claimTemplate) }),
      ...(Object.keys(scaleStrategy).length > 0 ? { scaleStrategy } : {}),
      updateStrategy: { ...defined({ type: options.updateType }), ...(Object.keys(rollingUpdate).length > 0 ? { rollingUpdate } : {}) },
    },
    ...defined({ status: options.status }),
  };
}

function rollingUpdateOf(options: CloneSetOptions): RollingUpdateCloneSetStrategy {
  return defined({
    partition: options.partition,
    maxUnavailable: options.maxUnavailable,
    maxSurge: options.maxSurge,
    paused: options.paused,
    podUpdatePolicy: options.podUpdatePolicy,
    priorityStrategy: options.priorityStrategy,
    scatterStrategy: options.scatterStrategy,
    inPlaceUpdateStrategy: options.gracePeriodSeconds === undefined ? undefined : { gracePeriodSeconds: options.gracePeriodSeconds },
  });
}

function scaleStrategyOf(options: CloneSetOptions): CloneSetScaleStrategy {
  return defined({
    podsToDelete: options.podsToDelete === undefined ? undefined : [...options.podsToDelete],
    maxUnavailable: options.scaleMaxUnavailable,
    enablePVCReuse: options.enablePVCReuse,
    excludePreparingDelete: options.excludePreparingDelete,
  });
}

/**
 * Returns node labels putting each listed node in its zone (`topology.kubernetes.io/zone`) with
 * its own `kubernetes.io/hostname`.
 *
 * @example nodesInZones({ z1: ['node-a', 'node-b'], z2: ['node-c'] })
 */
export function nodesInZones(zones: Readonly<Record<string, readonly string[]>>): NodeLabels {
  const labels: Record<string, Record<string, string>> = {};
  for (const [zone, nodes] of Object.entries(zones)) {
    for (const node of nodes) labels[node] = { 'kubernetes.io/hostname': node, 'topology.kubernetes.io/zone': zone };
  }
  return labels;
}
