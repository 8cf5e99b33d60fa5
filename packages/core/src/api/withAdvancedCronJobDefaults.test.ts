import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { anAdvancedCronJob } from '../testing/advancedCronJobBuilder.js';
import { withAdvancedCronJobDefaults } from './withAdvancedCronJobDefaults.js';

describe('withAdvancedCronJobDefaults', () => {
  it('fills concurrencyPolicy Allow, paused false, history limits 3 and 1', () => {
    expect(withAdvancedCronJobDefaults(anAdvancedCronJob()).spec).toMatchObject({ concurrencyPolicy: 'Allow', paused: false, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1 });
  });

  it('keeps what is set, explicit zeros included', () => {
    const acj = anAdvancedCronJob({ concurrencyPolicy: 'Forbid', paused: true, successfulJobsHistoryLimit: 0, failedJobsHistoryLimit: 0 });
    expect(withAdvancedCronJobDefaults(acj).spec).toMatchObject({ concurrencyPolicy: 'Forbid', paused: true, successfulJobsHistoryLimit: 0, failedJobsHistoryLimit: 0 });
  });

  it('leaves the pod template alone unless asked; with templateDefaults the job and BroadcastJob templates get the pod defaults', () => {
    const acj = anAdvancedCronJob();
    expect(withAdvancedCronJobDefaults(acj).spec.template).toEqual(acj.spec.template);
    const job = withAdvancedCronJobDefaults(acj, { templateDefaults: true }).spec.template.jobTemplate?.spec.template.spec;
    expect(job).toMatchObject({ restartPolicy: 'Never', dnsPolicy: 'ClusterFirst', terminationGracePeriodSeconds: 30, containers: [{ imagePullPolicy: 'Always' }] });
    const bcj = withAdvancedCronJobDefaults(anAdvancedCronJob({ templateKind: 'BroadcastJob' }), { templateDefaults: true }).spec.template.broadcastJobTemplate?.spec.template.spec;
    expect(bcj).toMatchObject({ schedulerName: 'default-scheduler' });
  });

  it.each([
    ['no completion policy type: Always, pull policy 600 s / 3 tries, IfNotPresent', { completionPolicy: {} }, { completionPolicy: { type: 'Always' }, pullPolicy: { timeoutSeconds: 600, backoffLimit: 3 }, imagePullPolicy: 'IfNotPresent' }],
    [
      'a partial pull policy and Always pulls kept',
      { completionPolicy: {}, pullPolicy: { timeoutSeconds: 60 }, imagePullPolicy: 'Always' as const },
      { completionPolicy: { type: 'Always' }, pullPolicy: { timeoutSeconds: 60, backoffLimit: 3 }, imagePullPolicy: 'Always' },
    ],
    // OpenKruise defaults the pull policy only inside its "type is empty" branch.
    ['a completion policy type set: nothing else defaulted', { completionPolicy: { type: 'Always' as const } }, { completionPolicy: { type: 'Always' } }],
  ])('an imageListPullJobTemplate: %s; concurrencyPolicy Replace', (_, spec, expected) => {
    const defaulted = withAdvancedCronJobDefaults(anAdvancedCronJob({ templateKind: 'ImageListPullJob', imageListPullJobSpec: spec }));
    expect(defaulted.spec.concurrencyPolicy).toBe('Replace');
    const template = defaulted.spec.template.imageListPullJobTemplate?.spec;
    expect(template).toEqual({ images: ['nginx:1.25', 'redis:7'], ...expected });
  });

  it('an imageListPullJobTemplate keeps a concurrencyPolicy that is set', () => {
    expect(withAdvancedCronJobDefaults(anAdvancedCronJob({ templateKind: 'ImageListPullJob', concurrencyPolicy: 'Forbid' })).spec.concurrencyPolicy).toBe('Forbid');
  });

  it('is idempotent', () => {
    const kinds = fc.constantFrom('Job' as const, 'BroadcastJob' as const, 'ImageListPullJob' as const);
    fc.assert(
      fc.property(fc.option(fc.constantFrom('Allow' as const, 'Forbid' as const, 'Replace' as const), { nil: undefined }), fc.option(fc.nat(5), { nil: undefined }), fc.boolean(), kinds, (policy, limit, templateDefaults, templateKind) => {
        const once = withAdvancedCronJobDefaults(anAdvancedCronJob({ concurrencyPolicy: policy, successfulJobsHistoryLimit: limit, templateKind }), { templateDefaults });
        expect(withAdvancedCronJobDefaults(once, { templateDefaults })).toEqual(once);
      }),
    );
  });
});
