/**
 * The daemon's pull workers under a large image list, on the in-memory cluster and the fake image
 * runtime: one NodeImage with 256 images × 4 tags (1,024 pulling tasks; 256 is OpenKruise's
 * image limit per NodeImage), every pull taking 4 s of fake time with a progress tick every 2 s,
 * 1 % of the images missing (they fail after backoffLimit 1). Runs the real controller
 * (`createImagePullController`: informer, pull workers, throttled status writer) with bounded
 * workers (5, the default) and unbounded (-1, OpenKruise's default), and prints per run: process
 * CPU time and the RSS and heap growth (the in-memory apiserver included: it keeps the NodeImage
 * and a short watch history), pulls at once at most, NodeImage status writes in all and per
 * image, and the fake time the list took. Never asserts a number.
 *
 *   pnpm --filter @kruise-ts/bench daemon   (add NODE_OPTIONS=--expose-gc for the retained heap)
 */
import { performance } from 'node:perf_hooks';
import type { ImageSpec, NodeImage } from '@kruise-ts/core';
import { createImagePullController, type ImageRuntime } from '@kruise-ts/daemon';
import { createFakeImageRuntime } from '@kruise-ts/daemon/testing';
import { KruiseResources, createMemoryCluster, type Clock } from '@kruise-ts/k8s-adapter';

const IMAGES = 256;
const TAGS = 4;
const PULL_MS = 4_000;
const TICK_MS = 2_000;

// The fake runtime answers at once; this one takes PULL_MS of fake time and reports progress.
function slowRuntime(clock: Clock): ImageRuntime & { maxInFlight(): number } {
  const inner = createFakeImageRuntime();
  let inFlight = 0;
  let max = 0;
  for (let i = 0; i < IMAGES; i++) for (let t = 0; t < TAGS; t++) if (i % 100 !== 99) inner.setImage(`reg.local:5000/app-${String(i)}:v${String(t)}`, { kind: 'available' });
  return {
    ...inner,
    maxInFlight: () => max,
    async pullImage(image, options = {}) {
      inFlight += 1;
      max = Math.max(max, inFlight);
      try {
        for (let done = TICK_MS; done < PULL_MS; done += TICK_MS) {
          await clock.sleep(TICK_MS, options.signal);
          options.onProgress?.(Math.floor((done * 100) / PULL_MS));
        }
        return await inner.pullImage(image, options);
      } finally {
        inFlight -= 1;
      }
    },
  };
}

async function run(maxWorkers: number): Promise<void> {
  const cluster = await createMemoryCluster({ nodes: 0, historyLimit: 50 });
  cluster.registerResource(KruiseResources.NodeImage);
  const images: Record<string, ImageSpec> = {};
  for (let i = 0; i < IMAGES; i++) images[`reg.local:5000/app-${String(i)}`] = { tags: Array.from({ length: TAGS }, (_, t) => ({ tag: `v${String(t)}`, pullPolicy: { backoffLimit: 1 } })) };
  const nodeImage = { apiVersion: 'apps.kruise.io/v1beta1', kind: 'NodeImage', metadata: { name: 'node-a' }, spec: { images } } satisfies NodeImage;
  await cluster.client.create(KruiseResources.NodeImage, nodeImage);
  const runtime = slowRuntime(cluster.clock);
  global.gc?.();
  const before = process.memoryUsage();
  const cpu = process.cpuUsage();
  const wall = performance.now();
  const fakeStart = cluster.clock.now();
  const controller = createImagePullController({ client: cluster.client, nodeName: 'node-a', runtime, clock: cluster.clock, maxWorkers });
  const abort = new AbortController();
  const running = controller.run(abort.signal);
  let peakRss = before.rss;
  let peakHeap = before.heapUsed;
  for (;;) {
    await cluster.clock.advance(2000);
    const mem = process.memoryUsage();
    peakRss = Math.max(peakRss, mem.rss);
    peakHeap = Math.max(peakHeap, mem.heapUsed);
    if (controller.puller.counts().finished === IMAGES * TAGS) break;
  }
  // The last status write waits for its token; let the clock run until it went out.
  for (let i = 0; i < 30 && controller.writer.writes() > 0; i++) {
    const status = (await cluster.client.get(KruiseResources.NodeImage, { name: 'node-a' })).status;
    if (status !== undefined && (status.succeeded ?? 0) + (status.failed ?? 0) === IMAGES * TAGS) break;
    await cluster.clock.advance(2000);
  }
  global.gc?.();
  const retained = process.memoryUsage().heapUsed - before.heapUsed;
  const fakeSeconds = (cluster.clock.now() - fakeStart) / 1000;
  const cpuUsed = process.cpuUsage(cpu);
  const wallMs = performance.now() - wall;
  const writes = cluster.faults.writes({ resource: 'nodeimages', subresource: 'status' }).succeeded;
  const status = (await cluster.client.get(KruiseResources.NodeImage, { name: 'node-a' })).status;
  const statusBytes = JSON.stringify(status).length;
  abort.abort();
  await running;
  await cluster.close();
  const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  process.stdout.write(
    [
      `maxWorkers ${String(maxWorkers).padStart(2)}: ${String(IMAGES * TAGS)} tags (${String(status?.succeeded ?? 0)} succeeded, ${String(status?.failed ?? 0)} failed)`,
      `  cpu ${((cpuUsed.user + cpuUsed.system) / 1000).toFixed(0)} ms (wall ${wallMs.toFixed(0)} ms), rss +${mb(peakRss - before.rss)} peak, heap +${mb(peakHeap - before.heapUsed)} peak, +${mb(retained)} retained after GC`,
      `  pulls at once at most ${String(runtime.maxInFlight())}, fake time ${fakeSeconds.toFixed(0)} s`,
      `  NodeImage status writes ${String(writes)} (${(writes / (IMAGES * TAGS)).toFixed(3)} per tag; OpenKruise's limit 0.5/s burst 5 allows ${String(5 + Math.floor(fakeSeconds * 0.5))}), ${String(Math.round(statusBytes / 1024))} KiB each`,
      '',
    ].join('\n'),
  );
}

for (const workers of [5, -1]) await run(workers);
