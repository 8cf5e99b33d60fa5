import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ImagePullJob } from '../api/imagePullJob.js';
import type { ImageTagStatus, NodeImage } from '../api/nodeImage.js';
import { withImagePullJobDefaults } from '../api/withImagePullJobDefaults.js';
import { aNodeImage, anImagePullJob, type ImagePullJobOptions } from '../testing/imagePullJobBuilder.js';
import { aPod } from '../testing/podBuilder.js';
import { formatTime } from '../shared/podState.js';
import { imagePullJobsToWake, imagePullJobTargets } from './imagePullJobTargets.js';
import { imagePullJobParallelism, planImagePullJob, type NodePullState } from './planImagePullJob.js';
import { jobTagPullPolicy, withJobTag } from './jobTagEntry.js';

const NOW = Date.parse('2026-03-01T10:00:00Z');
const job = (options: ImagePullJobOptions = {}) => withImagePullJobDefaults(anImagePullJob(options));
const OWNER = { apiVersion: 'apps.kruise.io/v1beta1', kind: 'ImagePullJob', namespace: 'default', name: 'pull-nginx', uid: 'uid-pull-nginx' };

/** A NodeImage in one of the states a node can be in for the default job (nginx:1.25). */
function node(name: string, state: NodePullState, labels?: Record<string, string>): NodeImage {
  if (state === 'not-synced') return aNodeImage(name, { ...(labels === undefined ? {} : { labels }) });
  const status: ImageTagStatus | undefined = state === 'pulling' ? undefined : { tag: '1.25', phase: state === 'succeeded' ? 'Succeeded' : 'Failed', version: 0, completionTime: formatTime(NOW - 1000) };
  return aNodeImage(name, {
    ...(labels === undefined ? {} : { labels }),
    images: { nginx: { tags: [{ tag: '1.25', version: 0, createdAt: formatTime(NOW - 5000), ownerReferences: [OWNER] }] } },
    ...(status === undefined ? {} : { imageStatuses: { nginx: { tags: [status] } } }),
  });
}

describe('imagePullJobTargets', () => {
  const nodes = [node('n1', 'not-synced', { pool: 'a' }), node('n2', 'not-synced', { pool: 'b' }), node('n3', 'not-synced', { pool: 'a' })];
  const names = (list: readonly NodeImage[]) => list.map((ni) => ni.metadata?.name);
  it.each<[string, ImagePullJobOptions, (string | undefined)[]]>([
    ['no selector: every NodeImage', {}, ['n1', 'n2', 'n3']],
    ['names in their order, missing skipped', { selector: { names: ['n3', 'n9', 'n1'] } }, ['n3', 'n1']],
    ['labels', { selector: { matchLabels: { pool: 'a' } } }, ['n1', 'n3']],
  ])('%s', (_, options, expected) => {
    expect(names(imagePullJobTargets(job(options), nodes, []))).toEqual(expected);
  });

  it('podSelector: the nodes of active scheduled matching pods in the namespace, once each', () => {
    const pods = [
      aPod({ name: 'w1', namespace: 'default', labels: { app: 'web' }, node: 'n3' }),
      aPod({ name: 'w2', namespace: 'default', labels: { app: 'web' }, node: 'n3' }),
      aPod({ name: 'w3', namespace: 'default', labels: { app: 'web' }, node: 'n1' }),
      aPod({ name: 'w4', namespace: 'default', labels: { app: 'web' }, phase: 'unscheduled' }),
      aPod({ name: 'w5', namespace: 'other', labels: { app: 'web' }, node: 'n2' }),
      aPod({ name: 'd1', namespace: 'default', labels: { app: 'db' }, node: 'n2' }),
    ];
    expect(names(imagePullJobTargets(job({ podSelector: { matchLabels: { app: 'web' } } }), nodes, pods))).toEqual(['n3', 'n1']);
  });
});

