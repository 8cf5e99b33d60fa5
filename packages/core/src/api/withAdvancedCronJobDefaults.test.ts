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

  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.option(fc.constantFrom('Allow' as const, 'Forbid' as const, 'Replace' as const), { nil: undefined }), fc.option(fc.nat(5), { nil: undefined }), fc.boolean(), (policy, limit, templateDefaults) => {
        const once = withAdvancedCronJobDefaults(anAdvancedCronJob({ concurrencyPolicy: policy, successfulJobsHistoryLimit: limit }), { templateDefaults });
        expect(withAdvancedCronJobDefaults(once, { templateDefaults })).toEqual(once);
      }),
    );
  });
});
