import { formatTime, type ImageListPullJob, type ImagePullJob, type ImageTagStatus, type NodeImage } from '@kruise-ts/core';
import { createMemoryCluster, createSharedInformerFactory, KruiseResources, Resources, type KubeClient, type KubeObject, type MemoryCluster } from '@kruise-ts/k8s-adapter';
import type { ControllerDeps, RunningController } from '../runtime/controllerDeps.js';
import { createLogger } from '../runtime/logger.js';
import type { RecordedEvent } from '../workload/workloadWorld.testkit.js';
import { createImageListPullJobController } from './createImageListPullJobController.js';
import { createImagePullJobController } from './createImagePullJobController.js';
import { createNodeImageController } from './createNodeImageController.js';

export type NodeImageObject = NodeImage & KubeObject;
export type ImagePullJobObject = ImagePullJob & KubeObject;
export type ImageListPullJobObject = ImageListPullJob & KubeObject;

/**
 * A fake kruise-daemon for every node: each step answers the tags of the NodeImages' specs whose
 * version it has not reported yet, first Pulling, then (next step) Succeeded, or Failed for the
 * images `fails` names, writing the NodeImage status as the daemon does (status subresource).
 */
export interface FakeDaemon {
  step(): Promise<void>;
  /** Most nodes seen pulling one image name at the same time, so far. */
  readonly maxPulling: Map<string, number>;
  /** Stops answering (a daemon that is down). */
  stopped: boolean;
}

function fakeDaemon(client: KubeClient, cluster: MemoryCluster, fails: (image: string) => boolean): FakeDaemon {
  const daemon: FakeDaemon = {
    stopped: false,
    maxPulling: new Map(),
    async step() {
      if (daemon.stopped) return;
      const now = formatTime(cluster.clock.now());
      const pulling = new Map<string, number>();
      for (const ni of (await client.list(KruiseResources.NodeImage)).items) {
        const statuses: Record<string, { tags: ImageTagStatus[] }> = {};
        let changed = false;
        for (const [name, image] of Object.entries(ni.spec?.images ?? {})) {
          const reported = ni.status?.imageStatuses?.[name]?.tags ?? [];
          const tags: ImageTagStatus[] = [];
          for (const tag of image.tags) {
            const version = tag.version ?? 0;
            const current = reported.find((t) => t.tag === tag.tag);
            let next: ImageTagStatus;
            if (current === undefined || (current.version ?? 0) !== version) next = { tag: tag.tag, phase: 'Pulling', version, startTime: now, progress: 0 };
            else if (current.phase !== 'Pulling') next = current;
            else if (fails(`${name}:${tag.tag}`)) next = { ...current, phase: 'Failed', completionTime: now, message: `Failed to pull image ${name}:${tag.tag}: not found` };
            else next = { ...current, phase: 'Succeeded', completionTime: now, progress: 100, imageID: `sha256:${name}` };
            changed ||= next !== current;
            if (next.phase === 'Pulling') pulling.set(name, (pulling.get(name) ?? 0) + 1);
            tags.push(next);
          }
          statuses[name] = { tags };
        }
        if (!changed) continue;
        const all = Object.values(statuses).flatMap((s) => s.tags);
        const count = (phase: string) => all.filter((t) => t.phase === phase).length;
        const status = { desired: all.length, pulling: count('Pulling'), succeeded: count('Succeeded'), failed: count('Failed'), imageStatuses: statuses };
        try {
          await client.patch(KruiseResources.NodeImage, { name: ni.metadata.name ?? '' }, { type: 'merge', body: { metadata: { resourceVersion: ni.metadata.resourceVersion }, status } }, { subresource: 'status' });
        } catch {
          // A conflict: the next step reads again.
        }
      }
      for (const [name, n] of pulling) daemon.maxPulling.set(name, Math.max(daemon.maxPulling.get(name) ?? 0, n));
    },
  };
  return daemon;
}

/** A memory cluster with the three image pre-pull controllers and a fake daemon. */
export interface ImagePullWorld {
  readonly cluster: MemoryCluster;
  readonly user: KubeClient;
  readonly daemon: FakeDaemon;
  readonly events: RecordedEvent[];
  /** Runs the cluster, the controllers and one daemon step per 100 ms of fake time until `condition`. */
  until(condition: () => Promise<boolean> | boolean, steps?: number): Promise<void>;
  nodeImages(): Promise<NodeImageObject[]>;
  job(name: string): Promise<ImagePullJobObject | undefined>;
  close(): Promise<void>;
}

/** Starts an {@link ImagePullWorld}: `nodes` simulated nodes (default 2), jobs in namespace `apps`. */
export async function startImagePullWorld(options: { readonly nodes?: number; readonly fails?: (image: string) => boolean; readonly random?: () => number; readonly nodeImageCreationDelayMs?: number } = {}): Promise<ImagePullWorld> {
  const cluster = await createMemoryCluster({ nodes: options.nodes ?? 2 });
  for (const type of [KruiseResources.NodeImage, KruiseResources.ImagePullJob, KruiseResources.ImageListPullJob]) cluster.registerResource(type);
  const user = cluster.clientFor('kubectl');
  await user.create(Resources.Namespace, { metadata: { name: 'apps' } });
  const events: RecordedEvent[] = [];
  const deps: ControllerDeps = {
    client: cluster.client,
    clock: cluster.clock,
    informers: createSharedInformerFactory(cluster.client, { clock: cluster.clock }),
    events: { emit: (e) => events.push({ ...e, at: cluster.clock.now() }) },
    logger: createLogger({ level: 'silent' }),
  };
  const controllers: RunningController[] = [
    createNodeImageController({ ...deps, creationDelayMs: options.nodeImageCreationDelayMs }),
    createImagePullJobController({ ...deps, random: options.random ?? (() => 0) }),
    createImageListPullJobController(deps),
  ];
  const abort = new AbortController();
  const running = controllers.map((c) => c.controller.start(abort.signal));
  const daemon = fakeDaemon(user, cluster, options.fails ?? (() => false));
  return {
    cluster,
    user,
    daemon,
    events,
    async until(condition, steps = 1200) {
      for (let i = 0; i < steps; i++) {
        await cluster.settle();
        await cluster.clock.advance(100);
        await cluster.settle();
        await daemon.step();
        if (await condition()) return;
      }
      throw new Error(`condition not reached in ${String(steps)} steps of 100 ms`);
    },
    nodeImages: async () => (await user.list(KruiseResources.NodeImage)).items,
    job: async (name) => (await user.list(KruiseResources.ImagePullJob, { namespace: 'apps' })).items.find((j) => j.metadata.name === name),
    async close() {
      abort.abort();
      await Promise.all(running.map((r) => r.catch(() => undefined)));
      await Promise.all(controllers.map((c) => c.stop()));
      await cluster.close();
    },
  };
}
