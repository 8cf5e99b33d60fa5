import type { DaemonSet, DaemonSetRollingUpdateType, DaemonSetStatus, DaemonSetUpdateStrategyType, RollingUpdateDaemonSet } from '../api/daemonSet.js';
import { DAEMONSET_API_VERSION, DAEMONSET_KIND } from '../api/daemonSet.js';
import type { Container } from '../api/pod.js';
import type { Lifecycle } from '../api/pub.js';
import type { IntOrPercent } from '../shared/intOrPercent.js';
import type { LabelSelector } from '../shared/selector.js';

/** Options of {@link aDaemonSet}; unset fields stay unset in the spec (OpenKruise defaults apply). */
export interface DaemonSetOptions {
  /** `metadata.name` (default `agent`). */
  readonly name?: string;
  /** `metadata.namespace` (default `default`). */
  readonly namespace?: string;
  /** `metadata.generation` (default 1). */
  readonly generation?: number;
  /** `metadata.labels`. */
  readonly labels?: Readonly<Record<string, string>>;
  /** `metadata.annotations`. */
  readonly annotations?: Readonly<Record<string, string>>;
  /** `updateStrategy.type`. */
  readonly updateType?: DaemonSetUpdateStrategyType;
  /** `rollingUpdate.rollingUpdateType`. */
  readonly rollingUpdateType?: DaemonSetRollingUpdateType;
  /** `rollingUpdate.maxUnavailable`. */
  readonly maxUnavailable?: IntOrPercent;
  /** `rollingUpdate.maxSurge`. */
  readonly maxSurge?: IntOrPercent;
  /** `rollingUpdate.partition`. */
  readonly partition?: IntOrPercent;
  /** `rollingUpdate.paused`. */
  readonly paused?: boolean;
  /** `rollingUpdate.selector`: only pods on nodes it matches are updated. */
  readonly nodeSelector?: LabelSelector;
  /** `spec.minReadySeconds`. */
  readonly minReadySeconds?: number;
  /** `spec.burstReplicas`. */
  readonly burstReplicas?: IntOrPercent;
  /** `spec.revisionHistoryLimit`. */
  readonly revisionHistoryLimit?: number;
  /** `spec.scaleStrategy.partitionedScaling`. */
  readonly partitionedScaling?: boolean;
  /** `spec.lifecycle`. */
  readonly lifecycle?: Lifecycle;
  /** Template containers (default one `main` container running `nginx:1`). */
  readonly containers?: readonly Container[];
  /** `status` as it is. */
  readonly status?: DaemonSetStatus;
}

function defined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}

function rollingUpdateOf(options: DaemonSetOptions): RollingUpdateDaemonSet {
  return defined({
    rollingUpdateType: options.rollingUpdateType,
    maxUnavailable: options.maxUnavailable,
    maxSurge: options.maxSurge,
    selector: options.nodeSelector,
    partition: options.partition,
    paused: options.paused,
  });
}

/**
 * Returns an `apps.kruise.io/v1beta1` Advanced DaemonSet selecting `app: <name>`, with only the
 * given knobs set, so it passes `validateDaemonSet` unless a knob makes it invalid.
 *
 * @example aDaemonSet({ rollingUpdateType: 'InPlaceIfPossible', partition: '50%', nodeSelector: { matchLabels: { zone: 'a' } } })
 */
export function aDaemonSet(options: DaemonSetOptions = {}): DaemonSet {
  const name = options.name ?? 'agent';
  const rollingUpdate = rollingUpdateOf(options);
  return {
    apiVersion: DAEMONSET_API_VERSION,
    kind: DAEMONSET_KIND,
    metadata: { name, namespace: options.namespace ?? 'default', uid: `uid-${name}`, generation: options.generation ?? 1, ...defined({ labels: options.labels, annotations: options.annotations }) },
    spec: {
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: (options.containers ?? [{ name: 'main', image: 'nginx:1' }]).map((container) => ({ ...container })) },
      },
      ...defined({
        minReadySeconds: options.minReadySeconds,
        burstReplicas: options.burstReplicas,
        revisionHistoryLimit: options.revisionHistoryLimit,
        lifecycle: options.lifecycle,
        scaleStrategy: options.partitionedScaling === undefined ? undefined : { partitionedScaling: options.partitionedScaling },
      }),
      updateStrategy: { ...defined({ type: options.updateType }), ...(Object.keys(rollingUpdate).length > 0 ? { rollingUpdate } : {}) },
    },
    ...defined({ status: options.status }),
  };
}
