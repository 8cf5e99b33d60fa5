import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RESOURCE_HASHCODE_ANNOTATION, RESOURCE_SOURCE_ANNOTATION, type ResourceDistribution } from '../api/resourceDistribution.js';
import { applyJsonPatch } from '../shared/jsonPatch.js';
import { aDistributedSecret, aResourceDistribution } from '../testing/resourceDistributionBuilder.js';
import { buildDistributedCopy, resourceHash, type ExistingResource } from './distributedCopy.js';
import { planResourceDistribution, type DistributionAction } from './planResourceDistribution.js';
import { selectTargetNamespaces, type NamespaceView } from './selectTargetNamespaces.js';

const teamA = { namespaceSelector: { matchLabels: { team: 'a' } } };
const namespaces: NamespaceView[] = [
  { name: 'a1', labels: { team: 'a' } },
  { name: 'a2', labels: { team: 'a' } },
  { name: 'b1', labels: { team: 'b' } },
  { name: 'kube-system' },
];
const summary = (actions: readonly DistributionAction[]) => actions.map((a) => `${a.kind} ${a.namespace}`);

/** A copy as the apiserver stores it: the built copy with a uid. */
function stored(rd: ResourceDistribution, namespace: string, uid = `uid-${namespace}`): ExistingResource {
  const copy = buildDistributedCopy(rd, namespace, resourceHash(rd.spec.resource));
  return { ...copy, metadata: { ...copy.metadata, uid } };
}
const foreign = (namespace: string): ExistingResource => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds', namespace, uid: `mine-${namespace}` }, data: { password: 'b3RoZXI=' } });

describe('selectTargetNamespaces', () => {
  it.each<[string, Parameters<typeof selectTargetNamespaces>[0], string[], string[]]>([
    ['allNamespaces', { allNamespaces: true }, ['a1', 'a2', 'b1', 'kube-system'], []],
    ['allNamespaces minus excluded', { allNamespaces: true, excludedNamespaces: { list: [{ name: 'kube-system' }] } }, ['a1', 'a2', 'b1'], ['kube-system']],
    ['selector team=a', teamA, ['a1', 'a2'], ['b1', 'kube-system']],
    ['selector plus an included namespace that does not exist', { ...teamA, includedNamespaces: { list: [{ name: 'zz' }] } }, ['a1', 'a2', 'zz'], ['b1', 'kube-system']],
    ['an empty selector matches none', { namespaceSelector: {} }, [], ['a1', 'a2', 'b1', 'kube-system']],
    ['excluded wins over the selector', { ...teamA, excludedNamespaces: { list: [{ name: 'a2' }] } }, ['a1'], ['a2', 'b1', 'kube-system']],
  ])('%s', (_, targets, matched, unmatched) => {
    expect(selectTargetNamespaces(targets, namespaces)).toEqual({ matched, unmatched });
  });
});