describe('planImagePullJob', () => {
  const plan = (j: ImagePullJob, nodes: NodeImage[], now = NOW) => planImagePullJob({ job: j, nodeImages: nodes, pods: [], now });

  it.each<[string, ImagePullJobOptions, NodePullState[], string[], Record<string, unknown>]>([
    ['3 nodes, parallelism 1, nothing synced: one node gets the tag', {}, ['not-synced', 'not-synced', 'not-synced'], ['n1'], { desired: 3, active: 0, succeeded: 0, failed: 0, message: 'job is running, progress 0.0%' }],
    ['one pulling fills parallelism 1', {}, ['succeeded', 'pulling', 'not-synced'], [], { desired: 3, active: 1, succeeded: 1, message: 'job is running, progress 33.3%' }],
    ['parallelism 2 with one pulling: one more', { parallelism: 2 }, ['pulling', 'not-synced', 'not-synced'], ['n2'], { active: 1 }],
    ['parallelism "2" (a string) reads as 2', { parallelism: '2' }, ['not-synced', 'not-synced', 'not-synced'], ['n1', 'n2'], { active: 0 }],
    ['parallelism "50%" reads as 0 (Go IntValue): paused', { parallelism: '50%' }, ['not-synced', 'not-synced'], [], { active: 0 }],
    ['all done, one failed: completed', {}, ['succeeded', 'failed', 'succeeded'], [], { desired: 3, succeeded: 2, failed: 1, failedNodes: ['n2'], completionTime: formatTime(NOW), message: 'job has completed' }],
    ['Never never completes', { completionPolicy: { type: 'Never' } }, ['succeeded', 'succeeded'], [], { succeeded: 2, message: 'job is running, progress 100.0%' }],
    ['no nodes: Always completes at once', {}, [], [], { desired: 0, completionTime: formatTime(NOW), message: 'job has completed' }],
  ])('%s', (_, options, states, synced, status) => {
    const result = plan(job(options), states.map((s, i) => node(`n${String(i + 1)}`, s)));
    expect(result.actions.flatMap((a) => (a.kind === 'sync-node-images' ? a.nodeImages : []))).toEqual(synced);
    expect(result.status).toMatchObject(status);
  });

  it('past activeDeadlineSeconds: completes with every unfinished node failed', () => {
    const j = job({ completionPolicy: { type: 'Always', activeDeadlineSeconds: 900 }, status: { desired: 3, startTime: formatTime(NOW - 901_000) } });
    const result = plan(j, [node('n1', 'succeeded'), node('n2', 'pulling'), node('n3', 'not-synced')]);
    expect(result.step).toMatchObject({ kind: 'sync', reason: 'deadline-exceeded' });
    expect(result.actions).toEqual([]);
    expect(result.status).toMatchObject({ succeeded: 1, failed: 2, failedNodes: ['n2', 'n3'], message: 'job exceeds activeDeadlineSeconds', completionTime: formatTime(NOW) });
  });

  it('before the deadline: requeued for it', () => {
    const j = job({ completionPolicy: { type: 'Always', activeDeadlineSeconds: 900 }, status: { desired: 1, startTime: formatTime(NOW - 300_000) } });
    expect(plan(j, [node('n1', 'pulling')]).requeueAfterMs).toBe(600_000);
  });

  it.each([
    ['no TTL: nothing more', undefined, NOW, undefined, []],
    ['TTL 60 s, finished 30 s ago: wait 30 s', 60, NOW - 30_000, 30_000, []],
    ['TTL 60 s, finished 61 s ago: delete', 60, NOW - 61_000, undefined, ['delete-job']],
  ])('finished job, %s', (_, ttl, completedAt, requeue, actions) => {
    const j = job({ completionPolicy: { type: 'Always', ...(ttl === undefined ? {} : { ttlSecondsAfterFinished: ttl }) }, status: { desired: 1, completionTime: formatTime(completedAt) } });
    const result = plan(j, [node('n1', 'succeeded')]);
    expect(result.step.kind).toBe('finished');
    expect(result.requeueAfterMs).toBe(requeue);
    expect(result.actions.map((a) => a.kind)).toEqual(actions);
  });

  it('a tag entry of another version than the daemon reported counts as pulling', () => {
    const n = node('n1', 'succeeded');
    const bumped: NodeImage = { ...n, spec: { images: { nginx: { tags: [{ ...n.spec!.images!['nginx']!.tags[0]!, version: 1 }] } } } };
    expect(plan(job(), [bumped]).status).toMatchObject({ active: 1, succeeded: 0 });
  });

  it('a NodeImage missing the job’s secret copy is not synced: handed out again to add it', () => {
    const copies = [{ namespace: 'kruise-daemon-config', name: 'reg-x7k2p' }];
    const succeeded = node('n1', 'succeeded');
    const plan = planImagePullJob({ job: job({ pullSecrets: ['reg'] }), nodeImages: [succeeded], pods: [], now: NOW, secrets: copies });
    expect(plan.step.kind === 'sync' ? plan.step.states.get('n1') : undefined).toBe('not-synced');
    expect(plan.actions).toEqual([{ kind: 'sync-node-images', nodeImages: ['n1'], imageName: 'nginx', tag: '1.25' }]);
    const withCopy = aNodeImage('n1', { images: { nginx: { ...succeeded.spec?.images?.nginx, tags: succeeded.spec?.images?.nginx?.tags ?? [], pullSecrets: copies } }, imageStatuses: succeeded.status?.imageStatuses ?? {} });
    const synced = planImagePullJob({ job: job({ pullSecrets: ['reg'] }), nodeImages: [withCopy], pods: [], now: NOW, secrets: copies });
    expect(synced.step.kind === 'sync' ? synced.step.states.get('n1') : undefined).toBe('succeeded');
  });

  it('an invalid image stops the pass with the reference error', () => {
    expect(plan(job({ image: 'Bad' }), [node('n1', 'not-synced')]).step).toEqual({ kind: 'invalid-image', message: 'invalid image Bad: repository name must be lowercase' });
  });

  it('property: never more nodes pulling or handed out than parallelism, counts add up to desired', () => {
    const state = fc.constantFrom<NodePullState>('not-synced', 'pulling', 'succeeded', 'failed');
    fc.assert(
      fc.property(fc.array(state, { maxLength: 12 }), fc.integer({ min: 0, max: 5 }), (states, parallelism) => {
        const result = plan(job({ parallelism }), states.map((s, i) => node(`n${String(i)}`, s)));
        const handed = result.actions.flatMap((a) => (a.kind === 'sync-node-images' ? a.nodeImages : [])).length;
        const pulling = states.filter((s) => s === 'pulling').length;
        const s = result.status!;
        expect(handed).toBeLessThanOrEqual(Math.max(0, parallelism - pulling));
        expect((s.active ?? 0) + (s.succeeded ?? 0) + (s.failed ?? 0) + states.filter((x) => x === 'not-synced').length).toBe(s.desired);
      }),
    );
  });
});

