import { RESOURCE_HASHCODE_ANNOTATION, RESOURCE_SOURCE_ANNOTATION, resourceHash, type ResourceDistributionCondition } from '@kruise-ts/core';
import { aDistributedSecret } from '@kruise-ts/core/testing';
import { Resources } from '@kruise-ts/k8s-adapter';
import { afterEach, describe, expect, it } from 'vitest';
import { startResourceDistributionWorld, type ResourceDistributionObject, type ResourceDistributionWorld } from './resourceDistributionController.testkit.js';

const teamA = { namespaceSelector: { matchLabels: { team: 'a' } } };
const condition = (rd: ResourceDistributionObject, type: string): ResourceDistributionCondition | undefined => rd.status?.conditions?.find((c) => c.type === type);
const sorted = (record: Record<string, unknown>) => Object.keys(record).sort();

describe('ResourceDistribution controller (memory cluster)', () => {
  let world: ResourceDistributionWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  async function teamWorld(): Promise<ResourceDistributionWorld> {
    world = await startResourceDistributionWorld();
    await world.namespace('a1', { team: 'a' });
    await world.namespace('a2', { team: 'a' });
    await world.namespace('b1', { team: 'b' });
    return world;
  }

  it('copies the Secret into exactly the namespaces labelled team=a, with the source and hash annotations and a controller reference; status 2/2', async () => {
    const w = await teamWorld();
    const rd = await w.create({ targets: teamA });
    await w.until(async () => (await w.get()).status?.succeeded === 2);
    const copies = await w.secrets();
    expect(sorted(copies)).toEqual(['a1', 'a2']);
    expect(copies.a1?.data).toEqual({ password: 'czNjcjN0' });
    expect(copies.a1?.metadata.annotations).toMatchObject({ [RESOURCE_SOURCE_ANNOTATION]: 'rd-creds', [RESOURCE_HASHCODE_ANNOTATION]: resourceHash(rd.spec.resource) });
    expect(copies.a1?.metadata.ownerReferences).toEqual([{ apiVersion: 'apps.kruise.io/v1beta1', kind: 'ResourceDistribution', name: 'rd-creds', uid: rd.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    const status = (await w.get()).status;
    expect(status).toMatchObject({ desired: 2, succeeded: 2, failed: 0, observedGeneration: 1 });
    expect(status?.conditions?.map((c) => c.status)).toEqual(['False', 'False', 'False', 'False', 'False', 'False']);
  });

  it('a namespace labelled later gets its copy; one unlabelled loses it', async () => {
    const w = await teamWorld();
    await w.create({ targets: teamA });
    await w.until(async () => sorted(await w.secrets()).length === 2);
    await w.label('b1', { team: 'a' });
    await w.until(async () => sorted(await w.secrets()).includes('b1'));
    await w.label('a1', { team: 'c' });
    await w.until(async () => !sorted(await w.secrets()).includes('a1'));
    expect(sorted(await w.secrets())).toEqual(['a2', 'b1']);
    await w.until(async () => (await w.get()).status?.desired === 2);
    await w.namespace('a3', { team: 'a' });
    await w.until(async () => sorted(await w.secrets()).includes('a3'));
    await w.until(async () => (await w.get()).status?.succeeded === 3);
  });

  it('leaves a Secret of the same name it does not own untouched, reports ConflictOccurred with its namespace, and never deletes it', async () => {
    const w = await teamWorld();
    await w.user.create(Resources.Secret, { metadata: { name: 'creds', namespace: 'a2' }, data: { password: 'bWluZQ==' } });
    await w.create({ targets: teamA });
    await w.until(async () => condition(await w.get(), 'ConflictOccurred')?.status === 'True');
    const rd = await w.get();
    expect(condition(rd, 'ConflictOccurred')).toMatchObject({ reason: 'conflict with existing resources because of the same namespace, group, version, kind and name', failedNamespaces: ['a2'] });
    expect(rd.status).toMatchObject({ desired: 2, succeeded: 1, failed: 1 });
    const mine = (await w.secrets()).a2;
    expect(mine?.data).toEqual({ password: 'bWluZQ==' });
    expect(mine?.metadata.ownerReferences).toBeUndefined();
    // No longer targeted: still not deleted.
    await w.label('a2', { team: 'b' });
    await w.until(async () => condition(await w.get(), 'ConflictOccurred')?.status === 'False');
    expect((await w.secrets()).a2?.data).toEqual({ password: 'bWluZQ==' });
  });

  it('an edited source updates every copy (data and hash); other annotations on a copy are kept', async () => {
    const w = await teamWorld();
    await w.create({ targets: teamA });
    await w.until(async () => sorted(await w.secrets()).length === 2);
    const a1 = (await w.secrets()).a1;
    await w.user.patch(Resources.Secret, { namespace: 'a1', name: 'creds' }, { type: 'merge', body: { metadata: { annotations: { 'example.com/note': 'kept' } } } });
    expect(a1).toBeDefined();
    const edited = aDistributedSecret({ data: { password: 'bmV3' } });
    await w.update('rd-creds', (rd) => ({ ...rd, spec: { ...rd.spec, resource: edited } }));
    await w.until(async () => Object.values(await w.secrets()).every((s) => s.data?.password === 'bmV3'));
    const copies = await w.secrets();
    for (const copy of Object.values(copies)) expect(copy.metadata.annotations?.[RESOURCE_HASHCODE_ANNOTATION]).toBe(resourceHash(edited));
    expect(copies.a1?.metadata.annotations?.['example.com/note']).toBe('kept');
    expect(copies.a1?.metadata.uid).toBe(a1?.metadata.uid);
    await w.until(async () => (await w.get()).status?.observedGeneration === 2);
  });

  it('re-creates a copy someone deleted, and puts back data someone changed', async () => {
    const w = await teamWorld();
    await w.create({ targets: teamA });
    await w.until(async () => sorted(await w.secrets()).length === 2);
    await w.user.delete(Resources.Secret, { namespace: 'a1', name: 'creds' });
    await w.user.patch(Resources.Secret, { namespace: 'a2', name: 'creds' }, { type: 'merge', body: { data: { password: 'aGFja2Vk' } } });
    await w.until(async () => {
      const copies = await w.secrets();
      return copies.a1?.data?.password === 'czNjcjN0' && copies.a2?.data?.password === 'czNjcjN0';
    });
  });

  it('reports an included namespace that does not exist (NamespaceNotExists), and distributes once it is created', async () => {
    const w = await teamWorld();
    await w.create({ targets: { includedNamespaces: { list: [{ name: 'later' }, { name: 'a1' }] } } });
    await w.until(async () => condition(await w.get(), 'NamespaceNotExists')?.status === 'True');
    expect(condition(await w.get(), 'NamespaceNotExists')?.failedNamespaces).toEqual(['later']);
    expect((await w.get()).status).toMatchObject({ desired: 2, succeeded: 1, failed: 1 });
    await w.namespace('later');
    await w.until(async () => sorted(await w.secrets()).includes('later'));
    await w.until(async () => condition(await w.get(), 'NamespaceNotExists')?.status === 'False');
  });

  it('distributes a ConfigMap to every namespace but the excluded ones', async () => {
    const w = await teamWorld();
    await w.create({ resource: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { level: 'debug' } }, targets: { allNamespaces: true, excludedNamespaces: { list: [{ name: 'b1' }] } } });
    const all = (await w.user.list(Resources.Namespace)).items.map((n) => n.metadata.name ?? '');
    const expected = all.filter((n) => n !== 'b1').sort();
    expect(expected).toEqual(expect.arrayContaining(['a1', 'a2', 'default']));
    await w.until(async () => (await w.get()).status?.succeeded === expected.length);
    const maps = (await w.user.list(Resources.ConfigMap)).items.filter((m) => m.metadata.name === 'settings');
    expect(maps.map((m) => m.metadata.namespace).sort()).toEqual(expected);
  });

  it('records a failed create as CreateResourceFailed with the namespace, and succeeds once the apiserver accepts it', async () => {
    const w = await teamWorld();
    const fault = w.cluster.faults.failWrites({ resource: 'secrets', verb: 'create', namespace: 'a2', error: 'internal', times: Infinity });
    await w.create({ targets: teamA });
    await w.until(async () => condition(await w.get(), 'CreateResourceFailed')?.status === 'True');
    expect(condition(await w.get(), 'CreateResourceFailed')?.failedNamespaces).toEqual(['a2']);
    expect((await w.get()).status).toMatchObject({ desired: 2, succeeded: 1, failed: 1 });
    fault.remove();
    await w.until(async () => condition(await w.get(), 'CreateResourceFailed')?.status === 'False', 600);
    expect(sorted(await w.secrets())).toEqual(['a1', 'a2']);
  });

  it('an invalid distribution stored without the webhook is reported (InvalidSpec) and nothing is written', async () => {
    const w = await teamWorld();
    await w.create({ resource: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'creds' } }, targets: teamA });
    await w.until(() => w.events.some((e) => e.reason === 'InvalidSpec'));
    expect(w.events.find((e) => e.reason === 'InvalidSpec')?.message).toContain('unsupported resource GroupKind');
    expect(await w.secrets()).toEqual({});
  });
});
