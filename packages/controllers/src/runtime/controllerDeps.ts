import type { Clock, EventSink, KubeClient, SharedInformerFactory } from '@kruise-ts/k8s-adapter';
import type { Unsubscribable } from 'rxjs';
import type { Controller } from './createController.js';
import type { Logger } from './logger.js';
import type { RuntimeMetrics } from './metrics.js';

/** What every workload controller is made from (the manager shares them between its controllers). */
export interface ControllerDeps {
  readonly client: KubeClient;
  readonly clock: Clock;
  /** Where the informers come from (shared with the manager's other controllers). */
  readonly informers: SharedInformerFactory;
  readonly events: EventSink;
  readonly logger?: Logger | undefined;
  readonly metrics?: RuntimeMetrics | undefined;
}

/** A controller loop and the informers and feeds it holds. */
export interface RunningController {
  readonly controller: Controller;
  /** Stops the controller, its expectation feeds, and releases its informers. */
  stop(): Promise<void>;
}

/**
 * Returns the {@link RunningController} of `controller`: `stop()` stops the loop (letting the
 * reconciles in flight finish), then ends the expectation `feeds` and releases the `informers`.
 */
export function runningController(controller: Controller, feeds: readonly Unsubscribable[], informers: readonly { stop(): void }[]): RunningController {
  return {
    controller,
    async stop() {
      await controller.stop();
      for (const feed of feeds) feed.unsubscribe();
      for (const informer of informers) informer.stop();
    },
  };
}
