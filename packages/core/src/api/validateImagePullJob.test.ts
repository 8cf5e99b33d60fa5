import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aNodeImage, anImageListPullJob, anImagePullJob } from '../testing/imagePullJobBuilder.js';
import type { ImagePullJob } from './imagePullJob.js';
import { validateImageListPullJob, validateImagePullJob } from './validateImagePullJob.js';
import { validateNodeImage } from './validateNodeImage.js';
import { withImageListPullJobDefaults, withImagePullJobDefaults, withNodeImageDefaults } from './withImagePullJobDefaults.js';

const problems = (job: ImagePullJob) => validateImagePullJob(job).map((p) => `${p.path}: ${p.message}`);

describe('validateImagePullJob', () => {
  it.each([
    ['the builder default', anImagePullJob()],
    ['node names', anImagePullJob({ selector: { names: ['node-1', 'node-2'] } })],
    ['node labels', anImagePullJob({ selector: { matchLabels: { pool: 'web' } } })],
    ['a pod selector', anImagePullJob({ podSelector: { matchLabels: { app: 'web' } } })],
    ['Always with a deadline above the timeout', anImagePullJob({ completionPolicy: { type: 'Always', activeDeadlineSeconds: 1200 } })],
    ['Never without deadline nor TTL', anImagePullJob({ completionPolicy: { type: 'Never' } })],
  ])('%s is valid', (_, job) => {
    expect(problems(job)).toEqual([]);
  });

  it.each<[string, ImagePullJob, string[]]>([
    ['no image', anImagePullJob({ image: '' }), ['spec.image: Required value: image can not be empty']],
    ['an upper-case image', anImagePullJob({ image: 'Nginx' }), ['spec.image: Invalid value: "Nginx": invalid image Nginx: repository name must be lowercase']],
    ['names and labels', anImagePullJob({ selector: { names: ['a'], matchLabels: { x: 'y' } } }), ['spec.selector: Invalid value: can not set both names and labelSelector in this spec.selector']],
    ['duplicate names', anImagePullJob({ selector: { names: ['a', 'a'] } }), ['spec.selector.names: Duplicate value: duplicated name in selector names']],
    ['selector and podSelector', anImagePullJob({ selector: { names: ['a'] }, podSelector: { matchLabels: { app: 'x' } } }), ['spec.podSelector: Invalid value: can not set both selector and podSelector']],
    [
      'Always with a deadline under the default timeout',
      anImagePullJob({ completionPolicy: { type: 'Always', activeDeadlineSeconds: 300 } }),
      ['spec.completionPolicy.activeDeadlineSeconds: Invalid value: 300: completionPolicy.activeDeadlineSeconds must be greater than pullPolicy.timeoutSeconds(default 600)'],
    ],
    ['Never with a TTL', anImagePullJob({ completionPolicy: { type: 'Never', ttlSecondsAfterFinished: 60 } }), ['spec.completionPolicy: Invalid value: activeDeadlineSeconds and ttlSecondsAfterFinished can only work with Always CompletionPolicyType']],
    ['no completion type (webhook defaults run first)', anImagePullJob({ completionPolicy: {} }), ['spec.completionPolicy.type: Unsupported value: "": unknown type of completionPolicy']],
  ])('%s', (_, job, expected) => {
    expect(problems(job)).toEqual(expected);
  });

  it('a deadline under the timeout is fine when the timeout is lowered', () => {
    expect(problems(anImagePullJob({ pullPolicy: { timeoutSeconds: 60 }, completionPolicy: { type: 'Always', activeDeadlineSeconds: 300 } }))).toEqual([]);
  });
});

describe('validateImageListPullJob', () => {
  it.each([
    ['no images', anImageListPullJob({ images: [] }), ['spec.images: Required value: image can not be empty']],
    ['a duplicate', anImageListPullJob({ images: ['nginx', 'busybox', 'nginx'] }), ['spec.images[2]: Duplicate value: "nginx": images cannot have duplicate values']],
    ['256 images', anImageListPullJob({ images: Array.from({ length: 256 }, (_, i) => `img-${String(i)}`) }), ['spec.images: Too many: 256: the maximum number of images cannot > 255']],
    ['a bad image', anImageListPullJob({ images: ['ok', 'Bad'] }), ['spec.images[1]: Invalid value: "Bad": invalid image Bad: repository name must be lowercase']],
    ['a deadline under the timeout (not checked on lists)', anImageListPullJob({ completionPolicy: { type: 'Always', activeDeadlineSeconds: 10 } }), []],
  ])('%s', (_, job, expected) => {
    expect(validateImageListPullJob(job).map((p) => `${p.path}: ${p.message}`)).toEqual(expected);
  });
});

