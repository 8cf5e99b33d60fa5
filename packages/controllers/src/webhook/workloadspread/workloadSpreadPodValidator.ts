import { DEFAULT_VERSIONED_STATUS_KINDS, formatTime, isPodActive, PodSchema, podWorkloadVersion, readMatchedWorkloadSpread, recordPodDeletion, type Pod, type PodDeletionRecord } from '@kruise-ts/core';
import { Resources, type Clock, type KubeClient, type KubeReader } from '@kruise-ts/k8s-adapter';
import type { AdmissionRequest } from '../admissionTypes.js';
import { readThrough } from '../ownWrites.js';
import type { PodValidation, PodValidator } from '../pod/podValidatingWebhook.js';
import { updateWorkloadSpreadStatus } from './workloadSpreadStatusUpdate.js';

/** Options of {@link workloadSpreadPodValidator}. */
export interface WorkloadSpreadPodValidatorOptions {
  /** Writes WorkloadSpread status; re-reads after a conflict; reads an evicted pod the reader does not hold. */
  readonly client: KubeClient;
  /** Reads WorkloadSpreads and evicted pods first (the manager's informer cache, `createCachedReader`; default `client`). */
  readonly reader?: KubeReader | undefined;
  /** The time deletingPods records. */
  readonly clock: Clock;
  /** The workload kinds whose pods release a slot of their version's statuses (default `deployment`, `replicaset`). */
  readonly versionedKinds?: ReadonlySet<string> | undefined;
}

const allowed: PodValidation = { kind: 'allow' };

function readPod(value: unknown): Pod | undefined {
  const parsed = PodSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

// The pod a DELETE or an eviction removes (OpenKruise's workloadSpreadValidatingPod).
async function removedPod(request: AdmissionRequest, options: WorkloadSpreadPodValidatorOptions, signal: AbortSignal): Promise<Pod | undefined> {
  const sub = request.subResource ?? '';
  if (request.operation === 'DELETE' && sub === '') return readPod(request.oldObject);
  if (request.operation !== 'CREATE' || sub !== 'eviction' || request.name === undefined) return undefined;
  // A pod newer than the cache (just created) is read from the apiserver.
  const object = await readThrough(options.reader ?? options.client, options.client, Resources.Pod, { namespace: request.namespace ?? 'default', name: request.name }, signal);
  return object === undefined ? undefined : readPod(object);
}

/**
 * Returns the WorkloadSpread check of the pod validating webhook (OpenKruise's
 * `workloadSpreadValidatingPod`, after the PodUnavailableBudget check): a pod DELETE or eviction of
 * an active, controlled pod annotated `apps.kruise.io/matched-workloadspread` releases its slot:
 * core's `recordPodDeletion` puts it in its subset's deletingPods and gives missingReplicas one
 * back, in the statuses of the pod's version, written with optimistic concurrency. Dry runs write nothing. It never refuses a deletion
 * for a WorkloadSpread that is gone or a subset no longer there; a status that cannot be written
 * after the retries refuses it (500), as OpenKruise does. Reads go to `reader` (the informer cache)
 * as in `workloadSpreadPodMutator`'s: a release costs the status write only (compare-and-swap
 * on the cached resourceVersion, a 409 re-reads from the apiserver); a WorkloadSpread the cache does
 * not hold releases nothing (OpenKruise's cached Get); a subset the cached copy lacks is looked up
 * on the apiserver's copy before nothing is released.
 *
 * @example DELETE web-3 (subset zone-b, missing 0) → allowed; zone-b missingReplicas 1, deletingPods { web-3 }
 */
export function workloadSpreadPodValidator(options: WorkloadSpreadPodValidatorOptions): PodValidator {
  return {
    name: 'workloadspread',
    async validate(request, context) {
      const pod = await removedPod(request, options, context.signal);
      if (pod === undefined) return allowed;
      const matched = readMatchedWorkloadSpread(pod);
      const controlled = (pod.metadata.ownerReferences ?? []).some((o) => o.controller === true);
      if (matched === undefined || !isPodActive(pod) || !controlled) return allowed;
      const namespace = request.namespace ?? pod.metadata.namespace ?? 'default';
      const outcome = await updateWorkloadSpreadStatus<PodDeletionRecord>(
        { client: options.client, reader: options.reader },
        { namespace, name: matched.name },
        (ws) => {
          const version = podWorkloadVersion(pod, options.versionedKinds ?? DEFAULT_VERSIONED_STATUS_KINDS);
          const record = recordPodDeletion(ws, { name: pod.metadata.name ?? '', subset: matched.subset, version }, formatTime(options.clock.now()));
          return record.kind === 'recorded' ? { kind: 'write', status: record.status, result: record } : { kind: 'answer', result: record, confirm: record.kind === 'no-subset' };
        },
        { signal: context.signal, dryRun: request.dryRun },
      );
      if (outcome.kind === 'conflicts') return { kind: 'deny', code: 500, reason: 'InternalError', message: `update WorkloadSpread ${namespace}/${matched.name} status failed after ${String(outcome.attempts)} conflicts` };
      return allowed;
    },
  };
}
