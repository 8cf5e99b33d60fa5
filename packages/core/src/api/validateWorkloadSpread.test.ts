import { describe, expect, it } from 'vitest';
import { aWorkloadSpread, aZoneSubset } from '../testing/index.js';
import { validateWorkloadSpread, validateWorkloadSpreadUpdate, workloadSpreadConflicts } from './validateWorkloadSpread.js';
import type { WorkloadSpread } from './workloadSpread.js';

const paths = (ws: WorkloadSpread) => validateWorkloadSpread(ws).map((p) => `${p.path}: ${p.message}`);

describe('validateWorkloadSpread', () => {
  it('accepts the default three-zone spread over a CloneSet', () => {
    expect(validateWorkloadSpread(aWorkloadSpread())).toEqual([]);
  });

  it('accepts a targetFilter (selector and replicas paths)', () => {
    expect(validateWorkloadSpread(aWorkloadSpread({ targetFilter: { selector: { matchLabels: { role: 'worker' } }, replicasPathList: ['spec.replicas'] } }))).toEqual([]);
  });

  it.each<[string, WorkloadSpread, string]>([
    ['targetRef missing', { ...aWorkloadSpread(), spec: { subsets: [aZoneSubset('a')] } }, 'spec.targetRef: Required value: no targetRef defined in WorkloadSpread'],
    ['targetRef name empty', aWorkloadSpread({ targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: '' } }), 'spec.targetRef: Invalid value: {"apiVersion":"apps/v1","kind":"Deployment","name":""}: empty TargetReference is not valid for WorkloadSpread.'],
    ['CloneSet from apps', aWorkloadSpread({ targetRef: { apiVersion: 'apps/v1', kind: 'CloneSet', name: 'web' } }), 'spec.targetRef: Invalid value: {"apiVersion":"apps/v1","kind":"CloneSet","name":"web"}: TargetReference is not valid for CloneSet.'],
    ['a DaemonSet', aWorkloadSpread({ targetRef: { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'web' } }), 'spec.targetRef: Invalid value: {"apiVersion":"apps/v1","kind":"DaemonSet","name":"web"}: TargetReference\'s GroupKind is not permitted.'],
    ['no subsets', aWorkloadSpread({ subsets: [] }), 'spec.subsets: Required value: subsets number must >= 1 in WorkloadSpread'],
    ['duplicated names', aWorkloadSpread({ subsets: [aZoneSubset('a', 1), aZoneSubset('a')] }), 'spec.subsets[1].name: Invalid value: "a": duplicated subset name a'],
    ['In without values', aWorkloadSpread({ subsets: [{ name: 'a', requiredNodeSelectorTerm: { matchExpressions: [{ key: 'zone', operator: 'In' }] } }] }), "spec.subsets[0].requiredNodeSelectorTerm.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'"],
    ['preferred weight 0', aWorkloadSpread({ subsets: [{ name: 'a', preferredNodeSelectorTerms: [{ weight: 0, preference: {} }] }] }), 'spec.subsets[0].preferredNodeSelectorTerms[0].weight: Invalid value: 0: must be in the range 1-100'],
    ['toleration Exists with value', aWorkloadSpread({ subsets: [{ name: 'a', tolerations: [{ key: 'k', operator: 'Exists', value: 'v' }] }] }), "spec.subsets[0].tolerations[0].operator: Invalid value: value must be empty when `operator` is 'Exists'"],
    ['int and percent mixed', aWorkloadSpread({ subsets: [aZoneSubset('a', 2), aZoneSubset('b', '50%')] }), 'spec.subsets[1].maxReplicas: Invalid value: "50%": the maxReplicas type of all subsets must be the same'],
    ['percent over 100', aWorkloadSpread({ subsets: [aZoneSubset('a', '60%'), aZoneSubset('b', '50%')] }), 'spec.subsets[1].maxReplicas: Invalid value: "50%": the sum of all subset\'s maxReplicas exceeds 100% is no permitted'],
    ['percent under 100, last capped', aWorkloadSpread({ subsets: [aZoneSubset('a', '30%'), aZoneSubset('b', '30%')] }), 'spec.subsets[0].maxReplicas: Invalid value: "30%": maxReplicas sum of all subsets must equal 100% when type is specified as percent'],
    ['a numeric string', aWorkloadSpread({ subsets: [aZoneSubset('a', '5')] }), 'spec.subsets[0].maxReplicas: Invalid value: "5": maxReplicas is not valid for subset'],
    ['percent for a StatefulSet', aWorkloadSpread({ targetRef: { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db' }, subsets: [aZoneSubset('a', '50%'), aZoneSubset('b')] }), 'spec.subsets[0].maxReplicas: Invalid value: "50%": the maxReplicas type must be Int for StatefulSet'],
    [
      'a targetFilter selector without values',
      aWorkloadSpread({ targetFilter: { selector: { matchExpressions: [{ key: 'role', operator: 'In' }] }, replicasPathList: ['spec.replicas'] } }),
      "spec.targetFilter.selector.matchExpressions[0].values: must be specified when `operator` is 'In' or 'NotIn'",
    ],
    ['unknown strategy', aWorkloadSpread({ scheduleStrategy: { type: 'Random' } }), 'spec.scheduleStrategy.type: Invalid value: "Random": ScheduleStrategy\'s type is not valid'],
    ['adaptive under Fixed', aWorkloadSpread({ scheduleStrategy: { type: 'Fixed', adaptive: { rescheduleCriticalSeconds: 10 } } }), "spec.scheduleStrategy.type: Invalid value: 10: the scheduleStrategy's type must be adaptive when using adaptive scheduleStrategy"],
    ['adaptive with capped last subset', aWorkloadSpread({ subsets: [aZoneSubset('a', 1), aZoneSubset('b', 1)], scheduleStrategy: { type: 'Adaptive', adaptive: { rescheduleCriticalSeconds: 10 } } }), 'spec.scheduleStrategy.adaptive: Invalid value: 10: the last subset must be not specified when using adaptive scheduleStrategy'],
    ['3 subsets, 200 s (max 147)', aWorkloadSpread({ scheduleStrategy: { type: 'Adaptive', adaptive: { rescheduleCriticalSeconds: 200 } } }), 'spec.scheduleStrategy.adaptive.rescheduleCriticalSeconds: Invalid value: 200: rescheduleCriticalSeconds < 0 or rescheduleCriticalSeconds > 147 is not permitted'],
  ])('%s', (_story, ws, expected) => {
    expect(paths(ws)).toContain(expected);
  });

  it.each<[string, WorkloadSpread]>([
    ['Deployment', aWorkloadSpread({ targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' } })],
    ['Job', aWorkloadSpread({ targetRef: { apiVersion: 'batch/v1', kind: 'Job', name: 'web' } })],
    ['Advanced StatefulSet', aWorkloadSpread({ targetRef: { apiVersion: 'apps.kruise.io/v1beta1', kind: 'StatefulSet', name: 'db' } })],
    ['percentages summing to 100', aWorkloadSpread({ subsets: [aZoneSubset('a', '40%'), aZoneSubset('b', '60%')] })],
    ['percentages under 100 with an unlimited last subset', aWorkloadSpread({ subsets: [aZoneSubset('a', '40%'), aZoneSubset('b')] })],
    ['Adaptive 3 subsets, 147 s', aWorkloadSpread({ scheduleStrategy: { type: 'Adaptive', adaptive: { rescheduleCriticalSeconds: 147 } } })],
  ])('accepts %s', (_story, ws) => {
    expect(validateWorkloadSpread(ws)).toEqual([]);
  });
});

describe('validateWorkloadSpreadUpdate and workloadSpreadConflicts', () => {
  it('refuses a new target, accepts a new version of the same one', () => {
    const old = aWorkloadSpread();
    expect(validateWorkloadSpreadUpdate(aWorkloadSpread({ targetRef: { apiVersion: 'apps.kruise.io/v1beta1', kind: 'CloneSet', name: 'web' } }), old)).toEqual([]);
    expect(validateWorkloadSpreadUpdate(aWorkloadSpread({ targetRef: { apiVersion: 'apps.kruise.io/v1alpha1', kind: 'CloneSet', name: 'api' } }), old)[0]?.path).toBe('spec.targetRef');
  });

  it('one WorkloadSpread per workload', () => {
    const first = aWorkloadSpread({ name: 'ws-a' });
    const second = aWorkloadSpread({ name: 'ws-b', targetRef: { apiVersion: 'apps.kruise.io/v1beta1', kind: 'CloneSet', name: 'web' } });
    expect(workloadSpreadConflicts(second, [first, second])).toEqual([
      { path: 'spec.targetRef', message: 'Invalid value: {"apiVersion":"apps.kruise.io/v1beta1","kind":"CloneSet","name":"web"}: ws.spec.targetRef is in conflict with other WorkloadSpread ws-a' },
    ]);
    expect(workloadSpreadConflicts(first, [first])).toEqual([]);
  });
});
