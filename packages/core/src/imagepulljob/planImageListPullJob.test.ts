import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ImagePullJob, ImagePullJobStatus } from '../api/imagePullJob.js';
import { withImageListPullJobDefaults } from '../api/withImagePullJobDefaults.js';
import { anImageListPullJob, anImagePullJob } from '../testing/imagePullJobBuilder.js';
import { formatTime } from '../shared/podState.js';
import { imageListPullJobTemplateHash, planImageListPullJob, TEMPLATE_HASH_LABEL } from './planImageListPullJob.js';

const NOW = Date.parse('2026-03-01T10:00:00Z');
const list = (images: string[], extra: Parameters<typeof anImageListPullJob>[0] = {}) => withImageListPullJobDefaults(anImageListPullJob({ images, ...extra }));
const hashOf = (images: string[]) => {
  const { images: _i, ...template } = list(images).spec;
  return imageListPullJobTemplateHash(template);
};
function child(image: string, status: ImagePullJobStatus | undefined, hash = hashOf(['x'])): ImagePullJob {
  const { images: _i, ...template } = list(['x']).spec;
  return { ...anImagePullJob({ name: `pull-list-${image}`, image, ...template, ...(status === undefined ? {} : { status }) }), metadata: { name: `pull-list-${image}`, namespace: 'default', uid: `uid-${image}`, labels: { [TEMPLATE_HASH_LABEL]: hash } } };
}
const labelled = (images: string[]) => {
  const j = list(images);
  return { ...j, metadata: { ...j.metadata, labels: { [TEMPLATE_HASH_LABEL]: hashOf(images) } } };
};

describe('planImageListPullJob', () => {
  it('labels the template hash, creates one ImagePullJob per image (generateName, controller owner, hash label)', () => {
    const plan = planImageListPullJob({ job: list(['a:1', 'b:2']), owned: [], now: NOW });
    expect(plan.actions.map((a) => a.kind)).toEqual(['label-template-hash', 'create-image-pull-job', 'create-image-pull-job']);
    const created = plan.actions.find((a) => a.kind === 'create-image-pull-job');
    expect(created).toMatchObject({
      image: 'a:1',
      job: { metadata: { generateName: 'pull-list-', namespace: 'default', labels: { [TEMPLATE_HASH_LABEL]: hashOf(['a:1']) }, ownerReferences: [{ kind: 'ImageListPullJob', name: 'pull-list', uid: 'uid-pull-list', controller: true }] }, spec: { image: 'a:1', completionPolicy: { type: 'Always' }, pullPolicy: { timeoutSeconds: 600, backoffLimit: 3 } } },
    });
    expect(plan.status).toMatchObject({ desired: 2, active: 0, completed: 0, succeeded: 0, startTime: formatTime(NOW) });
  });

  it('an image removed from the list: its job deleted; a changed template: replaced', () => {
    const plan = planImageListPullJob({ job: labelled(['a:1']), owned: [child('a:1', undefined, 'old-hash'), child('b:2', undefined)], now: NOW });
    expect(plan.actions).toEqual([
      { kind: 'delete-image-pull-job', name: 'pull-list-a:1', uid: 'uid-a:1', reason: 'template-changed' },
      expect.objectContaining({ kind: 'create-image-pull-job', image: 'a:1' }),
      { kind: 'delete-image-pull-job', name: 'pull-list-b:2', uid: 'uid-b:2', reason: 'image-removed' },
    ]);
  });

  it('aggregates its jobs: active, completed, succeeded, failed images; completes when all completed', () => {
    const started = formatTime(NOW - 1000);
    const owned = [
      child('a:1', { startTime: started, desired: 2, succeeded: 2 }),
      child('b:2', { startTime: started, desired: 2, succeeded: 1, failed: 1, failedNodes: ['n2'] }),
      child('c:3', { startTime: started, desired: 2, active: 1, succeeded: 1 }),
      child('d:4', undefined),
    ];
    const plan = planImageListPullJob({ job: labelled(['a:1', 'b:2', 'c:3', 'd:4']), owned, now: NOW });
    expect(plan.actions).toEqual([]);
    expect(plan.status).toEqual({
      startTime: formatTime(NOW),
      desired: 4,
      active: 1,
      completed: 2,
      succeeded: 1,
      failedImageStatuses: [{ imagePullJob: 'pull-list-b:2', name: 'b:2', message: "Please check for details which nodes failed by 'kubectl get ImagePullJob pull-list-b:2'." }],
    });
    const done = planImageListPullJob({ job: labelled(['a:1']), owned: [owned[0]!], now: NOW });
    expect(done.status).toMatchObject({ completed: 1, completionTime: formatTime(NOW) });
  });

  it('finished: deleted past ttlSecondsAfterFinished', () => {
    const j = list(['a:1'], { completionPolicy: { type: 'Always', ttlSecondsAfterFinished: 10 } });
    const finished = { ...j, metadata: { ...j.metadata, labels: { [TEMPLATE_HASH_LABEL]: imageListPullJobTemplateHash((({ images: _i, ...t }) => t)(j.spec)) } }, status: { desired: 1, completionTime: formatTime(NOW - 11_000) } };
    expect(planImageListPullJob({ job: finished, owned: [], now: NOW }).actions).toEqual([{ kind: 'delete-job' }]);
  });

  it('property: every listed image ends with exactly one job created or kept, and no job of an unlisted image survives', () => {
    const image = fc.constantFrom('a:1', 'b:1', 'c:1', 'd:1');
    fc.assert(
      fc.property(fc.uniqueArray(image, { minLength: 1 }), fc.uniqueArray(image), (images, existing) => {
        const plan = planImageListPullJob({ job: labelled(images), owned: existing.map((i) => child(i, undefined, hashOf(images))), now: NOW });
        const created = plan.actions.flatMap((a) => (a.kind === 'create-image-pull-job' ? [a.image] : []));
        const deleted = plan.actions.flatMap((a) => (a.kind === 'delete-image-pull-job' ? [a.name.replace('pull-list-', '')] : []));
        const after = [...existing.filter((i) => !deleted.includes(i)), ...created].sort();
        expect(after).toEqual([...images].sort());
      }),
    );
  });
});
