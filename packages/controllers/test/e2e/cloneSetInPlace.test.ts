import { Resources } from '@kruise-ts/k8s-adapter';
import { describe, expect, it, vi } from 'vitest';
import { LONG_WAIT, cloneSetManifest, createNamespace, getCloneSet, isReady, patchCloneSetSpec, podCondition, podsOf, type PodObject } from './cloneSetManifest.js';
import { useCloneSetCluster } from './useCloneSetCluster.js';
import { trackUnavailable, watchCloneSetPods } from './watchCloneSetPods.js';

const OLD_IMAGE = 'nginx:1.25';
const NEW_IMAGE = 'nginx:1.26';

/** What must not change when a pod is updated in place. */
const identity = (pod: PodObject) => ({ name: pod.metadata.name, uid: pod.metadata.uid, podIP: pod.status?.podIP, nodeName: pod.spec.nodeName });
const byName = (a: { name?: string | undefined }, b: { name?: string | undefined }) => (a.name ?? '').localeCompare(b.name ?? '');

describe('CloneSet in-place update on a real apiserver', () => {
  const env = useCloneSetCluster();

  it('updates 7 of 10 pods in place with partition 3 and maxUnavailable 2, then all 10 with partition 0', async () => {
    const { client } = env.cluster;
    const ns = 'inplace';
    const name = 'web';
    const replicas = 10;
    await createNamespace(client, ns);
    await client.create(
      Resources.CloneSet,
      cloneSetManifest(name, ns, {
        replicas,
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { podUpdatePolicy: 'InPlaceIfPossible', partition: 3, maxUnavailable: 2 } },
      }),
    );
    await vi.waitFor(async () => {
      const cs = await getCloneSet(client, ns, name);
      expect(cs.status?.observedGeneration).toBe(cs.metadata.generation);
      expect(cs.status).toMatchObject({ replicas, readyReplicas: replicas, availableReplicas: replicas, updatedReplicas: replicas });
      const pods = await podsOf(client, ns, name);
      expect(pods.filter((p) => isReady(p) && p.status?.podIP !== undefined)).toHaveLength(replicas);
    }, LONG_WAIT);
    const before = await podsOf(client, ns, name);
    const initial = await getCloneSet(client, ns, name);
    const oldRevision = initial.status?.updateRevision ?? '';
    expect(initial.status?.currentRevision).toBe(oldRevision);
    expect(oldRevision).not.toBe('');

    const watch = await watchCloneSetPods(client, ns, name);
    const unavailable = trackUnavailable(watch, { replicas });
    // For each pod, its InPlaceUpdateReady condition when the watch first saw the new image in
    // its spec: it must already be False (the pod leaves the endpoints before the restart).
    const readinessAtImageChange = new Map<string, string | undefined>();
    watch.onChange((_pods, { pod }) => {
      const podName = pod.metadata.name ?? '';
      if (pod.spec.containers[0]?.image !== NEW_IMAGE || readinessAtImageChange.has(podName)) return;
      readinessAtImageChange.set(podName, podCondition(pod, 'InPlaceUpdateReady')?.status);
    });
    try {
      // Step 1: a new image with partition 3 → 7 pods updated in place, 3 kept at the old revision.
      await client.patch(Resources.CloneSet, { name, namespace: ns }, { type: 'json', operations: [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: NEW_IMAGE }] });
      let newRevision = '';
      await vi.waitFor(async () => {
        const cs = await getCloneSet(client, ns, name);
        expect(cs.status?.observedGeneration).toBe(cs.metadata.generation);
        expect(cs.status?.updateRevision).not.toBe(oldRevision);
        expect(cs.status).toMatchObject({
          replicas,
          readyReplicas: 10,
          availableReplicas: 10,
          updatedReplicas: 7,
          updatedReadyReplicas: 7,
          updatedAvailableReplicas: 7,
          expectedUpdatedReplicas: 7,
          currentRevision: oldRevision,
        });
        const pods = await podsOf(client, ns, name);
        expect(pods.filter(isReady)).toHaveLength(replicas);
        expect(pods.filter((p) => podCondition(p, 'InPlaceUpdateReady')?.status === 'True')).toHaveLength(replicas);
        newRevision = cs.status?.updateRevision ?? '';
      }, LONG_WAIT);

      const partial = await podsOf(client, ns, name);
      // Same pods: names, UIDs, IPs and nodes unchanged (nothing was recreated).
      expect(partial.map(identity).sort(byName)).toEqual(before.map(identity).sort(byName));
      const updated = partial.filter((p) => p.metadata.labels?.['controller-revision-hash'] === newRevision);
      const kept = partial.filter((p) => p.metadata.labels?.['controller-revision-hash'] === oldRevision);
      expect(updated).toHaveLength(7);
      expect(kept).toHaveLength(3);
      for (const pod of updated) {
        expect(pod.spec.containers[0]?.image).toBe(NEW_IMAGE);
        // The (simulated) kubelet restarted the container with the new image.
        expect(pod.status?.containerStatuses?.[0]).toMatchObject({ image: NEW_IMAGE, restartCount: 1 });
        // Lifecycle back to Normal and the in-place state recorded for the new revision.
        expect(pod.metadata.labels?.['lifecycle.apps.kruise.io/state']).toBe('Normal');
        const previous = before.find((p) => p.metadata.uid === pod.metadata.uid);
        expect(JSON.parse(pod.metadata.annotations?.['apps.kruise.io/inplace-update-state'] ?? '{}')).toMatchObject({
          revision: newRevision,
          updateImages: true,
          lastContainerStatuses: { app: { imageID: previous?.status?.containerStatuses?.[0]?.imageID } },
        });
        expect(readinessAtImageChange.get(pod.metadata.name ?? '')).toBe('False');
      }
      for (const pod of kept) {
        expect(pod.spec.containers[0]?.image).toBe(OLD_IMAGE);
        expect(pod.status?.containerStatuses?.[0]).toMatchObject({ image: OLD_IMAGE, restartCount: 0 });
      }

      // Step 2: partition 0 finishes the rollout.
      await patchCloneSetSpec(client, ns, name, { updateStrategy: { rollingUpdate: { partition: 0 } } });
      await vi.waitFor(async () => {
        const cs = await getCloneSet(client, ns, name);
        expect(cs.status?.observedGeneration).toBe(cs.metadata.generation);
        expect(cs.status).toMatchObject({
          replicas,
          readyReplicas: 10,
          availableReplicas: 10,
          updatedReplicas: 10,
          updatedReadyReplicas: 10,
          updatedAvailableReplicas: 10,
          expectedUpdatedReplicas: 10,
          updateRevision: newRevision,
          currentRevision: newRevision,
        });
        const pods = await podsOf(client, ns, name);
        expect(pods.filter(isReady)).toHaveLength(replicas);
      }, LONG_WAIT);
    } finally {
      await watch.stop();
    }

    const after = await podsOf(client, ns, name);
    expect(after.map(identity).sort(byName)).toEqual(before.map(identity).sort(byName));
    expect(after.every((p) => p.spec.containers[0]?.image === NEW_IMAGE && p.status?.containerStatuses?.[0]?.restartCount === 1)).toBe(true);
    expect([...readinessAtImageChange.values()]).toEqual(Array.from({ length: 10 }, () => 'False'));
    // Checked at every pod event of the whole rollout: never more than maxUnavailable (2) pods
    // with Ready not True or InPlaceUpdateReady False. The budget was used: one pass starts 2
    // updates, and the pass that sets InPlaceUpdateReady True again can only come after it.
    expect(unavailable.history().every((n) => n <= 2)).toBe(true);
    expect(unavailable.max()).toBe(2);
    // The watch saw the rollout (each pod: InPlaceUpdateReady False, spec, status, True, Ready...).
    expect(watch.eventCount()).toBeGreaterThanOrEqual(10 * 3);
  });

  it('rolls 50 pods out in place without one FailedUpdatePodInPlace event or FailedUpdate condition (kubelet status updates race our writes)', async () => {
    const { client } = env.cluster;
    const ns = 'inplace-50';
    const name = 'web';
    const replicas = 50;
    await createNamespace(client, ns);
    await client.create(Resources.CloneSet, cloneSetManifest(name, ns, { replicas, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { podUpdatePolicy: 'InPlaceIfPossible', maxUnavailable: '20%' } } }));
    await vi.waitFor(async () => {
      expect((await getCloneSet(client, ns, name)).status).toMatchObject({ readyReplicas: replicas, availableReplicas: replicas });
    }, LONG_WAIT);
    // Every status the CloneSet goes through, from a watch (not only the last one).
    const oldRevision = (await getCloneSet(client, ns, name)).status?.updateRevision;
    const conditionsSeen = new Set<string>();
    const abort = new AbortController();
    const watching = (async () => {
      for await (const event of client.watch(Resources.CloneSet, { namespace: ns, signal: abort.signal })) {
        if (event.type === 'BOOKMARK') continue;
        for (const c of event.object.status?.conditions ?? []) if (c.status === 'True') conditionsSeen.add(c.type);
      }
    })().catch(() => undefined);
    try {
      await client.patch(Resources.CloneSet, { name, namespace: ns }, { type: 'json', operations: [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: NEW_IMAGE }] });
      await vi.waitFor(async () => {
        const cs = await getCloneSet(client, ns, name);
        expect(cs.status?.observedGeneration).toBe(cs.metadata.generation);
        expect(cs.status?.updateRevision).not.toBe(oldRevision);
        expect(cs.status).toMatchObject({ updatedReplicas: replicas, updatedReadyReplicas: replicas, readyReplicas: replicas });
        expect(cs.status?.currentRevision).toBe(cs.status?.updateRevision);
      }, LONG_WAIT);
    } finally {
      abort.abort();
      await watching;
    }
    type CoreEvent = { reason?: string; type?: string; count?: number; message?: string; involvedObject?: { kind?: string; name?: string } };
    const events = async (): Promise<CoreEvent[]> => (await client.list(Resources.Event, { namespace: ns })).items as CoreEvent[];
    // Events are correlated as client-go does: the 10th similar one on is combined, and one object's
    // Normal events stop at the spam burst (25), which the 50 creations spent; Warnings have a budget of their own.
    await vi.waitFor(async () => {
      const aboutCloneSet = (await events()).filter((e) => e.involvedObject?.kind === 'CloneSet' && e.involvedObject.name === name);
      expect(aboutCloneSet.filter((e) => e.reason === 'SuccessfulCreate').map((e) => e.message)).toContainEqual(expect.stringMatching(/^\(combined from similar events\): succeed to create pod /));
      expect(aboutCloneSet.filter((e) => e.type === 'Normal').length).toBeLessThanOrEqual(10);
    }, LONG_WAIT);
    expect((await events()).filter((e) => e.reason === 'FailedUpdatePodInPlace')).toEqual([]);
    expect((await events()).filter((e) => e.type === 'Warning')).toEqual([]);
    expect([...conditionsSeen].filter((t) => t.startsWith('Failed'))).toEqual([]);
    const pods = await podsOf(client, ns, name);
    expect(pods.filter((p) => p.spec.containers[0]?.image === NEW_IMAGE && p.status?.containerStatuses?.[0]?.restartCount === 1)).toHaveLength(replicas);
  });
});
