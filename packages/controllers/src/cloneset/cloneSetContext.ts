import type { CloneSet } from '@kruise-ts/core';
import type { Clock, EventSink, KubeClient, KubeObject, ResourceVersionExpectationsTracker, ScaleExpectationsTracker } from '@kruise-ts/k8s-adapter';
import type { FeatureGates } from '../manager/featureGates.js';

/** What the CloneSet controller's writes need: the client, clock, expectations and events. */
export interface CloneSetWriteDeps {
  readonly client: KubeClient;
  readonly clock: Clock;
  readonly scaleExpectations: ScaleExpectationsTracker;
  readonly resourceVersions: ResourceVersionExpectationsTracker;
  readonly events: EventSink;
  readonly featureGates: FeatureGates;
  /** The apiserver serves `pods/resize` (Kubernetes >= 1.32): resources change through it. */
  readonly resizeSubresource: boolean;
}

/** One reconcile of one CloneSet: its key, the object, and the abort signal. */
export interface CloneSetPass {
  /** `namespace/name`, the expectations key. */
  readonly key: string;
  readonly object: CloneSet & KubeObject;
  readonly signal: AbortSignal;
}

/** What applying a plan did: whether it wrote, and when to look again. */
export interface ApplyOutcome {
  readonly wrote: boolean;
  /** Come back after this long even without an event (grace periods, minReadySeconds). */
  readonly requeueAfterMs?: number | undefined;
}

/** Records a Normal or Warning event on the CloneSet. */
export function recordEvent(deps: Pick<CloneSetWriteDeps, 'events'>, pass: CloneSetPass, type: 'Normal' | 'Warning', reason: string, message: string): void {
  const { name = '', namespace, uid } = pass.object.metadata;
  deps.events.emit({ subject: { apiVersion: 'apps.kruise.io/v1beta1', kind: 'CloneSet', name, namespace, uid }, type, reason, message });
}

/** Returns the smaller of two optional delays. */
export function soonest(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}
