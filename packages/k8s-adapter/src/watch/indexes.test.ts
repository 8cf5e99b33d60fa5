import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../resourceType.js';
import { DEFAULT_INDEXES, byControllerOwner, byLabel, byNodeName, byUid, labelIndexes, type IndexFunction } from './indexes.js';
import { cacheKey, createObjectStore } from './objectStore.js';

const owner = (uid: string, controller?: boolean) => ({ apiVersion: 'apps.kruise.io/v1beta1', kind: 'CloneSet', name: `cs-${uid}`, uid, ...(controller === undefined ? {} : { controller }) });
const object = (name: string, extra: Partial<KubeObject> & { metadata?: KubeObject['metadata'] } = {}): KubeObject => ({
  ...extra,
  metadata: { name, namespace: 'default', uid: `uid-${name}`, resourceVersion: '1', ...extra.metadata },
});

describe('index functions', () => {
  it.each<[string, IndexFunction, KubeObject, string[]]>([
    ['uid of the object', byUid, object('a'), ['uid-a']],
    ['no uid yet', byUid, { metadata: { name: 'a' } }, []],
    ['controller owner among several owners', byControllerOwner, object('a', { metadata: { ownerReferences: [owner('x'), owner('y', true)] } }), ['y']],
    ['owner that is not the controller', byControllerOwner, object('a', { metadata: { ownerReferences: [owner('x', false)] } }), []],
    ['no owners', byControllerOwner, object('a'), []],
    ['scheduled pod', byNodeName, object('a', { spec: { nodeName: 'node-1' } }), ['node-1']],
    ['pending pod (empty nodeName)', byNodeName, object('a', { spec: { nodeName: '' } }), []],
    ['object without spec', byNodeName, object('a'), []],
    ['label present', byLabel('app'), object('a', { metadata: { labels: { app: 'web' } } }), ['web']],
    ['label absent', byLabel('app'), object('a', { metadata: { labels: { tier: 'x' } } }), []],
  ])('%s', (_story, fn, input, expected) => {
    expect(fn(input)).toEqual(expected);
  });

  it('labelIndexes names each index label:<key>', () => {
    expect(Object.keys(labelIndexes(['app', 'tier']))).toEqual(['label:app', 'label:tier']);
  });
});

describe('object store', () => {
  const store = () => createObjectStore<KubeObject>({ ...DEFAULT_INDEXES, ...labelIndexes(['app']) });

  it('keys namespaced and cluster-scoped objects as client-go does', () => {
    expect(cacheKey({ name: 'a', namespace: 'ns' })).toBe('ns/a');
    expect(cacheKey({ name: 'node-1' })).toBe('node-1');
  });

  it('applies watch events and keeps indexes in step', () => {
    const s = store();
    expect(s.apply({ type: 'ADDED', object: object('a', { spec: { nodeName: 'n1' }, metadata: { labels: { app: 'web' } } }) })?.type).toBe('added');
    expect(s.byIndex('node', 'n1').map((o) => o.metadata.name)).toEqual(['a']);
    const moved = object('a', { spec: { nodeName: 'n2' }, metadata: { resourceVersion: '2', labels: { app: 'web' } } });
    const change = s.apply({ type: 'MODIFIED', object: moved });
    expect(change).toMatchObject({ type: 'updated', object: moved, previous: { spec: { nodeName: 'n1' } } });
    expect(s.byIndex('node', 'n1')).toEqual([]);
    expect(s.byIndex('node', 'n2')).toEqual([moved]);
    expect(s.byIndex('label:app', 'web')).toEqual([moved]);
    expect(s.resourceVersion).toBe('2');
    expect(s.apply({ type: 'DELETED', object: moved })?.type).toBe('deleted');
    expect(s.byIndex('label:app', 'web')).toEqual([]);
    expect(s.size).toBe(0);
  });

  it('reports no change for the same resourceVersion, and bookmarks only move the resourceVersion', () => {
    const s = store();
    s.apply({ type: 'ADDED', object: object('a') });
    expect(s.apply({ type: 'MODIFIED', object: object('a') })).toBeUndefined();
    expect(s.apply({ type: 'BOOKMARK', resourceVersion: '9' })).toBeUndefined();
    expect(s.resourceVersion).toBe('9');
  });

  it('replace swaps the content and returns the difference', () => {
    const s = store();
    s.replace([object('keep'), object('change'), object('gone')], '5');
    const changes = s.replace([object('keep'), object('change', { metadata: { resourceVersion: '7' } }), object('new')], '8');
    expect(changes.map((c) => `${c.type} ${c.object.metadata.name ?? ''}`).sort()).toEqual(['added new', 'deleted gone', 'updated change']);
    expect(s.list().map((o) => o.metadata.name).sort()).toEqual(['change', 'keep', 'new']);
    expect(s.byIndex('uid', 'uid-gone')).toEqual([]);
    expect(s.resourceVersion).toBe('8');
  });

  it('lists by namespace, rejects unknown indexes and conflicting index functions', () => {
    const s = store();
    s.replace([object('a'), { metadata: { name: 'b', namespace: 'other', resourceVersion: '1' } }], '1');
    expect(s.list('other').map((o) => o.metadata.name)).toEqual(['b']);
    expect(() => s.byIndex('nope', 'x')).toThrow(/no index named nope/);
    expect(() => {
      s.addIndexes({ uid: () => [] });
    }).toThrow(/already exists/);
    s.addIndexes({ ns: (o) => [o.metadata.namespace ?? ''] });
    expect(s.byIndex('ns', 'other').map((o) => o.metadata.name)).toEqual(['b']);
  });
});
