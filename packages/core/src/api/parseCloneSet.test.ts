import { describe, expect, it } from 'vitest';
import { parseCloneSet } from './parseCloneSet.js';
import { validateCloneSet } from './validateCloneSet.js';

// The v1alpha1 manifest of the OpenKruise tour (seeds), as a user would apply it.
const seedManifest = {
  apiVersion: 'apps.kruise.io/v1alpha1',
  kind: 'CloneSet',
  metadata: { labels: { app: 'cloneset-dev' }, name: 'cloneset-dev', namespace: 'kri-dev' },
  spec: {
    replicas: 1,
    scaleStrategy: { podsToDelete: ['cloneset-dev-r25n8'] },
    selector: { matchLabels: { app: 'cloneset-dev' } },
    template: {
      metadata: { labels: { app: 'cloneset-dev' } },
      spec: {
        containers: [
          { name: 'net', image: '192.168.6.77:5000/alpine:net' },
          {
            name: 'alpine',
            image: '192.168.6.77:5000/riped/alpine:3.8',
            command: ['sh', '-c', 'sleep 360000'],
            volumeMounts: [{ name: 'cloneset-data', mountPath: '/data1' }],
          },
        ],
      },
    },
    volumeClaimTemplates: [
      {
        metadata: { name: 'cloneset-data' },
        spec: { accessModes: ['ReadWriteMany'], storageClassName: 'managed-nfs-storage', resources: { requests: { storage: '1Gi' } } },
      },
    ],
  },
};

describe('parseCloneSet', () => {
  it('reads the seeds’ v1alpha1 manifest into a valid v1beta1 CloneSet', () => {
    const parsed = parseCloneSet(seedManifest);
    expect(parsed.kind).toBe('valid');
    if (parsed.kind !== 'valid') return;
    expect(parsed.value.apiVersion).toBe('apps.kruise.io/v1beta1');
    expect(parsed.value.spec.scaleStrategy).toEqual({ podsToDelete: ['cloneset-dev-r25n8'], enablePVCReuse: true });
    expect(validateCloneSet(parsed.value)).toEqual([]);
  });

  it('keeps fields it does not model, at every level', () => {
    const input = {
      apiVersion: 'apps.kruise.io/v1beta1',
      kind: 'CloneSet',
      extra: 1,
      metadata: { name: 'web', managedFields: [{ manager: 'kubectl' }] },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'a', image: 'x', tty: true }], dnsPolicy: 'ClusterFirst' } },
        updateStrategy: { rollingUpdate: { futureKnob: 'on' } },
        futureSpecField: { a: 1 },
      },
      status: { futureStatus: 2 },
    };
    expect(parseCloneSet(input)).toEqual({ kind: 'valid', value: input });
  });

  it('accepts what Go clients write: a null template creationTimestamp and null condition times', () => {
    const input = {
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { creationTimestamp: null, labels: { app: 'web' } }, spec: { containers: [{ name: 'a', image: 'x' }] } },
      },
      status: { conditions: [{ type: 'Progressing', status: 'True', lastUpdateTime: null, lastTransitionTime: null }] },
    };
    expect(parseCloneSet(input).kind).toBe('valid');
  });

  it.each<[string, unknown, { path: string; message: string }[]]>([
    [
      'a number of the wrong type and missing required fields',
      { spec: { replicas: 'x' } },
      [
        { path: 'spec.replicas', message: 'Invalid input: expected number, received string' },
        { path: 'spec.selector', message: 'Required value' },
        { path: 'spec.template', message: 'Required value' },
      ],
    ],
    ['no spec', {}, [{ path: 'spec', message: 'Required value' }]],
    [
      'an unknown update strategy type',
      {
        spec: {
          selector: {},
          template: { spec: { containers: [] } },
          updateStrategy: { type: 'Canary' },
        },
      },
      [{ path: 'spec.updateStrategy.type', message: 'Invalid option: expected one of "RollingUpdate"|"OnDelete"' }],
    ],
    [
      'a v1alpha1 object is checked against the v1alpha1 schema',
      { apiVersion: 'apps.kruise.io/v1alpha1', spec: { selector: {}, template: { spec: { containers: [] } }, updateStrategy: { type: 'RollingUpdate' } } },
      [{ path: 'spec.updateStrategy.type', message: 'Invalid option: expected one of "ReCreate"|"InPlaceIfPossible"|"InPlaceOnly"|"OnDelete"' }],
    ],
    [
      'a label key path is bracketed',
      { metadata: { labels: { 'app.kubernetes.io/name': 1 } }, spec: { selector: {}, template: { spec: { containers: [] } } } },
      [{ path: 'metadata.labels[app.kubernetes.io/name]', message: 'Invalid input: expected string, received number' }],
    ],
  ])('reports %s', (_story, input, problems) => {
    expect(parseCloneSet(input)).toEqual({ kind: 'invalid', problems });
  });
});
