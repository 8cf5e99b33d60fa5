import {
  consumePubBudget,
  decidePubAdmission,
  formatTime,
  isPodUnavailableChange,
  parsePodUnavailableBudget,
  PodSchema,
  pubRelatedName,
  type Pod,
  type PodUnavailableBudget,
  type PubOperation,
} from '@kruise-ts/core';
import { ConflictError, KruiseResources, NotFoundError, Resources, type Clock, type KubeClient, type KubeObject, type KubeReader } from '@kruise-ts/k8s-adapter';
import { createKeyedLock } from '../../runtime/keyedLock.js';
import type { AdmissionContext, AdmissionRequest } from '../admissionTypes.js';
import { getOrUndefined, ownWritesOf, readThrough } from '../ownWrites.js';
import { parsedOnce } from '../parsedOnce.js';
import type { PodValidation, PodValidator } from './podValidatingWebhook.js';

/** The gates the PodUnavailableBudget pod check reads (absent: OpenKruise's defaults). */
export interface PubGates {
  /** DELETE and eviction checked (default on). */
  readonly PodUnavailableBudgetDeleteGate?: boolean | undefined;
  /** In-place UPDATE and RESIZE checked (default off). */
  readonly PodUnavailableBudgetUpdateGate?: boolean | undefined;
  /** The cluster resizes pods natively: RESIZE is protected only when listed (default off: UPDATE protects it). */
  readonly InPlacePodVerticalScaling?: boolean | undefined;
}

/** Options of {@link pubPodValidator} and {@link checkPubBudget}. */
export interface PubPodValidatorOptions {
  /** Writes budget status; re-reads a budget after a conflict, and an evicted pod the reader does not hold. */
  readonly client: KubeClient;
  /**
   * Reads budgets and evicted pods first (the manager's informer cache, `createCachedReader`;
   * default `client`). A budget it does not hold is no budget (OpenKruise's GetPubForPod on the
   * cached client).
   */
  readonly reader?: KubeReader | undefined;
  /** The time recorded in disruptedPods / unavailablePods. */
  readonly clock: Clock;
  readonly featureGates?: PubGates | undefined;
  /** Status writes tried before giving up on conflicts (default 4, OpenKruise's ConflictRetry steps). */
  readonly maxAttempts?: number | undefined;
}

const allowed: PodValidation = { kind: 'allow' };

type Target = { readonly kind: 'skip' } | { readonly kind: 'check'; readonly pod: Pod; readonly operation: PubOperation };
const skip: Target = { kind: 'skip' };

