import { INJECTED_PERSISTENT_POD_STATE_ANNOTATION, type Pod } from '@kruise-ts/core';
import { aPersistentPodState, aPod } from '@kruise-ts/core/testing';
import { KruiseResources, Resources, createCachedReader, createMemoryCluster, createSharedInformerFactory, type KubeObject } from '@kruise-ts/k8s-adapter';
import { describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../runtime/logger.js';
import type { AdmissionContext, AdmissionRequest } from '../admissionTypes.js';
import { countReads } from '../testing/countReads.testkit.js';
import { clientPersistentPodStateSource, createPersistentPodStatePodMutator } from './persistentPodStatePodMutator.js';

const ZONE = 'topology.kubernetes.io/zone';
const context: AdmissionContext = { signal: new AbortController().signal, logger: createLogger({ level: 'silent' }) };
const create = (pod: Pod): AdmissionRequest => ({ uid: 'u', kind: { group: '', version: 'v1', kind: 'Pod' }, resource: { group: '', version: 'v1', resource: 'pods' }, namespace: 'apps', name: pod.metadata.name, operation: 'CREATE', object: pod });

describe('createPersistentPodStatePodMutator over the informer cache', () => {
  it('a StatefulSet pod gets its recorded zone from the cached PersistentPodStates, with no request once synced; one created since shows once the watch delivers it', async () => {
    await using cluster = await createMemoryCluster({ nodes: 0 });
    cluster.registerResource(KruiseResources.PersistentPodState);
    await cluster.client.create(Resources.Namespace, { metadata: { name: 'apps' } });
    const created = await cluster.client.create(KruiseResources.PersistentPodState, aPersistentPodState({ namespace: 'apps' }) as KubeObject as never);
    await cluster.client.replace(KruiseResources.PersistentPodState, { ...created, status: { podStates: { 'web-0': { nodeName: 'n1', nodeTopologyLabels: { [ZONE]: 'zone-a' } } } } }, { subresource: 'status' });
    const { client, reads } = countReads(cluster.client);
    const informers = createSharedInformerFactory(cluster.client);
    const reader = createCachedReader({ client, informers });
    const mutator = createPersistentPodStatePodMutator({ source: clientPersistentPodStateSource(reader) });
    const podOf = (name: string): Pod => {
      const pod = aPod({ name, namespace: 'apps' });
      return { ...pod, metadata: { ...pod.metadata, ownerReferences: [{ apiVersion: 'apps.kruise.io/v1beta1', kind: 'StatefulSet', name: 'web', uid: 'set-uid', controller: true }] } };
    };
    const zoneGiven = async (name: string): Promise<string | undefined> => {
      const result = await mutator.mutate(podOf(name), create(podOf(name)), context);
      return result.kind === 'mutated' && result.pod.metadata.annotations?.[INJECTED_PERSISTENT_POD_STATE_ANNOTATION] === 'web' ? result.pod.spec.nodeSelector?.[ZONE] : undefined;
    };
    expect(await zoneGiven('web-0')).toBe('zone-a'); // before the informer synced: listed on the apiserver
    await vi.waitFor(async () => {
      reads.length = 0;
      expect(await zoneGiven('web-0')).toBe('zone-a');
      expect(reads).toEqual([]);
    });
    expect(await zoneGiven('web-1')).toBeUndefined();
    const current = await cluster.client.get(KruiseResources.PersistentPodState, { namespace: 'apps', name: 'web' });
    await cluster.client.replace(KruiseResources.PersistentPodState, { ...current, status: { podStates: { 'web-0': { nodeName: 'n1', nodeTopologyLabels: { [ZONE]: 'zone-a' } }, 'web-1': { nodeName: 'n2', nodeTopologyLabels: { [ZONE]: 'zone-b' } } } } }, { subresource: 'status' });
    await vi.waitFor(async () => {
      expect(await zoneGiven('web-1')).toBe('zone-b');
    });
    expect(reads).toEqual([]);
    reader.stop();
    informers.stopAll();
  });
});
