import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { PodContainerProbe } from '../api/podProbeMarker.js';
import { aPodProbeMarker } from '../testing/podProbeMarkerBuilder.js';
import { NATIVE_POD_CONDITIONS, validatePodProbeMarker } from './validatePodProbeMarker.js';

const exec = { exec: { command: ['cat', '/tmp/ready'] } };
const probe = (over: Partial<PodContainerProbe> = {}): PodContainerProbe => ({ name: 'ready', containerName: 'main', probe: exec, podConditionType: 'game.kruise.io/ready', ...over });

describe('validatePodProbeMarker', () => {
  it('accepts the default marker (exec probe, condition and a Succeeded label policy)', () => {
    expect(validatePodProbeMarker(aPodProbeMarker())).toEqual([]);
  });

  it.each<[string, PodContainerProbe[], string, RegExp]>([
    ['a name with #', [probe({ name: 'a#b' })], 'spec.probes[0].name', /can't contain '#'/],
    ['an empty name', [probe({ name: '' })], 'spec.probes[0].name', /can't be empty/],
    ['no container', [probe({ containerName: '' })], 'spec.probes[0].containerName', /can't be empty/],
    ['a native condition name', [probe({ name: 'Ready' })], 'spec.probes[0].name', /can't be Ready/],
    ['a repeated name', [probe(), probe({ podConditionType: 'other' })], 'spec.probes[1].name', /must be unique/],
    ['no handler', [probe({ probe: {} })], 'spec.probes[0].probe', /must specify a handler type/],
    ['two handlers', [probe({ probe: { ...exec, tcpSocket: { port: 80 } } })], 'spec.probes[0].probe.tcpSocket', /more than 1 handler/],
    ['an exec without command', [probe({ probe: { exec: {} } })], 'spec.probes[0].probe.exec.command', /Required/],
    ['httpGet without scheme', [probe({ probe: { httpGet: { path: '/', port: 80 } } })], 'spec.probes[0].probe.httpGet.scheme', /supported values: "HTTP", "HTTPS"/],
    ['httpGet without path', [probe({ probe: { httpGet: { port: 80, scheme: 'HTTP' } } })], 'spec.probes[0].probe.httpGet.path', /Required/],
    ['a port out of range', [probe({ probe: { tcpSocket: { port: 70000 } } })], 'spec.probes[0].probe.tcpSocket.port', /between 1 and 65535/],
    ['a bad port name', [probe({ probe: { tcpSocket: { port: 'Http--x' } } })], 'spec.probes[0].probe.tcpSocket.port', /IANA_SVC_NAME/],
    ['a negative period', [probe({ probe: { ...exec, periodSeconds: -1 } })], 'spec.probes[0].probe.periodSeconds', /greater than or equal to 0/],
    ['neither condition nor policy', [probe({ podConditionType: '' })], 'spec.probes[0].podConditionType', /cannot be empty at the same time/],
    ['a repeated condition type', [probe(), probe({ name: 'other' })], 'spec.probes[1].podConditionType', /must be unique/],
    ['an invalid condition type', [probe({ podConditionType: 'a b' })], 'spec.probes[0].podConditionType', /name part/],
    ['a policy with state True', [probe({ markerPolicy: [{ state: 'True', labels: { a: 'b' } }] })], 'spec.probes[0].markerPolicy[0].state', /'Succeeded' or 'Failed'/],
    ['an empty policy', [probe({ markerPolicy: [{ state: 'Failed' }] })], 'spec.probes[0].markerPolicy[0]', /can't be both empty/],
    ['a repeated policy state', [probe({ markerPolicy: [{ state: 'Failed', labels: { a: 'b' } }, { state: 'Failed', labels: { c: 'd' } }] })], 'spec.probes[0].markerPolicy[1].state', /must be unique/],
    ['a bad policy label', [probe({ markerPolicy: [{ state: 'Succeeded', labels: { a: 'has space' } }] })], 'spec.probes[0].markerPolicy[0].labels[a]', /63/],
  ])('refuses %s with the field', (_story, probes, path, message) => {
    const problems = validatePodProbeMarker(aPodProbeMarker({ probes }));
    expect(problems.map((p) => p.path)).toContain(path);
    expect(problems.find((p) => p.path === path)?.message).toMatch(message);
  });

  it('refuses an empty selector, no probes, and a changed selector on update', () => {
    expect(validatePodProbeMarker(aPodProbeMarker({ matchLabels: {} }))).toEqual([{ path: 'spec.selector', message: 'Invalid value: {}: empty selector is not valid for PodProbeMarker' }]);
    expect(validatePodProbeMarker(aPodProbeMarker({ probes: [] }))).toEqual([{ path: 'spec.probes', message: 'Invalid value: []: empty probes is not valid for PodProbeMarker' }]);
    expect(validatePodProbeMarker(aPodProbeMarker({ matchLabels: { app: 'b' } }), aPodProbeMarker())).toEqual([{ path: 'spec.selector', message: 'Invalid value: selector must be immutable' }]);
  });

  it('property: a probe named after a native pod condition is always refused, whatever else it has', () => {
    fc.assert(
      fc.property(fc.constantFrom(...NATIVE_POD_CONDITIONS), fc.string({ maxLength: 10 }), (name, container) => {
        const problems = validatePodProbeMarker(aPodProbeMarker({ probes: [probe({ name, containerName: container === '' ? 'main' : container })] }));
        expect(problems.some((p) => p.path === 'spec.probes[0].name')).toBe(true);
      }),
    );
  });
});
