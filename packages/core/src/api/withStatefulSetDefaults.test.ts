import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StatefulSet, StatefulSetSpec } from './statefulSet.js';
import { withStatefulSetDefaults, type StatefulSetDefaultsGates } from './withStatefulSetDefaults.js';

const template = { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'mysql:8' }] } };
const selector = { matchLabels: { app: 'db' } };

function sts(spec: Partial<StatefulSetSpec> = {}): StatefulSet {
  return { spec: { selector, template, ...spec } };
}

describe('withStatefulSetDefaults', () => {
  it('fills every default of a bare Advanced StatefulSet, as OpenKruise’s SetDefaultsStatefulSet does', () => {
    expect(withStatefulSetDefaults(sts()).spec).toEqual({
      selector,
      template,
      replicas: 1,
      revisionHistoryLimit: 10,
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0, maxUnavailable: 1, podUpdatePolicy: 'ReCreate', minReadySeconds: 0 } },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
    });
  });

  it.each<[string, Partial<StatefulSetSpec>, StatefulSetDefaultsGates, Partial<StatefulSetSpec>]>([
    [
      'set values are kept (Parallel, partition 3, maxUnavailable 50%, InPlaceIfPossible, minReadySeconds 10)',
      { podManagementPolicy: 'Parallel', updateStrategy: { rollingUpdate: { partition: 3, maxUnavailable: '50%', podUpdatePolicy: 'InPlaceIfPossible', minReadySeconds: 10 } } },
      {},
      {
        podManagementPolicy: 'Parallel',
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 3, maxUnavailable: '50%', podUpdatePolicy: 'InPlaceIfPossible', minReadySeconds: 10 } },
      },
    ],
    [
      'an in-place policy gets no empty inPlaceUpdateStrategy (OpenKruise adds none for StatefulSet)',
      { updateStrategy: { rollingUpdate: { podUpdatePolicy: 'InPlaceOnly' } } },
      {},
      { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { podUpdatePolicy: 'InPlaceOnly', partition: 0, maxUnavailable: 1, minReadySeconds: 0 } } },
    ],
    ['OnDelete gets no rollingUpdate', { updateStrategy: { type: 'OnDelete' } }, {}, { updateStrategy: { type: 'OnDelete' } }],
    [
      'OnDelete keeps a rollingUpdate as written, undefaulted',
      { updateStrategy: { type: 'OnDelete', rollingUpdate: { paused: true } } },
      {},
      { updateStrategy: { type: 'OnDelete', rollingUpdate: { paused: true } } },
    ],
    [
      'a half-set retention policy gets the other half Retain',
      { persistentVolumeClaimRetentionPolicy: { whenScaled: 'Delete' } },
      {},
      { persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Delete' } },
    ],
    ['StatefulSetAutoDeletePVC off: no retention policy', {}, { StatefulSetAutoDeletePVC: false }, { persistentVolumeClaimRetentionPolicy: undefined }],
    ['StatefulSetAutoResizePVCGate on: volumeClaimUpdateStrategy OnDelete', {}, { StatefulSetAutoResizePVCGate: true }, { volumeClaimUpdateStrategy: { type: 'OnDelete' } }],
    ['StatefulSetAutoResizePVCGate off (default): no volumeClaimUpdateStrategy', {}, {}, { volumeClaimUpdateStrategy: undefined }],
    ['replicas 0 and revisionHistoryLimit 0 are kept', { replicas: 0, revisionHistoryLimit: 0 }, {}, { replicas: 0, revisionHistoryLimit: 0 }],
  ])('%s', (_story, spec, gates, expected) => {
    const defaulted = withStatefulSetDefaults(sts(spec), gates).spec;
    for (const [key, value] of Object.entries(expected)) expect(defaulted[key]).toEqual(value);
  });

  it('keeps unknown fields and does not modify its input', () => {
    const input = { ...sts({ futureField: 'x', updateStrategy: { rollingUpdate: { futureRolling: 1 } } }), extra: 1 };
    const copy = structuredClone(input);
    const defaulted = withStatefulSetDefaults(input);
    expect(input).toEqual(copy);
    expect(defaulted.spec['futureField']).toBe('x');
    expect(defaulted.spec.updateStrategy.rollingUpdate?.['futureRolling']).toBe(1);
    expect(defaulted['extra']).toBe(1);
  });

  it('is idempotent and never changes a value that was set', () => {
    const spec = fc.record(
      {
        replicas: fc.nat(10),
        podManagementPolicy: fc.constantFrom('OrderedReady' as const, 'Parallel' as const),
        updateStrategy: fc.record(
          {
            type: fc.constantFrom('RollingUpdate' as const, 'OnDelete' as const),
            rollingUpdate: fc.record({ partition: fc.nat(5), maxUnavailable: fc.oneof(fc.nat(3), fc.constant('50%')), minReadySeconds: fc.nat(300) }, { requiredKeys: [] }),
          },
          { requiredKeys: [] },
        ),
        persistentVolumeClaimRetentionPolicy: fc.record({ whenDeleted: fc.constant('Delete' as const) }, { requiredKeys: [] }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(spec, fc.boolean(), fc.boolean(), (s, autoDelete, autoResize) => {
        const gates = { StatefulSetAutoDeletePVC: autoDelete, StatefulSetAutoResizePVCGate: autoResize };
        const once = withStatefulSetDefaults(sts(s), gates);
        expect(withStatefulSetDefaults(once, gates)).toEqual(once);
        if (s.replicas !== undefined) expect(once.spec.replicas).toBe(s.replicas);
        if (s.updateStrategy?.rollingUpdate?.partition !== undefined && once.spec.updateStrategy.rollingUpdate !== undefined) {
          expect(once.spec.updateStrategy.rollingUpdate.partition).toBe(s.updateStrategy.rollingUpdate.partition);
        }
      }),
    );
  });
});
