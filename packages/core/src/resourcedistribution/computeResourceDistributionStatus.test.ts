import { describe, expect, it } from 'vitest';
import { aResourceDistribution } from '../testing/resourceDistributionBuilder.js';
import { CONFLICT_MESSAGE, NAMESPACE_MISSING_MESSAGE, computeResourceDistributionStatus, plannedFailures } from './computeResourceDistributionStatus.js';

const T0 = Date.parse('2026-12-01T10:00:00Z');
const T1 = Date.parse('2026-12-01T10:05:00Z');

describe('computeResourceDistributionStatus', () => {
  it('all distributed: desired 3, succeeded 3, failed 0, six conditions False with reason Succeeded in OpenKruise order', () => {
    const status = computeResourceDistributionStatus({ rd: aResourceDistribution({ generation: 2 }), desired: 3, failures: [], now: T0 });
    expect(status).toMatchObject({ desired: 3, succeeded: 3, failed: 0, observedGeneration: 2 });
    expect(status.conditions?.map((c) => `${c.type}=${c.status}/${c.reason ?? ''}`)).toEqual([
      'GetResourceFailed=False/Succeeded',
      'CreateResourceFailed=False/Succeeded',
      'UpdateResourceFailed=False/Succeeded',
      'DeleteResourceFailed=False/Succeeded',
      'ConflictOccurred=False/Succeeded',
      'NamespaceNotExists=False/Succeeded',
    ]);
    expect(status.conditions?.every((c) => c.lastTransitionTime === '2026-12-01T10:00:00Z')).toBe(true);
  });

  it('a conflict in b and a missing namespace z: succeeded 1 of 3, their conditions True with the namespaces; a failed delete elsewhere counts against no target', () => {
    const failures = [
      ...plannedFailures([
        { kind: 'conflict', namespace: 'b', reason: 'not-owned' },
        { kind: 'namespace-missing', namespace: 'z', reason: 'not-found' },
        { kind: 'in-sync', namespace: 'a' },
      ]),
      { namespace: 'old', type: 'DeleteResourceFailed' as const, message: 'forbidden' },
    ];
    const status = computeResourceDistributionStatus({ rd: aResourceDistribution(), desired: 3, failures, now: T0 });
    expect(status).toMatchObject({ desired: 3, succeeded: 1, failed: 2 });
    const byType = Object.fromEntries((status.conditions ?? []).map((c) => [c.type, c]));
    expect(byType.ConflictOccurred).toMatchObject({ status: 'True', reason: CONFLICT_MESSAGE, failedNamespaces: ['b'] });
    expect(byType.NamespaceNotExists).toMatchObject({ status: 'True', reason: NAMESPACE_MISSING_MESSAGE, failedNamespaces: ['z'] });
    expect(byType.DeleteResourceFailed).toMatchObject({ status: 'True', reason: 'forbidden', failedNamespaces: ['old'] });
  });

  it('lastTransitionTime moves only for the conditions whose status changed', () => {
    const first = computeResourceDistributionStatus({ rd: aResourceDistribution(), desired: 2, failures: [], now: T0 });
    const second = computeResourceDistributionStatus({
      rd: aResourceDistribution({ status: first }),
      desired: 2,
      failures: [{ namespace: 'b', type: 'ConflictOccurred', message: CONFLICT_MESSAGE }],
      now: T1,
    });
    const times = Object.fromEntries((second.conditions ?? []).map((c) => [c.type, c.lastTransitionTime]));
    expect(times.ConflictOccurred).toBe('2026-12-01T10:05:00Z');
    expect(times.CreateResourceFailed).toBe('2026-12-01T10:00:00Z');
  });
});
