import { describe, expect, it } from 'vitest';
import { parseDaemonSet } from '../api/parseDaemonSet.js';
import { validateDaemonSet } from '../api/validateDaemonSet.js';
import { aDaemonSet } from './daemonSetBuilder.js';

describe('aDaemonSet', () => {
  it('builds a v1beta1 Advanced DaemonSet selecting app=<name>, with only the knobs given', () => {
    expect(aDaemonSet({ name: 'log', minReadySeconds: 5 })).toEqual({
      apiVersion: 'apps.kruise.io/v1beta1',
      kind: 'DaemonSet',
      metadata: { name: 'log', namespace: 'default', uid: 'uid-log', generation: 1 },
      spec: {
        selector: { matchLabels: { app: 'log' } },
        template: { metadata: { labels: { app: 'log' } }, spec: { containers: [{ name: 'main', image: 'nginx:1' }] } },
        minReadySeconds: 5,
        updateStrategy: {},
      },
    });
  });

  it.each([
    ['in place, partitioned, on some nodes', { rollingUpdateType: 'InPlaceIfPossible' as const, maxUnavailable: '20%', partition: '50%', nodeSelector: { matchLabels: { zone: 'a' } }, partitionedScaling: true }],
    ['surging, paused, with a burst limit and a preDelete hook', { maxSurge: 1, paused: true, burstReplicas: 10, lifecycle: { preDelete: { finalizersHandler: ['example.com/drain'] } } }],
  ])('builds valid objects the schema reads: %s', (_story, options) => {
    const ds = aDaemonSet(options);
    expect(parseDaemonSet(ds)).toEqual({ kind: 'valid', value: ds });
    expect(validateDaemonSet(ds)).toEqual([]);
  });
});
