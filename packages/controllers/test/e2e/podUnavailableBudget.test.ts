import { PUB_RELATED_ANNOTATION, type PodUnavailableBudget } from '@kruise-ts/core';
import { aPod, aPodUnavailableBudget } from '@kruise-ts/core/testing';
import { KruiseResources, Resources, TooManyRequestsError, evictPod, type KubeClient, type KubeObject } from '@kruise-ts/k8s-adapter';
import { describe, expect, it, vi } from 'vitest';
import { LONG_WAIT, cloneSetManifest, createNamespace, getCloneSet, isReady, podsOf } from './cloneSetManifest.js';
import { startCloneSetCluster } from './useCloneSetCluster.js';
import { trackUnavailable, watchCloneSetPods } from './watchCloneSetPods.js';
import { useManagerCluster } from './statefulSetHarness.js';

// PodUnavailableBudget on a real apiserver: the manager process (as deploy/'s service account)
// runs the PUB and CloneSet controllers, and the apiserver calls its pod webhook on evictions,
// deletes and in-place updates (PodUnavailableBudgetUpdateGate on).

type PubObject = PodUnavailableBudget & KubeObject;
const REFUSED = 'podunavailablebudget.policy.kruise.io "web-pub" is forbidden: pub unavailable allowed is negative';

const budget = async (client: KubeClient, namespace: string) => (await client.get(KruiseResources.PodUnavailableBudget, { namespace, name: 'web-pub' })).status;

async function refusal(write: () => Promise<unknown>): Promise<unknown> {
  try {
    await write();
  } catch (error) {
    return error;
  }
  throw new Error('the write went through');
}

describe('PodUnavailableBudget (real apiserver, webhooks called by it)', () => {
  const env = useManagerCluster({
    controller: 'podunavailablebudget,cloneset',
    resource: KruiseResources.PodUnavailableBudget,
    startCluster: () => startCloneSetCluster(),
    args: ['--feature-gates=PodUnavailableBudgetUpdateGate=true'],
  });

  it('maxUnavailable 1 over 5 pods: the second eviction is refused with 429 while the first pod is gone; a delete the same way', async () => {
    const { client } = env;
    const ns = 'pub-evict';
    await createNamespace(client, ns);
    // Bare pods (nothing recreates an evicted one), counted as 5 by protectTotalReplicas.
    for (let i = 0; i < 5; i++) {
      const pod = aPod({ name: `web-${i}`, namespace: ns, labels: { app: 'web' }, node: 'kwok-node-0' });
      await client.create(Resources.Pod, { metadata: { name: pod.metadata.name, namespace: ns, labels: pod.metadata.labels }, spec: pod.spec });
    }
    await client.create(KruiseResources.PodUnavailableBudget, aPodUnavailableBudget({ namespace: ns, maxUnavailable: 1, protectTotalReplicas: 5 }) as PubObject);
    await vi.waitFor(async () => {
      expect(await budget(client, ns)).toMatchObject({ totalReplicas: 5, desiredAvailable: 4, currentAvailable: 5, unavailableAllowed: 1 });
      const pods = (await client.list(Resources.Pod, { namespace: ns })).items;
      expect(pods.filter((p) => isReady(p) && p.metadata.annotations?.[PUB_RELATED_ANNOTATION] === 'web-pub')).toHaveLength(5);
    }, LONG_WAIT);

    await evictPod(client, { namespace: ns, name: 'web-0' });
    // The webhook took the one disruption (web-0 recorded in disruptedPods until the controller sees it gone).
    expect((await budget(client, ns))?.unavailableAllowed).toBe(0);
    const evicted = await refusal(() => evictPod(client, { namespace: ns, name: 'web-1' }));
    expect(evicted).toBeInstanceOf(TooManyRequestsError);
    expect((evicted as Error).message).toContain(REFUSED);
    const deleted = await refusal(() => client.delete(Resources.Pod, { namespace: ns, name: 'web-2' }));
    expect(deleted).toBeInstanceOf(TooManyRequestsError);
    expect((deleted as Error).message).toContain(REFUSED);
    expect((await client.list(Resources.Pod, { namespace: ns })).items.filter((p) => p.metadata.deletionTimestamp === undefined).map((p) => p.metadata.name).sort()).toEqual(['web-1', 'web-2', 'web-3', 'web-4']);
    // web-0 gone: the controller drops its entry, 4 available of 4 desired, still nothing allowed.
    await vi.waitFor(async () => { expect(await budget(client, ns)).toMatchObject({ currentAvailable: 4, unavailableAllowed: 0 }); }, LONG_WAIT);
    expect((await budget(client, ns))?.disruptedPods).toBeUndefined();
  });

  it('a CloneSet in-place rollout with maxUnavailable 3 under a budget of 1 updates one pod at a time', async () => {
    const { client } = env;
    const ns = 'pub-inplace';
    const name = 'web';
    await createNamespace(client, ns);
    await client.create(Resources.CloneSet, cloneSetManifest(name, ns, { replicas: 5, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { podUpdatePolicy: 'InPlaceIfPossible', maxUnavailable: 3 } } }));
    await client.create(KruiseResources.PodUnavailableBudget, aPodUnavailableBudget({ namespace: ns, maxUnavailable: 1, targetRef: { apiVersion: 'apps.kruise.io/v1beta1', kind: 'CloneSet', name } }) as PubObject);
    await vi.waitFor(async () => {
      expect(await budget(client, ns)).toMatchObject({ totalReplicas: 5, currentAvailable: 5, unavailableAllowed: 1 });
      expect((await podsOf(client, ns, name)).filter((p) => p.metadata.annotations?.[PUB_RELATED_ANNOTATION] === 'web-pub')).toHaveLength(5);
    }, LONG_WAIT);
    const watch = await watchCloneSetPods(client, ns, name);
    const unavailable = trackUnavailable(watch, { replicas: 5 });
    try {
      await client.patch(Resources.CloneSet, { name, namespace: ns }, { type: 'json', operations: [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'nginx:1.26' }] });
      await vi.waitFor(async () => {
        const cs = await getCloneSet(client, ns, name);
        expect(cs.status?.observedGeneration).toBe(cs.metadata.generation);
        expect(cs.status).toMatchObject({ updatedReplicas: 5, updatedReadyReplicas: 5, readyReplicas: 5 });
      }, { timeout: 170_000, interval: 250 });
    } finally {
      await watch.stop();
    }
    expect((await podsOf(client, ns, name)).map((p) => p.spec.containers[0]?.image)).toEqual(Array(5).fill('nginx:1.26'));
    expect(unavailable.max()).toBe(1);
  });
});
