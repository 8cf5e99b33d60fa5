import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { WorkloadSpreadTargetFilter } from '../api/workloadSpread.js';
import { isPodSelectedByTargetFilter, replicasFromTargetFilter } from './workloadSpreadTargetFilter.js';

describe('isPodSelectedByTargetFilter', () => {
  it.each<[string, WorkloadSpreadTargetFilter | undefined, Record<string, string>, boolean]>([
    ['no filter: every pod', undefined, { role: 'ps' }, true],
    ['a matching selector', { selector: { matchLabels: { role: 'worker' } } }, { role: 'worker', app: 'tf' }, true],
    ['a selector that does not match', { selector: { matchLabels: { role: 'worker' } } }, { role: 'ps' }, false],
    ['an expression selector', { selector: { matchExpressions: [{ key: 'role', operator: 'In', values: ['worker', 'chief'] }] } }, { role: 'chief' }, true],
    ['an empty selector: every pod', { selector: {} }, { role: 'ps' }, true],
    ['a filter with paths only: no pod (a nil selector selects nothing)', { replicasPathList: ['spec.replicas'] }, { role: 'worker' }, false],
  ])('%s', (_, filter, labels, expected) => {
    expect(isPodSelectedByTargetFilter(filter, labels)).toBe(expected);
  });
});

describe('replicasFromTargetFilter', () => {
  const tfJob = { spec: { tfReplicaSpecs: { PS: { replicas: 1 }, Worker: { replicas: 2 } }, subsets: [{ replicas: 4 }, { replicas: 5 }], name: 'x' } };
  it.each<[string, readonly string[], ReturnType<typeof replicasFromTargetFilter>]>([
    ['one path', ['spec.tfReplicaSpecs.Worker.replicas'], { kind: 'replicas', replicas: 2 }],
    ['two paths summed', ['spec.tfReplicaSpecs.Worker.replicas', 'spec.tfReplicaSpecs.PS.replicas'], { kind: 'replicas', replicas: 3 }],
    ['a list index', ['spec.subsets.1.replicas'], { kind: 'replicas', replicas: 5 }],
    ['no path', [], { kind: 'replicas', replicas: 0 }],
    ['an empty path counts 0', ['', 'spec.subsets.0.replicas'], { kind: 'replicas', replicas: 4 }],
    ['a missing key', ['spec.tfReplicaSpecs.Chief.replicas'], { kind: 'invalid', path: 'spec.tfReplicaSpecs.Chief.replicas', message: 'path "Chief" not exists' }],
    ['an index out of range', ['spec.subsets.2.replicas'], { kind: 'invalid', path: 'spec.subsets.2.replicas', message: 'index 2 out of range' }],
    ['a key into a list', ['spec.subsets.first.replicas'], { kind: 'invalid', path: 'spec.subsets.first.replicas', message: 'strconv.Atoi: parsing "first": invalid syntax' }],
    ['a string value', ['spec.name'], { kind: 'invalid', path: 'spec.name', message: 'the value at spec.name is not an integer' }],
    ['through a scalar', ['spec.name.length'], { kind: 'invalid', path: 'spec.name.length', message: 'object is not deep enough' }],
  ])('%s', (_, paths, expected) => {
    expect(replicasFromTargetFilter(tfJob, paths)).toEqual(expected);
  });

  it('sums the replicas of any lists of roles, whatever the order of the paths', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom('ps', 'worker', 'chief', 'evaluator'), fc.nat(50)), (roles) => {
        const workload = { spec: { roles: Object.fromEntries(Object.entries(roles).map(([role, replicas]) => [role, { replicas }])) } };
        const paths = Object.keys(roles).map((role) => `spec.roles.${role}.replicas`);
        const total = Object.values(roles).reduce((sum, n) => sum + n, 0);
        expect(replicasFromTargetFilter(workload, paths)).toEqual({ kind: 'replicas', replicas: total });
        expect(replicasFromTargetFilter(workload, [...paths].reverse())).toEqual({ kind: 'replicas', replicas: total });
      }),
    );
  });
});
