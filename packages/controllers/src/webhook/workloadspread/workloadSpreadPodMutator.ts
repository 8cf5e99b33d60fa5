import { randomUUID } from 'node:crypto';
import {
  DEFAULT_VERSIONED_STATUS_KINDS,
  formatTime,
  hasPercentSubset,
  initialSubsetStatuses,
  injectWorkloadSpreadSubset,
  isPodActive,
  podWorkloadVersion,
  recordPodCreation,
  subsetStatusesOfVersion,
  type PodCreationRecord,
  type WorkloadSpread,
  type WorkloadSpreadSubsetStatus,
} from '@kruise-ts/core';
import type { Clock, KubeClient, KubeReader } from '@kruise-ts/k8s-adapter';
import type { PodMutation, PodMutator } from '../pod/podMutatingWebhook.js';
import { readSpreadTarget } from '../../workloadspread/workloadSpreadTarget.js';
import { findWorkloadSpreadForPod } from './findWorkloadSpreadForPod.js';
import { updateWorkloadSpreadStatus } from './workloadSpreadStatusUpdate.js';

/** Options of {@link workloadSpreadPodMutator}. */
export interface WorkloadSpreadPodMutatorOptions {
  /** Writes WorkloadSpread status; re-reads a WorkloadSpread after a conflict, or to confirm that no subset has room. */
  readonly client: KubeClient;
  /**
   * Reads WorkloadSpreads, ReplicaSets and the target workloads (the manager's informer cache,
   * `createCachedReader`, as OpenKruise reads its cached client; default `client`).
   */
  readonly reader?: KubeReader | undefined;
  /** The time creatingPods records. */
  readonly clock: Clock;
  /** The id of a pod created without a name (default a random UUID, as OpenKruise's `uuid.NewUUID`). */
  readonly newUid?: (() => string) | undefined;
  /** The workload kinds whose pods are placed by their version's statuses (default `deployment`, `replicaset`, as the controller's). */
  readonly versionedKinds?: ReadonlySet<string> | undefined;
}

const unchanged: PodMutation = { kind: 'unchanged' };

/**
 * The subset statuses to start from when the WorkloadSpread has none for the pod's version yet
 * (OpenKruise's `initializedSubsetStatuses`): the caps against its workload's replicas, read only
 * when a subset caps with a percentage (`getWorkloadReplicas`, through the targetFilter's
 * `replicasPathList` when set); `undefined` when the version already has statuses.
 */
async function initialStatusesFor(client: KubeReader, ws: WorkloadSpread, version: string, namespace: string, signal: AbortSignal): Promise<WorkloadSpreadSubsetStatus[] | undefined> {
  if (subsetStatusesOfVersion(ws.status, version) !== undefined || ws.spec.targetRef === undefined) return undefined;
  const replicas = hasPercentSubset(ws) ? ((await readSpreadTarget(client, namespace, ws.spec.targetRef, [], signal, ws.spec.targetFilter))?.replicas ?? 0) : 0;
  return initialSubsetStatuses(ws, replicas);
}

