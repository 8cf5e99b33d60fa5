import { createEventRecorder, createLeaderElector, createServerClock, createSharedInformerFactory, fenceWrites, probeServerClock, type Clock, type KubeClient, type ServerClock, type SharedInformerFactory } from '@kruise-ts/k8s-adapter';
import { Registry } from 'prom-client';
import { createAdvancedCronJobController } from '../advancedcronjob/createAdvancedCronJobController.js';
import { createBroadcastJobController } from '../broadcastjob/createBroadcastJobController.js';
import { createEphemeralJobController } from '../ephemeraljob/createEphemeralJobController.js';
import { createCloneSetController } from '../cloneset/createCloneSetController.js';
import { createDaemonSetController } from '../daemonset/createDaemonSetController.js';
import { createResourceDistributionController } from '../resourcedistribution/createResourceDistributionController.js';
import { createPersistentPodStateController } from '../persistentpodstate/createPersistentPodStateController.js';
import { createImageListPullJobController, createImagePullJobController, createNodeImageController } from '../imagepulljob/index.js';
import { createContainerRecreateRequestController } from '../containerrecreaterequest/index.js';
import { createNodePodProbeController, createPodProbeMarkerController } from '../podprobemarker/index.js';
import { createContainerLaunchPriorityController } from '../containerlaunchpriority/createContainerLaunchPriorityController.js';
import { createWorkloadSpreadController } from '../workloadspread/createWorkloadSpreadController.js';
import { createSidecarTerminatorController } from '../sidecarterminator/createSidecarTerminatorController.js';
import type { ControllerDeps, RunningController } from '../runtime/controllerDeps.js';
import { createSidecarSetController } from '../sidecarset/createSidecarSetController.js';
import { createStatefulSetController } from '../statefulset/createStatefulSetController.js';
import { createUnitedDeploymentController } from '../uniteddeployment/createUnitedDeploymentController.js';
import { createPodUnavailableBudgetController } from '../podunavailablebudget/createPodUnavailableBudgetController.js';
import type { Logger } from '../runtime/logger.js';
import { createRuntimeMetrics, informerMetricSink, setLeaderElectionStatus } from '../runtime/metrics.js';
import type { FeatureGateName, FeatureGates } from './featureGates.js';
import { CONTROLLER_GATES } from './permissions.js';

/** The controllers the manager can run. */
export const CONTROLLER_NAMES = ['cloneset', 'statefulset', 'daemonset', 'sidecarset', 'podunavailablebudget', 'advancedcronjob', 'broadcastjob', 'ephemeraljob', 'uniteddeployment', 'resourcedistribution', 'persistentpodstate', 'containerlaunchpriority', 'nodeimage', 'imagepulljob', 'imagelistpulljob', 'workloadspread', 'containerrecreaterequest', 'podprobemarker', 'nodepodprobe', 'sidecarterminator'] as const;
/** One of {@link CONTROLLER_NAMES}. */
export type ControllerName = (typeof CONTROLLER_NAMES)[number];

