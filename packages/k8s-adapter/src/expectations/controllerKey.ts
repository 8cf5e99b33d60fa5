import type { Observable, Subscription } from 'rxjs';
import type { KubeObject } from '../resourceType.js';
import type { InformerEvent } from '../watch/informer.js';

/**
 * Returns the work-queue key of the controller that owns `object`: `namespace/name` of its
 * controller ownerReference, or undefined when no controller owns it.
 *
 * @example pod `default/web-x7k2p` owned by CloneSet `web` (controller: true) → 'default/web'
 */
export function controllerKeyOf(object: KubeObject): string | undefined {
  const owner = object.metadata.ownerReferences?.find((reference) => reference.controller === true);
  if (owner === undefined) return undefined;
  const namespace = object.metadata.namespace;
  return namespace === undefined || namespace === '' ? owner.name : `${namespace}/${owner.name}`;
}

/** Something fed by informer events. */
export interface InformerEventObserver {
  /** Updates what is expected from one informer event. */
  observeEvent(event: InformerEvent<KubeObject>): void;
}

/**
 * Returns the subscription that feeds every event of `events$` to `observer` (unsubscribe to stop).
 * The events of a late subscription start with `added` for what is cached, which is what an
 * expectation tracker needs to catch up.
 */
export function connectObserver(observer: InformerEventObserver, events$: Observable<InformerEvent<KubeObject>>): Subscription {
  return events$.subscribe((event) => {
    observer.observeEvent(event);
  });
}
