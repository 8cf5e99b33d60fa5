import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aUnitedDeployment } from '../testing/unitedDeploymentBuilder.js';
import { convertUnitedDeploymentToV1alpha1, convertUnitedDeploymentToV1beta1 } from './convertUnitedDeployment.js';
import { parseSubsetReplicas } from './parseSubsetReplicas.js';
import { parseUnitedDeployment } from './parseUnitedDeployment.js';
import type { UnitedDeployment, UnitedDeploymentStatus } from './unitedDeployment.js';
import { validateUnitedDeployment } from './validateUnitedDeployment.js';
import { validateUnitedDeploymentUpdate } from './validateUnitedDeploymentUpdate.js';
import { withUnitedDeploymentDefaults } from './withUnitedDeploymentDefaults.js';

const zones = [
  { name: 'zone-a', zone: 'zone-a', replicas: '20%' },
  { name: 'zone-b', zone: 'zone-b', replicas: 3 },
  { name: 'zone-c', zone: 'zone-c' },
] as const;

describe('parseSubsetReplicas', () => {
  it.each([
    [10, 3, 3],
    [10, '20%', 2],
    [5, '50%', 3],
    [5, '30%', 2],
    [3, '50%', 2],
    [9, '0%', 0],
    [9, '100%', 9],
  ] as const)('replicas %d, subset %s → %d (half rounds up)', (total, value, expected) => {
    expect(parseSubsetReplicas(total, value)).toEqual({ kind: 'count', value: expected });
  });

  it.each([
    [10, -1, 'should not be less than 0'],
    [-1, '20%', 'should not be string when unitedDeployment replicas is empty'],
    [10, '20', "only support integer value or percentage value with a suffix '%'"],
    [10, 'x%', 'should be correct percentage integer'],
    [10, '101%', 'should be in range [0, 100]'],
  ] as const)('replicas %d, subset %s is refused: %s', (total, value, message) => {
    const parsed = parseSubsetReplicas(total, value);
    expect(parsed.kind).toBe('invalid');
    expect(parsed.kind === 'invalid' && parsed.message).toContain(message);
  });
});

describe('withUnitedDeploymentDefaults', () => {
  it('sets revisionHistoryLimit 10 and a Manual update strategy, leaves replicas unset', () => {
    const spec = withUnitedDeploymentDefaults(aUnitedDeployment()).spec;
    expect(spec.revisionHistoryLimit).toBe(10);
    expect(spec.updateStrategy).toEqual({ type: 'Manual', manualUpdate: {} });
    expect(spec.replicas).toBeUndefined();
  });

  it('keeps set values and is idempotent', () => {
    const ud = aUnitedDeployment({ revisionHistoryLimit: 3, partitions: { a: 1 } });
    const once = withUnitedDeploymentDefaults(ud);
    expect(once.spec.revisionHistoryLimit).toBe(3);
    expect(once.spec.updateStrategy.manualUpdate).toEqual({ partitions: { a: 1 } });
    expect(withUnitedDeploymentDefaults(once)).toEqual(once);
  });
});