/** What {@link createManager} needs; every dependency is passed in (the composition root wires them). */
export interface ManagerOptions {
  readonly client: KubeClient;
  /**
   * The local clock. The leader elector, informers and work queues run on it; controllers get it
   * aligned to the apiserver's time (`createServerClock`, from the stamps on the manager's own
   * writes), since they compare it with times the apiserver and kubelets stamp (issue 20).
   */
  readonly clock: Clock;
  /**
   * The apiserver's time over `clock` (default: one of its own, `createServerClock(clock)`, logging
   * its changes). kruise-ts-manager passes the one its webhooks read, so both read one estimate fed
   * by every write of the process (ADR 0022).
   */
  readonly serverClock?: ServerClock | undefined;
  readonly logger: Logger;
  /** Where the metrics go (default: a new registry of its own). */
  readonly registry?: Registry | undefined;
  readonly featureGates: FeatureGates;
  /** Only this namespace; omitted = all. */
  readonly namespace?: string | undefined;
  /** The manager's own namespace (SidecarSet ControllerRevisions live there; default `kruise-system`). */
  readonly managerNamespace?: string | undefined;
  /** Which controllers run. */
  readonly controllers: readonly ControllerName[];
  /** Concurrent reconciles per controller (a controller not listed gets its default, 3). */
  readonly workers: Readonly<Partial<Record<ControllerName, number>>>;
  /** How long after a node turns Ready its NodeImage is created (default 30 s, `--nodeimage-creation-delay`). */
  readonly nodeImageCreationDelayMs?: number | undefined;
  /** The workload kinds WorkloadSpread counts per version (default `deployment`, `replicaset`; `--ws-enabled-versioned-status`). */
  readonly workloadSpreadVersionedKinds?: ReadonlySet<string> | undefined;
  /** Lease-based leader election; omitted = act at once (a single replica). */
  readonly leaderElection?: { readonly namespace: string; readonly name: string; readonly identity: string } | undefined;
  /** The apiserver serves `pods/resize`. */
  readonly resizeSubresource: boolean;
  /**
   * The client Events are written with (default `client`). Give it its own rate limit, as
   * client-go's recorder has its own client, so events never wait behind pod writes.
   */
  readonly eventClient?: Pick<KubeClient, 'create' | 'patch'> | undefined;
  /**
   * The client the leader-election Lease is read and renewed with (default `client`). Give it its
   * own rate limit, as controller-runtime's leader election has its own client: a renewal queued
   * behind the controllers' writes at a low QPS would miss renewDeadline and, with writes fenced
   * by the lease, stop the leader.
   */
  readonly leaseClient?: KubeClient | undefined;
  /** How long the Events still queued at shutdown may take before they are dropped (default 2 s). */
  readonly eventShutdownTimeoutMs?: number | undefined;
  /**
   * Awaited before the controllers (and so their informers) start, each time this replica starts
   * leading. The manager passes its webhooks' first readiness: the CRDs' conversion webhooks are in
   * place before any informer lists a converted kind, as OpenKruise sets its controllers up after
   * `webhook.WaitReady()`. An informer that listed or watched while a CRD still had
   * `conversion: None` caches objects of the storage version under the served one's name (fields
   * renamed between versions missing) until each object changes.
   */
  readonly beforeControllers?: ((signal: AbortSignal) => Promise<void>) | undefined;
  /**
   * A watch of the controllers' informers that receives nothing for this long is restarted
   * (default 5 min, `--watch-idle-timeout`): a connection cut silently (no FIN, no RST) looks idle.
   */
  readonly watchIdleTimeoutMs?: number | undefined;
  /**
   * The process's informer factory, when the webhooks read the same caches (kruise-ts-manager: one
   * cache of pods per process, as controller-runtime's manager cache serves OpenKruise's
   * controllers and webhooks). It is not stopped when a leadership term ends (its owner stops it).
   * Omitted: the manager makes one per term over its client and stops it with the term.
   */
  readonly informers?: SharedInformerFactory | undefined;
}

