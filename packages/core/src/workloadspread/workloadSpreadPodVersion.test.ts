import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/pod.js';
import { aPod } from '../testing/index.js';
import { parseVersionedStatusKinds, podWorkloadVersion, shortRevisionHash } from './workloadSpreadPodVersion.js';

const owned = (kind: string, labels: Record<string, string>): Pod => {
  const pod = aPod({ labels });
  return { ...pod, metadata: { ...pod.metadata, ownerReferences: [{ apiVersion: 'apps/v1', kind, name: 'owner', uid: 'u', controller: true }] } };
};

describe('podWorkloadVersion', () => {
  it.each<[string, Pod, ReadonlySet<string> | undefined, string]>([
    ['a ReplicaSet’s pod: its pod-template-hash', owned('ReplicaSet', { 'pod-template-hash': '6b7f9c' }), undefined, '6b7f9c'],
    ['a ReplicaSet’s pod without the label: ignored', owned('ReplicaSet', {}), undefined, 'versionIgnored'],
    ['a CloneSet’s pod, CloneSet not enabled: ignored', owned('CloneSet', { 'controller-revision-hash': 'web-5d4c' }), undefined, 'versionIgnored'],
    ['a CloneSet’s pod, CloneSet enabled: the short revision', owned('CloneSet', { 'controller-revision-hash': 'web-5d4c' }), new Set(['cloneset']), '5d4c'],
    ['pod-template-hash wins over controller-revision-hash', owned('CloneSet', { 'controller-revision-hash': 'web-5d4c', 'pod-template-hash': 'x' }), new Set(['cloneset']), 'x'],
    ['a pod without a controller: ignored', aPod({ labels: { 'pod-template-hash': 'x' } }), undefined, 'versionIgnored'],
  ])('%s', (_story, pod, kinds, expected) => {
    expect(podWorkloadVersion(pod, kinds)).toBe(expected);
  });

  it.each<[string, string[]]>([
    ['deployment,replicaset', ['deployment', 'replicaset']],
    ['Deployment', ['deployment', 'replicaset']],
    [' cloneset , ', ['cloneset']],
    ['', []],
  ])('parseVersionedStatusKinds(%j)', (value, expected) => {
    expect([...parseVersionedStatusKinds(value)].sort()).toEqual(expected.sort());
  });

  it.each([['web-7d9f8b6c5', '7d9f8b6c5'], ['abc', 'abc'], ['a-b-c', 'c']])('shortRevisionHash(%s) = %s', (revision, expected) => {
    expect(shortRevisionHash(revision)).toBe(expected);
  });
});