describe('imagePullJobParallelism', () => {
  it.each([
    [undefined, 1],
    [3, 3],
    ['4', 4],
    ['10%', 0],
  ])('%j → %d', (value, expected) => {
    expect(imagePullJobParallelism(value)).toBe(expected);
  });
});

describe('withJobTag and jobTagPullPolicy', () => {
  const now = formatTime(NOW);
  it('a new entry: version after the daemon’s last report, the job as owner, secrets, sandbox config', () => {
    const n = aNodeImage('n1', { imageStatuses: { nginx: { tags: [{ tag: '1.25', phase: 'Succeeded', version: 4 }] } } });
    const outcome = withJobTag(n, { job: job({ pullSecrets: ['reg'], sandboxConfig: { labels: { a: 'b' } } }), imageName: 'nginx', tag: '1.25', now, jitter: 0 });
    expect(outcome).toEqual({
      kind: 'write',
      version: 5,
      image: {
        pullSecrets: [{ namespace: 'default', name: 'reg' }],
        sandboxConfig: { labels: { a: 'b' } },
        tags: [{ tag: '1.25', version: 5, createdAt: now, imagePullPolicy: 'IfNotPresent', ownerReferences: [OWNER], pullPolicy: { timeoutSeconds: 600, backoffLimit: 3, ttlSecondsAfterFinished: 2100 } }],
      },
    });
  });

  it('given the copies in the daemon namespace, the entry lists them instead of the job’s own secrets', () => {
    const copies = [{ namespace: 'kruise-daemon-config', name: 'reg-x7k2p' }];
    const outcome = withJobTag(aNodeImage('n1'), { job: job({ pullSecrets: ['reg'] }), imageName: 'nginx', tag: '1.25', now, jitter: 0, secrets: copies });
    expect(outcome.kind === 'write' ? outcome.image.pullSecrets : undefined).toEqual(copies);
  });

  it('another job’s entry of the same tag: owner added, version bumped; the same job again: already synced', () => {
    const other = { ...OWNER, name: 'other', uid: 'uid-other' };
    const n = aNodeImage('n1', { images: { nginx: { tags: [{ tag: '1.25', version: 2, createdAt: 'old', ownerReferences: [other] }, { tag: '1.0', version: 0, createdAt: 'old' }] } } });
    const outcome = withJobTag(n, { job: job(), imageName: 'nginx', tag: '1.25', now, jitter: 0.5 });
    if (outcome.kind !== 'write') throw new Error('expected a write');
    expect(outcome.image.tags.map((t) => [t.tag, t.version, t.ownerReferences?.length])).toEqual([['1.0', 0, undefined], ['1.25', 3, 2]]);
    const synced = aNodeImage('n1', { images: { nginx: outcome.image } });
    expect(withJobTag(synced, { job: job(), imageName: 'nginx', tag: '1.25', now, jitter: 0 })).toEqual({ kind: 'already-synced' });
  });

  it.each([
    ['Always, defaults, jitter 0', { completionPolicy: { type: 'Always' as const } }, 0, { ttlSecondsAfterFinished: 2100 }],
    ['Always, TTL 60, jitter 0.999', { completionPolicy: { type: 'Always' as const, ttlSecondsAfterFinished: 60 } }, 0.999, { ttlSecondsAfterFinished: 659 }],
    ['Always, deadline 1200', { completionPolicy: { type: 'Always' as const, activeDeadlineSeconds: 1200 } }, 0, { ttlSecondsAfterFinished: 1500, activeDeadlineSeconds: 1200 }],
    ['Never, jitter 0.5', { completionPolicy: { type: 'Never' as const } }, 0.5, { ttlSecondsAfterFinished: 86400, activeDeadlineSeconds: 1800 }],
    ['Never, timeout 3600', { completionPolicy: { type: 'Never' as const }, pullPolicy: { timeoutSeconds: 3600 } }, 0, { ttlSecondsAfterFinished: 85800, activeDeadlineSeconds: 3600 }],
  ])('tag pull policy: %s', (_, options, jitter, expected) => {
    expect(jobTagPullPolicy(job(options), jitter)).toMatchObject(expected);
  });
});

describe('imagePullJobsToWake', () => {
  const nginx = job({ name: 'nginx' });
  const redis = job({ name: 'redis', image: 'redis:7' });
  const web = job({ name: 'web-only', selector: { matchLabels: { pool: 'web' } } });
  const jobs = [nginx, redis, web];
  const names = (list: readonly { metadata?: { name?: string | undefined } | undefined }[]) => list.map((j) => j.metadata?.name);
  it.each<[string, NodeImage, NodeImage | undefined, (string | undefined)[]]>([
    ['a new NodeImage wakes every job taking it in', node('n1', 'not-synced', { pool: 'web' }), undefined, ['nginx', 'redis', 'web-only']],
    ['a status change of nginx wakes the nginx jobs only', node('n1', 'succeeded'), node('n1', 'pulling'), ['nginx']],
    ['relabelled into pool=web: the web job', node('n1', 'not-synced', { pool: 'web' }), node('n1', 'not-synced', { pool: 'batch' }), ['web-only']],
    ['nothing changed: nobody', node('n1', 'pulling'), node('n1', 'pulling'), []],
  ])('%s', (_, current, previous, expected) => {
    expect(names(imagePullJobsToWake(jobs, current, previous, []))).toEqual(expected);
  });
});
