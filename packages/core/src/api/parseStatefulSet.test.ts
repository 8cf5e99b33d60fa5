import { describe, expect, it } from 'vitest';
import { parseStatefulSet } from './parseStatefulSet.js';
import { STATEFULSET_V1BETA1_FIELDS_ANNOTATION } from './statefulSetV1alpha1.js';

const template = { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'mysql:8' }] } };
const selector = { matchLabels: { app: 'db' } };

describe('parseStatefulSet', () => {
  it('reads a v1beta1 Advanced StatefulSet, unknown fields kept', () => {
    const input = { apiVersion: 'apps.kruise.io/v1beta1', kind: 'StatefulSet', spec: { selector, template, reserveOrdinals: [1, '3-5'], futureField: 1 } };
    expect(parseStatefulSet(input)).toEqual({ kind: 'valid', value: input });
  });

  it('reads a v1alpha1 one and converts it, the annotation’s fields put back', () => {
    const input = {
      apiVersion: 'apps.kruise.io/v1alpha1',
      kind: 'StatefulSet',
      metadata: { name: 'db', annotations: { [STATEFULSET_V1BETA1_FIELDS_ANNOTATION]: '{"spec":{"ordinals":{"start":1}}}' } },
      spec: { selector, template, replicas: 2 },
    };
    expect(parseStatefulSet(input)).toEqual({
      kind: 'valid',
      value: { apiVersion: 'apps.kruise.io/v1beta1', kind: 'StatefulSet', metadata: { name: 'db' }, spec: { selector, template, replicas: 2, ordinals: { start: 1 } } },
    });
  });

  it.each<[string, unknown, { path: string; message: string }[]]>([
    [
      'a v1beta1 object of the wrong shape: every problem with its path',
      { spec: { replicas: 'x', podManagementPolicy: 'Sometimes', reserveOrdinals: [true] } },
      [
        { path: 'spec.replicas', message: 'Invalid input: expected number, received string' },
        { path: 'spec.selector', message: 'Required value' },
        { path: 'spec.template', message: 'Required value' },
        { path: 'spec.podManagementPolicy', message: 'Invalid option: expected one of "OrderedReady"|"Parallel"' },
        { path: 'spec.reserveOrdinals[0]', message: 'Invalid input' },
      ],
    ],
    [
      'a v1alpha1 object of the wrong shape, read with the v1alpha1 schema',
      { apiVersion: 'apps.kruise.io/v1alpha1', spec: { selector, template, updateStrategy: { type: 'Sometimes' } } },
      [{ path: 'spec.updateStrategy.type', message: 'Invalid option: expected one of "RollingUpdate"|"OnDelete"' }],
    ],
  ])('%s', (_story, input, problems) => {
    expect(parseStatefulSet(input)).toEqual({ kind: 'invalid', problems });
  });
});
