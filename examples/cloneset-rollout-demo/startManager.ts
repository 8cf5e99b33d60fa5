/**
 * Runs the manager's controllers in this process, as `kruise-ts-manager` does (packages/controllers/
 * src/main.ts), without its servers, leader election or signal handling: those belong to the
 * process, and this process is the demo.
 */
import { createWriteStream } from 'node:fs';
import { createLogger, createManager, parseFeatureGates, serverSupportsResize } from '@kruise-ts/controllers';
import type { Clock, KubeClient } from '@kruise-ts/k8s-adapter';

/** Options of {@link startManager}. */
export interface StartManagerOptions {
  readonly client: KubeClient;
  readonly clock: Clock;
  /** Only this namespace (the demo's): CloneSets elsewhere in a real cluster are left alone. */
  readonly namespace: string;
  /** File to append the manager's JSON logs to (level info); omitted = no logs, so the view stays clean. */
  readonly logFile?: string | undefined;
}

/** A manager running in this process. */
export interface RunningManager {
  /** What stopped the controllers before `stop()`, if anything did. */
  failure(): Error | undefined;
  /** Stops the controllers and waits for them. */
  stop(): Promise<void>;
}

/**
 * Returns a running manager with the CloneSet controller (OpenKruise's default feature gates, no
 * leader election) on `client`, scoped to `namespace`.
 *
 * @example
 * ```ts
 * const manager = await startManager({ client: cluster.client, clock: cluster.clock, namespace: 'kri-dev' });
 * // … create CloneSets in kri-dev …
 * await manager.stop();
 * ```
 */
export async function startManager(options: StartManagerOptions): Promise<RunningManager> {
  const gates = parseFeatureGates(''); // no --feature-gates flag: OpenKruise's defaults
  if (gates.kind === 'invalid') throw new Error(gates.problems.join('; '));
  const logFile = options.logFile === undefined ? undefined : createWriteStream(options.logFile, { flags: 'a' });
  const logger = createLogger({ level: logFile === undefined ? 'silent' : 'info', name: 'kruise-ts-manager', destination: logFile });
  const manager = createManager({
    client: options.client,
    clock: options.clock,
    logger,
    featureGates: gates.gates,
    namespace: options.namespace,
    controllers: ['cloneset'],
    workers: { cloneset: 2 },
    resizeSubresource: await serverSupportsResize(options.client),
  });
  const abort = new AbortController();
  let failure: Error | undefined;
  const running = manager.run(abort.signal).then(
    () => {
      if (!abort.signal.aborted) failure = new Error('the manager stopped by itself');
    },
    (error: unknown) => {
      failure = error instanceof Error ? error : new Error(String(error));
    },
  );
  return {
    failure: () => failure,
    async stop() {
      abort.abort();
      await running;
      if (logFile !== undefined) await new Promise<void>((resolve) => logFile.end(resolve));
    },
  };
}
