import { SIDECARSET_API_VERSION, SIDECARSET_KIND } from '@kruise-ts/core';
import type { Clock, EventSink, KubeClient, ResourceVersionExpectationsTracker } from '@kruise-ts/k8s-adapter';
import type { SidecarSetObject } from './sidecarSetResources.js';

/** What the SidecarSet controller's writes need. */
export interface SidecarSetWriteDeps {
  readonly client: KubeClient;
  readonly clock: Clock;
  /** Pod writes not yet seen by the pod cache, by pod uid. */
  readonly resourceVersions: ResourceVersionExpectationsTracker;
  readonly events: EventSink;
  /** Namespace of the SidecarSets' ControllerRevisions (the manager's). */
  readonly revisionNamespace: string;
}

/** One reconcile of one SidecarSet: the object as cached and the abort signal. */
export interface SidecarSetPass {
  /** The SidecarSet's name (its queue key; SidecarSets are cluster-scoped). */
  readonly key: string;
  readonly object: SidecarSetObject;
  readonly signal: AbortSignal;
}

/** Records a Normal or Warning event on the SidecarSet (OpenKruise's reasons). */
export function recordSidecarSetEvent(deps: Pick<SidecarSetWriteDeps, 'events'>, pass: SidecarSetPass, type: 'Normal' | 'Warning', reason: string, message: string): void {
  const { name = '', uid } = pass.object.metadata;
  deps.events.emit({ subject: { apiVersion: SIDECARSET_API_VERSION, kind: SIDECARSET_KIND, name, uid }, type, reason, message });
}