describe('planResourceDistribution', () => {
  const rd = aResourceDistribution({ targets: teamA });

  it('creates the copy in each matching namespace, with the source and hash annotations and a controller reference', () => {
    const plan = planResourceDistribution({ rd, namespaces, existing: new Map() });
    expect(plan.desired).toBe(2);
    expect(summary(plan.actions)).toEqual(['create a1', 'create a2']);
    const [first] = plan.actions;
    expect(first?.kind === 'create' && first.object).toMatchObject({
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'Opaque',
      data: { password: 'czNjcjN0' },
      metadata: {
        name: 'creds',
        namespace: 'a1',
        annotations: { [RESOURCE_HASHCODE_ANNOTATION]: resourceHash(rd.spec.resource), [RESOURCE_SOURCE_ANNOTATION]: 'rd-creds' },
        ownerReferences: [{ apiVersion: 'apps.kruise.io/v1beta1', kind: 'ResourceDistribution', name: 'rd-creds', uid: 'uid-rd-creds', controller: true, blockOwnerDeletion: true }],
      },
    });
  });

  it('leaves up-to-date copies alone, reports a Secret of the name it does not own as a conflict, and deletes its copy where no longer targeted', () => {
    const existing = new Map([
      ['a1', stored(rd, 'a1')],
      ['a2', foreign('a2')],
      ['b1', stored(rd, 'b1')],
      ['kube-system', foreign('kube-system')],
    ]);
    const plan = planResourceDistribution({ rd, namespaces, existing });
    expect(summary(plan.actions)).toEqual(['in-sync a1', 'conflict a2', 'delete b1']);
    expect(plan.actions[2]).toMatchObject({ kind: 'delete', reason: 'namespace-not-targeted', target: { namespace: 'b1', name: 'creds', uid: 'uid-b1' } });
  });

  it('updates every copy when the source changes: new data and hash, other labels and annotations of the copy kept', () => {
    const old = stored(rd, 'a1');
    const withExtra = { ...old, metadata: { ...old.metadata, labels: { kept: 'yes' }, annotations: { ...old.metadata.annotations, 'example.com/note': 'kept' } } };
    const edited = aResourceDistribution({ targets: teamA, resource: aDistributedSecret({ data: { password: 'bmV3' } }) });
    const plan = planResourceDistribution({ rd: edited, namespaces, existing: new Map([['a1', withExtra]]) });
    expect(summary(plan.actions)).toEqual(['update a1', 'create a2']);
    const update = plan.actions[0];
    if (update?.kind !== 'update') throw new Error('expected an update');
    expect(update.patch[0]).toEqual({ op: 'test', path: '/metadata/uid', value: 'uid-a1' });
    const patched = applyJsonPatch(withExtra, update.patch) as unknown as ExistingResource;
    expect(patched.data).toEqual({ password: 'bmV3' });
    expect(patched.metadata.labels).toEqual({ kept: 'yes' });
    expect(patched.metadata.annotations).toMatchObject({ 'example.com/note': 'kept', [RESOURCE_HASHCODE_ANNOTATION]: resourceHash(edited.spec.resource) });
    expect(planResourceDistribution({ rd: edited, namespaces, existing: new Map([['a1', patched]]) }).actions[0]).toEqual({ kind: 'in-sync', namespace: 'a1' });
  });

  it('puts back data someone changed in a copy (drift), with the hash unchanged', () => {
    const drifted = { ...stored(rd, 'a1'), data: { password: 'aGFja2Vk' } };
    const [action] = planResourceDistribution({ rd, namespaces, existing: new Map([['a1', drifted]]) }).actions;
    expect(action?.kind === 'update' && action.patch.slice(1)).toEqual([{ op: 'add', path: '/data', value: { password: 'czNjcjN0' } }]);
  });

  it.each<[string, NamespaceView[], string]>([
    ['an included namespace that does not exist', namespaces, 'not-found'],
    ['a terminating namespace', [...namespaces, { name: 'zz', terminating: true }], 'terminating'],
  ])('reports %s as missing', (_, views, reason) => {
    const included = aResourceDistribution({ targets: { includedNamespaces: { list: [{ name: 'zz' }] } } });
    expect(planResourceDistribution({ rd: included, namespaces: views, existing: new Map() }).actions).toEqual([{ kind: 'namespace-missing', namespace: 'zz', reason }]);
  });

  it('never writes an object it does not own, and writes each namespace at most once (property)', () => {
    const namespaceArb = fc.record({ name: fc.constantFrom('n1', 'n2', 'n3', 'n4', 'n5'), labels: fc.option(fc.record({ team: fc.constantFrom('a', 'b') }), { nil: undefined }), terminating: fc.boolean() });
    const holderArb = fc.constantFrom('none', 'owned', 'stale', 'foreign');
    fc.assert(
      fc.property(fc.uniqueArray(namespaceArb, { selector: (n) => n.name }), fc.array(holderArb, { minLength: 5, maxLength: 5 }), fc.boolean(), (views, holders, all) => {
        const distribution = aResourceDistribution({ targets: all ? { allNamespaces: true, excludedNamespaces: { list: [{ name: 'n5' }] } } : teamA });
        const old = aResourceDistribution({ resource: aDistributedSecret({ data: { password: 'b2xk' } }) });
        const existing = new Map<string, ExistingResource>();
        views.forEach((view, i) => {
          const holder = holders[i];
          if (holder === 'owned') existing.set(view.name, stored(distribution, view.name));
          if (holder === 'stale') existing.set(view.name, stored(old, view.name));
          if (holder === 'foreign') existing.set(view.name, foreign(view.name));
        });
        const { actions } = planResourceDistribution({ rd: distribution, namespaces: views, existing });
        const writes = actions.filter((a) => a.kind === 'create' || a.kind === 'update' || a.kind === 'delete');
        expect(new Set(writes.map((a) => a.namespace)).size).toBe(writes.length);
        for (const write of writes) {
          const holder = existing.get(write.namespace);
          if (write.kind === 'create') expect(holder).toBeUndefined();
          else expect(holder?.metadata.uid).toBe(`uid-${write.namespace}`);
        }
        for (const action of actions.filter((a) => a.kind === 'conflict')) expect(existing.get(action.namespace)?.metadata.uid).toBe(`mine-${action.namespace}`);
      }),
    );
  });
});

describe('resourceHash', () => {
  it('is the same for the same resource in any key order, and changes with its data', () => {
    const a = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds' }, data: { k: 'dg==' } };
    const reordered = { data: { k: 'dg==' }, metadata: { name: 'creds' }, kind: 'Secret', apiVersion: 'v1' };
    expect(resourceHash(reordered)).toBe(resourceHash(a));
    expect(resourceHash({ ...a, data: { k: 'dzI=' } })).not.toBe(resourceHash(a));
  });
});
