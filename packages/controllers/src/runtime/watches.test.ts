import type { InformerEvent, KubeObject } from '@kruise-ts/k8s-adapter';
import { describe, expect, it } from 'vitest';
import { anyPredicate, generationChanged, labelsChanged, resourceVersionChanged, type EventPredicate } from './predicates.js';
import { createFakeInformer, fakeObject } from './testing/fakeInformer.testkit.js';
import { enqueueMapped, enqueueObject, enqueueOwner, objectKeyOf, parseObjectKey, type WatchSource } from './watches.js';

function collect(source: WatchSource): string[] {
  const keys: string[] = [];
  source.keys$.subscribe((key) => keys.push(key));
  return keys;
}

const owned = (name: string, owner: { apiVersion: string; kind: string; name: string; controller?: boolean }): KubeObject =>
  fakeObject('default', name, { ownerReferences: [{ uid: `uid-${owner.name}`, ...owner }] });

describe('object keys', () => {
  it.each([
    { namespace: 'default', name: 'web', key: 'default/web' },
    { namespace: undefined, name: 'node-1', key: 'node-1' },
  ])('$namespace/$name ⇄ $key', ({ namespace, name, key }) => {
    expect(objectKeyOf(fakeObject(namespace, name))).toBe(key);
    expect(parseObjectKey(key)).toEqual(namespace === undefined ? { name } : { namespace, name });
  });
});

describe('predicates', () => {
  const at = (metadata: Partial<KubeObject['metadata']>) => fakeObject('default', 'web', metadata);
  const update = (before: Partial<KubeObject['metadata']>, after: Partial<KubeObject['metadata']>): InformerEvent<KubeObject> => ({
    type: 'updated',
    previous: at(before),
    object: at(after),
  });
  it.each<{ story: string; predicate: EventPredicate<KubeObject>; event: InformerEvent<KubeObject>; passes: boolean }>([
    { story: 'generation 3 → 4 passes generationChanged', predicate: generationChanged, event: update({ generation: 3 }, { generation: 4 }), passes: true },
    { story: 'a status write (generation 4 → 4) fails generationChanged', predicate: generationChanged, event: update({ generation: 4, resourceVersion: '1' }, { generation: 4, resourceVersion: '2' }), passes: false },
    { story: 'an add always passes', predicate: generationChanged, event: { type: 'added', object: at({}) }, passes: true },
    { story: 'a delete always passes', predicate: labelsChanged, event: { type: 'deleted', object: at({}) }, passes: true },
    { story: 'a resync (same resourceVersion) fails resourceVersionChanged', predicate: resourceVersionChanged, event: update({ resourceVersion: '7' }, { resourceVersion: '7' }), passes: false },
    { story: 'a new label passes labelsChanged', predicate: labelsChanged, event: update({ labels: { a: '1' } }, { labels: { a: '1', b: '2' } }), passes: true },
    { story: 'same labels fail labelsChanged', predicate: labelsChanged, event: update({ labels: { a: '1' } }, { labels: { a: '1' } }), passes: false },
    { story: 'anyPredicate(generationChanged, labelsChanged) passes on a label change', predicate: anyPredicate(generationChanged, labelsChanged), event: update({ labels: {} }, { labels: { a: '1' } }), passes: true },
  ])('$story', ({ predicate, event, passes }) => {
    expect(predicate(event)).toBe(passes);
  });
});

describe('watch sources', () => {
  it('enqueueObject emits the key of each object that passes the predicate', () => {
    const informer = createFakeInformer();
    const keys = collect(enqueueObject(informer, { predicate: generationChanged }));
    informer.emit({ type: 'added', object: fakeObject('default', 'a') });
    informer.emit({ type: 'updated', previous: fakeObject('default', 'a', { generation: 1 }), object: fakeObject('default', 'a', { generation: 1 }) });
    informer.emit({ type: 'deleted', object: fakeObject('ns2', 'b') });
    expect(keys).toEqual(['default/a', 'ns2/b']);
  });

  it('enqueueOwner maps a pod to its controller owner of the right group and kind', () => {
    const informer = createFakeInformer();
    const keys = collect(enqueueOwner(informer, { apiVersion: 'apps.kruise.io/v1beta1', kind: 'CloneSet' }));
    informer.emit({ type: 'added', object: owned('web-1', { apiVersion: 'apps.kruise.io/v1alpha1', kind: 'CloneSet', name: 'web', controller: true }) });
    informer.emit({ type: 'added', object: owned('web-2', { apiVersion: 'apps.kruise.io/v1alpha1', kind: 'CloneSet', name: 'not-controller' }) });
    informer.emit({ type: 'added', object: owned('web-3', { apiVersion: 'apps/v1', kind: 'CloneSet', name: 'other-group', controller: true }) });
    informer.emit({ type: 'added', object: fakeObject('default', 'orphan') });
    expect(keys).toEqual(['default/web']);
  });

  it('enqueueOwner wakes both the old and the new owner when a pod changes hands', () => {
    const informer = createFakeInformer();
    const keys = collect(enqueueOwner(informer, { group: 'apps.kruise.io', kind: 'CloneSet' }, { controllerOnly: false }));
    const ref = (name: string) => ({ apiVersion: 'apps.kruise.io/v1alpha1', kind: 'CloneSet', name });
    informer.emit({ type: 'updated', previous: owned('p', ref('old')), object: owned('p', ref('new')) });
    informer.emit({ type: 'updated', previous: owned('p', ref('same')), object: owned('p', ref('same')) });
    expect(keys).toEqual(['default/new', 'default/old', 'default/same']);
  });

  it('enqueueOwner gives cluster-scoped owners a key without namespace', () => {
    const informer = createFakeInformer();
    const keys = collect(enqueueOwner(informer, { group: 'apps.kruise.io', kind: 'NodeImage', namespaced: false }));
    informer.emit({ type: 'added', object: owned('pull-job', { apiVersion: 'apps.kruise.io/v1alpha1', kind: 'NodeImage', name: 'node-1', controller: true }) });
    expect(keys).toEqual(['node-1']);
  });

  it('enqueueMapped emits every key the function returns', () => {
    const informer = createFakeInformer();
    const keys = collect(enqueueMapped(informer, (node) => [`ds-a/${node.metadata.name ?? ''}`, 'ds-b/x']));
    informer.emit({ type: 'added', object: fakeObject(undefined, 'n1') });
    expect(keys).toEqual(['ds-a/n1', 'ds-b/x']);
  });
});
