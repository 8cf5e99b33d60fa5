import type { TestCluster } from '@kruise-ts/k8s-adapter/testing';
import { Resources } from '@kruise-ts/k8s-adapter';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LONG_WAIT, cloneSetEvents, cloneSetManifest, createNamespace, getCloneSet, isReady, patchCloneSetSpec, podsOf } from './cloneSetManifest.js';
import { runCloneSetController, startCloneSetCluster } from './useCloneSetCluster.js';
import { trackUnavailable, warmUpPods, watchCloneSetPods } from './watchCloneSetPods.js';

const SPECIFIED_DELETE = 'apps.kruise.io/specified-delete';
const INSTANCE_ID = 'apps.kruise.io/cloneset-instance-id';

/** Every status counter of a settled CloneSet of `n` pods at one revision. */
const settledAt = (n: number) => ({
  replicas: n,
  readyReplicas: n,
  availableReplicas: n,
  updatedReplicas: n,
  updatedReadyReplicas: n,
  updatedAvailableReplicas: n,
  expectedUpdatedReplicas: n,
});

// Each test works in a namespace of its own; the first stops and restarts the shared controller.
describe('CloneSet scale on a real apiserver', () => {
  let cluster: TestCluster;
  let controller: { stop: () => Promise<void> };
  beforeAll(async () => {
    cluster = await startCloneSetCluster();
    controller = runCloneSetController(cluster.client);
  });
  afterAll(async () => {
    await controller.stop();
    await cluster.stop();
  });

  it('scales 0→10→3: podsToDelete and the specified-delete label choose the pods that go', async () => {
    const { client } = cluster;
    const ns = 'scale-delete';
    const name = 'web';
    await createNamespace(client, ns);
    await client.create(Resources.CloneSet, cloneSetManifest(name, ns, { replicas: 0 }));
    await vi.waitFor(async () => {
      const cs = await getCloneSet(client, ns, name);
      expect(cs.status?.observedGeneration).toBe(cs.metadata.generation);
      expect(cs.status).toMatchObject({ replicas: 0, readyReplicas: 0, updatedReplicas: 0, expectedUpdatedReplicas: 0 });
    }, LONG_WAIT);
    expect(await podsOf(client, ns, name)).toHaveLength(0);

    // 0 → 10.
    await patchCloneSetSpec(client, ns, name, { replicas: 10 });
    await vi.waitFor(async () => {
      const pods = await podsOf(client, ns, name);
      expect(pods.filter(isReady)).toHaveLength(10);
      const cs = await getCloneSet(client, ns, name);
      expect(cs.status?.observedGeneration).toBe(cs.metadata.generation);
      expect(cs.status).toMatchObject(settledAt(10));
    }, LONG_WAIT);
    const ten = await podsOf(client, ns, name);
    expect(ten).toHaveLength(10);
    const cs10 = await getCloneSet(client, ns, name);
    const revision = cs10.status?.updateRevision ?? '';
    expect(revision).toMatch(new RegExp(`^${name}-[a-z0-9]+$`));
    expect(cs10.status).toMatchObject({ currentRevision: revision, labelSelector: `app=${name}` });
    for (const pod of ten) {
      // Pod name is `<cloneset>-<instance-id>`, the id a 5-character random string.
      expect(pod.metadata.name).toBe(`${name}-${pod.metadata.labels?.[INSTANCE_ID] ?? ''}`);
      expect(pod.metadata.labels?.[INSTANCE_ID]).toMatch(/^[a-z0-9]{5}$/);
      expect(pod.metadata.labels).toMatchObject({
        app: name,
        'controller-revision-hash': revision,
        'pod-template-hash': revision.slice(name.length + 1),
        'lifecycle.apps.kruise.io/state': 'Normal',
      });
      expect(pod.metadata.ownerReferences).toEqual([
        { apiVersion: 'apps.kruise.io/v1beta1', kind: 'CloneSet', name, uid: cs10.metadata.uid, controller: true, blockOwnerDeletion: true },
      ]);
      expect(pod.spec.readinessGates).toEqual([{ conditionType: 'InPlaceUpdateReady' }]);
      expect(pod.status?.conditions?.find((c) => c.type === 'InPlaceUpdateReady')?.status).toBe('True');
    }

    // At 10 replicas, a pod named in podsToDelete and a pod labelled specified-delete are
    // replaced: both go, two new pods come, 10 remain, and podsToDelete is truncated.
    const [byList, byLabel] = ten;
    await patchCloneSetSpec(client, ns, name, { scaleStrategy: { podsToDelete: [byList!.metadata.name] } });
    await client.patch(Resources.Pod, { name: byLabel!.metadata.name ?? '', namespace: ns }, { type: 'merge', body: { metadata: { labels: { [SPECIFIED_DELETE]: 'true' } } } });
    await vi.waitFor(async () => {
      const pods = await podsOf(client, ns, name);
      const names = pods.map((p) => p.metadata.name);
      expect(names).not.toContain(byList!.metadata.name);
      expect(names).not.toContain(byLabel!.metadata.name);
      expect(pods.filter(isReady)).toHaveLength(10);
      expect(pods).toHaveLength(10);
      const cs = await getCloneSet(client, ns, name);
      expect(cs.status).toMatchObject(settledAt(10));
      // OpenKruise's truncatePodsToDelete drops names of pods that no longer exist.
      expect(cs.spec.scaleStrategy?.podsToDelete ?? []).toEqual([]);
    }, LONG_WAIT);
    const replaced = await podsOf(client, ns, name);
    const survivorsOfTen = ten.filter((p) => p !== byList && p !== byLabel).map((p) => p.metadata.uid);
    expect(replaced.map((p) => p.metadata.uid)).toEqual(expect.arrayContaining(survivorsOfTen));

    // 10 → 3 naming the 7 pods that go: 4 in podsToDelete, 3 labelled. The intent is written while
    // the controller is down so that it is seen at once (labels and the CloneSet are separate
    // objects; with the controller running, a labelled pod would be replaced before the scale-down).
    const sorted = [...replaced].sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
    const listed = sorted.slice(0, 4);
    const labelled = sorted.slice(4, 7);
    const kept = sorted.slice(7);
    await controller.stop();
    try {
      await Promise.all(
        labelled.map((pod) =>
          client.patch(Resources.Pod, { name: pod.metadata.name ?? '', namespace: ns }, { type: 'merge', body: { metadata: { labels: { [SPECIFIED_DELETE]: 'true' } } } }),
        ),
      );
      await patchCloneSetSpec(client, ns, name, { replicas: 3, scaleStrategy: { podsToDelete: listed.map((p) => p.metadata.name) } });
    } finally {
      // Running again whatever happened: the next test needs a controller.
      controller = runCloneSetController(client);
    }
    await vi.waitFor(async () => {
      const pods = await podsOf(client, ns, name);
      expect(pods.map((p) => p.metadata.uid).sort()).toEqual(kept.map((p) => p.metadata.uid).sort());
      const cs = await getCloneSet(client, ns, name);
      expect(cs.status?.observedGeneration).toBe(cs.metadata.generation);
      expect(cs.status).toMatchObject(settledAt(3));
      expect(cs.spec.scaleStrategy?.podsToDelete ?? []).toEqual([]);
    }, LONG_WAIT);
    // The 3 pods that remain are exactly the ones named nowhere.
    const final = await podsOf(client, ns, name);
    expect(final.map((p) => p.metadata.name).sort()).toEqual(kept.map((p) => p.metadata.name).sort());
    // The controller deleted the 9 named pods (2 replaced at 10 replicas, 7 on 10 → 3), no other.
    await vi.waitFor(async () => {
      const deleted = (await cloneSetEvents(client, ns, name, 'SuccessfulDelete')).map((e) => e.message);
      const named = [byList!, byLabel!, ...listed, ...labelled].map((p) => p.metadata.name ?? '');
      expect(deleted).toHaveLength(named.length);
      for (const pod of named) expect(deleted.some((m) => m.includes(`pod ${pod}`))).toBe(true);
    }, LONG_WAIT);
  });

  it('scales up 0→10 with scaleStrategy.maxUnavailable 2 and minReadySeconds: never more than 2 pods unavailable', async () => {
    const { client } = cluster;
    const ns = 'scale-budget';
    const name = 'warm';
    const gate = 'kruise-ts.test/warmed-up';
    const minReadySeconds = 2;
    await createNamespace(client, ns);
    const manifest = cloneSetManifest(name, ns, { replicas: 0, minReadySeconds, scaleStrategy: { maxUnavailable: 2 } });
    manifest.spec.template.spec.readinessGates = [{ conditionType: gate }];
    await client.create(Resources.CloneSet, manifest);
    await vi.waitFor(async () => {
      const cs = await getCloneSet(client, ns, name);
      expect(cs.status?.observedGeneration).toBe(cs.metadata.generation);
    }, LONG_WAIT);

    const watch = await watchCloneSetPods(client, ns, name);
    // The application needs 1 s after its container runs before it reports ready.
    const warmer = warmUpPods(client, watch, gate, 1000);
    const unavailable = trackUnavailable(watch, { minReadySeconds });
    const started = Date.now();
    try {
      await patchCloneSetSpec(client, ns, name, { replicas: 10 });
      await vi.waitFor(async () => {
        const cs = await getCloneSet(client, ns, name);
        expect(cs.status?.observedGeneration).toBe(cs.metadata.generation);
        expect(cs.status).toMatchObject(settledAt(10));
      }, LONG_WAIT);
    } finally {
      warmer.stop();
      await watch.stop();
    }
    const pods = await podsOf(client, ns, name);
    expect(pods).toHaveLength(10);
    // Pods carry the template's gate and the InPlaceUpdateReady gate CloneSet injects.
    expect(pods[0]?.spec.readinessGates?.map((g) => g.conditionType).sort()).toEqual(['InPlaceUpdateReady', gate].sort());
    // The budget was used (2 pods warming at once) and never exceeded.
    expect(unavailable.max()).toBe(2);
    // 10 pods 2 at a time take 5 rounds, each over 1 s of warm-up plus over 1 s of minReadySeconds
    // (2 s counted from a lastTransitionTime truncated to the second).
    expect(Date.now() - started).toBeGreaterThanOrEqual(5 * 2000);
    expect(watch.eventCount()).toBeGreaterThan(10);
  });
});
