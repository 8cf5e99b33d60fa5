import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/pod.js';
import { computeSidecarSetStatus } from './computeSidecarSetStatus.js';
import { sidecarSet, webPod, NOW } from './sidecarset.testkit.js';

const ss = { ...sidecarSet('log', { containers: [{ name: 'fluentd', image: 'f:2' }] }, { hash: 'h2', withoutImage: 'w' }), metadata: { name: 'log', generation: 4, annotations: { 'kruise.io/sidecarset-hash': 'h2', 'kruise.io/sidecarset-hash-without-image': 'w' } } };

function pod(name: string, hash: string, ready: boolean): Pod {
  const p = webPod(name, [{ name: 'app', image: 'a:1' }, { name: 'fluentd', image: hash === 'h2' ? 'f:2' : 'f:1' }], {
    annotations: { 'kruise.io/sidecarset-injected-list': 'log', 'kruise.io/sidecarset-hash': `{"log":{"hash":"${hash}"}}` },
  });
  return ready ? p : { ...p, status: { ...p.status, conditions: [{ type: 'Ready', status: 'False' }] } };
}

describe('computeSidecarSetStatus', () => {
  it('counts matched, updated, ready and updated-ready pods', () => {
    const pods = [pod('a', 'h2', true), pod('b', 'h2', false), pod('c', 'h1', true), pod('d', 'h1', false), webPod('not-injected', [{ name: 'app' }])];
    expect(computeSidecarSetStatus(ss, pods, NOW, { latestRevision: 'log-abc', collisionCount: 1 })).toEqual({
      observedGeneration: 4,
      matchedPods: 4,
      updatedPods: 2,
      readyPods: 2,
      updatedReadyPods: 1,
      latestRevision: 'log-abc',
      collisionCount: 1,
    });
  });

  it('counts nothing without pods', () => {
    expect(computeSidecarSetStatus(ss, [], NOW)).toEqual({ observedGeneration: 4, matchedPods: 0, updatedPods: 0, readyPods: 0, updatedReadyPods: 0, collisionCount: 0 });
  });
});