function readPod(value: unknown): Pod | undefined {
  const parsed = PodSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

// Which pod an admission request disrupts, and how (OpenKruise's podUnavailableBudgetValidatingPod).
async function targetOf(request: AdmissionRequest, options: PubPodValidatorOptions, signal: AbortSignal): Promise<Target> {
  const gates = options.featureGates ?? {};
  const sub = request.subResource ?? '';
  if (request.operation === 'DELETE') {
    if (sub !== '' || gates.PodUnavailableBudgetDeleteGate === false) return skip;
    const pod = readPod(request.oldObject);
    return pod === undefined ? skip : { kind: 'check', pod, operation: 'DELETE' };
  }
  if (request.operation === 'CREATE') {
    if (sub !== 'eviction' || gates.PodUnavailableBudgetDeleteGate === false || request.name === undefined) return skip;
    const key = { namespace: request.namespace ?? 'default', name: request.name };
    // A pod newer than the cache (just created) is read from the apiserver rather than let through.
    const object = await readThrough(options.reader ?? options.client, options.client, Resources.Pod, key, signal);
    const pod = object === undefined ? undefined : readPod(object);
    return pod === undefined ? skip : { kind: 'check', pod, operation: 'EVICT' };
  }
  if (request.operation !== 'UPDATE' || (sub !== '' && sub !== 'resize') || gates.PodUnavailableBudgetUpdateGate !== true) return skip;
  const next = readPod(request.object);
  const old = readPod(request.oldObject);
  if (next === undefined || old === undefined || pubRelatedName(next) === undefined || !isPodUnavailableChange(old, next)) return skip;
  return { kind: 'check', pod: old, operation: sub === 'resize' ? 'RESIZE' : 'UPDATE' };
}

type BudgetObject = PodUnavailableBudget & KubeObject;

/** `parsePodUnavailableBudget`, once per cached object (the pod webhooks read the same cached budget on every pod). */
export const parseCachedBudget = parsedOnce((object: object) => parsePodUnavailableBudget(object));
type ReadBudget = { pub: PodUnavailableBudget; object: BudgetObject };

function parsedBudget(object: BudgetObject | undefined): ReadBudget | undefined {
  if (object === undefined) return undefined;
  const parsed = parseCachedBudget(object);
  return parsed.kind === 'valid' ? { pub: parsed.value, object } : undefined;
}

// One check-and-decrement at a time per budget in this process (OpenKruise's GlobalKeyedMutex):
// requests of one manager never conflict with each other, only with other writers.
const withBudgetLock = createKeyedLock();

/**
 * Returns whether `operation` on `pod` may proceed under its PodUnavailableBudget, consuming one
 * unit of `unavailableAllowed` when it must (OpenKruise's `PodUnavailableBudgetValidatePod`, also
 * used by the workload controllers before an in-place update): the budget named by the pod's
 * `pub.kruise.io/related-pub` annotation is read through `reader` (the informer cache in the
 * manager; a budget it does not hold is no budget), or the newer copy this process last wrote while
 * the cache lags, core's `decidePubAdmission` and `consumePubBudget` decide, and the new status is
 * written to the apiserver with the read resourceVersion; a 409, or a refusal decided on a cached
 * copy, re-reads the budget from the apiserver and decides again (up to `maxAttempts`), so concurrent operations never take more
 * than the budget allows, however stale the cache. A refusal is a 429 with OpenKruise's message. With `dryRun` nothing is
 * written.
 *
 * @example budget { unavailableAllowed: 0 }, DELETE of a ready pod → { kind: 'deny', code: 429,
 *   message: 'podunavailablebudget.policy.kruise.io "web-pub" is forbidden: pub unavailable allowed is negative' }
 */
export async function checkPubBudget(pod: Pod, operation: PubOperation, options: PubPodValidatorOptions & { readonly dryRun?: boolean | undefined; readonly signal: AbortSignal }): Promise<PodValidation> {
  const name = pubRelatedName(pod);
  const namespace = pod.metadata.namespace ?? 'default';
  if (name === undefined) return allowed;
  const nativeResize = options.featureGates?.InPlacePodVerticalScaling === true;
  const reader = options.reader ?? options.client;
  const key = `${namespace}/${name}`;
  // The newer of the cache's copy and this process's last write (OpenKruise's GlobalCache).
  const written = ownWritesOf(reader);
  const readCached = async (): Promise<ReadBudget | undefined> => parsedBudget(written.newest(KruiseResources.PodUnavailableBudget, { namespace, name }, await getOrUndefined(reader, KruiseResources.PodUnavailableBudget, { namespace, name }, options.signal)));
  const first = await readCached();
  const decision = decidePubAdmission({ pod, operation, pub: first?.pub, now: options.clock.now(), nativeResize });
  if (decision.kind === 'allow' || first === undefined) return allowed;
  const attempts = options.maxAttempts ?? 4;
  return withBudgetLock(key, async () => {
    for (let attempt = 0; attempt < attempts; attempt++) {
      // Read inside the lock: a request queued behind another must see what that one wrote (its
      // write is in `written` if the reader has not seen it yet). After a conflict the cache is
      // stale: the budget is read from the apiserver (OpenKruise's refresh).
      const cachedCopy = attempt === 0 && reader !== options.client;
      const current = attempt === 0 ? await readCached() : parsedBudget(await getOrUndefined(options.client, KruiseResources.PodUnavailableBudget, { namespace, name }, options.signal));
      if (current === undefined) return allowed;
      // Decide again on what was read: another request may have recorded this pod meanwhile.
      const again = decidePubAdmission({ pod, operation, pub: current.pub, now: options.clock.now(), nativeResize });
      if (again.kind === 'allow') return allowed;
      const consumed = consumePubBudget(current.pub, pod.metadata.name ?? '', operation, formatTime(options.clock.now()));
      // A refusal is confirmed on the apiserver's copy: a cache that has not seen the controller
      // raise unavailableAllowed must not refuse what the budget allows (OpenKruise refuses on its cached copy).
      if (consumed.kind === 'refused' && cachedCopy) continue;
      if (consumed.kind === 'refused') return { kind: 'deny', message: consumed.message, code: 429, reason: 'TooManyRequests' };
      if (options.dryRun === true) return allowed;
      try {
        const stored = await options.client.replace(KruiseResources.PodUnavailableBudget, { ...current.object, status: consumed.status }, { subresource: 'status', signal: options.signal });
        if (reader !== options.client) written.record(KruiseResources.PodUnavailableBudget, stored);
        return allowed;
      } catch (error) {
        if (error instanceof NotFoundError) return allowed;
        if (!(error instanceof ConflictError)) throw error;
      }
    }
    return { kind: 'deny', message: `Timeout: couldn't update PodUnavailableBudget ${name} due to conflicts`, code: 429, reason: 'TooManyRequests' };
  });
}

/**
 * Returns the PodUnavailableBudget check of the pod validating webhook: a pod DELETE and a
 * `pods/eviction` (PodUnavailableBudgetDeleteGate, on by default), an UPDATE that changes the
 * spec or adds an `unavailable-pod.kruise.io/` label and a `pods/resize` (PodUnavailableBudgetUpdateGate,
 * off by default) go through {@link checkPubBudget}; everything else passes.
 *
 * @example the second eviction while the first evicted pod is still recorded → 429
 *   `podunavailablebudget.policy.kruise.io "web-pub" is forbidden: pub unavailable allowed is negative`
 */
export function pubPodValidator(options: PubPodValidatorOptions): PodValidator {
  return {
    name: 'podunavailablebudget',
    async validate(request: AdmissionRequest, context: AdmissionContext) {
      if (request.namespace === 'kube-system' || request.namespace === 'kube-public') return allowed;
      const target = await targetOf(request, options, context.signal);
      if (target.kind === 'skip') return allowed;
      const pod = target.pod.metadata.namespace === undefined ? { ...target.pod, metadata: { ...target.pod.metadata, namespace: request.namespace } } : target.pod;
      return checkPubBudget(pod, target.operation, { ...options, dryRun: request.dryRun, signal: context.signal });
    },
  };
}
