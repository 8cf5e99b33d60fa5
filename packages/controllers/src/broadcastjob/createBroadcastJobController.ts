import { checkNodeFitness, planBroadcastJobPass, type BroadcastJob, type BroadcastJobStatus, type BroadcastJobStep } from '@kruise-ts/core';
import { KruiseResources, Resources, connectObserver, controllerKeyOf, createResourceVersionExpectations, createScaleExpectations, type KubeObject } from '@kruise-ts/k8s-adapter';
import { runningController, type ControllerDeps, type RunningController } from '../runtime/controllerDeps.js';
import { createController } from '../runtime/createController.js';
import { enqueueMapped, enqueueObject, enqueueOwner, objectKeyOf } from '../runtime/watches.js';
import { nodePlacementChanged } from '../workload/nodePlacementChanged.js';
import { randomSuffix } from '../workload/randomSuffix.js';
import { reconcileWorkload, type WorkloadKind } from '../workload/reconcileWorkload.js';
import { observeBroadcastJob, type BroadcastJobCaches, type ObservedBroadcastJob } from './observeBroadcastJob.js';

/** Options of {@link createBroadcastJobController}. */
export interface BroadcastJobControllerOptions extends ControllerDeps {
  /** Only BroadcastJobs (and their pods) in this namespace; omitted = all namespaces. Nodes are always all of them. */
  readonly namespace?: string | undefined;
  /** Reconciles of different jobs at once (default 3, OpenKruise's `--broadcastjob-workers`). */
  readonly concurrency?: number | undefined;
  /** Where new pod name suffixes come from (default: random, as the apiserver's generateName). */
  readonly podNameSuffix?: (() => string) | undefined;
}

/** A BroadcastJob controller and the resources it holds. */
export type BroadcastJobController = RunningController;

const BROADCASTJOB_OWNER = { group: 'apps.kruise.io', kind: 'BroadcastJob' } as const;

const isTerminal = (status: BroadcastJobStatus | undefined): boolean => status?.phase === 'failed' || status?.phase === 'completed';

/**
 * Returns the BroadcastJob as a {@link WorkloadKind}: its caches, and core's `planBroadcastJobPass`
 * at the injected clock's time. A job the controller ended (phase failed or completed) is
 * remembered until the cache shows it so: the events of the pods it deleted can come before the
 * job's own, and a pass on the job as it was would end it a second time (new completion time,
 * counts of the pods left).
 */
export function broadcastJobKind(caches: BroadcastJobCaches, options: Pick<BroadcastJobControllerOptions, 'podNameSuffix'>): WorkloadKind<ObservedBroadcastJob, BroadcastJobStep, BroadcastJobStatus> {
  const ended = new Map<string, BroadcastJobStatus>();
  return {
    resource: KruiseResources.BroadcastJob,
    observe: (key) => observeBroadcastJob(caches, key),
    plan: (observed, now) => {
      const uid = observed.job.metadata?.uid ?? '';
      if (isTerminal(observed.job.status)) ended.delete(uid);
      const remembered = ended.get(uid);
      const job = remembered === undefined ? observed.job : { ...observed.job, status: remembered };
      const plan = planBroadcastJobPass({ ...observed, job, now, podNameSuffixes: options.podNameSuffix ?? randomSuffix });
      if (!isTerminal(job.status) && isTerminal(plan.status)) ended.set(uid, plan.status);
      return plan;
    },
    describe: (step) => ({ step: step.kind, ...('desired' in step ? { desired: step.desired, created: step.created.length, complete: step.complete } : {}), ...('reason' in step ? { reason: step.reason } : {}) }),
  };
}

/**
 * Returns whether a job's pod, bound to `node`, would fit it (what OpenKruise's node event handler
 * asks before waking the job).
 */
export function jobFitsNode(job: BroadcastJob, node: KubeObject): boolean {
  const name = node.metadata.name ?? '';
  return checkNodeFitness({ ...job.spec.template.spec, nodeName: name }, node).kind === 'fits';
}

/**
 * Returns the BroadcastJob controller: informers on BroadcastJobs, pods and nodes; scale and
 * resourceVersion expectations fed by pod events; and the shared workload reconcile over core's
 * `planBroadcastJobPass`, woken by job events, by events of the pods a job controls, and by node
 * events that may change where a job runs (a node added, its labels, taints, cordon or conditions
 * changed: the jobs whose pod fits the node before or after), and at the time the plan asks (active
 * deadline, TTL after finished). Call `controller.start(signal)`.
 */
export function createBroadcastJobController(options: BroadcastJobControllerOptions): BroadcastJobController {
  const { informers, namespace, clock } = options;
  const scoped = namespace === undefined ? {} : { namespace };
  const jobs = informers.informerFor(KruiseResources.BroadcastJob, scoped);
  const pods = informers.informerFor(Resources.Pod, scoped);
  const nodes = informers.informerFor(Resources.Node);
  const scaleExpectations = createScaleExpectations({ clock, keyOf: (object) => controllerKeyOf(object) });
  const resourceVersions = createResourceVersionExpectations({ clock, cache: pods.store });
  const kind = broadcastJobKind({ jobs: jobs.store, pods: pods.store, nodes: nodes.store }, options);
  const deps = { client: options.client, clock, events: options.events, logger: options.logger, scaleExpectations, resourceVersions, expectationMetrics: options.metrics?.forExpectations('broadcastjob') };
  const nodeJobs = enqueueMapped(nodes, (node: KubeObject) => jobs.store.list(namespace).filter((job) => jobFitsNode(job, node)).map(objectKeyOf), { predicate: nodePlacementChanged });
  const controller = createController({
    name: 'broadcastjob',
    concurrency: options.concurrency ?? 3,
    clock,
    logger: options.logger,
    metrics: options.metrics,
    watches: [enqueueObject(jobs), enqueueOwner(pods, BROADCASTJOB_OWNER), nodeJobs],
    reconcile: (key, context) => reconcileWorkload(deps, kind, key, context),
  });
  const feeds = [connectObserver(scaleExpectations, pods.events$), connectObserver(resourceVersions, pods.events$)];
  return runningController(controller, feeds, [jobs, pods, nodes]);
}
