import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ImageInfo } from '../cri/imageRuntime.js';
import { decideImagePull, type ImagePullDecision, type ImagePullInput } from './decideImagePull.js';

const present: ImageInfo = { id: 'sha256:c0nf', repoTags: ['reg.local/app:1'], repoDigests: ['reg.local/app@sha256:aaaa'], size: 1 };
const hub: ImageInfo = { id: 'sha256:c0nf', repoTags: ['docker.io/library/busybox:1.36'], repoDigests: ['docker.io/library/busybox@sha256:aaaa'], size: 1 };
const input = (extra: Partial<ImagePullInput>): ImagePullInput => ({ policy: undefined, name: 'reg.local/app', tag: '1', present, registryDigests: [], ...extra });

describe('decideImagePull', () => {
  it.each<[string, Partial<ImagePullInput>, ImagePullDecision]>([
    ['not present: pull (any policy)', { present: undefined, policy: 'Always' }, { kind: 'pull', reason: 'not-present' }],
    ['IfNotPresent (default), present: use it', {}, { kind: 'use-present', reason: 'if-not-present' }],
    ['Always, registry serves the repo digest the runtime has: use it', { policy: 'Always', registryDigests: ['sha256:aaaa'] }, { kind: 'use-present', reason: 'latest-digest' }],
    ['Always, the tag moved: pull', { policy: 'Always', registryDigests: ['sha256:bbbb'] }, { kind: 'pull', reason: 'digest-changed' }],
    ['Always, one credential of two sees the same digest: use it', { policy: 'Always', registryDigests: ['sha256:bbbb', 'sha256:aaaa'] }, { kind: 'use-present', reason: 'latest-digest' }],
    ['Always, the registry could not be asked: pull', { policy: 'Always', registryDigests: [] }, { kind: 'pull', reason: 'digest-unknown' }],
    ['Always, a digest tag: never moves', { policy: 'Always', tag: 'sha256:aaaa' }, { kind: 'use-present', reason: 'pinned-digest' }],
    ['Always, Docker Hub short name against the normalized repo digest', { policy: 'Always', name: 'busybox', tag: '1.36', present: hub, registryDigests: ['sha256:aaaa'] }, { kind: 'use-present', reason: 'latest-digest' }],
  ])('%s', (_, extra, expected) => {
    expect(decideImagePull(input(extra))).toEqual(expected);
  });

  it('property: IfNotPresent never pulls a present image; Always uses it only when a registry digest is among its repo digests', () => {
    fc.assert(
      fc.property(fc.constantFrom<'Always' | 'IfNotPresent' | undefined>('Always', 'IfNotPresent', undefined), fc.array(fc.constantFrom('sha256:aaaa', 'sha256:bbbb', 'sha256:cccc'), { maxLength: 3 }), (policy, registryDigests) => {
        const decision = decideImagePull(input({ policy, registryDigests }));
        if (policy !== 'Always') return decision.kind === 'use-present';
        return (decision.kind === 'use-present') === registryDigests.includes('sha256:aaaa');
      }),
    );
  });
});
