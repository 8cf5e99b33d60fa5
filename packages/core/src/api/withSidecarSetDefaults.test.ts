import { describe, expect, it } from 'vitest';
import type { SidecarSet } from './sidecarSet.js';
import { defaultImagePullPolicy, withVolumeDefaults } from './sidecarSetContainerDefaults.js';
import { withSidecarSetDefaults } from './withSidecarSetDefaults.js';

const bare: SidecarSet = {
  metadata: { name: 'log' },
  spec: {
    selector: { matchLabels: { app: 'web' } },
    initContainers: [{ name: 'init', image: 'busybox' }],
    containers: [{ name: 'fluentd', image: 'fluentd:1', ports: [{ containerPort: 24224 }], env: [{ name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }] }],
    volumes: [{ name: 'logs' }, { name: 'cfg', configMap: { name: 'fluentd' } }],
    patchPodMetadata: [{ annotations: { a: 'b' } }],
    injectionStrategy: { revision: { customVersion: 'v1' } },
  },
};

describe('withSidecarSetDefaults', () => {
  const defaulted = withSidecarSetDefaults(bare);

  it('defaults the update strategy, history limit, patch policy and revision policy', () => {
    expect(defaulted.spec.updateStrategy).toEqual({ type: 'RollingUpdate', maxUnavailable: 1, partition: 0 });
    expect(defaulted.spec.revisionHistoryLimit).toBe(10);
    expect(defaulted.spec.patchPodMetadata).toEqual([{ annotations: { a: 'b' }, patchPolicy: 'Retain' }]);
    expect(defaulted.spec.injectionStrategy).toEqual({ revision: { customVersion: 'v1', policy: 'Always' } });
  });

  it('puts containers before and init containers after the app, cold upgrade, no sharing', () => {
    expect(defaulted.spec.containers?.[0]).toMatchObject({ podInjectPolicy: 'BeforeAppContainer', upgradeStrategy: { upgradeType: 'ColdUpgrade' }, shareVolumePolicy: { type: 'disabled' } });
    expect(defaulted.spec.initContainers?.[0]).toMatchObject({ podInjectPolicy: 'AfterAppContainer', imagePullPolicy: 'Always' });
    expect(defaulted.spec.containers?.[0]).not.toHaveProperty('shareVolumeDevicePolicy');
  });

  it('applies the Kubernetes container defaults', () => {
    expect(defaulted.spec.containers?.[0]).toMatchObject({
      imagePullPolicy: 'IfNotPresent',
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
      ports: [{ containerPort: 24224, protocol: 'TCP' }],
      env: [{ name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name', apiVersion: 'v1' } } }],
    });
  });

  it('applies the volume defaults', () => {
    expect(defaulted.spec.volumes).toEqual([{ name: 'logs', emptyDir: {} }, { name: 'cfg', configMap: { name: 'fluentd', defaultMode: 420 } }]);
  });

  it('never changes set values and is idempotent', () => {
    expect(withSidecarSetDefaults(defaulted)).toEqual(defaulted);
    const set = withSidecarSetDefaults({ ...bare, spec: { ...bare.spec, updateStrategy: { type: 'NotUpdate', maxUnavailable: '20%' } } });
    expect(set.spec.updateStrategy).toEqual({ type: 'NotUpdate', maxUnavailable: '20%', partition: 0 });
  });
});

describe('container and volume defaults', () => {
  it.each([
    ['nginx', 'Always'],
    ['nginx:latest', 'Always'],
    ['nginx:1.25', 'IfNotPresent'],
    ['registry:5000/nginx', 'Always'],
    ['nginx@sha256:ab', 'IfNotPresent'],
  ])('image %s pulls %s', (image, policy) => {
    expect(defaultImagePullPolicy(image)).toBe(policy);
  });

  it('defaults probes, hostPath and projected token expiry', () => {
    expect(withVolumeDefaults({ name: 'h', hostPath: { path: '/var/log' } })).toEqual({ name: 'h', hostPath: { path: '/var/log', type: '' } });
    expect(withVolumeDefaults({ name: 't', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } })).toEqual({
      name: 't',
      projected: { defaultMode: 420, sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3600 } }] },
    });
    const probed = withSidecarSetDefaults({ ...bare, spec: { containers: [{ name: 'p', image: 'x:1', livenessProbe: { httpGet: { port: 80 } } }] } });
    expect(probed.spec.containers?.[0]?.['livenessProbe']).toEqual({ httpGet: { port: 80, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
  });
});
