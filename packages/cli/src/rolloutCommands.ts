import type { Clock, KubeClient, KubeObject } from '@kruise-ts/k8s-adapter';
import { pinnedRevisionStatus, type PinnedRevision } from './pinnedRevision.js';
import { rolloutStatus, type RolloutStatus } from './rolloutStatus.js';
import type { RolloutRef } from './workloadRef.js';

/** What `rollout status` ended with: the last status seen, or a timeout while it was still waiting. */
export type StatusOutcome = { readonly kind: 'ended'; readonly status: RolloutStatus } | { readonly kind: 'timed-out'; readonly status: RolloutStatus };

/** Options of {@link watchRolloutStatus}. */
export interface StatusOptions {
  readonly namespace: string;
  /** Keep watching until the rollout is done or failed (kubectl's `--watch`, default true). */
  readonly watch: boolean;
  /** Give up after this long (clock time); 0 waits forever. */
  readonly timeoutMs: number;
  /** Called with every new status message, in order. */
  readonly onStatus: (status: RolloutStatus) => void;
  /** Called with the workload as read first and at every watch event (the live view draws from it). */
  readonly onObject?: ((object: KubeObject, status: RolloutStatus) => void) | undefined;
  /**
   * `--revision=N`: the revision pinned (N > 0) and how to read the one the object runs (see
   * {@link pinnedRevisionStatus}); a mismatch ends the watch as failed.
   */
  readonly revision?: { readonly desired: number; readonly running: (object: KubeObject) => Promise<PinnedRevision['running']> } | undefined;
}

// The namespace of the object's key: none for a SidecarSet (cluster-scoped).
const namespaceOf = (ref: RolloutRef, namespace: string): string | undefined => (ref.kind === 'SidecarSet' ? undefined : namespace);

/**
 * Reads a workload's (or a SidecarSet's) rollout status and, with `watch`, follows its watch
 * events until it is done or failed (or `timeoutMs` of `clock` time passes), reporting each change
 * of message. With `revision`, every status is pinned to that revision ({@link pinnedRevisionStatus}:
 * another running revision fails). Rejects with the client's NotFoundError when the object does
 * not exist, and when it is deleted while watched.
 *
 * @example a CloneSet of 3 pods with 1 updated, then 2, then 3 updated and ready → onStatus
 *   'Waiting for CloneSet "web" rollout to finish: 1 out of 3 new replicas have been updated...', '… 2 out of 3 …',
 *   'CloneSet "web" successfully rolled out' → { kind: 'ended', status: { kind: 'done', … } }
 */
export async function watchRolloutStatus(client: KubeClient, clock: Clock, ref: RolloutRef, options: StatusOptions): Promise<StatusOutcome> {
  const namespace = namespaceOf(ref, options.namespace);
  const first = await client.get(ref.type, { namespace, name: ref.name });
  const evaluate = async (object: KubeObject): Promise<RolloutStatus> => {
    const plain = rolloutStatus(ref.kind, object);
    const pin = options.revision;
    if (pin === undefined || pin.desired === 0) return plain;
    return pinnedRevisionStatus(plain, ref.kind, ref.name, { desired: pin.desired, running: await pin.running(object) });
  };
  let status = await evaluate(first);
  options.onStatus(status);
  options.onObject?.(first, status);
  if (!options.watch || status.kind !== 'waiting') return { kind: 'ended', status };
  const abort = new AbortController();
  const timer = { fired: false };
  if (options.timeoutMs > 0) {
    clock.sleep(options.timeoutMs, abort.signal).then(
      () => {
        timer.fired = true;
        abort.abort();
      },
      () => undefined,
    );
  }
  try {
    // A watch without resourceVersion starts with the object as it is (an ADDED event), so nothing
    // between the get above and the watch is missed; a watch the server ends is opened again.
    while (!abort.signal.aborted) {
      const events = client.watch<KubeObject>(ref.type, { namespace, fieldSelector: `metadata.name=${ref.name}`, signal: abort.signal });
      for await (const event of events) {
        if (event.type === 'BOOKMARK') continue;
        if (event.type === 'DELETED') throw new Error(`${ref.kind} "${ref.name}" was deleted during the rollout`);
        const next = await evaluate(event.object);
        if (next.message !== status.message) options.onStatus(next);
        options.onObject?.(event.object, next);
        status = next;
        if (status.kind !== 'waiting') return { kind: 'ended', status };
      }
    }
  } catch (error) {
    if (!abort.signal.aborted) throw error;
  } finally {
    abort.abort();
  }
  return timer.fired ? { kind: 'timed-out', status } : { kind: 'ended', status };
}

/** What `rollout pause|resume` did: the patched workload, or why nothing was patched. */
export type PauseOutcome = { readonly kind: 'patched'; readonly object: KubeObject } | { readonly kind: 'unchanged'; readonly message: string };

/**
 * Pauses (`paused` true) or resumes (false) a rollout with a merge patch of
 * `spec.updateStrategy.rollingUpdate.paused` (the v1beta1 field of CloneSet, Advanced StatefulSet
 * and Advanced DaemonSet) or, for a SidecarSet, `spec.updateStrategy.paused` (its controller then
 * upgrades no more pods; injection into new pods goes on). As kubectl, an object already in that
 * state is not patched and the outcome says so ('is already paused' / 'is not paused').
 *
 * @example setPaused(client, cloneset web, 'default', true) on an unpaused CloneSet
 *   → PATCH {"spec":{"updateStrategy":{"rollingUpdate":{"paused":true}}}} → { kind: 'patched', object }
 * @example setPaused(client, sidecarset log, 'default', true) → PATCH {"spec":{"updateStrategy":{"paused":true}}}
 */
export async function setPaused(client: KubeClient, ref: RolloutRef, namespace: string, paused: boolean): Promise<PauseOutcome> {
  const key = { namespace: namespaceOf(ref, namespace), name: ref.name };
  type Strategy = { paused?: boolean; rollingUpdate?: { paused?: boolean } };
  const current = (await client.get(ref.type, key)) as KubeObject & { spec?: { updateStrategy?: Strategy } };
  const strategy = current.spec?.updateStrategy;
  const sidecarSet = ref.kind === 'SidecarSet';
  const now = (sidecarSet ? strategy?.paused : strategy?.rollingUpdate?.paused) === true;
  if (now === paused) return { kind: 'unchanged', message: `${resourceName(ref)} is ${paused ? 'already paused' : 'not paused'}` };
  const updateStrategy = sidecarSet ? { paused } : { rollingUpdate: { paused } };
  const object = await client.patch(ref.type, key, { type: 'merge', body: { spec: { updateStrategy } } });
  return { kind: 'patched', object };
}

/**
 * Returns kubectl's name of a workload: `cloneset.apps.kruise.io/web`.
 *
 * @example resourceName({ kind: 'StatefulSet', name: 'db' }) → 'statefulset.apps.kruise.io/db'
 * @example resourceName({ kind: 'SidecarSet', name: 'log' }) → 'sidecarset.apps.kruise.io/log'
 */
export function resourceName(ref: Pick<RolloutRef, 'kind' | 'name'>): string {
  return `${ref.kind.toLowerCase()}.apps.kruise.io/${ref.name}`;
}
