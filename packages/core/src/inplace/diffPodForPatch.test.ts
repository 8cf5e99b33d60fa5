import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/pod.js';
import { diffMetadataForPatch, diffPodForPatch, podPatch, type ContainerPatch, type PodPatch } from './diffPodForPatch.js';
import { podWith } from './inplace.testkit.js';

type Metadata = Pick<Pod['metadata'], 'labels' | 'annotations' | 'finalizers'>;

describe('diffMetadataForPatch', () => {
  it.each<[string, Metadata, Metadata, PodPatch['metadata']]>([
    ['nothing changes → undefined', { labels: { a: '1' }, finalizers: ['f'] }, { labels: { a: '1' }, finalizers: ['f'] }, undefined],
    ['a label changed, an annotation removed', { labels: { a: '1' }, annotations: { n: 'x' } }, { labels: { a: '2' }, annotations: {} }, { labels: { a: '2' }, annotations: { n: null } }],
    ['maps missing on one side read as empty', { labels: { a: '1' } }, { annotations: { n: 'x' } }, { labels: { a: null }, annotations: { n: 'x' } }],
    ['a finalizer added and one removed', { finalizers: ['f1', 'f2'] }, { finalizers: ['f2', 'f3'] }, { finalizers: ['f3'], '$deleteFromPrimitiveList/finalizers': ['f1'] }],
    ['the last finalizer removed', { finalizers: ['f1'] }, {}, { '$deleteFromPrimitiveList/finalizers': ['f1'] }],
  ])('%s', (_story, before, after, patch) => {
    expect(diffMetadataForPatch(before, after)).toEqual(patch);
  });
});

describe('podPatch', () => {
  it.each<[string, PodPatch['metadata'], ContainerPatch[], PodPatch]>([
    ['both parts', { labels: { a: '1' } }, [{ name: 'app', image: 'nginx:2' }], { metadata: { labels: { a: '1' } }, spec: { containers: [{ name: 'app', image: 'nginx:2' }] } }],
    ['containers only', undefined, [{ name: 'app', image: 'nginx:2' }], { spec: { containers: [{ name: 'app', image: 'nginx:2' }] } }],
    ['metadata only', { finalizers: ['f'] }, [], { metadata: { finalizers: ['f'] } }],
    ['nothing', undefined, [], {}],
  ])('%s', (_story, metadata, containers, patch) => {
    expect(podPatch(metadata, containers)).toEqual(patch);
  });
});

describe('diffPodForPatch', () => {
  it('takes labels, annotations, finalizers, images and resources that changed', () => {
    const before = podWith([{ name: 'app', image: 'nginx:1', resources: { limits: { cpu: '1' } } }, { name: 'log', image: 'busybox' }]);
    const after: Pod = {
      ...before,
      metadata: { ...before.metadata, labels: { ...before.metadata.labels, version: 'v2' }, finalizers: ['f'] },
      spec: { ...before.spec, containers: [{ name: 'app', image: 'nginx:2', resources: { limits: { cpu: '2' } } }, { name: 'log', image: 'busybox' }] },
    };
    expect(diffPodForPatch(before, after)).toEqual({
      metadata: { labels: { version: 'v2' }, finalizers: ['f'] },
      spec: { containers: [{ name: 'app', image: 'nginx:2', resources: { limits: { cpu: '2' } } }] },
    });
  });
});
