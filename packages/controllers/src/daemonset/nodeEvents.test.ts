import { aDaemonSet, aNode } from '@kruise-ts/core/testing';
import type { InformerEvent, KubeObject } from '@kruise-ts/k8s-adapter';
import { describe, expect, it } from 'vitest';
import { nodeConcernsDaemonSet, nodePlacementChanged } from './nodeEvents.js';

const node = (change: (n: ReturnType<typeof aNode>) => object = (n) => n): KubeObject => change(aNode({ name: 'node-1', labels: { zone: 'a' } })) as unknown as KubeObject;
const updated = (previous: KubeObject, object: KubeObject): InformerEvent<KubeObject> => ({ type: 'updated', previous, object });

describe('nodePlacementChanged', () => {
  it.each<readonly [story: string, event: InformerEvent<KubeObject>, changed: boolean]>([
    ['added', { type: 'added', object: node() }, true],
    ['deleted', { type: 'deleted', object: node() }, true],
    ['relabelled', updated(node(), node((n) => ({ ...n, metadata: { ...n.metadata, labels: { zone: 'b' } } }))), true],
    ['tainted', updated(node(), node((n) => ({ ...n, spec: { taints: [{ key: 'x', effect: 'NoSchedule' }] } }))), true],
    ['cordoned', updated(node(), node((n) => ({ ...n, spec: { unschedulable: true } }))), true],
    ['Ready turned False', updated(node(), node((n) => ({ ...n, status: { conditions: [{ type: 'Ready', status: 'False' }] } }))), true],
    ['a heartbeat only', updated(node(), node((n) => ({ ...n, metadata: { ...n.metadata, resourceVersion: '9' }, status: { conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: '2026-01-01T00:00:09Z' }] } }))), false],
  ])('%s → %s', (_story, event, changed) => {
    expect(nodePlacementChanged(event)).toBe(changed);
  });
});

describe('nodeConcernsDaemonSet', () => {
  const zoneA = aDaemonSet();
  const selecting = { ...zoneA, spec: { ...zoneA.spec, template: { ...zoneA.spec.template, spec: { ...zoneA.spec.template.spec, nodeSelector: { zone: 'a' } } } } };
  it.each<readonly [story: string, target: KubeObject, concerns: boolean]>([
    ['a node the selector matches', node(), true],
    ['a node relabelled out of it', node((n) => ({ ...n, metadata: { ...n.metadata, labels: { zone: 'b' } } })), false],
    ['a node with an untolerated NoSchedule taint: its pod may stay', node((n) => ({ ...n, spec: { taints: [{ key: 'x', effect: 'NoSchedule' }] } })), true],
    ['a node with an untolerated NoExecute taint', node((n) => ({ ...n, spec: { taints: [{ key: 'x', effect: 'NoExecute' }] } })), false],
  ])('%s → %s', (_story, target, concerns) => {
    expect(nodeConcernsDaemonSet(selecting, target)).toBe(concerns);
  });
});
