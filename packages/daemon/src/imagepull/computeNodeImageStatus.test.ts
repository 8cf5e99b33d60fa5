import type { ImageTagStatus } from '@kruise-ts/core';
import { describe, expect, it } from 'vitest';
import { computeNodeImageStatus, isImageInPulling } from './computeNodeImageStatus.js';

const spec = { images: { app: { tags: [{ tag: '3' }, { tag: '1' }, { tag: '2', version: 1 }] }, db: { tags: [{ tag: '9' }] } } };
const statuses: Record<string, ImageTagStatus> = {
  'app:1': { tag: '1', phase: 'Succeeded', version: 0 },
  'app:2': { tag: '2', phase: 'Pulling', version: 1, progress: 40 },
  'app:3': { tag: '3', phase: 'Failed', version: 0, message: 'e' },
  'gone:1': { tag: '1', phase: 'Succeeded' },
};

describe('computeNodeImageStatus', () => {
  it('counts desired from the spec and phases from the statuses, tags sorted, unknown images left out', () => {
    expect(computeNodeImageStatus(spec, (image, tag) => statuses[`${image}:${tag}`])).toEqual({
      desired: 4,
      succeeded: 1,
      failed: 1,
      pulling: 1,
      imageStatuses: { app: { tags: [statuses['app:1'], statuses['app:2'], statuses['app:3']] } },
    });
  });
  it('an empty spec reports desired 0 and no imageStatuses', () => {
    expect(computeNodeImageStatus(undefined, () => undefined)).toEqual({ desired: 0, succeeded: 0, failed: 0, pulling: 0 });
  });
});

describe('isImageInPulling', () => {
  it.each([
    ['fewer finished than desired', { desired: 2, succeeded: 1, failed: 0 }, true],
    ['all finished', { desired: 2, succeeded: 1, failed: 1 }, false],
    ['a status of another version', { desired: 1, succeeded: 1, imageStatuses: { app: { tags: [{ tag: '2', phase: 'Succeeded' as const, version: 0 }] } } }, true],
  ])('%s → %s', (_name, status, want) => {
    expect(isImageInPulling(spec, status)).toBe(want);
  });
});
