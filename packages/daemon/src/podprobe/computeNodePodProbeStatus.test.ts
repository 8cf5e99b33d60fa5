import type { NodePodProbe } from '@kruise-ts/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeNodePodProbeStatus, type ProbeResult } from './computeNodePodProbeStatus.js';
import { createProbeResults } from './createProbeResults.js';

const T = Date.parse('2026-01-01T00:00:00Z');
const npp = (status?: NodePodProbe['status']): NodePodProbe => ({
  metadata: { name: 'node-a' },
  spec: { podProbes: [{ name: 'web-0', namespace: 'default', uid: 'u0', IP: '10.0.0.5', probes: [{ name: 'game#ready', containerName: 'main', probe: { exec: { command: ['true'] } } }] }] },
  ...(status === undefined ? {} : { status }),
});
const result = (over: Partial<ProbeResult> = {}): ProbeResult => ({ podNamespace: 'default', podName: 'web-0', podUid: 'u0', probeName: 'game#ready', state: 'Succeeded', message: 'ok', at: T, ...over });

describe('computeNodePodProbeStatus', () => {
  it('appends a new result with the probe time and now as transition time', () => {
    expect(computeNodePodProbeStatus(npp(), [result()], T + 1000)).toEqual({ podProbeStatuses: [{ namespace: 'default', name: 'web-0', uid: 'u0', probeStates: [{ name: 'game#ready', state: 'Succeeded', message: 'ok', lastProbeTime: '2026-01-01T00:00:00Z', lastTransitionTime: '2026-01-01T00:00:01Z' }] }] });
  });

  it('keeps the transition time while the state stays, moves it when the state changes', () => {
    const before = npp({ podProbeStatuses: [{ namespace: 'default', name: 'web-0', uid: 'u0', probeStates: [{ name: 'game#ready', state: 'Succeeded', lastTransitionTime: '2025-12-31T00:00:00Z' }] }] });
    expect(computeNodePodProbeStatus(before, [result({ message: 'still' })], T).podProbeStatuses?.[0]?.probeStates?.[0]?.lastTransitionTime).toBe('2025-12-31T00:00:00Z');
    expect(computeNodePodProbeStatus(before, [result({ state: 'Failed' })], T).podProbeStatuses?.[0]?.probeStates?.[0]?.lastTransitionTime).toBe('2026-01-01T00:00:00Z');
  });

  it('drops the states of probes no longer in the spec and ignores their results', () => {
    const stale = npp({ podProbeStatuses: [{ namespace: 'default', name: 'web-1', uid: 'u1', probeStates: [{ name: 'game#ready', state: 'Failed' }] }] });
    expect(computeNodePodProbeStatus(stale, [result({ podUid: 'u1', podName: 'web-1' })], T)).toEqual({});
  });

  it('property: every state written belongs to a probe of the spec, and the status is stable when recomputed', () => {
    fc.assert(
      // One result per pod and probe, as the results manager keeps them.
      fc.property(fc.uniqueArray(fc.record({ uid: fc.constantFrom('u0', 'u1'), probe: fc.constantFrom('game#ready', 'game#idle'), state: fc.constantFrom('Succeeded' as const, 'Failed' as const) }), { maxLength: 4, selector: (e) => `${e.uid}/${e.probe}` }), (entries) => {
        const results = entries.map((e) => result({ podUid: e.uid, probeName: e.probe, state: e.state }));
        const once = computeNodePodProbeStatus(npp(), results, T);
        for (const pod of once.podProbeStatuses ?? []) for (const s of pod.probeStates ?? []) expect(`${pod.uid}/${s.name}`).toBe('u0/game#ready');
        expect(computeNodePodProbeStatus(npp(once), results, T + 5000)).toEqual(once);
      }),
    );
  });
});

describe('createProbeResults', () => {
  it('a set with the same state and message is no change until 600 s passed; forget drops a container', () => {
    const results = createProbeResults();
    expect(results.set('c1', result())).toBe(true);
    expect(results.set('c1', result({ at: T + 5000 }))).toBe(false);
    expect(results.set('c1', result({ message: 'other', at: T + 6000 }))).toBe(true);
    expect(results.set('c1', result({ message: 'other', at: T + 606_000 }))).toBe(true);
    results.forget('c1');
    expect(results.list()).toEqual([]);
  });
});
