import { describe, expect, it } from 'vitest';
import type { Node } from '../api/node.js';
import type { WorkloadSpreadSubset } from '../api/workloadSpread.js';
import { aNode, aPod, aWorkloadSpread, aZoneSubset } from '../testing/index.js';
import { matchSubsetForNode } from './matchSubsetForNode.js';

const ZONE = 'topology.kubernetes.io/zone';
const zoneNode = (zone: string, taints?: Node['spec'] extends infer S ? (S extends { taints?: infer T } ? T : never) : never): Node => aNode({ name: `n-${zone}`, labels: { [ZONE]: zone }, ...(taints === undefined ? {} : { taints }) });
const room = (entries: Record<string, number>) => new Map(Object.entries(entries));

describe('matchSubsetForNode', () => {
  it.each<[string, WorkloadSpreadSubset[], Node, Record<string, number>, string | undefined]>([
    ['the subset whose zone the node is in', [aZoneSubset('zone-a', 2), aZoneSubset('zone-b', 2)], zoneNode('zone-b'), { 'zone-a': 2, 'zone-b': 2 }, 'zone-b'],
    ['no subset fits the node', [aZoneSubset('zone-a', 2)], zoneNode('zone-c'), { 'zone-a': 2 }, undefined],
    ['two fit: the one with room wins over the first', [{ name: 'any-1' }, { name: 'any-2' }], zoneNode('zone-a'), { 'any-1': 0, 'any-2': 1 }, 'any-2'],
    ['two fit, both with room: the first', [{ name: 'any-1' }, { name: 'any-2' }], zoneNode('zone-a'), { 'any-1': 1, 'any-2': 1 }, 'any-1'],
    ['a preferred term the node matches outweighs room', [{ name: 'room' }, { name: 'fast', preferredNodeSelectorTerms: [{ weight: 1, preference: { matchExpressions: [{ key: ZONE, operator: 'In', values: ['zone-a'] }] } }] }], zoneNode('zone-a'), { room: 5, fast: 0 }, 'fast'],
    ['a taint only the subset tolerates', [{ name: 'plain' }, { name: 'gpu', tolerations: [{ key: 'gpu', operator: 'Exists' }] }], zoneNode('zone-a', [{ key: 'gpu', effect: 'NoSchedule' }]), { plain: 5, gpu: 5 }, 'gpu'],
  ])('%s', (_story, subsets, node, missing, expected) => {
    expect(matchSubsetForNode(aWorkloadSpread({ subsets }), aPod({ node: node.metadata.name ?? '' }), node, room(missing))).toBe(expected);
  });

  it('a patch already applied to the pod counts (10) above room (1)', () => {
    const subsets: WorkloadSpreadSubset[] = [{ name: 'room' }, { name: 'labelled', patch: { metadata: { labels: { tier: 'gold' } } } }];
    const pod = aPod({ labels: { tier: 'gold' } });
    expect(matchSubsetForNode(aWorkloadSpread({ subsets }), pod, zoneNode('zone-a'), room({ room: 3, labelled: 0 }))).toBe('labelled');
  });
});
