/**
 * Times the image pre-pull planners the controllers run on every wake-up: `planImagePullJob` over
 * 5,000 NodeImages (each listing 20 other images; the job's tag synced on half, 2,000 of those
 * succeeded, 10 failed), the label-selector and the names variants; `planNodeImage` on a NodeImage
 * listing 256 images (OpenKruise's cap), 2 tags each, every tag answered; and the fan-out a
 * NodeImage status change causes in the ImagePullJob controller against 500 active jobs (every job
 * concerned, `nodeImageConcernsJob`, and the ones woken, `imagePullJobsToWake`). Prints median and p95; never asserts a time.
 *
 *   pnpm --filter @kruise-ts/bench imagepull
 */
import { formatTime, imagePullJobsToWake, nodeImageConcernsJob, planImagePullJob, planNodeImage, withImagePullJobDefaults, type ImageSpec, type ImageStatus, type NodeImage } from '@kruise-ts/core';
import { aNodeImage, anImagePullJob, T0 } from '@kruise-ts/core/testing';
import { measurePass } from './measurePass.js';

const NODES = 5_000;
const WARMUP = 5;
const RUNS = 30;
const IMAGE = 'registry.local:5000/app';
const OWNER = { apiVersion: 'apps.kruise.io/v1beta1', kind: 'ImagePullJob', namespace: 'default', name: 'pull-nginx', uid: 'uid-pull-nginx' };
const at = formatTime(T0 - 60_000);

function otherImages(count: number): Record<string, ImageSpec> {
  return Object.fromEntries(Array.from({ length: count }, (_, i) => [`registry.local:5000/other-${String(i)}`, { tags: [{ tag: '1', version: 0, createdAt: at, pullPolicy: { ttlSecondsAfterFinished: 600 } }] }]));
}

const nodeImages: NodeImage[] = Array.from({ length: NODES }, (_, i) => {
  const synced = i % 2 === 0;
  const images = { ...otherImages(20), ...(synced ? { [IMAGE]: { tags: [{ tag: '1.0', version: 0, createdAt: at, ownerReferences: [OWNER] }] } } : {}) };
  const done = synced && i < 4_000 ? { [IMAGE]: { tags: [{ tag: '1.0', phase: i % 400 === 0 ? ('Failed' as const) : ('Succeeded' as const), version: 0, completionTime: at }] } } : {};
  return aNodeImage(`node-${String(i)}`, { labels: { pool: i % 3 === 0 ? 'web' : 'batch' }, images, imageStatuses: done });
});

const job = (extra: Parameters<typeof anImagePullJob>[0] = {}) => withImagePullJobDefaults(anImagePullJob({ image: `${IMAGE}:1.0`, parallelism: 50, ...extra }));
const allNodes = job();
const byLabel = job({ selector: { matchLabels: { pool: 'web' } } });
const byName = job({ selector: { names: nodeImages.filter((_, i) => i % 5 === 0).map((ni) => ni.metadata?.name ?? '') } });
const handed = (plan: ReturnType<typeof planImagePullJob>) => plan.actions.reduce((n, a) => n + (a.kind === 'sync-node-images' ? a.nodeImages.length : 0), 0) + (plan.status?.succeeded ?? 0);

measurePass(`planImagePullJob, ${String(NODES)} NodeImages, no selector`, () => handed(planImagePullJob({ job: allNodes, nodeImages, pods: [], now: T0 })), { warmup: WARMUP, runs: RUNS });
measurePass(`planImagePullJob, ${String(NODES)} NodeImages, label selector`, () => handed(planImagePullJob({ job: byLabel, nodeImages, pods: [], now: T0 })), { warmup: WARMUP, runs: RUNS });
measurePass(`planImagePullJob, ${String(NODES)} NodeImages, 1000 names`, () => handed(planImagePullJob({ job: byName, nodeImages, pods: [], now: T0 })), { warmup: WARMUP, runs: RUNS });

const big: Record<string, ImageSpec> = Object.fromEntries(
  Array.from({ length: 256 }, (_, i) => [`registry.local:5000/img-${String(i)}`, { tags: ['1', '2'].map((tag) => ({ tag, version: 0, createdAt: at, ownerReferences: [OWNER], pullPolicy: { ttlSecondsAfterFinished: 86_400 } })) }]),
);
const bigStatus: Record<string, ImageStatus> = Object.fromEntries(Object.keys(big).map((name) => [name, { tags: ['1', '2'].map((tag) => ({ tag, phase: 'Succeeded' as const, version: 0, completionTime: at })) }]));
const full = aNodeImage('node-0', { images: big, imageStatuses: bigStatus });
const node = { metadata: { name: 'node-0', labels: full.metadata?.labels ?? {} }, status: { conditions: [{ type: 'Ready', status: 'True' as const, lastTransitionTime: at }] } };
measurePass('planNodeImage, 256 images x 2 tags, all answered', () => (planNodeImage({ name: 'node-0', node, nodeImage: full, jobUid: () => 'uid-pull-nginx', now: T0 }).kind === 'status' ? 1 : 0), { warmup: WARMUP, runs: RUNS });

const jobs = Array.from({ length: 500 }, (_, i) => job({ name: `job-${String(i)}`, selector: i % 2 === 0 ? { matchLabels: { pool: 'web' } } : { names: [`node-${String(i)}`] } }));
measurePass('NodeImage change fan-out: nodeImageConcernsJob x 500 jobs', () => jobs.filter((j) => nodeImageConcernsJob(j, nodeImages[3] ?? full, [])).length, { warmup: WARMUP, runs: RUNS });
const before = nodeImages[4] ?? full;
const after: NodeImage = { ...before, status: { desired: 21, imageStatuses: { ...before.status?.imageStatuses, 'registry.local:5000/other-3': { tags: [{ tag: '1', phase: 'Succeeded', version: 0 }] } } } };
measurePass('NodeImage status update: imagePullJobsToWake x 500 jobs', () => imagePullJobsToWake(jobs, after, before, []).length, { warmup: WARMUP, runs: RUNS });
