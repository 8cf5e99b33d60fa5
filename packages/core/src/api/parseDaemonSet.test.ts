import { describe, expect, it } from 'vitest';
import { DAEMONSET_V1BETA1_FIELDS_ANNOTATION } from './daemonSetV1alpha1.js';
import { DAEMONSET_PROGRESSIVE_CREATE_POD_ANNOTATION } from './labels.js';
import { parseDaemonSet } from './parseDaemonSet.js';
import { withDaemonSetSurgingDefaults } from './withDaemonSetDefaults.js';

const template = { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'agent', image: 'agent:1' }] } };
const selector = { matchLabels: { app: 'agent' } };

describe('parseDaemonSet', () => {
  it('reads a v1beta1 Advanced DaemonSet, unknown fields kept', () => {
    const input = { apiVersion: 'apps.kruise.io/v1beta1', kind: 'DaemonSet', spec: { selector, template, burstReplicas: '10%', scaleStrategy: { partitionedScaling: true }, futureField: 1 } };
    expect(parseDaemonSet(input)).toEqual({ kind: 'valid', value: input });
  });

  it('reads a v1alpha1 one and converts it: progressive-create-pod, the annotation’s fields and daemonSetHash put in their v1beta1 places', () => {
    const input = {
      apiVersion: 'apps.kruise.io/v1alpha1',
      kind: 'DaemonSet',
      metadata: { name: 'agent', annotations: { [DAEMONSET_PROGRESSIVE_CREATE_POD_ANNOTATION]: 'true', [DAEMONSET_V1BETA1_FIELDS_ANNOTATION]: '{"spec":{"scaleStrategy":{"future":1}}}' } },
      spec: { selector, template },
      status: { daemonSetHash: 'agent-7d9' },
    };
    expect(parseDaemonSet(input)).toEqual({
      kind: 'valid',
      value: { apiVersion: 'apps.kruise.io/v1beta1', kind: 'DaemonSet', metadata: { name: 'agent' }, spec: { selector, template, scaleStrategy: { future: 1, partitionedScaling: true } }, status: { updateRevision: 'agent-7d9' } },
    });
  });

  it('maps a v1alpha1 Surging to Standard, its budgets kept with withDaemonSetSurgingDefaults before the conversion', () => {
    const input = { apiVersion: 'apps.kruise.io/v1alpha1', kind: 'DaemonSet', spec: { selector, template, updateStrategy: { rollingUpdate: { rollingUpdateType: 'Surging' } } } };
    expect(parseDaemonSet(input)).toMatchObject({ kind: 'valid', value: { spec: { updateStrategy: { rollingUpdate: { rollingUpdateType: 'Standard' } } } } });
    expect(parseDaemonSet(input, { beforeConversion: withDaemonSetSurgingDefaults })).toMatchObject({
      kind: 'valid',
      value: { spec: { updateStrategy: { rollingUpdate: { rollingUpdateType: 'Standard', maxSurge: 1, maxUnavailable: 0 } } } },
    });
  });

  it.each<[string, unknown, { path: string; message: string }[]]>([
    [
      'a v1beta1 object of the wrong shape: every problem with its path',
      { spec: { burstReplicas: true, updateStrategy: { rollingUpdate: { rollingUpdateType: 'Surging' } } } },
      [
        { path: 'spec.selector', message: 'Required value' },
        { path: 'spec.template', message: 'Required value' },
        { path: 'spec.updateStrategy.rollingUpdate.rollingUpdateType', message: 'Invalid option: expected one of "Standard"|"InPlaceIfPossible"' },
        { path: 'spec.burstReplicas', message: 'Invalid input' },
      ],
    ],
    [
      'a v1alpha1 object of the wrong shape, read with the v1alpha1 schema (Surging allowed there)',
      { apiVersion: 'apps.kruise.io/v1alpha1', spec: { selector, template, updateStrategy: { rollingUpdate: { rollingUpdateType: 'Sometimes', partition: true } } } },
      [
        { path: 'spec.updateStrategy.rollingUpdate.rollingUpdateType', message: 'Invalid option: expected one of "Standard"|"InPlaceIfPossible"|"Surging"' },
        { path: 'spec.updateStrategy.rollingUpdate.partition', message: 'Invalid input' },
      ],
    ],
  ])('%s', (_story, input, problems) => {
    expect(parseDaemonSet(input)).toEqual({ kind: 'invalid', problems });
  });
});
