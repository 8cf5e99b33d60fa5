import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Pod } from '../api/pod.js';
import { aNode } from '../testing/nodeBuilder.js';
import { aPod } from '../testing/podBuilder.js';
import { aPodProbeMarker, withInitialized } from '../testing/podProbeMarkerBuilder.js';
import { planPodProbeMarkerPass } from './planPodProbeMarkerPass.js';

const web = (name: string, node: string): Pod => withInitialized(aPod({ name, node, labels: { app: 'web' } }));
const nodeOf = (name: string) => aNode({ name });
const kinds = (plan: ReturnType<typeof planPodProbeMarkerPass>) => plan.effects.map((e) => ('node' in e ? `${e.kind} ${e.node}` : e.kind));

describe('planPodProbeMarkerPass', () => {
  it('adds the finalizer, merges per node and writes the status (new marker, 2 pods on node-a, 1 on node-b)', () => {
    const plan = planPodProbeMarkerPass(aPodProbeMarker({ finalizer: false, generation: 2 }), [web('a', 'node-a'), web('b', 'node-a'), web('c', 'node-b')], nodeOf);
    expect(kinds(plan)).toEqual(['add-finalizer', 'set-node-probes node-a', 'set-node-probes node-b', 'patch-status']);
    expect(plan.effects.at(-1)).toEqual({ kind: 'patch-status', status: { observedGeneration: 2, matchedPods: 3 } });
  });

  it('writes no status when it already says the generation and the count', () => {
    const plan = planPodProbeMarkerPass(aPodProbeMarker({ generation: 1, status: { observedGeneration: 1, matchedPods: 1 } }), [web('a', 'node-a')], nodeOf);
    expect(kinds(plan)).toEqual(['set-node-probes node-a']);
  });

  it('on deletion removes its probes from the nodes of its pods, then the finalizer; without the finalizer does nothing', () => {
    expect(kinds(planPodProbeMarkerPass(aPodProbeMarker({ deleting: true }), [web('a', 'node-a'), web('b', 'node-b')], nodeOf))).toEqual(['remove-node-probes node-a', 'remove-node-probes node-b', 'remove-finalizer']);
    expect(planPodProbeMarkerPass(aPodProbeMarker({ deleting: true, finalizer: false }), [web('a', 'node-a')], nodeOf)).toMatchObject({ reason: 'deleted-without-finalizer', effects: [] });
  });

  it('property: every matched pod is handed to exactly one set-node-probes, the one of its node', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('node-a', 'node-b', 'node-c'), { maxLength: 12 }), (placement) => {
        const pods = placement.map((node, i) => web(`web-${i}`, node));
        const sets = planPodProbeMarkerPass(aPodProbeMarker(), pods, nodeOf).effects.filter((e) => e.kind === 'set-node-probes');
        const handed = sets.flatMap((e) => e.pods.map((p) => [p.metadata.name, e.node]));
        expect(handed.sort()).toEqual(pods.map((p) => [p.metadata.name, p.spec.nodeName]).sort());
      }),
    );
  });
});
