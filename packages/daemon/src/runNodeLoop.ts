import { createInformer, type Clock, type EventSink, type InformerEvent, type InformerOptions, type KubeClient, type KubeObject, type ObjectStore, type ResourceType } from '@kruise-ts/k8s-adapter';

/** The daemon's structured log line (pino's `logger[level](fields, message)`). */
export type DaemonLog = (level: 'info' | 'warn', fields: Record<string, unknown>, message: string) => void;

/** What every node loop of the daemon takes (image pull, container recreate, pod probe). */
export interface DaemonLoopOptions {
  readonly client: KubeClient;
  /** This node: each loop watches only the objects of this node. */
  readonly nodeName: string;
  /**
   * The host's clock: timers, durations (pull deadlines, probe periods, grace periods) and the
   * container runtime's times (CRI stamps them on this host).
   */
  readonly clock: Clock;
  /**
   * The apiserver's time (kruise-ts-daemon: a `ServerClock` over `clock`, fed by the daemon's own
   * writes): every time written into an object (NodeImage pull times, CRR completionTime, probe
   * times) and every comparison with a time the apiserver or the manager stamped (a CRR's
   * creationTimestamp and unready-acquired time) — the manager and the apiserver read those by
   * the apiserver's clock (ADR 0022). Default `clock`.
   */
  readonly serverClock?: Pick<Clock, 'now'> | undefined;
  /** Where the loop's events go. */
  readonly events?: EventSink | undefined;
  readonly log?: DaemonLog | undefined;
  /** Informer watchdog (tests shorten it). */
  readonly watchdogMs?: number | undefined;
}

/** What {@link runNodeLoop} watches and what it does with it. */
export interface NodeLoopSpec<T extends KubeObject> {
  readonly type: ResourceType<T>;
  /** The informer's selectors (`fieldSelector` / `labelSelector`) naming this node's objects. */
  readonly select: Pick<InformerOptions<T>, 'fieldSelector' | 'labelSelector'>;
  /** Called once with the informer's cache, before any event (for syncs that list it). */
  readonly onStart?: ((store: ObjectStore<T>) => void) | undefined;
  /** Called for every informer event, in order. */
  readonly onEvent: (event: InformerEvent<T>) => void;
  /** Called once the informer has listed (the loop's `isSynced` turns true). */
  readonly onSynced: () => void;
  /** Called once the signal aborted and the informer stopped: stop workers, await their loops. */
  readonly onStop: () => void | Promise<void>;
}

/**
 * Returns when `signal` aborts, after running one informer of `spec.type` with this node's
 * selectors: it subscribes `onEvent`, calls `onSynced` when the first list is in, waits for the
 * abort, then unsubscribes, stops the informer and awaits `onStop`. The shape every daemon loop
 * shares (OpenKruise's `Run`: `WaitForCacheSync`, workers, `<-stop`).
 *
 * @example
 * ```ts
 * await runNodeLoop(options, { type: KruiseResources.NodeImage, select: { fieldSelector: 'metadata.name=node-a' }, onEvent, onSynced: () => { synced = true; }, onStop: () => puller.stop() }, signal);
 * ```
 */
export async function runNodeLoop<T extends KubeObject>(options: DaemonLoopOptions, spec: NodeLoopSpec<T>, signal: AbortSignal): Promise<void> {
  const informer = createInformer(options.client, spec.type, { ...spec.select, clock: options.clock, watchdogMs: options.watchdogMs });
  spec.onStart?.(informer.store);
  const subscription = informer.events$.subscribe(spec.onEvent);
  const aborted = new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => { resolve(); }, { once: true });
  });
  try {
    await Promise.race([informer.synced, aborted]);
    if (!signal.aborted) spec.onSynced();
    await aborted;
  } finally {
    subscription.unsubscribe();
    informer.stop();
    await spec.onStop();
  }
}
