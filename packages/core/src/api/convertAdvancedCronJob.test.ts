import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { anAdvancedCronJob } from '../testing/advancedCronJobBuilder.js';
import { AdvancedCronJobV1alpha1Schema } from './advancedCronJobV1alpha1.js';
import { advancedCronJobV1alpha1Refusal, convertAdvancedCronJobToV1alpha1, convertAdvancedCronJobToV1beta1 } from './convertAdvancedCronJob.js';
import { parseAdvancedCronJob } from './parseAdvancedCronJob.js';

describe('AdvancedCronJob conversion', () => {
  it('changes only the apiVersion, both ways', () => {
    const beta = anAdvancedCronJob({ schedule: 'TZ=UTC @hourly', concurrencyPolicy: 'Forbid', status: { type: 'Job', lastScheduleTime: '2025-01-01T00:00:00Z', active: [] } });
    const alpha = convertAdvancedCronJobToV1alpha1(beta);
    expect(alpha).toEqual({ ...beta, apiVersion: 'apps.kruise.io/v1alpha1' });
    expect(convertAdvancedCronJobToV1beta1(alpha)).toEqual(beta);
  });

  it('an object without apiVersion gets none', () => {
    const { apiVersion: _, ...bare } = anAdvancedCronJob();
    expect(convertAdvancedCronJobToV1alpha1(bare)).toEqual(bare);
  });

  it('round trips are the identity, unknown fields included', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1, maxLength: 5 }).filter((k) => !['schedule', 'template', '__proto__'].includes(k)), fc.jsonValue()), (extra) => {
        const beta = { ...anAdvancedCronJob(), spec: { ...extra, ...anAdvancedCronJob().spec } };
        expect(convertAdvancedCronJobToV1beta1(convertAdvancedCronJobToV1alpha1(beta))).toEqual(beta);
      }),
    );
  });
});

describe('advancedCronJobV1alpha1Refusal', () => {
  it.each([
    ['a job template', anAdvancedCronJob(), undefined],
    ['a BroadcastJob template', anAdvancedCronJob({ templateKind: 'BroadcastJob' }), undefined],
    ['an ImageListPullJob template (v1beta1 only)', anAdvancedCronJob({ templateKind: 'ImageListPullJob' }), 'imageListPullJobTemplate is not supported in v1alpha1'],
  ])('%s → %s', (_, acj, expected) => {
    expect(advancedCronJobV1alpha1Refusal(acj)).toBe(expected);
  });

  it('the v1alpha1 schema has no imageListPullJobTemplate (the CRD prunes it there)', () => {
    expect(Object.keys(AdvancedCronJobV1alpha1Schema.shape.spec.shape.template.shape)).toEqual(['jobTemplate', 'broadcastJobTemplate']);
  });
});

describe('parseAdvancedCronJob', () => {
  it('reads a v1alpha1 object as v1beta1', () => {
    const parsed = parseAdvancedCronJob({ ...anAdvancedCronJob(), apiVersion: 'apps.kruise.io/v1alpha1' });
    expect(parsed).toMatchObject({ kind: 'valid', value: { apiVersion: 'apps.kruise.io/v1beta1' } });
  });

  it('names every field that does not parse', () => {
    const parsed = parseAdvancedCronJob({ spec: { schedule: 5, concurrencyPolicy: 'Never' } });
    expect(parsed.kind === 'invalid' ? parsed.problems.map((p) => p.path) : []).toEqual(['spec.schedule', 'spec.concurrencyPolicy', 'spec.template']);
  });
});