/** How each controller is made from the shared dependencies and the manager's options. */
const CONTROLLER_FACTORIES: Record<ControllerName, (deps: ControllerDeps, options: ManagerOptions) => RunningController> = {
  cloneset: (deps, options) =>
    createCloneSetController({
      ...deps,
      featureGates: options.featureGates,
      namespace: options.namespace,
      concurrency: options.workers.cloneset,
      resizeSubresource: options.resizeSubresource,
    }),
  statefulset: (deps, options) =>
    createStatefulSetController({
      ...deps,
      featureGates: options.featureGates,
      namespace: options.namespace,
      concurrency: options.workers.statefulset,
      resizeSubresource: options.resizeSubresource,
    }),
  daemonset: (deps, options) =>
    createDaemonSetController({
      ...deps,
      featureGates: options.featureGates,
      namespace: options.namespace,
      concurrency: options.workers.daemonset,
      resizeSubresource: options.resizeSubresource,
    }),
  sidecarset: (deps, options) =>
    createSidecarSetController({
      ...deps,
      namespace: options.namespace,
      revisionNamespace: options.managerNamespace,
      concurrency: options.workers.sidecarset,
    }),
  advancedcronjob: (deps, options) => createAdvancedCronJobController({ ...deps, namespace: options.namespace, concurrency: options.workers.advancedcronjob }),
  broadcastjob: (deps, options) => createBroadcastJobController({ ...deps, namespace: options.namespace, concurrency: options.workers.broadcastjob }),
  ephemeraljob: (deps, options) => createEphemeralJobController({ ...deps, namespace: options.namespace, concurrency: options.workers.ephemeraljob }),
  uniteddeployment: (deps, options) => createUnitedDeploymentController({ ...deps, namespace: options.namespace, concurrency: options.workers.uniteddeployment }),
  podunavailablebudget: (deps, options) => createPodUnavailableBudgetController({ ...deps, namespace: options.namespace, concurrency: options.workers.podunavailablebudget }),
  // Cluster-wide whatever `namespace` says (distributions are cluster-scoped and write into every namespace).
  resourcedistribution: (deps, options) => createResourceDistributionController({ ...deps, concurrency: options.workers.resourcedistribution }),
  persistentpodstate: (deps, options) => createPersistentPodStateController({ ...deps, namespace: options.namespace, concurrency: options.workers.persistentpodstate }),
  // NodeImages are cluster-scoped, one per node: the controller is cluster-wide whatever `namespace` says.
  nodeimage: (deps, options) => createNodeImageController({ ...deps, concurrency: options.workers.nodeimage, creationDelayMs: options.nodeImageCreationDelayMs }),
  imagepulljob: (deps, options) => createImagePullJobController({ ...deps, namespace: options.namespace, concurrency: options.workers.imagepulljob }),
  imagelistpulljob: (deps, options) => createImageListPullJobController({ ...deps, namespace: options.namespace, concurrency: options.workers.imagelistpulljob }),
  containerrecreaterequest: (deps, options) => createContainerRecreateRequestController({ ...deps, namespace: options.namespace, concurrency: options.workers.containerrecreaterequest }),
  podprobemarker: (deps, options) => createPodProbeMarkerController({ ...deps, namespace: options.namespace, concurrency: options.workers.podprobemarker }),
  nodepodprobe: (deps, options) => createNodePodProbeController({ ...deps, concurrency: options.workers.nodepodprobe }),
  containerlaunchpriority: (deps, options) => createContainerLaunchPriorityController({ ...deps, namespace: options.namespace, concurrency: options.workers.containerlaunchpriority }),
  workloadspread: (deps, options) => createWorkloadSpreadController({ ...deps, namespace: options.namespace, concurrency: options.workers.workloadspread, versionedKinds: options.workloadSpreadVersionedKinds }),
  sidecarterminator: (deps, options) => createSidecarTerminatorController({ ...deps, namespace: options.namespace, concurrency: options.workers.sidecarterminator }),
};

/** A running controller manager. */
export interface Manager {
  /**
   * Runs until `signal` aborts (then stops the controllers, releases the lease and resolves), or
   * until leadership is lost (then rejects: the process should exit and restart, as client-go
   * managers do).
   */
  run(signal: AbortSignal): Promise<void>;
  /** True once the informers of every controller have synced (the readiness check). */
  isReady(): boolean;
  /** True while leading (always true without leader election). */
  isLeader(): boolean;
}

/**
 * Returns the controller manager: one shared informer factory, the event recorder, and the chosen
 * controllers, started when this replica leads (or at once without leader election).
 *
 * @example
 * ```ts
 * const manager = createManager({ client, clock, logger, featureGates, controllers: ['cloneset'], workers: { cloneset: 3 }, resizeSubresource: true });
 * await manager.run(signal);
 * ```
 */