describe('validateUnitedDeployment', () => {
  it('accepts the three-zone example', () => {
    expect(validateUnitedDeployment(aUnitedDeployment({ replicas: 10, subsets: zones }))).toEqual([]);
  });

  const base = aUnitedDeployment({ replicas: 10, subsets: zones });
  const withSpec = (spec: Partial<UnitedDeployment['spec']>): UnitedDeployment => ({ ...base, spec: { ...base.spec, ...spec } });
  const subsets = (list: UnitedDeployment['spec']['topology']): UnitedDeployment => withSpec({ topology: list });

  it.each<[string, UnitedDeployment, { path: string; message: string }]>([
    ['no template', withSpec({ template: {} }), { path: 'spec.template', message: 'Required value: should provide one of statefulSetTemplate, advancedStatefulSetTemplate, cloneSetTemplate, or deploymentTemplate' }],
    [
      'two templates',
      withSpec({ template: { ...base.spec.template, deploymentTemplate: base.spec.template?.cloneSetTemplate as never } }),
      { path: 'spec.template', message: 'Invalid value: should provide only one of statefulSetTemplate, advancedStatefulSetTemplate, cloneSetTemplate, or deploymentTemplate' },
    ],
    ['negative replicas', withSpec({ replicas: -1 }), { path: 'spec.replicas', message: 'must be greater than or equal to 0' }],
    ['empty selector', withSpec({ selector: {} }), { path: 'spec.selector', message: 'Invalid value: empty selector is invalid for statefulset' }],
    ['selector not matching', withSpec({ selector: { matchLabels: { app: 'other' } } }), { path: 'spec.template.cloneSetTemplate.metadata.labels', message: '`selector` does not match template `labels`' }],
    ['duplicate names', subsets({ subsets: [{ name: 'a' }, { name: 'a' }] }), { path: 'spec.topology.subsets[1].name', message: 'Invalid value: "a": duplicated subset name a' }],
    ['name not a DNS label', subsets({ subsets: [{ name: 'Zone_A' }] }), { path: 'spec.topology.subsets[0].name', message: expect.stringContaining('invalid subset name') as string }],
    ['empty name', subsets({ subsets: [{ name: '' }] }), { path: 'spec.topology.subsets[0].name', message: 'Required value' }],
    ['replicas over the total', subsets({ subsets: [{ name: 'a', replicas: 6 }, { name: 'b', replicas: 6 }, { name: 'c' }] }), { path: 'spec.topology.subsets', message: 'Invalid value: 12: sum of indicated subset replicas 12 should not be greater than UnitedDeployment replicas 10' }],
    [
      'every subset fixed but short of the total',
      subsets({ subsets: [{ name: 'a', replicas: 4 }, { name: 'b', replicas: 4 }] }),
      { path: 'spec.topology.subsets', message: 'Invalid value: 8: if replicas of all subsets are provided, the sum of indicated subset replicas 8 should equal UnitedDeployment replicas 10' },
    ],
    ['bad percentage', subsets({ subsets: [{ name: 'a', replicas: '120%' }, { name: 'b' }] }), { path: 'spec.topology.subsets[0].replicas', message: 'Invalid value: "120%": subset replicas (120%) should be in range [0, 100]' }],
    ['replicas and min mixed', subsets({ subsets: [{ name: 'a', replicas: 2 }, { name: 'b', minReplicas: 2 }] }), { path: 'spec.topology.subsets', message: 'Invalid value: subset.Replicas and subset.MinReplicas/subset.MaxReplicas are mutually exclusive in a UnitedDeployment' }],
    ['min above max', subsets({ subsets: [{ name: 'a', minReplicas: 4, maxReplicas: 2 }, { name: 'b' }] }), { path: 'spec.topology.subsets[0].minReplicas', message: 'Invalid value: subset[0].minReplicas must be more than or equal to maxReplicas' }],
    ['every subset bounded', subsets({ subsets: [{ name: 'a', maxReplicas: 4 }, { name: 'b', maxReplicas: 4 }] }), { path: 'spec.topology.subsets', message: 'Invalid value: 2: at least one subset.maxReplicas must be empty' }],
    [
      'fixed replicas under Adaptive',
      subsets({ subsets: [{ name: 'a', replicas: 2 }, { name: 'b' }], scheduleStrategy: { type: 'Adaptive' } }),
      { path: 'spec.topology.subsets[0].replicas', message: 'Forbidden: specific allocator is not allowed in adaptive strategy, use minReplicas/maxReplicas to enable elastic allocator instead' },
    ],
    ['partition of an unknown subset', withSpec({ updateStrategy: { manualUpdate: { partitions: { 'zone-x': 1 } } } }), { path: 'spec.updateStrategy.partitions', message: 'Invalid value: subset zone-x does not exist' }],
    [
      'node selector In without values',
      subsets({ subsets: [{ name: 'a', nodeSelectorTerm: { matchExpressions: [{ key: 'zone', operator: 'In', values: [] }] } }] }),
      { path: 'spec.topology.subsets[0].nodeSelectorTerm.matchExpressions[0].values', message: "Required value: must be specified when `operator` is 'In' or 'NotIn'" },
    ],
  ])('%s', (_story, ud, problem) => {
    expect(validateUnitedDeployment(ud)).toContainEqual(problem);
  });

  it('refuses reserved rescheduling with an Advanced StatefulSet template', () => {
    const ud = aUnitedDeployment({ templateKind: 'advancedStatefulSetTemplate', replicas: 4, subsets: [{ name: 'a', minReplicas: 1 }, { name: 'b' }], scheduleStrategy: { type: 'Adaptive', adaptive: { reserveUnschedulablePods: true } } });
    expect(validateUnitedDeployment(ud)).toContainEqual({ path: 'spec.topology.scheduleStrategy', message: 'Invalid value: only stateless workloads (Deployment and CloneSet) are supported by reserved rescheduling' });
  });

  it('forbids moving a subset to other nodes or tolerations in an update', () => {
    const old = aUnitedDeployment({ replicas: 10, subsets: zones });
    const next = aUnitedDeployment({ replicas: 10, subsets: [{ ...zones[0], zone: 'zone-x' }, { ...zones[1], tolerations: [{ operator: 'Exists' }] }, zones[2]] });
    expect(validateUnitedDeploymentUpdate(old, next)).toEqual([
      { path: 'spec.topology.subsets[0].nodeSelectorTerm', message: 'Forbidden: may not be changed in an update' },
      { path: 'spec.topology.subsets[1].tolerations', message: 'Forbidden: may not be changed in an update' },
    ]);
    expect(validateUnitedDeploymentUpdate(old, aUnitedDeployment({ replicas: 12, subsets: zones }))).toEqual([]);
  });
});

