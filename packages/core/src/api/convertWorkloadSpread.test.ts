import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aWorkloadSpread, aZoneSubset } from '../testing/index.js';
import { convertWorkloadSpreadToV1alpha1, convertWorkloadSpreadToV1beta1 } from './convertWorkloadSpread.js';
import type { WorkloadSpread } from './workloadSpread.js';
import { WorkloadSpreadV1beta1Schema } from './workloadSpreadV1beta1.js';

const TERM = { matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['zone-a'] }] };
const PREFERRED = [{ weight: 10, preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] } }];

describe('WorkloadSpread conversion', () => {
  it('renames the subset node selectors to v1beta1’s names and back; the rest is unchanged', () => {
    const alpha = aWorkloadSpread({
      subsets: [{ ...aZoneSubset('zone-a', 2), preferredNodeSelectorTerms: PREFERRED, tolerations: [{ key: 'k', operator: 'Exists' }], patch: { metadata: { labels: { a: 'b' } } } }, aZoneSubset('zone-b')],
      targetFilter: { selector: { matchLabels: { role: 'worker' } }, replicasPathList: ['spec.replicas'] },
      scheduleStrategy: { type: 'Adaptive', adaptive: { rescheduleCriticalSeconds: 30 } },
    });
    const beta = convertWorkloadSpreadToV1beta1(alpha);
    expect(beta.apiVersion).toBe('apps.kruise.io/v1beta1');
    expect(beta.spec.subsets[0]).toEqual({ name: 'zone-a', requiredNodeSelector: TERM, preferredNodeSelector: PREFERRED, maxReplicas: 2, tolerations: [{ key: 'k', operator: 'Exists' }], patch: { metadata: { labels: { a: 'b' } } } });
    expect(beta.spec.subsets[1]).toEqual({ name: 'zone-b', requiredNodeSelector: { matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['zone-b'] }] } });
    expect(beta.spec).toMatchObject({ targetRef: alpha.spec.targetRef, targetFilter: alpha.spec.targetFilter, scheduleStrategy: alpha.spec.scheduleStrategy });
    expect(WorkloadSpreadV1beta1Schema.safeParse(beta).success).toBe(true);
    expect(convertWorkloadSpreadToV1alpha1(beta)).toEqual(alpha);
  });

  it('subset conditions: no reason becomes Unknown in v1beta1 (metav1.Condition needs one); observedGeneration leaves in v1alpha1; versioned statuses too', () => {
    const condition = { type: 'Schedulable', status: 'False', lastTransitionTime: '2026-01-01T00:00:00Z' };
    const status = { name: 'zone-a', replicas: 1, missingReplicas: 1, conditions: [condition] };
    const alpha: WorkloadSpread = { ...aWorkloadSpread(), status: { observedGeneration: 2, subsetStatuses: [status], versionedSubsetStatuses: { '5d8f': [status] } } };
    const beta = convertWorkloadSpreadToV1beta1(alpha);
    const expected = { ...status, conditions: [{ ...condition, reason: 'Unknown' }] };
    expect(beta.status).toEqual({ observedGeneration: 2, subsetStatuses: [expected], versionedSubsetStatuses: { '5d8f': [expected] } });
    const withGeneration = { ...beta, status: { ...beta.status, subsetStatuses: [{ ...expected, conditions: [{ ...condition, reason: 'Unknown', observedGeneration: 2 }] }] } };
    expect(convertWorkloadSpreadToV1alpha1(withGeneration).status?.subsetStatuses).toEqual([expected]);
  });

  it('an object without apiVersion or status gets none', () => {
    const { apiVersion: _, ...bare } = aWorkloadSpread();
    expect(Object.keys(convertWorkloadSpreadToV1beta1(bare))).toEqual(['kind', 'metadata', 'spec']);
  });

  it('v1beta1 → v1alpha1 → v1beta1 is the identity (subsets with or without selectors, conditions with reasons, unknown fields)', () => {
    const condition = fc.record({ type: fc.constant('Schedulable'), status: fc.constantFrom('True', 'False'), reason: fc.constantFrom('Unknown', 'Unschedulable') });
    const subset = fc.record(
      { name: fc.string({ minLength: 1, maxLength: 5 }), requiredNodeSelector: fc.constant(TERM), preferredNodeSelector: fc.constant(PREFERRED), maxReplicas: fc.oneof(fc.nat(5), fc.constant('50%')), extra: fc.string() },
      { requiredKeys: ['name'] },
    );
    const subsetStatus = fc.record({ name: fc.string({ minLength: 1, maxLength: 5 }), replicas: fc.nat(5), missingReplicas: fc.integer({ min: -1, max: 5 }), conditions: fc.array(condition, { maxLength: 1 }) }, { requiredKeys: ['name', 'replicas', 'missingReplicas'] });
    fc.assert(
      fc.property(fc.array(subset, { maxLength: 3 }), fc.option(fc.array(subsetStatus, { maxLength: 3 }), { nil: undefined }), (subsets, statuses) => {
        const beta = { apiVersion: 'apps.kruise.io/v1beta1', kind: 'WorkloadSpread', spec: { subsets }, ...(statuses !== undefined && { status: { subsetStatuses: statuses, versionedSubsetStatuses: { v1: statuses } } }) };
        expect(convertWorkloadSpreadToV1beta1(convertWorkloadSpreadToV1alpha1(beta))).toEqual(beta);
      }),
    );
  });
});
