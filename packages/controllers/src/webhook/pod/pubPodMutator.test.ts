import { PUB_RELATED_ANNOTATION, type Pod } from '@kruise-ts/core';
import { aCloneSet, aPod, aPodUnavailableBudget } from '@kruise-ts/core/testing';
import { KruiseResources, Resources, createCachedReader, createMemoryCluster, createSharedInformerFactory, type MemoryCluster } from '@kruise-ts/k8s-adapter';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../runtime/logger.js';
import type { AdmissionContext, AdmissionRequest } from '../admissionTypes.js';
import { countReads } from '../testing/countReads.testkit.js';
import { pubPodMutator } from './pubPodMutator.js';

const context: AdmissionContext = { signal: new AbortController().signal, logger: createLogger({ level: 'silent' }) };
let cluster: MemoryCluster | undefined;
afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

const create = (pod: Pod): AdmissionRequest => ({ uid: 'u', kind: { group: '', version: 'v1', kind: 'Pod' }, resource: { group: '', version: 'v1', resource: 'pods' }, namespace: 'apps', operation: 'CREATE', object: pod });
const related = (result: Awaited<ReturnType<ReturnType<typeof pubPodMutator>['mutate']>>) => (result.kind === 'mutated' ? result.pod.metadata.annotations?.[PUB_RELATED_ANNOTATION] : undefined);

async function scene() {
  cluster = await createMemoryCluster({ nodes: 0 });
  cluster.registerResource(KruiseResources.PodUnavailableBudget);
  cluster.registerResource(KruiseResources.CloneSet);
  await cluster.client.create(Resources.Namespace, { metadata: { name: 'apps' } });
  return pubPodMutator({ client: cluster.client });
}

describe('pubPodMutator', () => {
  it('annotates a new pod its budget selects (both annotation names)', async () => {
    const mutator = await scene();
    await (cluster as MemoryCluster).client.create(KruiseResources.PodUnavailableBudget, aPodUnavailableBudget({ namespace: 'apps', maxUnavailable: 1 }) as never);
    const result = await mutator.mutate(aPod({ namespace: 'apps', labels: { app: 'web' } }), create(aPod()), context);
    expect(result.kind === 'mutated' && result.pod.metadata.annotations).toMatchObject({ 'pub.kruise.io/related-pub': 'web-pub', 'kruise.io/related-pub': 'web-pub' });
    expect(related(await mutator.mutate(aPod({ namespace: 'apps', labels: { app: 'api' } }), create(aPod()), context))).toBeUndefined();
  });

  it('annotates a pod of the workload a targetRef budget names', async () => {
    const mutator = await scene();
    const cs = await (cluster as MemoryCluster).client.create(KruiseResources.CloneSet, aCloneSet({ name: 'web', namespace: 'apps' }) as never);
    await (cluster as MemoryCluster).client.create(KruiseResources.PodUnavailableBudget, aPodUnavailableBudget({ namespace: 'apps', maxUnavailable: 1, targetRef: { apiVersion: 'apps.kruise.io/v1alpha1', kind: 'CloneSet', name: 'web' } }) as never);
    const pod = aPod({ namespace: 'apps', labels: { other: 'x' } });
    const owned = { ...pod, metadata: { ...pod.metadata, ownerReferences: [{ apiVersion: 'apps.kruise.io/v1beta1', kind: 'CloneSet', name: 'web', uid: (cs as { metadata: { uid: string } }).metadata.uid, controller: true }] } };
    expect(related(await mutator.mutate(owned, create(owned), context))).toBe('web-pub');
    expect(related(await mutator.mutate(pod, create(pod), context))).toBeUndefined();
  });

  it('leaves the pod alone on other operations', async () => {
    const mutator = await scene();
    await (cluster as MemoryCluster).client.create(KruiseResources.PodUnavailableBudget, aPodUnavailableBudget({ namespace: 'apps', maxUnavailable: 1 }) as never);
    const pod = aPod({ namespace: 'apps', labels: { app: 'web' } });
    expect(await mutator.mutate(pod, { ...create(pod), operation: 'UPDATE' }, context)).toEqual({ kind: 'unchanged' });
  });

  it('through the informer cache: no request per creation once synced; a budget the cache has not seen yet annotates nothing until it has', async () => {
    await scene();
    const c = cluster as MemoryCluster;
    const cs = await c.client.create(KruiseResources.CloneSet, aCloneSet({ name: 'web', namespace: 'apps' }) as never);
    await c.client.create(KruiseResources.PodUnavailableBudget, aPodUnavailableBudget({ name: 'ref-pub', namespace: 'apps', maxUnavailable: 1, targetRef: { apiVersion: 'apps.kruise.io/v1alpha1', kind: 'CloneSet', name: 'web' } }) as never);
    const { client, reads } = countReads(c.client);
    const informers = createSharedInformerFactory(c.client);
    const reader = createCachedReader({ client, informers });
    const mutator = pubPodMutator({ client: reader });
    const pod = aPod({ namespace: 'apps', labels: { other: 'x' } });
    const owned = { ...pod, metadata: { ...pod.metadata, ownerReferences: [{ apiVersion: 'apps.kruise.io/v1beta1', kind: 'CloneSet', name: 'web', uid: (cs as { metadata: { uid: string } }).metadata.uid, controller: true }] } };
    // Before the informers synced the apiserver answers; once synced, nothing reaches it.
    expect(related(await mutator.mutate(owned, create(owned), context))).toBe('ref-pub');
    await vi.waitFor(async () => {
      reads.length = 0;
      expect(related(await mutator.mutate(owned, create(owned), context))).toBe('ref-pub');
      expect(reads).toEqual([]);
    });
    // Cache miss: a budget created a moment ago is not listed until the watch delivers it (OpenKruise's cached list).
    await c.client.create(KruiseResources.PodUnavailableBudget, aPodUnavailableBudget({ name: 'web-pub', namespace: 'apps', maxUnavailable: 1 }) as never);
    await vi.waitFor(async () => {
      expect(related(await mutator.mutate(aPod({ namespace: 'apps', labels: { app: 'web' } }), create(aPod()), context))).toBe('web-pub');
    });
    expect(reads).toEqual([]);
    reader.stop();
    informers.stopAll();
  });
});
