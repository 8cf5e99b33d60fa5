import type { NodeImage, NodeImageStatus, ReferenceObject } from '@kruise-ts/core';
import { KruiseResources, NotFoundError, Resources } from '@kruise-ts/k8s-adapter';
import type { ImageRuntime } from '../cri/imageRuntime.js';
import type { PullSecret } from '../secrets/dockerKeyring.js';
import { createImagePuller, type ImagePuller, type PullEvent } from './createImagePuller.js';
import { createStatusWriter, type StatusWriter } from './createStatusWriter.js';
import { runNodeLoop, type DaemonLoopOptions } from '../runNodeLoop.js';
import { canonicalJson } from '../canonicalJson.js';

/** Options of {@link createImagePullController}. */
export interface ImagePullControllerOptions extends DaemonLoopOptions {
  readonly runtime: ImageRuntime;
  /** Pulls at once at most (default 5; -1 = no bound). */
  readonly maxWorkers?: number | undefined;
  /** Status writes per second and burst (default OpenKruise's 0.5 and 5). */
  readonly statusLimit?: { readonly qps: number; readonly burst: number } | undefined;
}

/** The daemon's image pre-pull loop for one node. */
export interface ImagePullController {
  /** Watches the node's NodeImage and pulls until `signal` aborts, then stops the workers. */
  run(signal: AbortSignal): Promise<void>;
  /** Whether the NodeImage informer has listed (OpenKruise's `nodeImageInformerSynced` check). */
  isSynced(): boolean;
  readonly puller: ImagePuller;
  readonly writer: StatusWriter;
}

/**
 * Returns the image pre-pull controller of OpenKruise's kruise-daemon for `nodeName`: it watches
 * only that NodeImage (field selector `metadata.name=<node>`), feeds spec changes (not its own
 * status writes) to the pull workers, and writes their status to the NodeImage's `/status`
 * subresource as a JSON patch of `/status` (keeping `firstSyncStatus`), throttled and coalesced.
 * Pull Secrets are read when a task starts; events go on the NodeImage and on the ImagePullJobs
 * owning the tag.
 *
 * @example
 * ```ts
 * const controller = createImagePullController({ client, nodeName: 'node-a', runtime: cri, clock: systemClock() });
 * await controller.run(abort.signal);
 * ```
 */
export function createImagePullController(options: ImagePullControllerOptions): ImagePullController {
  const { client, nodeName } = options;
  let synced = false;
  let current: NodeImage | undefined;

  // As OpenKruise's secret manager: a Secret that cannot be read is logged and left out (a copy in
  // kruise-daemon-config is deleted once its jobs finish while the NodeImage still names it), so the
  // pull goes on with the others, or anonymously, and fails with the registry's answer if it must.
  const readSecrets = async (refs: readonly ReferenceObject[], signal: AbortSignal): Promise<PullSecret[]> => {
    const read = await Promise.all(
      refs.map(async (ref) => {
        try {
          return await client.get(Resources.Secret, { namespace: ref.namespace ?? '', name: ref.name ?? '' }, { signal });
        } catch (error) {
          if (signal.aborted) throw error;
          const what = `pull Secret ${ref.namespace ?? ''}/${ref.name ?? ''}`;
          options.log?.('warn', { secret: `${ref.namespace ?? ''}/${ref.name ?? ''}` }, error instanceof NotFoundError ? `${what} not found, pulling without it` : `reading ${what} failed, pulling without it: ${error instanceof Error ? error.message : String(error)}`);
          return undefined;
        }
      }),
    );
    return read.filter((secret) => secret !== undefined);
  };

  const onEvent = (event: PullEvent): void => {
    const sink = options.events;
    if (sink === undefined) return;
    sink.emit({ subject: { apiVersion: 'apps.kruise.io/v1beta1', kind: 'NodeImage', name: nodeName, uid: current?.metadata?.uid }, type: event.type, reason: event.reason, message: event.message });
    for (const owner of event.owners ?? []) {
      if (owner.kind === undefined || owner.name === undefined) continue;
      sink.emit({ subject: { apiVersion: owner.apiVersion, kind: owner.kind, name: owner.name, namespace: owner.namespace, uid: owner.uid }, type: event.type, reason: event.reason, message: event.message });
    }
  };

  const writer: StatusWriter = createStatusWriter({
    clock: options.clock,
    limit: options.statusLimit,
    read: () => (current === undefined ? undefined : puller.status()),
    write: async (status: NodeImageStatus, signal) => {
      const firstSyncStatus = current?.status?.firstSyncStatus;
      const value = firstSyncStatus === undefined ? status : { ...status, firstSyncStatus };
      await client.patch(KruiseResources.NodeImage, { name: nodeName }, { type: 'json', operations: [{ op: 'add', path: '/status', value }] }, { subresource: 'status', signal });
    },
    onError: (error) => options.log?.('warn', { err: error instanceof Error ? error.message : String(error) }, 'writing NodeImage status failed; retrying'),
  });
  const puller = createImagePuller({ runtime: options.runtime, readSecrets, clock: options.clock, serverClock: options.serverClock, maxWorkers: options.maxWorkers, onChange: () => { writer.notify(); }, onEvent, log: options.log });

  return {
    puller,
    writer,
    isSynced: () => synced,
    async run(signal) {
      // The NodeImage has the node's name. Our own status writes come back as updates: only a
      // spec change (or a status someone else reset) is work for the pullers; the rest would be
      // a reconcile cascade.
      await runNodeLoop(options, {
        type: KruiseResources.NodeImage,
        select: { fieldSelector: `metadata.name=${nodeName}` },
        onEvent: (event) => {
          if (event.object.metadata.name !== nodeName) return;
          if (event.type === 'deleted') {
            current = undefined;
            writer.reset();
            puller.sync({ metadata: { name: nodeName } });
            return;
          }
          const changedSpec = event.type === 'added' || JSON.stringify(event.previous.spec) !== JSON.stringify(event.object.spec);
          current = event.object;
          if (changedSpec) puller.sync(event.object);
          else if (!sameStatus(event.object.status, puller.status())) writer.reset(); // someone else changed it: write ours again
          else return;
          writer.notify();
        },
        onSynced: () => { synced = true; },
        onStop: async () => {
          writer.stop();
          await puller.stop();
        },
      }, signal);
    },
  };
}

function sameStatus(onServer: NodeImageStatus | undefined, ours: NodeImageStatus): boolean {
  if (onServer === undefined) return false;
  const { firstSyncStatus: _kept, ...rest } = onServer;
  return canonicalJson(rest) === canonicalJson(ours);
}
