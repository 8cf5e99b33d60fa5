import { describe, expect, it } from 'vitest';
import type { Node } from '../api/node.js';
import type { PodSpec } from '../api/pod.js';
import { aNode } from '../testing/nodeBuilder.js';
import { checkNodeFitness, podRequests } from './nodeFitness.js';

const spec = (over: Partial<PodSpec> = {}): PodSpec => ({ containers: [{ name: 'main', image: 'busybox:1' }], ...over });
const withAllocatable = (node: Node, allocatable: Record<string, string>): Node => ({ ...node, status: { ...node.status, allocatable } });

describe('checkNodeFitness', () => {
  it.each([
    ['a plain node', spec(), aNode(), 'fits'],
    ['another nodeName', spec({ nodeName: 'other' }), aNode(), 'node-name-mismatch'],
    ['an unmatched nodeSelector', spec({ nodeSelector: { zone: 'a' } }), aNode(), 'node-affinity-mismatch'],
    ['a NoSchedule taint', spec(), aNode({ taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] }), 'untolerated-taint'],
    ['a tolerated NoSchedule taint', spec({ tolerations: [{ key: 'dedicated', operator: 'Exists' }] }), aNode({ taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] }), 'fits'],
    ['a PreferNoSchedule taint', spec(), aNode({ taints: [{ key: 'soft', effect: 'PreferNoSchedule' }] }), 'fits'],
    ['a cordoned node', spec(), aNode({ unschedulable: true }), 'node-unschedulable'],
    ['a cordoned node, unschedulable tolerated', spec({ tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] }), aNode({ unschedulable: true }), 'fits'],
    ['no pod slot left', spec(), withAllocatable(aNode(), { cpu: '4', pods: '0' }), 'insufficient-resources'],
    [
      'cpu beyond allocatable',
      spec({ containers: [{ name: 'main', image: 'x', resources: { requests: { cpu: '1500m' } } }] }),
      withAllocatable(aNode(), { cpu: '1', memory: '1Gi', pods: '110' }),
      'insufficient-resources',
    ],
    ['an extended resource the node lacks', spec({ containers: [{ name: 'main', image: 'x', resources: { requests: { 'nvidia.com/gpu': '1' } } }] }), withAllocatable(aNode(), { pods: '110' }), 'insufficient-resources'],
  ] as const)('%s → %s', (_story, podSpec, node, expected) => {
    const fitness = checkNodeFitness(podSpec, node);
    expect(fitness.kind === 'fits' ? 'fits' : fitness.reason).toBe(expected);
  });

  it('names every resource short', () => {
    const podSpec = spec({ containers: [{ name: 'main', image: 'x', resources: { requests: { cpu: '2', memory: '2Gi' } } }] });
    expect(checkNodeFitness(podSpec, withAllocatable(aNode(), { cpu: '1', memory: '1Gi', pods: '1' }))).toEqual({ kind: 'does-not-fit', reason: 'insufficient-resources', resources: ['cpu', 'memory'] });
  });
});

describe('podRequests', () => {
  it('sums the containers and sidecars, at least each init container, plus overhead', () => {
    const requests = podRequests({
      initContainers: [
        { name: 'setup', image: 'x', resources: { requests: { cpu: '2' } } },
        { name: 'proxy', image: 'x', restartPolicy: 'Always', resources: { requests: { cpu: '100m' } } },
      ],
      containers: [
        { name: 'a', image: 'x', resources: { requests: { cpu: '100m', memory: '64Mi' } } },
        { name: 'b', image: 'x', resources: { requests: { cpu: '200m' } } },
      ],
      overhead: { cpu: '50m' },
    });
    // max(0.1 + 0.1 + 0.2 = 0.4, 2) + 0.05 = 2.05 cpu
    expect(requests.get('cpu')).toEqual({ kind: 'quantity', numerator: 205n, scale: 2 });
    expect(requests.get('memory')).toEqual({ kind: 'quantity', numerator: 67108864n, scale: 0 });
  });
});
