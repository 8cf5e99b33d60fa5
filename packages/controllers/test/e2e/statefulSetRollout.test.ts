import { KruiseResources, Resources } from '@kruise-ts/k8s-adapter';
import { describe, expect, it, vi } from 'vitest';
import { LONG_WAIT, createNamespace, podCondition, type PodObject } from './cloneSetManifest.js';
import { trackUnavailable, type PodSnapshot } from './watchCloneSetPods.js';
import { getStatefulSet, livePods, ordinalOf, pokeAndSettle, patchStatefulSetSpec, setStatefulSetImage, statefulSetEvents, statefulSetManifest, useStatefulSetCluster, waitForSettled, watchNamespacePods, type NamespacePodWatch } from './statefulSetHarness.js';

const OLD_IMAGE = 'nginx:1';
const NEW_IMAGE = 'nginx:2';
const REVISION = 'controller-revision-hash';

/** What must not change when a pod is updated in place. */
const identity = (pod: PodObject) => ({ name: pod.metadata.name, uid: pod.metadata.uid, podIP: pod.status?.podIP, nodeName: pod.spec.nodeName });
const names = (...ordinals: number[]): string[] => ordinals.map((o) => `web-${String(o)}`);

/**
 * Records, from the watch, the order in which pods first got `image` in their spec (those that
 * had it when the watch started are left out); `onFirst` is called then, with the pods as the
 * apiserver had them at that event.
 */
function recordUpdateOrder(watch: NamespacePodWatch, image: string, onFirst?: (pod: PodObject, pods: PodSnapshot) => void): string[] {
  const order: string[] = [];
  const already = new Set([...watch.pods.values()].filter((p) => p.spec.containers[0]?.image === image).map((p) => p.metadata.name ?? ''));
  watch.onChange((pods, { pod }) => {
    const name = pod.metadata.name ?? '';
    if (pod.spec.containers[0]?.image !== image || order.includes(name) || already.has(name)) return;
    order.push(name);
    onFirst?.(pod, pods);
  });
  return order;
}

