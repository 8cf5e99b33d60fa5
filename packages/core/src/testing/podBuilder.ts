import {
  CLONESET_INSTANCE_ID_LABEL,
  CONTROLLER_REVISION_HASH_LABEL,
  INPLACE_UPDATE_READY_CONDITION,
  LIFECYCLE_STATE_LABEL,
  POD_DELETION_COST_ANNOTATION,
  POD_TEMPLATE_HASH_LABEL,
  SPECIFIED_DELETE_LABEL,
} from '../api/labels.js';
import type { Container, Pod, PodCondition, PodStatus } from '../api/pod.js';
import type { LifecycleState } from '../api/pub.js';
import type { EpochMs } from '../shared/podState.js';
import { iso, T0 } from './time.js';

/**
 * Where a built pod is in its life:
 * - `unscheduled`: Pending, no node;
 * - `pending`: Pending on a node;
 * - `not-ready` (alias `unavailable`): Running, Ready=False;
 * - `ready`: Running, Ready=True since `readySince`;
 * - `terminating`: ready, with a deletionTimestamp;
 * - `succeeded`, `failed`, `unknown`: that phase.
 */
export type PodLifePhase =
  | 'unscheduled'
  | 'pending'
  | 'not-ready'
  | 'unavailable'
  | 'ready'
  | 'terminating'
  | 'succeeded'
  | 'failed'
  | 'unknown';

/** Options of {@link aPod}; every one has a deterministic default. */
export interface PodOptions {
  /** `metadata.name` (default `pod-0`). */
  readonly name?: string;
  /** `metadata.namespace` (default `default`). */
  readonly namespace?: string;
  /** `metadata.uid` (default `uid-<name>`). */
  readonly uid?: string;
  /** Where the pod is in its life (default `ready`). */
  readonly phase?: PodLifePhase;
  /** When the pod became Ready, epoch ms (default {@link T0}). */
  readonly readySince?: EpochMs;
  /** `creationTimestamp`, epoch ms (default {@link T0} − 60 s). */
  readonly createdAt?: EpochMs;
  /** `controller-revision-hash` (and `pod-template-hash` = its short form). */
  readonly revision?: string;
  /** `lifecycle.apps.kruise.io/state`. */
  readonly lifecycle?: LifecycleState;
  /** Add `apps.kruise.io/specified-delete` (`true`, or the given value). */
  readonly specifiedDelete?: boolean | string;
  /** `controller.kubernetes.io/pod-deletion-cost`. */
  readonly deletionCost?: number | string;
  /** Restart count of the first container. */
  readonly restarts?: number;
  /** `spec.nodeName` for scheduled phases (default `node-a`). */
  readonly node?: string;
  /** `apps.kruise.io/cloneset-instance-id`. */
  readonly instanceId?: string;
  /** Extra labels (applied last). */
  readonly labels?: Readonly<Record<string, string>>;
  /** Extra annotations. */
  readonly annotations?: Readonly<Record<string, string>>;
  /** `metadata.finalizers`. */
  readonly finalizers?: readonly string[];
  /** Add the `InPlaceUpdateReady` readiness gate and condition with this status. */
  readonly inPlaceUpdateReady?: boolean;
  /** Containers (default one `main` container running `nginx:1`). */
  readonly containers?: readonly Container[];
}

const SCHEDULED: readonly PodLifePhase[] = ['pending', 'not-ready', 'unavailable', 'ready', 'terminating', 'succeeded', 'failed', 'unknown'];

function phaseOf(life: PodLifePhase): NonNullable<PodStatus['phase']> {
  switch (life) {
    case 'unscheduled':
    case 'pending':
      return 'Pending';
    case 'succeeded':
      return 'Succeeded';
    case 'failed':
      return 'Failed';
    case 'unknown':
      return 'Unknown';
    case 'not-ready':
    case 'unavailable':
    case 'ready':
    case 'terminating':
      return 'Running';
  }
}

