import { INJECTED_PERSISTENT_POD_STATE_ANNOTATION, type PersistentPodState } from '@kruise-ts/core';
import { aPersistentPodState } from '@kruise-ts/core/testing';
import { KruiseResources, Resources, type KubeClient, type KubeObject } from '@kruise-ts/k8s-adapter';
import { describe, expect, it, vi } from 'vitest';
import { LONG_WAIT, createNamespace, isReady, isTerminating } from './cloneSetManifest.js';
import { startCloneSetCluster } from './useCloneSetCluster.js';
import { statefulSetManifest, useManagerCluster, waitForSettled } from './statefulSetHarness.js';
import { NODE_ZONES } from './unitedDeploymentHarness.js';

// PersistentPodState on a real apiserver with kwok nodes in zone-a, zone-b, zone-c: the manager
// process runs the PersistentPodState and Advanced StatefulSet controllers, and the apiserver
// calls its pod webhook (/mutate-pod) when the set re-creates a pod.

type PpsObject = PersistentPodState & KubeObject;
const ZONE = 'topology.kubernetes.io/zone';

const stateOf = (client: KubeClient, namespace: string) => client.get(KruiseResources.PersistentPodState, { namespace, name: 'web' });

describe('PersistentPodState (real apiserver, three zones)', () => {
  const env = useManagerCluster({ controller: 'persistentpodstate,statefulset', resource: KruiseResources.PersistentPodState, startCluster: () => startCloneSetCluster() });

  it('an Advanced StatefulSet of 3, one pod per zone: each pod deleted comes back in its old zone, its zone injected as nodeSelector', async () => {
    const { client } = env;
    const ns = 'pps-zones';
    await createNamespace(client, ns);
    const set = statefulSetManifest(ns, { replicas: 3 });
    const spread = [{ maxSkew: 1, topologyKey: ZONE, whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } } }];
    await client.create(KruiseResources.StatefulSet, { ...set, spec: { ...set.spec, template: { ...set.spec.template, spec: { ...set.spec.template.spec, topologySpreadConstraints: spread } } } });
    await waitForSettled(client, ns, 'web', 3);
    const { metadata, ...rest } = aPersistentPodState({ namespace: ns });
    await client.create(KruiseResources.PersistentPodState, { ...rest, metadata: { name: metadata?.name, namespace: ns } } as PpsObject);
    let recorded: Record<string, string> = {};
    await vi.waitFor(async () => {
      const states = (await stateOf(client, ns)).status?.podStates ?? {};
      recorded = Object.fromEntries(Object.entries(states).map(([pod, state]) => [pod, state.nodeTopologyLabels?.[ZONE] ?? '']));
      expect(Object.keys(recorded).sort()).toEqual(['web-0', 'web-1', 'web-2']);
    }, LONG_WAIT);
    expect(new Set(Object.values(recorded))).toEqual(new Set(['zone-a', 'zone-b', 'zone-c']));

    for (const name of ['web-1', 'web-0', 'web-2']) {
      const old = await client.get(Resources.Pod, { namespace: ns, name });
      await client.delete(Resources.Pod, { namespace: ns, name });
      let again: KubeObject | undefined;
      await vi.waitFor(async () => {
        const pod = await client.get(Resources.Pod, { namespace: ns, name });
        expect(pod.metadata.uid).not.toBe(old.metadata.uid);
        expect(isReady(pod) && !isTerminating(pod)).toBe(true);
        again = pod;
      }, LONG_WAIT);
      const pod = again as unknown as { metadata: KubeObject['metadata']; spec: { nodeName?: string; nodeSelector?: Record<string, string> } };
      expect(pod.spec.nodeSelector).toEqual({ [ZONE]: recorded[name] });
      expect(pod.metadata.annotations?.[INJECTED_PERSISTENT_POD_STATE_ANNOTATION]).toBe('web');
      expect(NODE_ZONES[pod.spec.nodeName ?? '']).toBe(recorded[name]);
    }
    await waitForSettled(client, ns, 'web', 3);
  });

  it('a set annotated kruise.io/auto-generate-persistent-pod-state gets its PersistentPodState, recording its pods', async () => {
    const { client } = env;
    const ns = 'pps-generated';
    await createNamespace(client, ns);
    const set = statefulSetManifest(ns, { replicas: 2 });
    const annotations = { 'kruise.io/auto-generate-persistent-pod-state': 'true', 'kruise.io/required-persistent-topology': ZONE };
    await client.create(KruiseResources.StatefulSet, { ...set, metadata: { ...set.metadata, annotations } });
    await vi.waitFor(async () => {
      const generated = await stateOf(client, ns);
      expect(generated.spec).toEqual({ targetRef: { apiVersion: 'apps.kruise.io/v1beta1', kind: 'StatefulSet', name: 'web' }, requiredPersistentTopology: { nodeTopologyKeys: [ZONE] } });
      expect(Object.keys(generated.status?.podStates ?? {}).sort()).toEqual(['web-0', 'web-1']);
    }, LONG_WAIT);
  });
});