export function createManager(options: ManagerOptions): Manager {
  const { clock, logger } = options;
  // One clock in the apiserver's time for every controller (minReadySeconds, progress deadlines,
  // requeues at a pod's available time), fed by every client's writes (ADR 0022).
  const serverClock = options.serverClock ?? createLoggedServerClock(clock, logger);
  const client = serverClock.track(options.client);
  const eventClient = options.eventClient === undefined ? client : serverClock.track(options.eventClient);
  const leaseClient = options.leaseClient === undefined ? client : serverClock.track(options.leaseClient);
  const registry = options.registry ?? new Registry();
  // Readiness is derived from the controllers' own state: every one past cache sync and working.
  let active: readonly RunningController[] = [];
  let leading = options.leaderElection === undefined;
  const runControllers = async (signal: AbortSignal, holdsLease?: () => boolean): Promise<void> => {
    if (options.beforeControllers !== undefined) {
      logger.info('waiting for the webhooks (CRD conversion) before starting controllers');
      await options.beforeControllers(signal);
      if (signal.aborted) return;
    }
    // Under leader election every write is fenced by the lease: a leader frozen past it (SIGSTOP,
    // a starved event loop) writes nothing on waking, whichever queue fires first (issue 20).
    const fence = <C extends Partial<KubeClient>>(c: C): C => (holdsLease === undefined ? c : fenceWrites(c, holdsLease));
    const writer = fence(client);
    // Informers only list and watch: a shared factory over the unfenced client is the same cache.
    const informers = options.informers ?? createSharedInformerFactory(writer, { clock, watchdogMs: options.watchIdleTimeoutMs, onMetric: informerMetricSink(registry, logger) });
    const events = createEventRecorder({ client: fence(eventClient), component: 'kruise-ts-manager', clock, logger });
    const metrics = createRuntimeMetrics(registry);
    const deps = { client: writer, clock: serverClock, informers, events, metrics, logger };
    // A controller behind a gate that is off does not run, as OpenKruise's Add returns early.
    const gateOff = (name: ControllerName): boolean => CONTROLLER_GATES[name] !== undefined && !options.featureGates[CONTROLLER_GATES[name] as FeatureGateName];
    const names = options.controllers.filter((name) => !gateOff(name));
    const running = names.map((name) => CONTROLLER_FACTORIES[name](deps, options));
    logger.info({ controllers: names, namespace: options.namespace ?? '' }, 'starting controllers');
    active = running;
    try {
      await Promise.all(running.map((c) => c.controller.start(signal)));
    } finally {
      active = [];
      await Promise.all(running.map((c) => c.stop()));
      await events.close(options.eventShutdownTimeoutMs ?? 2000);
      if (options.informers === undefined) informers.stopAll();
    }
  };

  return {
    isReady: () => active.length > 0 && active.every((c) => c.controller.state === 'running'),
    isLeader: () => leading,
    async run(signal) {
      const election = options.leaderElection;
      if (election === undefined) {
        await primeServerClock(client, options.namespace, logger);
        await runControllers(signal);
        return;
      }
      const outcome = { lost: false };
      const elector = createLeaderElector({
        client: leaseClient,
        clock,
        ...election,
        onStartedLeading: (leaderSignal) => {
          leading = true;
          setLeaderElectionStatus(registry, election.name, true);
          logger.info({ identity: election.identity }, 'became leader');
          return runControllers(leaderSignal, () => !leaderSignal.aborted && elector.isLeader());
        },
        onStoppedLeading: () => {
          leading = false;
          setLeaderElectionStatus(registry, election.name, false);
          outcome.lost = !signal.aborted;
          logger.info({ identity: election.identity, lost: outcome.lost }, 'stopped leading');
        },
        onNewLeader: (identity) => {
          logger.info({ leader: identity }, 'leader observed');
        },
        onError: (error) => {
          logger.warn({ err: error }, 'leader election request failed');
        },
      });
      await elector.run(signal);
      if (outcome.lost) throw new Error('leader election lost');
    },
  };
}

/**
 * Returns `createServerClock(clock)` that logs `apiserver clock offset` (info) whenever its estimate
 * changes kind, e.g. `{ estimate: 'skewed', offsetMs: -120412 }` on a host 2 min ahead.
 */
export function createLoggedServerClock(clock: Clock, logger: Logger): ServerClock {
  return createServerClock(clock, {
    onChange: (estimate) => {
      logger.info({ estimate: estimate.kind, offsetMs: estimate.offsetMs }, 'apiserver clock offset');
    },
  });
}

/**
 * Takes a first sample of the apiserver's clock before the controllers start, where no Lease write
 * has given one (`probeServerClock`: a dry-run Event create, nothing stored). Without it, the first pass
 * would judge minReadySeconds by the local clock, and times queued before the first write would
 * move by the whole skew. A failure (RBAC, no namespace) is logged and the controllers start anyway.
 */
async function primeServerClock(client: KubeClient, namespace: string | undefined, logger: Logger): Promise<void> {
  if (!(await probeServerClock(client, { namespace, component: 'kruise-ts-manager' }))) logger.debug({ namespace: namespace ?? 'default' }, 'apiserver clock probe failed');
}
