import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Pod } from '../api/pod.js';
import { aNode } from '../testing/nodeBuilder.js';
import { aPod } from '../testing/podBuilder.js';
import { aPodProbeMarker, withInitialized } from '../testing/podProbeMarkerBuilder.js';
import { matchPodProbeMarkerPods, mergePodProbeMarkerProbes, removePodProbeMarkerProbes } from './planNodePodProbes.js';

const web = (name: string, over: Parameters<typeof aPod>[0] = {}): Pod => withInitialized(aPod({ name, labels: { app: 'web' }, ...over }));
const nodes = { 'node-a': aNode({ name: 'node-a' }), 'node-v': aNode({ name: 'node-v', labels: { type: 'virtual-kubelet' } }) };
const nodeOf = (name: string) => nodes[name as keyof typeof nodes];

describe('matchPodProbeMarkerPods', () => {
  it.each<[string, Pod, 'normal' | 'serverless' | 'none']>([
    ['a running initialized pod on a node', web('web-0'), 'normal'],
    ['a pod not initialized', aPod({ name: 'web-1', labels: { app: 'web' } }), 'none'],
    ['a pod of another app', web('web-2', { labels: { app: 'db' } }), 'none'],
    ['a pod of another namespace', web('web-3', { namespace: 'other' }), 'none'],
    ['a terminating pod', web('web-4', { phase: 'terminating' }), 'none'],
    ['a pod on a node that does not exist', web('web-5', { node: 'node-gone' }), 'none'],
    ['a pod on a virtual-kubelet node', web('web-6', { node: 'node-v' }), 'serverless'],
  ])('%s → %s', (_story, pod, expected) => {
    const { normal, serverless } = matchPodProbeMarkerPods(aPodProbeMarker(), [pod], nodeOf);
    expect(normal.length > 0 ? 'normal' : serverless.length > 0 ? 'serverless' : 'none').toBe(expected);
  });
});

describe('mergePodProbeMarkerProbes', () => {
  it('adds a new pod with its IP and the probes named <ppm>#<probe>', () => {
    const result = mergePodProbeMarkerProbes(undefined, aPodProbeMarker(), [web('web-0')]);
    expect(result.changed).toBe(true);
    expect(result.spec.podProbes).toEqual([{ name: 'web-0', namespace: 'default', uid: 'uid-web-0', IP: '10.0.0.5', probes: [{ name: 'game#ready', containerName: 'main', probe: { exec: { command: ['cat', '/tmp/ready'] } } }] }]);
  });

  it('resolves a named port to the container port, and leaves out a probe whose port is unknown', () => {
    const pod = web('web-0', { containers: [{ name: 'main', image: 'a', ports: [{ name: 'http', containerPort: 8080 }] }] });
    const ppm = aPodProbeMarker({
      probes: [
        { name: 'http', containerName: 'main', probe: { httpGet: { path: '/', port: 'http', scheme: 'HTTP' } }, podConditionType: 'a' },
        { name: 'tcp', containerName: 'main', probe: { tcpSocket: { port: 'grpc' } }, podConditionType: 'b' },
      ],
    });
    const result = mergePodProbeMarkerProbes(undefined, ppm, [pod]);
    expect(result.spec.podProbes?.[0]?.probes).toEqual([{ name: 'game#http', containerName: 'main', probe: { httpGet: { path: '/', port: 8080, scheme: 'HTTP' } } }]);
    expect(result.problems).toEqual([{ pod: 'web-0', probe: 'tcp', message: 'Failed to extract port for container: main in pod: default/web-0' }]);
  });

  it('replaces a changed probe of a listed pod, keeps the probes of other markers, and reports no change when equal', () => {
    const first = mergePodProbeMarkerProbes({ podProbes: [{ name: 'web-0', namespace: 'default', uid: 'uid-web-0', IP: '', probes: [{ name: 'other#x', containerName: 'main', probe: { exec: { command: ['true'] } } }] }] }, aPodProbeMarker(), [web('web-0')]);
    expect(first.spec.podProbes?.[0]?.IP).toBe('10.0.0.5');
    expect(first.spec.podProbes?.[0]?.probes?.map((p) => p.name)).toEqual(['other#x', 'game#ready']);
    expect(mergePodProbeMarkerProbes(first.spec, aPodProbeMarker(), [web('web-0')]).changed).toBe(false);
  });

  it('property: merging then removing a marker leaves the probes of the other markers as they were', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 20 }), { maxLength: 6 }), fc.uniqueArray(fc.integer({ min: 0, max: 20 }), { maxLength: 6 }), (otherPods, ourPods) => {
        const base = { podProbes: otherPods.map((i) => ({ name: `web-${i}`, namespace: 'default', uid: `uid-web-${i}`, IP: '10.0.0.5', probes: [{ name: 'other#x', containerName: 'main', probe: { exec: { command: ['true'] } } }] })) };
        const merged = mergePodProbeMarkerProbes(base, aPodProbeMarker(), ourPods.map((i) => web(`web-${i}`))).spec;
        expect(removePodProbeMarkerProbes(merged, 'default', 'game').spec.podProbes).toEqual(base.podProbes);
      }),
    );
  });
});

describe('removePodProbeMarkerProbes', () => {
  it('drops a pod left without probes, keeps other namespaces, and does not remove a marker whose name only ends the same', () => {
    const spec = {
      podProbes: [
        { name: 'a', namespace: 'default', uid: 'u1', IP: '', probes: [{ name: 'game#ready', containerName: 'm', probe: {} }] },
        { name: 'b', namespace: 'default', uid: 'u2', IP: '', probes: [{ name: 'megame#ready', containerName: 'm', probe: {} }] },
        { name: 'c', namespace: 'other', uid: 'u3', IP: '', probes: [{ name: 'game#ready', containerName: 'm', probe: {} }] },
      ],
    };
    const result = removePodProbeMarkerProbes(spec, 'default', 'game');
    expect(result.changed).toBe(true);
    expect(result.spec.podProbes?.map((p) => p.name)).toEqual(['b', 'c']);
  });
});
