import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DaemonSet, DaemonSetSpec } from './daemonSet.js';
import type { DaemonSetV1alpha1 } from './daemonSetV1alpha1.js';
import { withDaemonSetDefaults, withDaemonSetSurgingDefaults } from './withDaemonSetDefaults.js';

const template = { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'agent', image: 'agent:1' }] } };
const selector = { matchLabels: { app: 'agent' } };

function ds(spec: Partial<DaemonSetSpec> = {}): DaemonSet {
  return { spec: { selector, template, ...spec } };
}

describe('withDaemonSetDefaults', () => {
  it('fills every default of a bare Advanced DaemonSet, as OpenKruise’s SetDefaultsDaemonSetV1beta1 does (the template untouched)', () => {
    expect(withDaemonSetDefaults(ds()).spec).toEqual({
      selector,
      template,
      burstReplicas: 250,
      revisionHistoryLimit: 10,
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { rollingUpdateType: 'Standard', maxUnavailable: 1, maxSurge: 0 } },
    });
  });

  it.each<[string, Partial<DaemonSetSpec>, Partial<DaemonSetSpec>]>([
    [
      'set values are kept (InPlaceIfPossible, maxUnavailable 20%, partition 3, burstReplicas 10%)',
      { burstReplicas: '10%', updateStrategy: { rollingUpdate: { rollingUpdateType: 'InPlaceIfPossible', maxUnavailable: '20%', partition: 3 } } },
      { burstReplicas: '10%', updateStrategy: { type: 'RollingUpdate', rollingUpdate: { rollingUpdateType: 'InPlaceIfPossible', maxUnavailable: '20%', partition: 3 } } },
    ],
    [
      'maxSurge alone leaves maxUnavailable unset (it means 0): the 1/0 pair only when neither is set',
      { updateStrategy: { rollingUpdate: { maxSurge: '10%' } } },
      { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '10%', rollingUpdateType: 'Standard' } } },
    ],
    [
      'maxUnavailable alone leaves maxSurge unset',
      { updateStrategy: { rollingUpdate: { maxUnavailable: 3 } } },
      { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 3, rollingUpdateType: 'Standard' } } },
    ],
    ['OnDelete gets no rollingUpdate', { updateStrategy: { type: 'OnDelete' } }, { updateStrategy: { type: 'OnDelete' } }],
    ['OnDelete keeps a rollingUpdate as written, undefaulted', { updateStrategy: { type: 'OnDelete', rollingUpdate: { paused: true } } }, { updateStrategy: { type: 'OnDelete', rollingUpdate: { paused: true } } }],
    ['no partition, minReadySeconds nor scaleStrategy is added', {}, { minReadySeconds: undefined, scaleStrategy: undefined }],
    ['burstReplicas 0 and revisionHistoryLimit 0 are kept', { burstReplicas: 0, revisionHistoryLimit: 0 }, { burstReplicas: 0, revisionHistoryLimit: 0 }],
  ])('%s', (_story, spec, expected) => {
    const defaulted = withDaemonSetDefaults(ds(spec)).spec;
    for (const [key, value] of Object.entries(expected)) expect(defaulted[key]).toEqual(value);
  });

  it('keeps unknown fields and does not modify its input', () => {
    const input = { ...ds({ futureField: 'x', updateStrategy: { rollingUpdate: { futureRolling: 1 } } }), extra: 1 };
    const copy = structuredClone(input);
    const defaulted = withDaemonSetDefaults(input);
    expect(input).toEqual(copy);
    expect(defaulted.spec['futureField']).toBe('x');
    expect(defaulted.spec.updateStrategy.rollingUpdate?.['futureRolling']).toBe(1);
    expect(defaulted['extra']).toBe(1);
  });

  it('is idempotent and never changes a value that was set', () => {
    const intOrPercent = fc.oneof(fc.nat(3), fc.constant('50%'));
    const spec = fc.record(
      {
        burstReplicas: intOrPercent,
        revisionHistoryLimit: fc.nat(10),
        updateStrategy: fc.record(
          {
            type: fc.constantFrom('RollingUpdate' as const, 'OnDelete' as const),
            rollingUpdate: fc.record({ rollingUpdateType: fc.constantFrom('Standard' as const, 'InPlaceIfPossible' as const), maxUnavailable: intOrPercent, maxSurge: intOrPercent, partition: intOrPercent }, { requiredKeys: [] }),
          },
          { requiredKeys: [] },
        ),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(spec, (s) => {
        const once = withDaemonSetDefaults(ds(s));
        expect(withDaemonSetDefaults(once)).toEqual(once);
        if (s.burstReplicas !== undefined) expect(once.spec.burstReplicas).toBe(s.burstReplicas);
        const ru = s.updateStrategy?.rollingUpdate;
        for (const key of ['rollingUpdateType', 'maxUnavailable', 'maxSurge', 'partition'] as const) {
          if (ru?.[key] !== undefined) expect(once.spec.updateStrategy.rollingUpdate?.[key]).toBe(ru[key]);
        }
      }),
    );
  });
});

describe('withDaemonSetSurgingDefaults', () => {
  const alpha = (rollingUpdate: NonNullable<NonNullable<DaemonSetV1alpha1['spec']['updateStrategy']>['rollingUpdate']>, type?: 'RollingUpdate' | 'OnDelete'): DaemonSetV1alpha1 => ({
    spec: { selector, template, updateStrategy: { ...(type !== undefined && { type }), rollingUpdate } },
  });

  it.each<[string, DaemonSetV1alpha1, unknown]>([
    ['Surging becomes Standard with maxSurge 1 and maxUnavailable 0', alpha({ rollingUpdateType: 'Surging' }), { rollingUpdateType: 'Standard', maxSurge: 1, maxUnavailable: 0 }],
    ['set budgets are kept', alpha({ rollingUpdateType: 'Surging', maxSurge: '20%' }, 'RollingUpdate'), { rollingUpdateType: 'Standard', maxSurge: '20%', maxUnavailable: 0 }],
    ['Standard is left alone', alpha({ rollingUpdateType: 'Standard' }), { rollingUpdateType: 'Standard' }],
    ['OnDelete is left alone', alpha({ rollingUpdateType: 'Surging' }, 'OnDelete'), { rollingUpdateType: 'Surging' }],
  ])('%s', (_story, input, expected) => {
    expect(withDaemonSetSurgingDefaults(input).spec.updateStrategy?.rollingUpdate).toEqual(expected);
  });
});