/**
 * Returns the pod mutator of WorkloadSpread (OpenKruise's `workloadSpreadMutatingPod`): on the
 * CREATE of an active pod whose controller is the target of a WorkloadSpread of its namespace,
 * core's `recordPodCreation` picks the first subset with room (skipping subsets marked
 * unschedulable; a subset without maxReplicas takes the pod with no status write) and the status
 * is written with optimistic concurrency (re-read and decide again
 * on a 409, so concurrent creations never overfill a subset); the pod then gets the subset's node
 * affinity, tolerations and patch and the `apps.kruise.io/matched-workloadspread` annotation. A
 * WorkloadSpread with no status yet starts from `initialSubsetStatuses` (caps against the
 * workload's replicas, or its targetFilter's `replicasPathList`), as OpenKruise's
 * `initializedSubsetStatuses`. The decision is made on the statuses of the pod's version
 * (`podWorkloadVersion`: a Deployment's pod by its pod-template-hash, so a new revision fills each
 * subset up to its cap while the old pods are still there, as OpenKruise's
 * `versionedSubsetStatuses`); a version with none yet starts from the caps the same way. No subset with room admits the pod unchanged. A status that cannot be written
 * after the retries refuses the creation (500), as OpenKruise does; the workload creates it again.
 * Reads go to `reader` (the informer cache): a creation whose subset has room costs one request,
 * the status write, with the cached resourceVersion as compare-and-swap (a 409 re-reads from the
 * apiserver); "no subset has room" decided on a cached copy is confirmed on the apiserver's (one
 * GET), so a cache that has not seen the controller free a slot never leaves a pod unplaced.
 *
 * @example CloneSet web, subsets zone-a (missing 2), zone-b (missing 2): pod web-x → zone-a, annotation
 *   '{"name":"web-ws","subset":"zone-a"}', status zone-a missingReplicas 1, creatingPods { web-x }
 */
export function workloadSpreadPodMutator(options: WorkloadSpreadPodMutatorOptions): PodMutator {
  const newUid = options.newUid ?? randomUUID;
  const kinds = options.versionedKinds ?? DEFAULT_VERSIONED_STATUS_KINDS;
  const reader = options.reader ?? options.client;
  return {
    name: 'workloadspread',
    async mutate(pod, request, context) {
      if (request.operation !== 'CREATE' || (request.subResource ?? '') !== '' || !isPodActive(pod)) return unchanged;
      const namespace = request.namespace ?? pod.metadata.namespace ?? 'default';
      let ws;
      try {
        ws = await findWorkloadSpreadForPod(reader, pod, namespace, context.signal, options.client);
      } catch (error) {
        // Fail open, as the other pod mutators: a cluster without the WorkloadSpread CRD still creates pods.
        context.logger.warn({ err: error, namespace }, 'WorkloadSpreads not readable; pod admitted unchanged');
        return unchanged;
      }
      if (ws === undefined) return unchanged;
      const version = podWorkloadVersion(pod, kinds);
      let initial: WorkloadSpreadSubsetStatus[] | undefined;
      try {
        initial = await initialStatusesFor(reader, ws, version, namespace, context.signal);
      } catch (error) {
        // The workload or its targetFilter replicas not readable: start from no status (pod unchanged).
        context.logger.warn({ err: error, namespace, workloadSpread: ws.metadata?.name }, 'WorkloadSpread workload replicas not readable; no initial subset statuses');
      }
      const name = pod.metadata.name ?? '';
      const generatedUid = name === '' ? newUid() : '';
      const outcome = await updateWorkloadSpreadStatus<PodCreationRecord>(
        { client: options.client, reader },
        { namespace, name: ws.metadata?.name ?? '' },
        (current) => {
          const record = recordPodCreation(current, { name, generatedUid, version }, formatTime(options.clock.now()), initial);
          return record.kind === 'recorded' ? { kind: 'write', status: record.status, result: record } : { kind: 'answer', result: record, confirm: record.kind === 'no-subset' };
        },
        { signal: context.signal, dryRun: request.dryRun },
      );
      if (outcome.kind === 'gone') return unchanged;
      if (outcome.kind === 'conflicts') return { kind: 'deny', code: 500, message: `update WorkloadSpread ${namespace}/${ws.metadata?.name ?? ''} status failed after ${String(outcome.attempts)} conflicts` };
      const record = outcome.result;
      if (record.kind === 'no-subset') {
        context.logger.info({ namespace, pod: name, workloadSpread: ws.metadata?.name, reason: record.reason }, 'WorkloadSpread has no subset with room; pod admitted unchanged');
        return unchanged;
      }
      const injected = injectWorkloadSpreadSubset(pod, ws, record.subset, record.kind === 'recorded' && name === '' ? record.key : '');
      return injected.kind === 'injected' ? { kind: 'mutated', pod: injected.pod } : unchanged;
    },
  };
}