describe('validateNodeImage', () => {
  const created = '2026-01-01T00:00:00Z';
  it.each([
    ['a defaulted tag with a TTL', aNodeImage('n1', { images: { nginx: { tags: [{ tag: '1.25', createdAt: created, pullPolicy: { ttlSecondsAfterFinished: 600 } }] } } }), []],
    ['an empty tag', aNodeImage('n1', { images: { nginx: { tags: [{ tag: '' }] } } }), ['spec.images[nginx].tags[0].tag: Required value: tag for image nginx can not be empty']],
    [
      'a duplicate tag',
      aNodeImage('n1', { images: { nginx: { tags: [{ tag: '1', createdAt: created, pullPolicy: { ttlSecondsAfterFinished: 1 } }, { tag: '1' }] } } }),
      ['spec.images[nginx].tags[1].tag: Duplicate value: duplicated tag 1 for image nginx'],
    ],
    [
      'no createdAt, no pullPolicy',
      aNodeImage('n1', { images: { nginx: { tags: [{ tag: '1' }] } } }),
      ['spec.images[nginx].tags[0].createdAt: Required value: createAt field for nginx/1 can not be empty', 'spec.images[nginx].tags[0].pullPolicy: Required value: pullPolicy field for nginx/1 must set'],
    ],
    [
      'a pull policy without TTL and a negative version',
      aNodeImage('n1', { images: { nginx: { tags: [{ tag: '1', createdAt: created, version: -1, pullPolicy: {} }] } } }),
      ['spec.images[nginx].tags[0].version: Invalid value: -1: version for nginx/1 can not be less than 0', 'spec.images[nginx].tags[0].pullPolicy.ttlSecondsAfterFinished: Required value: pullPolicy.ttlSecondsAfterFinished for nginx/1 must set'],
    ],
  ])('%s', (_, nodeImage, expected) => {
    expect(validateNodeImage(nodeImage).map((p) => `${p.path}: ${p.message}`)).toEqual(expected);
  });
});

describe('image pull defaults', () => {
  it('ImagePullJob: Always, timeout 600, backoff 3, IfNotPresent; set values kept', () => {
    expect(withImagePullJobDefaults(anImagePullJob({ completionPolicy: {} })).spec).toMatchObject({ completionPolicy: { type: 'Always' }, pullPolicy: { timeoutSeconds: 600, backoffLimit: 3 }, imagePullPolicy: 'IfNotPresent' });
    expect(withImagePullJobDefaults(anImagePullJob({ completionPolicy: { type: 'Never' }, pullPolicy: { backoffLimit: 1 }, imagePullPolicy: 'Always' })).spec).toMatchObject({
      completionPolicy: { type: 'Never' },
      pullPolicy: { timeoutSeconds: 600, backoffLimit: 1 },
      imagePullPolicy: 'Always',
    });
    expect(withImagePullJobDefaults(anImagePullJob()).spec.parallelism).toBeUndefined();
  });

  it('ImageListPullJob: no imagePullPolicy default', () => {
    expect(withImageListPullJobDefaults(anImageListPullJob({ completionPolicy: {} })).spec).not.toHaveProperty('imagePullPolicy');
  });

  it('NodeImage: createdAt now and pull policy defaults on each tag', () => {
    const ni = withNodeImageDefaults(aNodeImage('n1', { images: { nginx: { tags: [{ tag: '1' }, { tag: '2', createdAt: 'then', pullPolicy: { timeoutSeconds: 5 } }] } } }), 'now');
    expect(ni.spec?.images?.['nginx']?.tags).toEqual([
      { tag: '1', createdAt: 'now', pullPolicy: { timeoutSeconds: 600, backoffLimit: 3 } },
      { tag: '2', createdAt: 'then', pullPolicy: { timeoutSeconds: 5, backoffLimit: 3 } },
    ]);
  });

  it('defaulting is idempotent and keeps every set field', () => {
    const policy = fc.record({ type: fc.constantFrom('Always' as const, 'Never' as const, undefined), ttlSecondsAfterFinished: fc.option(fc.nat(), { nil: undefined }) }, { requiredKeys: [] });
    fc.assert(
      fc.property(policy, fc.option(fc.nat(), { nil: undefined }), fc.option(fc.nat(), { nil: undefined }), (completionPolicy, timeoutSeconds, backoffLimit) => {
        const job = anImagePullJob({ completionPolicy, pullPolicy: { ...(timeoutSeconds === undefined ? {} : { timeoutSeconds }), ...(backoffLimit === undefined ? {} : { backoffLimit }) } });
        const once = withImagePullJobDefaults(job);
        expect(withImagePullJobDefaults(once)).toEqual(once);
        expect(once.spec.pullPolicy.timeoutSeconds).toBe(timeoutSeconds ?? 600);
        expect(once.spec.completionPolicy.type).toBe(completionPolicy.type ?? 'Always');
      }),
    );
  });
});
