import { describe, expect, it } from 'vitest';
import { T0, simulateDaemonSetPass, type DaemonSetOptions } from '../testing/index.js';
import { converge, startSimulation, withImage, zoneNodes } from './daemonset.testkit.js';
import { explainDaemonSetPods } from './explainDaemonSetPods.js';

const now = T0 + 600_000;

function explained(options: DaemonSetOptions, nodes = 5) {
  const sim = converge(startSimulation(options, zoneNodes(nodes)));
  const next = { ...sim, daemonSet: withImage(sim.daemonSet, 'nginx:2') };
  const snapshot = { daemonSet: next.daemonSet, nodes: next.nodes, ...next.world, now };
  const nodeOf = new Map(next.world.pods.map((p) => [p.metadata.name ?? '', p.spec.nodeName ?? '']));
  const byNode = Object.fromEntries(explainDaemonSetPods(snapshot).pods.map((p) => [nodeOf.get(p.pod) ?? '', `${p.reason}${p.position === undefined ? '' : `#${String(p.position)}`}`]));
  return { byNode, next, snapshot };
}

describe('explainDaemonSetPods', () => {
  it('5 nodes, partition 2, maxUnavailable 1, a new image (ReCreate): the highest node goes now, two wait for maxUnavailable, two are kept', () => {
    const { byNode, next } = explained({ maxUnavailable: 1, partition: 2 });
    expect(byNode).toEqual({ 'node-04': 'recreate#1', 'node-03': 'max-unavailable-reached#2', 'node-02': 'max-unavailable-reached#3', 'node-01': 'partition', 'node-00': 'partition' });
    // The pass does that: it deletes only the pod on node-04.
    const pass = simulateDaemonSetPass(next, { now });
    expect(pass.plan.step.update?.actions.map((a) => `${a.kind} ${a.node}`)).toEqual(['recreate node-04']);
  });

  it('InPlaceIfPossible names the changed path', () => {
    const { byNode } = explained({ maxUnavailable: 2, rollingUpdateType: 'InPlaceIfPossible' }, 3);
    expect(byNode).toEqual({ 'node-02': 'update-in-place#1', 'node-01': 'update-in-place#2', 'node-00': 'max-unavailable-reached#3' });
  });

  it.each([
    { story: 'paused', options: { paused: true }, want: 'paused' },
    { story: 'OnDelete', options: { updateType: 'OnDelete' as const }, want: 'on-delete' },
  ])('every old pod is held back: $story', ({ options, want }) => {
    expect(new Set(Object.values(explained(options, 3).byNode))).toEqual(new Set([want]));
  });
});