describe('parseUnitedDeployment', () => {
  it('names every field it cannot read', () => {
    const parsed = parseUnitedDeployment({ spec: { replicas: 'ten' } });
    expect(parsed.kind === 'invalid' && parsed.problems.map((p) => p.path)).toEqual(['spec.replicas', 'spec.selector']);
  });

  it('converts a v1alpha1 object', () => {
    const alpha = { ...convertUnitedDeploymentToV1alpha1(aUnitedDeployment()), status: { replicas: 2, subsetReplicas: { a: 2 } } };
    const parsed = parseUnitedDeployment(alpha);
    expect(parsed.kind === 'valid' && parsed.value.status).toEqual({ replicas: 2, subsetStatuses: [{ name: 'a', replicas: 2 }] });
    expect(parsed.kind === 'valid' && parsed.value.apiVersion).toBe('apps.kruise.io/v1beta1');
  });
});

describe('convertUnitedDeployment', () => {
  it('folds the v1alpha1 maps into subsetStatuses', () => {
    const alpha = { ...convertUnitedDeploymentToV1alpha1(aUnitedDeployment()), status: { subsetReplicas: { a: 2, b: 3 }, updateStatus: { updatedRevision: 'web-5f', currentPartitions: { a: 1 } }, subsetStatuses: [{ name: 'b', readyReplicas: 1 }] } };
    expect(convertUnitedDeploymentToV1beta1(alpha).status).toEqual({
      updatedRevision: 'web-5f',
      subsetStatuses: [
        { name: 'b', readyReplicas: 1, replicas: 3 },
        { name: 'a', replicas: 2, partition: 1 },
      ],
    });
  });

  const statusArb: fc.Arbitrary<UnitedDeploymentStatus> = fc.record(
    {
      replicas: fc.nat(20),
      updatedRevision: fc.string({ minLength: 1, maxLength: 8 }),
      subsetStatuses: fc.uniqueArray(fc.record({ name: fc.constantFrom('a', 'b', 'c', 'd'), replicas: fc.nat(10), partition: fc.nat(5), readyReplicas: fc.nat(10) }, { requiredKeys: ['name'] }), { selector: (s) => s.name, maxLength: 4 }),
    },
    { requiredKeys: [] },
  );

  it('v1beta1 → v1alpha1 → v1beta1 is the identity (named subset statuses)', () => {
    fc.assert(
      fc.property(statusArb, (status) => {
        const ud = { ...aUnitedDeployment({ replicas: 3 }), status };
        expect(convertUnitedDeploymentToV1beta1(convertUnitedDeploymentToV1alpha1(ud))).toEqual(ud);
      }),
    );
  });
});
