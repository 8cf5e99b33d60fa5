import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/pod.js';
import type { SidecarContainer } from '../api/sidecarSet.js';
import { mergeVolumeMounts, sharedVolumeDevices, transferredEnvs } from './sidecarPodSharing.js';

const pod: Pod = {
  metadata: { name: 'p', labels: { main: 'app' }, annotations: { 'sidecar.io/source': 'worker' } },
  spec: {
    containers: [
      { name: 'app', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }], volumeDevices: [{ name: 'disk', devicePath: '/dev/xvda' }] },
      { name: 'worker', env: [{ name: 'A', value: 'w' }] },
      { name: 'injected', env: [{ name: 'IS_INJECTED', value: 'true' }], volumeDevices: [{ name: 'other', devicePath: '/dev/xvdb' }] },
    ],
  },
};
const sidecar = (transferEnv: SidecarContainer['transferEnv']): SidecarContainer => ({ name: 's', ...(transferEnv && { transferEnv }) });

describe('transferredEnvs', () => {
  it.each<[string, SidecarContainer['transferEnv'], string[]]>([
    ['envName and envNames, in name order', [{ sourceContainerName: 'app', envName: 'B', envNames: ['A', 'C'] }], ['A=1', 'B=2']],
    ['the source named by a pod label', [{ sourceContainerNameFrom: { fieldRef: { fieldPath: "metadata.labels['main']" } }, envName: 'A' }], ['A=1']],
    ['the source named by a pod annotation', [{ sourceContainerNameFrom: { fieldRef: { fieldPath: "metadata.annotations['sidecar.io/source']" } }, envName: 'A' }], ['A=w']],
    ['an unsupported field path is skipped', [{ sourceContainerNameFrom: { fieldRef: { fieldPath: 'metadata.name' } }, envName: 'A' }], []],
  ])('%s', (_story, transferEnv, expected) => {
    expect(transferredEnvs(sidecar(transferEnv), pod).map((e) => `${e.name}=${e.value ?? ''}`)).toEqual(expected);
  });
});

describe('volume sharing helpers', () => {
  it('shares the devices of the pod’s own containers only when enabled', () => {
    expect(sharedVolumeDevices({ name: 's', shareVolumeDevicePolicy: { type: 'enabled' } }, pod)).toEqual([{ name: 'disk', devicePath: '/dev/xvda' }]);
    expect(sharedVolumeDevices({ name: 's' }, pod)).toEqual([]);
  });

  it('adds mounts whose path is free', () => {
    const container = { name: 's', volumeMounts: [{ name: 'a', mountPath: '/a' }], volumeDevices: [{ name: 'd', devicePath: '/dev/x' }] };
    expect(mergeVolumeMounts(container, [{ name: 'b', mountPath: '/a' }, { name: 'c', mountPath: '/dev/x' }, { name: 'e', mountPath: '/e' }]).map((m) => m.name)).toEqual(['a', 'e']);
  });
});
