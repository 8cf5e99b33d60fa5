import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/pod.js';
import { at, T0 } from '../testing/index.js';
import { planInPlaceUpdateGrace, type InPlaceGraceDecision } from './planInPlaceUpdateGrace.js';
import { planInPlaceUpdatePatch } from './planInPlaceUpdatePatch.js';
import { podWith, updateSpec } from './inplace.testkit.js';

const GRACE = 'apps.kruise.io/inplace-update-grace';

/** A pod whose update to nginx:2 was parked at T0 for 30 s. */
function parked(): Pod {
  return planInPlaceUpdatePatch(podWith([{ name: 'main', image: 'nginx:1' }]), updateSpec({ containerImages: { main: 'nginx:2' } }), { now: T0, gracePeriodSeconds: 30 }).pod;
}

function relabelled(pod: Pod, revision: string): Pod {
  return { ...pod, metadata: { ...pod.metadata, labels: { ...pod.metadata.labels, 'controller-revision-hash': revision } } };
}

describe('planInPlaceUpdateGrace', () => {
  it.each<[string, () => Pod, number, Partial<InPlaceGraceDecision>]>([
    ['nothing parked', () => podWith([{ name: 'main', image: 'nginx:1' }]), at(0), { kind: 'not-in-grace' }],
    ['10.5 s into 30 s: wait 20 s (rounded up)', parked, at(10.5), { kind: 'wait', requeueAfterSeconds: 20 }],
    ['exactly at the end: apply', parked, at(30), { kind: 'apply-batch', batch: ['main'] }],
    ['the revision label moved on: drop the parked spec', () => relabelled(parked(), 'web-3'), at(1), { kind: 'drop-grace' }],
    ['a short-hash revision label still matches', () => relabelled(parked(), '2'), at(31), { kind: 'apply-batch' }],
  ])('%s', (_story, pod, now, expected) => {
    expect(planInPlaceUpdateGrace(pod(), { now })).toMatchObject(expected);
  });

  it('applying removes the grace annotation and changes the image', () => {
    const decision = planInPlaceUpdateGrace(parked(), { now: at(30) });
    if (decision.kind !== 'apply-batch') throw new Error(`expected apply-batch, got ${decision.kind}`);
    expect(decision.pod.spec.containers[0]?.image).toBe('nginx:2');
    expect(decision.pod.metadata.annotations).not.toHaveProperty(GRACE);
    expect(decision.patch.metadata?.annotations?.[GRACE]).toBeNull();
    expect(decision.state).toMatchObject({ updateTimestamp: '2025-01-01T00:00:00Z', lastContainerStatuses: { main: { imageID: 'nginx:1@sha256:0' } } });
  });

  it.each([
    ['the parked spec is not JSON', { [GRACE]: 'x' }],
    ['there is no state next to it', { [GRACE]: '{"revision":"web-2"}' }],
  ])('invalid when %s', (_story, annotations) => {
    expect(planInPlaceUpdateGrace(podWith([{ name: 'main', image: 'nginx:1' }], { annotations }), { now: T0 }).kind).toBe('invalid');
  });
});
