import type { Container, PersistentVolumeClaim } from '../api/pod.js';
import type { Lifecycle, UpdatePriorityStrategy } from '../api/pub.js';
import type {
  PodManagementPolicy,
  ReserveOrdinal,
  RollingUpdateStatefulSetStrategy,
  StatefulSet,
  StatefulSetPersistentVolumeClaimRetentionPolicy,
  StatefulSetPodUpdatePolicy,
  StatefulSetStatus,
  StatefulSetUpdateStrategyType,
} from '../api/statefulSet.js';
import { STATEFULSET_API_VERSION, STATEFULSET_KIND } from '../api/statefulSet.js';
import type { IntOrPercent } from '../shared/intOrPercent.js';

/** Options of {@link aStatefulSet}; unset fields stay unset in the spec (OpenKruise defaults apply). */
export interface StatefulSetOptions {
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
  /** `spec.serviceName` (default the name). */
  readonly serviceName?: string;
  /** `spec.podManagementPolicy`. */
  readonly podManagementPolicy?: PodManagementPolicy;
  /** `updateStrategy.type`. */
  readonly updateType?: StatefulSetUpdateStrategyType;
  /** `rollingUpdate.partition`. */
  readonly partition?: number;
  /** `rollingUpdate.maxUnavailable`. */
  readonly maxUnavailable?: IntOrPercent;
  /** `rollingUpdate.podUpdatePolicy`; the in-place policies also get the `InPlaceUpdateReady` readiness gate OpenKruise requires. */
  readonly podUpdatePolicy?: StatefulSetPodUpdatePolicy;
  /** `rollingUpdate.paused`. */
  readonly paused?: boolean;
  /** `rollingUpdate.minReadySeconds`. */
  readonly minReadySeconds?: number;
  /** `rollingUpdate.unorderedUpdate.priorityStrategy` (an empty `unorderedUpdate` when `true`). */
  readonly unorderedUpdate?: UpdatePriorityStrategy | true;
  /** `inPlaceUpdateStrategy.gracePeriodSeconds`. */
  readonly gracePeriodSeconds?: number;
  /** `scaleStrategy.maxUnavailable`. */
  readonly scaleMaxUnavailable?: IntOrPercent;
  /** `spec.reserveOrdinals`. */
  readonly reserveOrdinals?: readonly ReserveOrdinal[];
  /** `spec.ordinals.start`. */
  readonly startOrdinal?: number;
  /** `spec.persistentVolumeClaimRetentionPolicy`. */
  readonly retentionPolicy?: StatefulSetPersistentVolumeClaimRetentionPolicy;
  /** `spec.lifecycle`. */
  readonly lifecycle?: Lifecycle;
  /** Template containers (default one `main` container running `nginx:1`). */
  readonly containers?: readonly Container[];
  /** Names of volumeClaimTemplates (1Gi each), mounted nowhere. */
  readonly volumeClaimTemplates?: readonly string[];
  /** `status` as it is. */
  readonly status?: StatefulSetStatus;
}

function claimTemplate(name: string): PersistentVolumeClaim {
  return { metadata: { name }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } };
}

function defined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}

function rollingUpdateOf(options: StatefulSetOptions): RollingUpdateStatefulSetStrategy {
  const unordered = options.unorderedUpdate;
  return defined({
    partition: options.partition,
    maxUnavailable: options.maxUnavailable,
    podUpdatePolicy: options.podUpdatePolicy,
    paused: options.paused,
    minReadySeconds: options.minReadySeconds,
    unorderedUpdate: unordered === undefined ? undefined : unordered === true ? {} : { priorityStrategy: unordered },
    inPlaceUpdateStrategy: options.gracePeriodSeconds === undefined ? undefined : { gracePeriodSeconds: options.gracePeriodSeconds },
  });
}

/**
 * Returns an `apps.kruise.io/v1beta1` Advanced StatefulSet selecting `app: <name>`, governed by
 * the Service of the same name, with only the given knobs set. With an in-place
 * `podUpdatePolicy` the template carries the `InPlaceUpdateReady` readiness gate, so the result
 * passes `validateStatefulSet` unless a knob makes it invalid.
 *
 * @example aStatefulSet({ replicas: 5, podManagementPolicy: 'Parallel', maxUnavailable: 2, reserveOrdinals: [1, '3-4'] })
 */
export function aStatefulSet(options: StatefulSetOptions = {}): StatefulSet {
  const name = options.name ?? 'web';
  const rollingUpdate = rollingUpdateOf(options);
  const inPlace = options.podUpdatePolicy === 'InPlaceIfPossible' || options.podUpdatePolicy === 'InPlaceOnly';
  return {
    apiVersion: STATEFULSET_API_VERSION,
    kind: STATEFULSET_KIND,
    metadata: { name, namespace: options.namespace ?? 'default', uid: `uid-${name}`, generation: options.generation ?? 1, ...defined({ labels: options.labels }) },
    spec: {
      ...defined({
        replicas: options.replicas,
        podManagementPolicy: options.podManagementPolicy,
        reserveOrdinals: options.reserveOrdinals === undefined ? undefined : [...options.reserveOrdinals],
        ordinals: options.startOrdinal === undefined ? undefined : { start: options.startOrdinal },
        persistentVolumeClaimRetentionPolicy: options.retentionPolicy,
        lifecycle: options.lifecycle,
        scaleStrategy: options.scaleMaxUnavailable === undefined ? undefined : { maxUnavailable: options.scaleMaxUnavailable },
      }),
      serviceName: options.serviceName ?? name,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: (options.containers ?? [{ name: 'main', image: 'nginx:1' }]).map((container) => ({ ...container })),
          ...(inPlace ? { readinessGates: [{ conditionType: 'InPlaceUpdateReady' }] } : {}),
        },
      },
      ...(options.volumeClaimTemplates === undefined ? {} : { volumeClaimTemplates: options.volumeClaimTemplates.map(claimTemplate) }),
      updateStrategy: { ...defined({ type: options.updateType }), ...(Object.keys(rollingUpdate).length > 0 ? { rollingUpdate } : {}) },
    },
    ...defined({ status: options.status }),
  };
}