function conditionsOf(life: PodLifePhase, options: PodOptions): PodCondition[] {
  const ready = life === 'ready' || life === 'terminating';
  const conditions: PodCondition[] = [];
  if (life !== 'unscheduled' && life !== 'pending') {
    conditions.push({ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: iso(options.readySince ?? T0) });
  }
  if (options.inPlaceUpdateReady !== undefined) {
    conditions.push({ type: INPLACE_UPDATE_READY_CONDITION, status: options.inPlaceUpdateReady ? 'True' : 'False' });
  }
  return conditions;
}

function labelsOf(options: PodOptions): Record<string, string> {
  const labels: Record<string, string> = {};
  if (options.revision !== undefined) {
    labels[CONTROLLER_REVISION_HASH_LABEL] = options.revision;
    labels[POD_TEMPLATE_HASH_LABEL] = options.revision.slice(options.revision.lastIndexOf('-') + 1);
  }
  if (options.lifecycle !== undefined) labels[LIFECYCLE_STATE_LABEL] = options.lifecycle;
  if (options.specifiedDelete !== undefined && options.specifiedDelete !== false) {
    labels[SPECIFIED_DELETE_LABEL] = options.specifiedDelete === true ? 'true' : options.specifiedDelete;
  }
  if (options.instanceId !== undefined) labels[CLONESET_INSTANCE_ID_LABEL] = options.instanceId;
  return { ...labels, ...options.labels };
}

function annotationsOf(options: PodOptions): Record<string, string> | undefined {
  const annotations: Record<string, string> = { ...options.annotations };
  if (options.deletionCost !== undefined) annotations[POD_DELETION_COST_ANNOTATION] = String(options.deletionCost);
  return Object.keys(annotations).length > 0 ? annotations : undefined;
}

/**
 * Returns a pod in the requested state, deterministic for the same options.
 *
 * @example aPod({ name: 'web-a', revision: 'web-1', phase: 'ready', readySince: at(-30) })
 */
export function aPod(options: PodOptions = {}): Pod {
  const life = options.phase ?? 'ready';
  const name = options.name ?? 'pod-0';
  const annotations = annotationsOf(options);
  const containers = options.containers ?? [{ name: 'main', image: 'nginx:1' }];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: options.namespace ?? 'default',
      uid: options.uid ?? `uid-${name}`,
      creationTimestamp: iso(options.createdAt ?? T0 - 60_000),
      labels: labelsOf(options),
      ...(annotations === undefined ? {} : { annotations }),
      ...(options.finalizers === undefined ? {} : { finalizers: [...options.finalizers] }),
      ...(life === 'terminating' ? { deletionTimestamp: iso(T0) } : {}),
    },
    spec: {
      containers: containers.map((container) => ({ ...container })),
      ...(SCHEDULED.includes(life) ? { nodeName: options.node ?? 'node-a' } : {}),
      ...(options.inPlaceUpdateReady === undefined ? {} : { readinessGates: [{ conditionType: INPLACE_UPDATE_READY_CONDITION }] }),
    },
    status: {
      phase: phaseOf(life),
      conditions: conditionsOf(life, options),
      containerStatuses: containers.map((container, index) => ({
        name: container.name,
        ...(container.image === undefined ? {} : { image: container.image }),
        imageID: `${container.image ?? ''}@sha256:0`,
        ready: life === 'ready',
        restartCount: index === 0 ? (options.restarts ?? 0) : 0,
      })),
    },
  };
}

/**
 * Returns `count` pods named `<prefix>-<i>`; `options` may be one object for all, or a function of
 * the index.
 *
 * @example somePods(3, 'web', (i) => ({ revision: i < 2 ? 'web-1' : 'web-2' })) → web-0, web-1 at web-1; web-2 at web-2
 */
export function somePods(count: number, prefix: string, options: PodOptions | ((index: number) => PodOptions) = {}): Pod[] {
  return Array.from({ length: count }, (_, index) => {
    const own = typeof options === 'function' ? options(index) : options;
    return aPod({ instanceId: String(index), ...own, name: own.name ?? `${prefix}-${index}` });
  });
}