// The real manager process (webhooks and the StatefulSet controller, as its service account);
// each test works in a namespace of its own on a set `web`.
describe('Advanced StatefulSet in-place rolling update on a real apiserver', () => {
  const env = useStatefulSetCluster();

  it('updates 7 of 10 pods in place with partition 3 and maxUnavailable 2 (same pods, highest ordinals first, never more than 2 unavailable), then the last 3 with partition 0', async () => {
    const { client, signals } = env;
    const ns = 'inplace';
    const replicas = 10;
    await createNamespace(client, ns);
    await client.create(
      KruiseResources.StatefulSet,
      statefulSetManifest(ns, { replicas, podManagementPolicy: 'Parallel', podUpdatePolicy: 'InPlaceIfPossible', partition: 3, maxUnavailable: 2 }),
    );
    const initial = await waitForSettled(client, ns, 'web', replicas);
    const oldRevision = initial.status?.updateRevision ?? '';
    expect(oldRevision).not.toBe('');
    const before = await livePods(client, ns);
    expect(before.every((p) => p.status?.podIP !== undefined)).toBe(true);

    const watch = await watchNamespacePods(client, ns);
    const unavailable = trackUnavailable(watch, { replicas });
    // Highest ordinal first: when pod k gets the new image, every pod above k + 1 has it already
    // (one pass starts at most maxUnavailable = 2 updates, whose writes may land in either order).
    const violations: string[] = [];
    const order = recordUpdateOrder(watch, NEW_IMAGE, (pod, pods) => {
      const k = ordinalOf(pod.metadata.name ?? '');
      for (const other of pods.values()) {
        if (ordinalOf(other.metadata.name ?? '') > k + 1 && other.spec.containers[0]?.image !== NEW_IMAGE) violations.push(`${String(pod.metadata.name)} updated before ${String(other.metadata.name)}`);
      }
    });
    let newRevision = '';
    try {
      await setStatefulSetImage(client, ns, 'web', NEW_IMAGE);
      const partial = await waitForSettled(client, ns, 'web', replicas, { updated: 7 });
      newRevision = partial.status?.updateRevision ?? '';
      expect(newRevision).not.toBe(oldRevision);
      expect(partial.status?.currentRevision).toBe(oldRevision);
      // Two more passes over the settled set: none starts an eighth update.
      await pokeAndSettle(client, signals, ns, 'web');
      await watch.fence();
    } finally {
      await watch.stop();
    }

    const after = await livePods(client, ns);
    // Same pods: names, UIDs, IPs and nodes unchanged; the watch saw no pod created or deleted.
    expect(after.map(identity)).toEqual(before.map(identity));
    expect(watch.seen.filter((e) => e.type !== 'MODIFIED').map((e) => `${e.type} ${e.name}`)).toEqual([]);
    expect(after.filter((p) => p.metadata.labels?.[REVISION] === newRevision).map((p) => p.metadata.name)).toEqual(names(3, 4, 5, 6, 7, 8, 9));
    expect(after.filter((p) => p.metadata.labels?.[REVISION] === oldRevision).map((p) => p.metadata.name)).toEqual(names(0, 1, 2));
    for (const pod of after) {
      const updated = ordinalOf(pod.metadata.name ?? '') >= 3;
      const image = updated ? NEW_IMAGE : OLD_IMAGE;
      expect(pod.spec.containers[0]?.image).toBe(image);
      // The (simulated) kubelet restarted the updated containers once, with the new image.
      expect(pod.status?.containerStatuses?.[0]).toMatchObject({ image, restartCount: updated ? 1 : 0 });
      expect(podCondition(pod, 'InPlaceUpdateReady')?.status).toBe('True');
    }
    expect([...order].sort()).toEqual(names(3, 4, 5, 6, 7, 8, 9));
    expect(violations).toEqual([]);
    // At every pod event: never more than maxUnavailable (2) pods not Ready or InPlaceUpdateReady
    // False; the budget was used (one pass starts 2 updates, the kubelet takes 0.5-1.5 s each).
    expect(unavailable.history().every((n) => n <= 2)).toBe(true);
    expect(unavailable.max()).toBe(2);
    expect((await getStatefulSet(client, ns)).status).toMatchObject({ updatedReplicas: 7, currentReplicas: 3, currentRevision: oldRevision, updateRevision: newRevision });
    // One SuccessfulUpdatePodInPlace event per updated pod (recorded asynchronously), no warning.
    await vi.waitFor(async () => {
      const events = await statefulSetEvents(client, ns);
      expect(events.filter((e) => e.reason === 'SuccessfulUpdatePodInPlace').map((e) => e.message).sort()).toEqual(names(3, 4, 5, 6, 7, 8, 9).map((pod) => `successfully update pod ${pod} in-place(revision ${newRevision})`));
      expect(events.filter((e) => e.type !== 'Normal')).toEqual([]);
    }, LONG_WAIT);

    // Partition 0: web-2 and web-1 (one pass, either order), then web-0; the update revision becomes current.
    const rest = await watchNamespacePods(client, ns);
    const restUnavailable = trackUnavailable(rest, { replicas });
    const restOrder = recordUpdateOrder(rest, NEW_IMAGE);
    try {
      await patchStatefulSetSpec(client, ns, 'web', { updateStrategy: { rollingUpdate: { partition: 0 } } });
      const done = await waitForSettled(client, ns, 'web', replicas);
      expect(done.status).toMatchObject({ updatedReplicas: replicas, currentReplicas: replicas, currentRevision: newRevision, updateRevision: newRevision });
      await rest.fence();
    } finally {
      await rest.stop();
    }
    expect([...restOrder].sort()).toEqual(names(0, 1, 2));
    expect(restOrder.at(-1)).toBe('web-0');
    expect(restUnavailable.history().every((n) => n <= 2)).toBe(true);
    const final = await livePods(client, ns);
    expect(final.map(identity)).toEqual(before.map(identity));
    expect(final.every((p) => p.spec.containers[0]?.image === NEW_IMAGE && p.status?.containerStatuses?.[0]?.restartCount === 1)).toBe(true);
    expect(rest.seen.filter((e) => e.type !== 'MODIFIED').map((e) => `${e.type} ${e.name}`)).toEqual([]);
  });

  it('an unordered update goes by weightPriority (ties: highest ordinal first) and leaves the partition’s lowest-priority pods', async () => {
    const { client, signals } = env;
    const ns = 'unordered';
    const replicas = 6;
    await createNamespace(client, ns);
    await client.create(
      KruiseResources.StatefulSet,
      statefulSetManifest(ns, {
        replicas,
        podManagementPolicy: 'Parallel',
        podUpdatePolicy: 'InPlaceIfPossible',
        maxUnavailable: 1,
        partition: 2,
        unorderedUpdate: {
          weightPriority: [
            { weight: 100, matchSelector: { matchLabels: { tier: 'gold' } } },
            { weight: 50, matchSelector: { matchLabels: { tier: 'silver' } } },
          ],
        },
      }),
    );
    await waitForSettled(client, ns, 'web', replicas);
    for (const [pod, tier] of [['web-1', 'gold'], ['web-2', 'silver']] as const) {
      await client.patch(Resources.Pod, { name: pod, namespace: ns }, { type: 'merge', body: { metadata: { labels: { tier } } } });
    }
    const watch = await watchNamespacePods(client, ns);
    const unavailable = trackUnavailable(watch, { replicas });
    const order = recordUpdateOrder(watch, NEW_IMAGE);
    try {
      await setStatefulSetImage(client, ns, 'web', NEW_IMAGE);
      await waitForSettled(client, ns, 'web', replicas, { updated: 4 });
      await pokeAndSettle(client, signals, ns, 'web');
      await watch.fence();
    } finally {
      await watch.stop();
    }
    // maxUnavailable 1: one pod at a time, so the order is exact. gold, silver, then the
    // others from the highest ordinal; partition 2 leaves the last two (web-3, web-0).
    expect(order).toEqual(names(1, 2, 5, 4));
    expect(unavailable.max()).toBe(1);
    const pods = await livePods(client, ns);
    expect(pods.filter((p) => p.spec.containers[0]?.image === NEW_IMAGE).map((p) => p.metadata.name)).toEqual(names(1, 2, 4, 5));
    expect(watch.seen.filter((e) => e.type !== 'MODIFIED').map((e) => `${e.type} ${e.name}`)).toEqual([]);
  });
});
