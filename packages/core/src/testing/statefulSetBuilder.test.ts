import { describe, expect, it } from 'vitest';
import { parseStatefulSet } from '../api/parseStatefulSet.js';
import { validateStatefulSet } from '../api/validateStatefulSet.js';
import { aStatefulSet } from './statefulSetBuilder.js';

describe('aStatefulSet', () => {
  it('builds a v1beta1 Advanced StatefulSet selecting app=<name>, with only the knobs given', () => {
    expect(aStatefulSet({ name: 'db', replicas: 3 })).toEqual({
      apiVersion: 'apps.kruise.io/v1beta1',
      kind: 'StatefulSet',
      metadata: { name: 'db', namespace: 'default', uid: 'uid-db', generation: 1 },
      spec: {
        replicas: 3,
        serviceName: 'db',
        selector: { matchLabels: { app: 'db' } },
        template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'main', image: 'nginx:1' }] } },
        updateStrategy: {},
      },
    });
  });

  it.each([
    ['in place, with the readiness gate OpenKruise requires', { podUpdatePolicy: 'InPlaceOnly' as const, gracePeriodSeconds: 5 }],
    ['Parallel, unordered, with reserved ordinals, a start ordinal and claim templates', { podManagementPolicy: 'Parallel' as const, maxUnavailable: '50%', unorderedUpdate: true as const, reserveOrdinals: [1, '3-4'], startOrdinal: 1, volumeClaimTemplates: ['data'] }],
  ])('builds valid objects the schema reads: %s', (_story, options) => {
    const sts = aStatefulSet(options);
    expect(parseStatefulSet(sts)).toEqual({ kind: 'valid', value: sts });
    expect(validateStatefulSet(sts)).toEqual([]);
  });
});
