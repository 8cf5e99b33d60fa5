import { describe, expect, it } from 'vitest';
import { fieldSetOf, formatFieldPath, fromFieldsV1, toFieldsV1 } from './fieldSet.js';
import type { JsonObject } from './jsonValue.js';
import { builtinListStrategy, customListStrategy } from './listStrategy.js';
import { recordUpdate, type FieldManagerContext } from './managedFields.js';
import { applyConfiguration } from './serverSideApply.js';

const context = (manager: string, over: Partial<FieldManagerContext> = {}): FieldManagerContext => ({
  manager,
  apiVersion: 'v1',
  subresource: undefined,
  time: '2026-01-01T00:00:00Z',
  strategyOf: builtinListStrategy,
  sections: (field) => field !== 'status',
  alwaysPresent: [['metadata']],
  ...over,
});

function applied(live: JsonObject | undefined, config: JsonObject, manager: string, force = false): JsonObject {
  const result = applyConfiguration(live, config, context(manager), force);
  if (result.kind !== 'applied') throw new Error(JSON.stringify(result.conflicts));
  return { ...result.object, metadata: { ...(result.object.metadata as JsonObject), managedFields: result.managedFields as unknown as JsonObject[] } };
}

describe('field sets', () => {
  it('encodes keyed list items with "." and atomic lists as leaves (as the apiserver does for a Pod)', () => {
    const pod = { metadata: { name: 'p', labels: { a: '1' } }, spec: { containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 80, protocol: 'TCP' }] }], tolerations: [{ key: 'k' }] } };
    expect(toFieldsV1(fieldSetOf(pod, builtinListStrategy))).toEqual({
      'f:metadata': { 'f:labels': { 'f:a': {} } },
      'f:spec': {
        'f:containers': { 'k:{"name":"c"}': { '.': {}, 'f:image': {}, 'f:name': {}, 'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {}, 'f:protocol': {} } } } },
        'f:tolerations': {},
      },
    });
  });

  it('round-trips through FieldsV1 and names paths as the apiserver does', () => {
    const set = fieldSetOf({ metadata: { finalizers: ['a/b'] }, spec: { containers: [{ name: 'c', image: 'i' }] } }, builtinListStrategy);
    expect(fromFieldsV1(toFieldsV1(set))).toEqual(set);
    expect([...set].map(formatFieldPath)).toEqual(['.metadata.finalizers[="a/b"]', '.spec.containers[name="c"]', '.spec.containers[name="c"].name', '.spec.containers[name="c"].image']);
  });
});

describe('server-side apply', () => {
  const base = { metadata: { name: 'x' }, spec: { replicas: 2, paused: false } };

  it.each<[string, () => JsonObject, JsonObject]>([
    ['creates from nothing', () => applied(undefined, base, 'm1'), { replicas: 2, paused: false }],
    ['merges into fields of other managers', () => applied(applied(undefined, base, 'm1'), { spec: { minReadySeconds: 5 } }, 'm2'), { replicas: 2, paused: false, minReadySeconds: 5 }],
    ['removes a field the manager stops applying', () => applied(applied(undefined, base, 'm1'), { spec: { replicas: 2 } }, 'm1'), { replicas: 2 }],
    ['keeps a dropped field another manager also owns', () => applied(applied(applied(undefined, base, 'm1'), { spec: { paused: false } }, 'm2'), { spec: { replicas: 2 } }, 'm1'), { replicas: 2, paused: false }],
    ['takes conflicting fields over with force', () => applied(applied(undefined, base, 'm1'), { spec: { replicas: 7 } }, 'm2', true), { replicas: 7, paused: false }],
  ])('%s', (_name, run, spec) => {
    expect(run().spec).toEqual(spec);
  });

  it('reports a conflict for a field another manager owns with another value, none for the same value', () => {
    const live = applied(undefined, base, 'm1');
    expect(applyConfiguration(live, { spec: { replicas: 3 } }, context('m2'), false)).toEqual({ kind: 'conflict', conflicts: [{ manager: '"m1"', field: '.spec.replicas' }] });
    expect(applyConfiguration(live, { spec: { replicas: 2 } }, context('m2'), false).kind).toBe('applied');
  });

  it('merges keyed lists item by item (containers by name)', () => {
    const pod = applied(undefined, { metadata: { name: 'p' }, spec: { containers: [{ name: 'a', image: '1' }] } }, 'm1');
    const result = applied(pod, { spec: { containers: [{ name: 'b', image: '2' }] } }, 'm2');
    expect(result.spec).toEqual({ containers: [{ name: 'b', image: '2' }, { name: 'a', image: '1' }] });
  });

  it('replaces atomic lists of custom resources', () => {
    const result = applyConfiguration({ spec: { list: [1, 2] } }, { spec: { list: [3] } }, context('m', { strategyOf: customListStrategy }), false);
    expect(result.kind === 'applied' && result.object.spec).toEqual({ list: [3] });
  });
});

describe('recordUpdate', () => {
  it('gives changed fields to the updater and takes them from their previous owner', () => {
    const live = applied(undefined, base(), 'm1');
    const after = { ...live, spec: { replicas: 3, paused: false } };
    const entries = recordUpdate(live, after, context('m2'));
    expect(entries.map((e) => [e.manager, e.operation, e.fieldsV1])).toEqual([
      ['m1', 'Apply', { 'f:spec': { 'f:paused': {} } }],
      ['m2', 'Update', { 'f:spec': { 'f:replicas': {} } }],
    ]);
  });

  function base(): JsonObject {
    return { metadata: { name: 'x' }, spec: { replicas: 2, paused: false } };
  }
});
