import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TemplateKind } from '../api/advancedCronJob.js';
import { cronJobChildState, type CronJobChild } from './cronJobChildren.js';

const withStatus = (status: CronJobChild['status']): CronJobChild => ({ metadata: { name: 'r-1' }, status });

describe('cronJobChildState', () => {
  it.each<[string, CronJobChild['status'], TemplateKind, ReturnType<typeof cronJobChildState>]>([
    ['a Job with no condition', {}, 'Job', 'active'],
    ['a Job Complete', { conditions: [{ type: 'Complete', status: 'True' }] }, 'Job', 'succeeded'],
    ['a BroadcastJob Failed', { conditions: [{ type: 'Failed', status: 'True' }] }, 'BroadcastJob', 'failed'],
    ['a Job whose Complete condition is False', { conditions: [{ type: 'Complete', status: 'False' }] }, 'Job', 'active'],
    ['an ImageListPullJob with no status', undefined, 'ImageListPullJob', 'active'],
    ['an ImageListPullJob without completion time (all pulled)', { desired: 2, succeeded: 2 }, 'ImageListPullJob', 'active'],
    ['an ImageListPullJob with a null completion time', { completionTime: null, desired: 1 }, 'ImageListPullJob', 'active'],
    ['an ImageListPullJob completed, 2 of 2 succeeded', { completionTime: '2026-01-01T00:01:00Z', desired: 2, succeeded: 2 }, 'ImageListPullJob', 'succeeded'],
    ['an ImageListPullJob completed, 1 of 2 succeeded', { completionTime: '2026-01-01T00:01:00Z', desired: 2, succeeded: 1 }, 'ImageListPullJob', 'failed'],
    ['an ImageListPullJob completed, succeeded unset of 1', { completionTime: '2026-01-01T00:01:00Z', desired: 1 }, 'ImageListPullJob', 'failed'],
    // Conditions mean nothing on an ImageListPullJob (OpenKruise reads its completion time only).
    ['an ImageListPullJob with a Complete condition only', { conditions: [{ type: 'Complete', status: 'True' }] }, 'ImageListPullJob', 'active'],
  ])('%s: %s', (_, status, kind, expected) => {
    expect(cronJobChildState(withStatus(status), kind)).toBe(expected);
  });

  it('an ImageListPullJob is finished exactly when it has a completion time, succeeded exactly when every ImagePullJob succeeded', () => {
    fc.assert(
      fc.property(fc.option(fc.constant('2026-01-01T00:01:00Z'), { nil: undefined }), fc.nat(5), fc.nat(5), (completionTime, desired, succeeded) => {
        const state = cronJobChildState(withStatus({ ...(completionTime !== undefined && { completionTime }), desired, succeeded }), 'ImageListPullJob');
        expect(state === 'active').toBe(completionTime === undefined);
        if (completionTime !== undefined) expect(state).toBe(succeeded === desired ? 'succeeded' : 'failed');
      }),
    );
  });
});
