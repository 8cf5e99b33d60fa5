import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CloneSet, CloneSetUpdateStrategy } from './cloneSet.js';
import { withCloneSetDefaults } from './withCloneSetDefaults.js';

const template = { metadata: { labels: { app: 'demo' } }, spec: { containers: [{ name: 'app', image: 'nginx:1' }] } };

function cloneSet(spec: Partial<CloneSet['spec']>): CloneSet {
  return { spec: { selector: { matchLabels: { app: 'demo' } }, template, ...spec } };
}

describe('withCloneSetDefaults', () => {
  it('fills every default of a bare CloneSet, as the OpenKruise webhook does', () => {
    expect(withCloneSetDefaults(cloneSet({})).spec).toEqual({
      selector: { matchLabels: { app: 'demo' } },
      template,
      replicas: 1,
      revisionHistoryLimit: 10,
      updateStrategy: {
        type: 'RollingUpdate',
        rollingUpdate: { partition: 0, maxUnavailable: '20%', maxSurge: 0, podUpdatePolicy: 'ReCreate' },
      },
    });
  });

  it.each<[string, CloneSetUpdateStrategy, CloneSetUpdateStrategy]>([
    [
      'InPlaceIfPossible gets an empty inPlaceUpdateStrategy',
      { rollingUpdate: { podUpdatePolicy: 'InPlaceIfPossible' } },
      {
        type: 'RollingUpdate',
        rollingUpdate: { podUpdatePolicy: 'InPlaceIfPossible', partition: 0, maxUnavailable: '20%', maxSurge: 0, inPlaceUpdateStrategy: {} },
      },
    ],
    [
      'set values are kept',
      { type: 'RollingUpdate', rollingUpdate: { partition: '50%', maxUnavailable: 2, maxSurge: '10%', inPlaceUpdateStrategy: { gracePeriodSeconds: 5 } } },
      {
        type: 'RollingUpdate',
        rollingUpdate: {
          partition: '50%',
          maxUnavailable: 2,
          maxSurge: '10%',
          podUpdatePolicy: 'ReCreate',
          inPlaceUpdateStrategy: { gracePeriodSeconds: 5 },
        },
      },
    ],
    [
      'OnDelete gets the budgets (scaling reads them) but no pod update policy',
      { type: 'OnDelete' },
      { type: 'OnDelete', rollingUpdate: { partition: 0, maxUnavailable: '20%', maxSurge: 0 } },
    ],
  ])('%s', (_story, updateStrategy, expected) => {
    expect(withCloneSetDefaults(cloneSet({ updateStrategy })).spec.updateStrategy).toEqual(expected);
  });

  it('keeps replicas 0 and unknown fields', () => {
    const defaulted = withCloneSetDefaults({ ...cloneSet({ replicas: 0, futureField: 'x' }), extra: 1 });
    expect(defaulted.spec.replicas).toBe(0);
    expect(defaulted.spec['futureField']).toBe('x');
    expect(defaulted['extra']).toBe(1);
  });

  it('does not modify its input', () => {
    const input = cloneSet({ updateStrategy: { rollingUpdate: { podUpdatePolicy: 'InPlaceOnly' } } });
    const copy = structuredClone(input);
    withCloneSetDefaults(input);
    expect(input).toEqual(copy);
  });

  const intOrPercent = fc.oneof(fc.nat(10), fc.nat(100).map((n) => `${String(n)}%`));
  const updateStrategy = fc.record(
    {
      type: fc.constantFrom('RollingUpdate' as const, 'OnDelete' as const),
      rollingUpdate: fc.record(
        {
          partition: intOrPercent,
          maxUnavailable: intOrPercent,
          maxSurge: intOrPercent,
          paused: fc.boolean(),
          podUpdatePolicy: fc.constantFrom('ReCreate' as const, 'InPlaceIfPossible' as const, 'InPlaceOnly' as const),
          inPlaceUpdateStrategy: fc.record({ gracePeriodSeconds: fc.nat(30) }, { requiredKeys: [] }),
        },
        { requiredKeys: [] },
      ),
    },
    { requiredKeys: [] },
  );
  const spec = fc.record(
    { replicas: fc.nat(20), revisionHistoryLimit: fc.nat(20), minReadySeconds: fc.nat(30), updateStrategy },
    { requiredKeys: [] },
  );

  it('is idempotent and never changes a value that was set', () => {
    fc.assert(
      fc.property(spec, (partial) => {
        const once = withCloneSetDefaults(cloneSet(partial));
        expect(withCloneSetDefaults(once)).toEqual(once);
        expect(once.spec).toMatchObject(partial);
      }),
    );
  });
});
