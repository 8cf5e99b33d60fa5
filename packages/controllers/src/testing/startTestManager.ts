import {
  KruiseResources,
  Resources,
  createMemoryCluster,
  type KubeObject,
  type MemoryCluster,
  type MemoryClusterOptions,
  type ObjectKey,
  type ResourceType,
  type ScaleSubresource,
} from '@kruise-ts/k8s-adapter';
import { CONTROLLER_NAMES, createManager, type ControllerName } from '../manager/createManager.js';
import { FEATURE_GATE_DEFAULTS, type FeatureGateName } from '../manager/featureGates.js';
import { createLogger } from '../runtime/logger.js';
import { createBuiltinWebhooks } from '../webhook/createBuiltinWebhooks.js';
import { admitAsWebhooks } from './admitAsWebhooks.js';
import { rolloutState, type RolloutState } from './rolloutState.js';

/** The kinds whose CRD serves a `scale` subresource (`deploy/crds/`), as the memory cluster must. */
export const SCALABLE_KINDS: readonly string[] = ['CloneSet', 'StatefulSet', 'UnitedDeployment'];
const SCALE: ScaleSubresource = { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.labelSelector' };

/** Options of {@link startTestManager}. */
export interface TestManagerOptions extends MemoryClusterOptions {
  /** Controllers to run (default all of them, as `kruise-ts-manager --controllers=*`). */
  readonly controllers?: readonly ControllerName[];
  /** Feature gates changed from OpenKruise's defaults, e.g. `{ ResourceDistributionGate: true }`. */
  readonly featureGates?: Readonly<Partial<Record<FeatureGateName, boolean>>>;
}

/** One line the manager logged, as pino wrote it. */
export type ManagerLogLine = Readonly<Record<string, unknown>> & { readonly level: string; readonly msg: string };

/** Options of the `waitFor*` helpers. */
export interface WaitOptions {
  /** Fake time allowed before failing (default 300 000 ms: five minutes of cluster time, which take well under a second). */
  readonly timeoutMs?: number;
}

/** An in-memory cluster with every kruise-ts CRD served and the manager's controllers running on it. */
export interface TestManager {
  readonly cluster: MemoryCluster;
  /**
   * Creates `object` as `kubectl create` would through the manager's webhooks: defaulted by the
   * mutating webhooks, checked by the validating ones (an invalid spec rejects with an
   * `AdmissionDeniedError` naming the fields), then stored. Returns the stored object.
   */
  create<T extends KubeObject>(type: ResourceType<T>, object: T): Promise<T>;
  /** Changes an object through the webhooks (read, `change`, admit, replace; retried on conflict). Returns the stored object. */
  update<T extends KubeObject>(type: ResourceType<T>, key: ObjectKey, change: (object: T) => T): Promise<T>;
  get<T extends KubeObject>(type: ResourceType<T>, key: ObjectKey): Promise<T>;
  /**
   * Runs the cluster (fake time, 100 ms a step) until `condition` holds; rejects after `timeoutMs`
   * of fake time with `describe`'s explanation of `key`.
   */
  waitFor<T extends KubeObject>(type: ResourceType<T>, key: ObjectKey, condition: (object: T) => boolean, options?: WaitOptions & { readonly what?: string }): Promise<T>;
  /**
   * Runs until the workload's controller has observed its latest spec and every wanted replica is
   * updated and available (see `rolloutState`); rejects with what the controller did otherwise.
   */
  waitForRollout<T extends KubeObject>(type: ResourceType<T>, key: ObjectKey, options?: WaitOptions): Promise<T>;
  /** Explains an object: its rollout state, status, its recent events (Warnings first) and the manager's errors. */
  describe(type: ResourceType, key: ObjectKey): Promise<string>;
  /** What the manager logged, in order. */
  readonly logs: readonly ManagerLogLine[];
  /** Stops the manager and the cluster. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

interface EventObject extends KubeObject {
  readonly involvedObject?: { readonly kind?: string; readonly name?: string };
  readonly type?: string;
  readonly reason?: string;
  readonly message?: string;
  readonly count?: number;
}

/**
 * Returns one version of every kruise-ts kind, the one its controller reads (`KruiseResources`
 * without the version-suffixed views): the storage version, except WorkloadSpread, stored as
 * v1beta1 by the apiserver and read as v1alpha1 (as OpenKruise's controller reads it). The memory
 * cluster does not convert, so it serves that one version per kind.
 */
export function kruiseStorageResources(): readonly ResourceType[] {
  return Object.entries(KruiseResources)
    .filter(([name]) => !/V1(alpha|beta)\d+$/.test(name))
    .map(([, type]) => type as ResourceType);
}

/**
 * Returns a running test manager: a memory cluster (3 nodes by default, fake clock) serving every
 * kruise-ts kind (`KruiseResources`, with the scale subresource of the CRDs that have one), and
 * `createManager` on it with the controllers asked for (all by default), OpenKruise's default
 * feature gates and a logger kept in `logs`. Always `close()` it (or `await using`).
 *
 * @example
 * ```ts
 * await using manager = await startTestManager();
 * await manager.create(KruiseResources.CloneSet, aCloneSet({ name: 'web', replicas: 3 }));
 * const web = await manager.waitForRollout(KruiseResources.CloneSet, { namespace: 'default', name: 'web' });
 * expect(web.status?.readyReplicas).toBe(3);
 * ```
 */
export async function startTestManager(options: TestManagerOptions = {}): Promise<TestManager> {
  const cluster = await createMemoryCluster({ nodes: 3, ...options });
  for (const type of kruiseStorageResources()) cluster.registerResource(type, SCALABLE_KINDS.includes(type.kind) ? { scale: SCALE } : {});
  const featureGates = { ...FEATURE_GATE_DEFAULTS, ...options.featureGates };
  const logs: ManagerLogLine[] = [];
  const logger = createLogger({ level: 'debug', name: 'kruise-ts-manager', destination: { write: (line: string) => logs.push(JSON.parse(line) as ManagerLogLine) } });
  const manager = createManager({
    client: cluster.client,
    clock: cluster.clock,
    logger,
    featureGates,
    controllers: options.controllers ?? CONTROLLER_NAMES,
    workers: {},
    resizeSubresource: true,
  });
  const webhooks = createBuiltinWebhooks({ client: cluster.client, managerNamespace: 'kruise-system', featureGates, clock: cluster.clock });
  const abort = new AbortController();
  let failure: unknown;
  const running = manager.run(abort.signal).catch((error: unknown) => {
    failure = error;
  });
  const step = async (): Promise<void> => {
    await cluster.settle();
    await cluster.clock.advance(100);
    await cluster.settle();
  };

  const describe = async (type: ResourceType, key: ObjectKey): Promise<string> => {
    let object: KubeObject | undefined;
    try {
      object = await cluster.client.get(type, key);
    } catch (error) {
      return `${type.kind} ${key.namespace ?? ''}/${key.name}: ${error instanceof Error ? error.message : String(error)}`;
    }
    const events = (await cluster.client.list(Resources.Event, { namespace: key.namespace ?? 'default' })).items as EventObject[];
    const own = events.filter((e) => e.involvedObject?.kind === type.kind && e.involvedObject.name === key.name);
    const ordered = [...own.filter((e) => e.type === 'Warning'), ...own.filter((e) => e.type !== 'Warning')].slice(-10);
    const errors = logs.filter((l) => l.level === 'error' || l.level === 'warn').slice(-5);
    return [
      `${type.kind} ${key.namespace ?? ''}/${key.name}: ${JSON.stringify(rolloutState(object))}`,
      `  status: ${JSON.stringify((object as { status?: unknown }).status ?? {})}`,
      `  events (${String(own.length)}, Warnings first):`,
      ...(ordered.length === 0 ? ['    none: the controller recorded nothing for it'] : ordered.map((e) => `    ${e.type ?? ''} ${e.reason ?? ''}: ${e.message ?? ''}${(e.count ?? 1) > 1 ? ` (x${String(e.count)})` : ''}`)),
      `  manager warnings and errors (${String(errors.length)}):`,
      ...errors.map((l) => `    ${l.level} ${l.msg}${typeof l.key === 'string' ? ` [${l.key}]` : ''}${l.err === undefined ? '' : `: ${JSON.stringify((l.err as { message?: unknown }).message)}`}`),
    ].join('\n');
  };

  const waitFor = async <T extends KubeObject>(type: ResourceType<T>, key: ObjectKey, condition: (object: T) => boolean, o: WaitOptions & { readonly what?: string } = {}): Promise<T> => {
    const timeoutMs = o.timeoutMs ?? 300_000;
    for (let waited = 0; ; waited += 100) {
      if (failure !== undefined) throw new Error(`the manager stopped: ${failure instanceof Error ? failure.message : JSON.stringify(failure)}`, { cause: failure });
      const object = await cluster.client.get(type, key).catch(() => undefined);
      if (object !== undefined && condition(object)) return object;
      if (waited >= timeoutMs) throw new Error(`${o.what ?? 'condition'} not reached in ${String(timeoutMs)} ms of cluster time\n${await describe(type, key)}`);
      await step();
    }
  };

  const testManager: TestManager = {
    cluster,
    logs,
    async create(type, object) {
      const admitted = await admitAsWebhooks(webhooks, type, 'CREATE', { ...object, metadata: { namespace: type.namespaced ? 'default' : undefined, ...object.metadata } });
      const stored = await cluster.client.create(type, admitted);
      await cluster.settle();
      return stored;
    },
    async update(type, key, change) {
      for (;;) {
        const current = await cluster.client.get(type, key);
        const admitted = await admitAsWebhooks(webhooks, type, 'UPDATE', change(current), current);
        try {
          const stored = await cluster.client.replace(type, admitted);
          await cluster.settle();
          return stored;
        } catch (error) {
          if (!(error instanceof Error && 'code' in error && error.code === 409)) throw error;
        }
      }
    },
    get: (type, key) => cluster.client.get(type, key),
    waitFor,
    waitForRollout: (type, key, o = {}) =>
      waitFor(type, key, (object) => rolloutState(object).kind === 'rolled-out', { ...o, what: `rollout of ${type.kind} ${key.name}` }),
    describe,
    async close() {
      abort.abort();
      await running;
      await cluster.close();
    },
    [Symbol.asyncDispose]: () => testManager.close(),
  };
  return testManager;
}

export type { RolloutState };
