import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Pod } from '../api/pod.js';
import type { NodePodProbe, PodProbeMarker, PodProbeStatus } from '../api/podProbeMarker.js';
import { aNode } from '../testing/nodeBuilder.js';
import { aPod } from '../testing/podBuilder.js';
import { aPodProbeMarker } from '../testing/podProbeMarkerBuilder.js';
import { planNodePodProbeSync, podProbeMarks, podProbePatch } from './planNodePodProbeSync.js';

const ppm = aPodProbeMarker({
  probes: [{ name: 'ready', containerName: 'main', probe: { exec: { command: ['true'] } }, podConditionType: 'game/ready', markerPolicy: [{ state: 'Succeeded', labels: { ready: 'true' } }, { state: 'Failed', labels: { idle: 'true' }, annotations: { cost: '-10' } }] }],
});
const ppmOf = (name: string): PodProbeMarker | undefined => (name === 'game' ? ppm : undefined);
const status = (state: string, name = 'game#ready'): PodProbeStatus => ({ name: 'web-0', namespace: 'default', uid: 'uid-web-0', probeStates: [{ name, state, lastProbeTime: '2025-01-01T00:00:10Z', lastTransitionTime: '2025-01-01T00:00:05Z', message: 'ok' }] });

describe('podProbeMarks', () => {
  it.each<[string, PodProbeStatus, ReturnType<typeof podProbeMarks>]>([
    ['Succeeded: condition True, the Succeeded labels, the Failed ones removed', status('Succeeded'), { conditions: [{ type: 'game/ready', status: 'True', lastProbeTime: '2025-01-01T00:00:10Z', lastTransitionTime: '2025-01-01T00:00:05Z', message: 'ok' }], labels: { idle: null, ready: 'true' }, annotations: { cost: null } }],
    ['Failed: condition False, the Failed marks, the Succeeded label removed', status('Failed'), { conditions: [{ type: 'game/ready', status: 'False', lastProbeTime: '2025-01-01T00:00:10Z', lastTransitionTime: '2025-01-01T00:00:05Z', message: 'ok' }], labels: { ready: null, idle: 'true' }, annotations: { cost: '-10' } }],
    ['no state yet: nothing', status(''), { conditions: [], labels: {}, annotations: {} }],
    ['a marker that no longer exists: nothing', status('Succeeded', 'gone#ready'), { conditions: [], labels: {}, annotations: {} }],
  ])('%s', (_story, input, expected) => {
    expect(podProbeMarks(input, ppmOf)).toEqual(expected);
  });
});

describe('podProbePatch', () => {
  it('writes only what differs: an equal condition and present labels give an empty patch', () => {
    const pod = aPod({ name: 'web-0', labels: { ready: 'true' } });
    const withCondition: Pod = { ...pod, status: { ...pod.status, conditions: [{ type: 'game/ready', status: 'True', message: 'ok' }] } };
    expect(podProbePatch(withCondition, podProbeMarks(status('Succeeded'), ppmOf))).toEqual({});
    expect(podProbePatch(pod, podProbeMarks(status('Succeeded'), ppmOf))).toEqual({ conditions: [expect.objectContaining({ type: 'game/ready', status: 'True' })] });
    expect(podProbePatch(pod, podProbeMarks(status('Failed'), ppmOf))).toEqual({ metadata: { labels: { ready: null, idle: 'true' }, annotations: { cost: '-10' } }, conditions: [expect.objectContaining({ status: 'False' })] });
  });

  it('property: applying the patch gives a pod whose next patch is empty', () => {
    fc.assert(
      fc.property(fc.constantFrom('Succeeded', 'Failed'), fc.dictionary(fc.constantFrom('ready', 'idle', 'x'), fc.constantFrom('true', 'false')), (state, labels) => {
        const pod = aPod({ name: 'web-0', labels });
        const marks = podProbeMarks(status(state), ppmOf);
        const patch = podProbePatch(pod, marks);
        const nextLabels = Object.fromEntries(Object.entries({ ...pod.metadata.labels, ...patch.metadata?.labels }).filter((e): e is [string, string] => e[1] !== null));
        const nextAnnotations = Object.fromEntries(Object.entries({ ...pod.metadata.annotations, ...patch.metadata?.annotations }).filter((e): e is [string, string] => e[1] !== null));
        const applied: Pod = { ...pod, metadata: { ...pod.metadata, labels: nextLabels, annotations: nextAnnotations }, status: { ...pod.status, conditions: [...(pod.status?.conditions ?? []), ...(patch.conditions ?? [])] } };
        expect(podProbePatch(applied, marks)).toEqual({});
      }),
    );
  });
});

describe('planNodePodProbeSync', () => {
  const npp = (over: Partial<NodePodProbe> = {}): NodePodProbe => ({ metadata: { name: 'node-a' }, spec: { podProbes: [{ name: 'web-0', namespace: 'default', uid: 'uid-web-0', IP: '10.0.0.5', probes: [] }, { name: 'web-1', namespace: 'default', uid: 'uid-web-1', IP: '10.0.0.6' }] }, ...over });
  const pods: Record<string, Pod> = { 'web-0': aPod({ name: 'web-0' }) };
  const snapshot = (over: Partial<Parameters<typeof planNodePodProbeSync>[0]> = {}) => ({ npp: npp(), node: aNode({ name: 'node-a' }), podOf: (_ns: string, name: string) => pods[name], ppmOf: (_ns: string, name: string) => ppmOf(name), ...over });

  it.each<[string, Parameters<typeof planNodePodProbeSync>[0], string[]]>([
    ['a node without NodePodProbe → create', snapshot({ npp: undefined }), ['create']],
    ['no node and no NodePodProbe → nothing', snapshot({ npp: undefined, node: undefined }), []],
    ['the node is gone → delete', snapshot({ node: undefined }), ['delete']],
    ['a pod gone from the node → set-spec without it', snapshot(), ['set-spec']],
    ['a result for a running pod → patch it', snapshot({ npp: npp({ status: { podProbeStatuses: [status('Succeeded')] } }) }), ['set-spec', 'patch-pod']],
    ['a pod re-created (other uid) → dropped, not patched', snapshot({ podOf: () => aPod({ name: 'web-0', uid: 'new' }), npp: npp({ status: { podProbeStatuses: [status('Succeeded')] } }) }), ['set-spec']],
  ])('%s', (_story, input, expected) => {
    expect(planNodePodProbeSync(input).effects.map((e) => e.kind)).toEqual(expected);
  });

  it('the set-spec keeps exactly the pods that still run with the same uid', () => {
    const effect = planNodePodProbeSync(snapshot()).effects[0];
    expect(effect?.kind === 'set-spec' ? effect.spec.podProbes?.map((p) => p.name) : undefined).toEqual(['web-0']);
  });
});
