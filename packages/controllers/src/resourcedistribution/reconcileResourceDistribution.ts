import {
  computeResourceDistributionStatus,
  jsonEqual,
  planResourceDistribution,
  plannedFailures,
  type DistributionAction,
  type DistributionFailure,
  type ResourceDistributionStatus,
} from '@kruise-ts/core';
import { AlreadyExistsError, ConflictError, InvalidError, KruiseResources, NotFoundError, Resources, type Clock, type EventSink, type KubeClient, type ResourceType } from '@kruise-ts/k8s-adapter';
import type { ReconcileContext, ReconcileResult } from '../runtime/createController.js';
import { TerminalError } from '../runtime/terminalError.js';
import { observeResourceDistribution, type ResourceDistributionCaches } from './observeResourceDistribution.js';

/** What {@link reconcileResourceDistribution} uses. */
export interface ResourceDistributionReconcileDeps {
  readonly client: KubeClient;
  readonly clock: Clock;
  readonly events: EventSink;
  readonly caches: ResourceDistributionCaches;
}

/** A pass whose copies could not all be written; each failed namespace is in the status conditions. */
export class DistributionWriteError extends Error {
  readonly _tag = 'DistributionWriteError' as const;
  constructor(
    message: string,
    readonly failures: readonly DistributionFailure[],
  ) {
    super(message);
    this.name = 'DistributionWriteError';
  }
}

/** The outcome of one write: done, failed (a condition), or the cache was behind (look again). */
type WriteOutcome = { readonly kind: 'done' } | { readonly kind: 'failed'; readonly failure: DistributionFailure } | { readonly kind: 'stale' };

const WRITE_CONDITION = { create: 'CreateResourceFailed', update: 'UpdateResourceFailed', delete: 'DeleteResourceFailed' } as const;

async function write(client: KubeClient, type: ResourceType, action: DistributionAction, signal: AbortSignal): Promise<WriteOutcome> {
  if (action.kind !== 'create' && action.kind !== 'update' && action.kind !== 'delete') return { kind: 'done' };
  try {
    if (action.kind === 'create') await client.create(type, action.object, { signal });
    else if (action.kind === 'update') await client.patch(type, action.target, { type: 'json', operations: action.patch }, { signal });
    else await client.delete(type, action.target, { preconditions: { uid: action.target.uid }, signal });
    return { kind: 'done' };
  } catch (error) {
    // Gone, taken or replaced since the cache saw it: the next pass decides on what is there.
    if (error instanceof NotFoundError && action.kind === 'delete') return { kind: 'done' };
    if (error instanceof AlreadyExistsError || error instanceof NotFoundError || error instanceof ConflictError) return { kind: 'stale' };
    // A failed `test` of the uid (the copy was re-created under its name) is a 422.
    if (error instanceof InvalidError && action.kind === 'update' && /test/i.test(error.message)) return { kind: 'stale' };
    const message = error instanceof Error ? error.message : String(error);
    return { kind: 'failed', failure: { namespace: action.namespace, type: WRITE_CONDITION[action.kind], message } };
  }
}

/**
 * Returns the outcomes of the writes in slow-start batches (1, 2, 4... at once, as OpenKruise's
 * `syncItSlowly`), continuing past failures: every namespace is tried each pass.
 */
async function writeSlowly(client: KubeClient, type: ResourceType, actions: readonly DistributionAction[], signal: AbortSignal): Promise<WriteOutcome[]> {
  const writes = actions.filter((a) => a.kind === 'create' || a.kind === 'update' || a.kind === 'delete');
  const outcomes: WriteOutcome[] = [];
  for (let start = 0, size = 1; start < writes.length; start += size, size *= 2) {
    outcomes.push(...(await Promise.all(writes.slice(start, start + size).map((action) => write(client, type, action, signal)))));
  }
  return outcomes;
}

/**
 * Reconciles one ResourceDistribution: observe (caches) → plan (core's `planResourceDistribution`)
 * → write the copies (create, JSON-patch behind a uid test, delete with a uid precondition) →
 * status (core's `computeResourceDistributionStatus`, patched only when it changed). A write that
 * finds the cache behind (AlreadyExists, NotFound, a changed uid) makes the pass look again at
 * once, status untouched; a failed write is recorded in its condition and the pass fails so the
 * work queue backs off (as OpenKruise returns its error list). Conflicts and missing namespaces
 * are reported, not retried: a change of namespace or Secret brings the distribution back.
 */
export async function reconcileResourceDistribution(deps: ResourceDistributionReconcileDeps, key: string, context: ReconcileContext): Promise<ReconcileResult> {
  const observed = observeResourceDistribution(deps.caches, key);
  if (observed.kind === 'gone' || observed.kind === 'deleting') return { kind: 'done' };
  const subject = { apiVersion: 'apps.kruise.io/v1beta1', kind: 'ResourceDistribution', name: key, uid: observed.object.metadata.uid };
  if (observed.kind === 'invalid') {
    const text = observed.problems.map((p) => `${p.path}: ${p.message}`).join('; ');
    deps.events.emit({ subject, type: 'Warning', reason: 'InvalidSpec', message: text });
    throw new TerminalError(`ResourceDistribution ${key} is invalid: ${text}`);
  }
  const { rd } = observed;
  const plan = planResourceDistribution({ rd, namespaces: observed.namespaces, existing: observed.existing });
  const type = rd.spec.resource.kind === 'Secret' ? Resources.Secret : Resources.ConfigMap;
  const outcomes = await writeSlowly(deps.client, type, plan.actions, context.signal);
  context.log.debug({ desired: plan.desired, actions: plan.actions.map((a) => `${a.kind} ${a.namespace}`) }, 'distribution pass');
  if (outcomes.some((o) => o.kind === 'stale')) return { kind: 'requeue', afterMs: 0 };
  const failed = outcomes.flatMap((o) => (o.kind === 'failed' ? [o.failure] : []));
  const status = computeResourceDistributionStatus({ rd, desired: plan.desired, failures: [...plannedFailures(plan.actions), ...failed], now: deps.clock.now() });
  const stored = (observed.object as { status?: ResourceDistributionStatus }).status;
  if (!jsonEqual(stored ?? {}, status)) {
    await deps.client.patch(KruiseResources.ResourceDistribution, { name: key }, { type: 'merge', body: { status: { ...status } } }, { subresource: 'status', signal: context.signal });
  }
  if (failed.length > 0) throw new DistributionWriteError(`ResourceDistribution ${key}: ${failed.map((f) => `${f.type} in ${f.namespace}: ${f.message}`).join('; ')}`, failed);
  return { kind: 'done' };
}
