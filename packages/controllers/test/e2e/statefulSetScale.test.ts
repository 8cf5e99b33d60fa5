import type { OwnerReference, PersistentVolumeClaim } from '@kruise-ts/core';
import { KruiseResources, Resources, type KubeObject } from '@kruise-ts/k8s-adapter';
import { describe, expect, it, vi } from 'vitest';
import { LONG_WAIT, bindClaims, createNamespace, isReady, isTerminating, type PodObject } from './cloneSetManifest.js';
import { warmUpPods, type PodSnapshot } from './watchCloneSetPods.js';
import {
  WARM_GATE,
  createdNames,
  deletionOrder,
  livePods,
  patchStatefulSetSpec,
  pokeAndSettle,
  statefulSetEvents,
  statefulSetManifest,
  useStatefulSetCluster,
  waitForSettled,
  watchNamespacePods,
} from './statefulSetHarness.js';

const names = (...ordinals: number[]): string[] => ordinals.map((o) => `web-${String(o)}`);
type PvcObject = PersistentVolumeClaim & KubeObject;
const uidsByName = (pods: readonly PodObject[]) => Object.fromEntries(pods.map((p) => [p.metadata.name ?? '', p.metadata.uid ?? '']));
const notReady = (pods: PodSnapshot): string[] => [...pods.values()].filter((p) => !isTerminating(p) && !isReady(p)).map((p) => p.metadata.name ?? '');

// The real manager process (webhooks and the StatefulSet controller, as its service account);
// each test works in a namespace of its own on a set `web`.
describe('Advanced StatefulSet scaling on a real apiserver', () => {
  const env = useStatefulSetCluster();

  it('OrderedReady 0→5 creates web-0..web-4 one by one, each once the one before is Ready; 5→2 deletes web-4, web-3, web-2 in turn', async () => {
    const { client, signals } = env;
    const ns = 'ordered';
    await createNamespace(client, ns);
    await client.create(KruiseResources.StatefulSet, statefulSetManifest(ns, { replicas: 0, readinessGates: [WARM_GATE] }));
    await waitForSettled(client, ns, 'web', 0);
    const watch = await watchNamespacePods(client, ns);
    // The pods take 300 ms to become Ready once running: time for a controller that does not wait to go on.
    const warm = warmUpPods(client, watch, WARM_GATE, 300);
    const violations: string[] = [];
    watch.onChange((pods, { type, pod }) => {
      const name = pod.metadata.name ?? '';
      if (type === 'ADDED') {
        // Checked at the apiserver state of the creation: every lower ordinal exists and is Ready.
        const ordinal = Number(name.split('-')[1]);
        for (let k = 0; k < ordinal; k++) {
          const before = pods.get(`web-${String(k)}`);
          if (before === undefined || !isReady(before) || isTerminating(before)) violations.push(`${name} created while web-${String(k)} was not Ready`);
        }
      }
      if (notReady(pods).length > 1) violations.push(`${notReady(pods).join(', ')} not Ready at once`);
      const terminating = [...pods.values()].filter(isTerminating).map((p) => p.metadata.name ?? '');
      if (terminating.length > 1) violations.push(`${terminating.join(', ')} terminating at once`);
    });
    try {
      await patchStatefulSetSpec(client, ns, 'web', { replicas: 5 });
      await waitForSettled(client, ns, 'web', 5);
      const five = await livePods(client, ns);
      expect(five.map((p) => p.metadata.name)).toEqual(names(0, 1, 2, 3, 4));

      await patchStatefulSetSpec(client, ns, 'web', { replicas: 2 });
      await waitForSettled(client, ns, 'web', 2);
      await pokeAndSettle(client, signals, ns, 'web');
      await watch.fence();
      expect(createdNames(watch)).toEqual(names(0, 1, 2, 3, 4));
      expect(deletionOrder(watch)).toEqual(names(4, 3, 2));
      expect(violations).toEqual([]);
      // The two that stay are the pods created first, untouched.
      expect(uidsByName(await livePods(client, ns))).toEqual(uidsByName(five.slice(0, 2)));
      // OpenKruise's events, recorded asynchronously: one per pod created or deleted, no warning.
      const message = (verb: string, pod: string) => `${verb} Pod ${pod} in StatefulSet web successful`;
      await vi.waitFor(async () => {
        const events = await statefulSetEvents(client, ns);
        expect(events.filter((e) => e.reason === 'SuccessfulCreate').map((e) => e.message).sort()).toEqual(names(0, 1, 2, 3, 4).map((pod) => message('create', pod)));
        expect(events.filter((e) => e.reason === 'SuccessfulDelete').map((e) => e.message).sort()).toEqual(names(2, 3, 4).map((pod) => message('delete', pod)));
        expect(events.filter((e) => e.type !== 'Normal')).toEqual([]);
      }, LONG_WAIT);
    } finally {
      warm.stop();
      await watch.stop();
    }
  });

  it('Parallel with scaleStrategy.maxUnavailable 2: 0→6 never has more than 2 pods not Ready, and has 2', async () => {
    const { client, signals } = env;
    const ns = 'parallel';
    await createNamespace(client, ns);
    const watch = await watchNamespacePods(client, ns);
    const warm = warmUpPods(client, watch, WARM_GATE, 500);
    let most = 0;
    const history: number[] = [];
    watch.onChange((pods) => {
      const n = notReady(pods).length;
      if (history.at(-1) !== n) history.push(n);
      most = Math.max(most, n);
    });
    try {
      await client.create(KruiseResources.StatefulSet, statefulSetManifest(ns, { replicas: 6, podManagementPolicy: 'Parallel', scaleMaxUnavailable: 2, readinessGates: [WARM_GATE] }));
      await waitForSettled(client, ns, 'web', 6);
      await pokeAndSettle(client, signals, ns, 'web');
      await watch.fence();
    } finally {
      warm.stop();
      await watch.stop();
    }
    expect(createdNames(watch).sort()).toEqual(names(0, 1, 2, 3, 4, 5));
    expect(history.every((n) => n <= 2)).toBe(true);
    expect(most).toBe(2);
  });

  it('reserveOrdinals [1, "3-4"] with 4 replicas gives web-0, 2, 5, 6; then [0] gives web-1, 2, 3, 4 (web-2 kept; 1, 3, 4 created in order; 6, 5, 0 deleted in turn)', async () => {
    const { client, signals } = env;
    const ns = 'reserve';
    await createNamespace(client, ns);
    await client.create(KruiseResources.StatefulSet, statefulSetManifest(ns, { replicas: 4, reserveOrdinals: [1, '3-4'] }));
    await waitForSettled(client, ns, 'web', 4);
    const first = await livePods(client, ns);
    expect(first.map((p) => p.metadata.name)).toEqual(names(0, 2, 5, 6));

    const watch = await watchNamespacePods(client, ns);
    try {
      await patchStatefulSetSpec(client, ns, 'web', { reserveOrdinals: [0] });
      await waitForSettled(client, ns, 'web', 4);
      await pokeAndSettle(client, signals, ns, 'web');
      await watch.fence();
    } finally {
      await watch.stop();
    }
    const second = await livePods(client, ns);
    expect(second.map((p) => p.metadata.name)).toEqual(names(1, 2, 3, 4));
    expect(second.find((p) => p.metadata.name === 'web-2')?.metadata.uid).toBe(first.find((p) => p.metadata.name === 'web-2')?.metadata.uid);
    // OrderedReady: the missing replicas first, lowest ordinal first; then the condemned pods
    // (beyond the range, or now reserved), highest ordinal first, each once the one before is gone.
    expect(createdNames(watch)).toEqual(names(1, 3, 4));
    expect(deletionOrder(watch)).toEqual(names(6, 5, 0));
    const firstDeletion = watch.seen.findIndex((e) => isTerminating(e.pod) || e.type === 'DELETED');
    const lastCreation = watch.seen.findLastIndex((e) => e.type === 'ADDED');
    expect(lastCreation).toBeLessThan(firstDeletion);
  });

  it('one PVC per pod: a deleted pod comes back with the same PVC; on scale-down whenScaled Delete hands the PVC to the pod and the garbage collector removes it, Retain keeps it for the next scale-up', async () => {
    const { client, signals } = env;
    const ns = 'pvc';
    await createNamespace(client, ns);
    // No PV controller or provisioner runs: the scheduler would leave the pods Pending on their
    // unbound claims. The test binds each claim to a hostPath PV as the binder would.
    const storage = bindClaims(client, ns);
    const claims = async (): Promise<Map<string, PvcObject>> => new Map((await client.list(Resources.PersistentVolumeClaim, { namespace: ns })).items.map((c) => [c.metadata.name ?? '', c]));
    const claimUids = async (set: string): Promise<Record<string, string>> =>
      Object.fromEntries([...(await claims()).entries()].filter(([name]) => name.startsWith(`data-${set}-`)).map(([name, c]) => [name, c.metadata.uid ?? '']));
    // Every owner reference each PVC ever had, from a watch.
    const ownersSeen = new Map<string, OwnerReference[]>();
    const abort = new AbortController();
    const watching = (async () => {
      for await (const event of client.watch(Resources.PersistentVolumeClaim, { namespace: ns, signal: abort.signal })) {
        if (event.type === 'BOOKMARK') continue;
        const seen = ownersSeen.get(event.object.metadata.name ?? '') ?? [];
        for (const ref of event.object.metadata.ownerReferences ?? []) if (!seen.some((r) => r.uid === ref.uid)) seen.push(ref);
        ownersSeen.set(event.object.metadata.name ?? '', seen);
      }
    })().catch(() => undefined);
    try {
      await client.create(KruiseResources.StatefulSet, statefulSetManifest(ns, { replicas: 3, podManagementPolicy: 'Parallel', volumeClaimTemplates: ['data'], retentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Delete' } }));
      await client.create(KruiseResources.StatefulSet, statefulSetManifest(ns, { name: 'keep', replicas: 3, podManagementPolicy: 'Parallel', volumeClaimTemplates: ['data'] }));
      await waitForSettled(client, ns, 'web', 3);
      await waitForSettled(client, ns, 'keep', 3);
      const created = await claims();
      expect([...created.keys()].sort()).toEqual(['data-keep-0', 'data-keep-1', 'data-keep-2', 'data-web-0', 'data-web-1', 'data-web-2']);
      for (const [name, claim] of created) {
        const set = name.split('-')[1] ?? '';
        expect(claim.metadata.labels).toEqual({ app: set });
        // Neither policy wants an owner on the PVC of a live replica.
        expect(claim.metadata.ownerReferences ?? []).toEqual([]);
        expect(claim.spec?.resources?.requests).toEqual({ storage: '1Gi' });
      }
      for (const pod of [...(await livePods(client, ns, 'web')), ...(await livePods(client, ns, 'keep'))]) {
        expect(pod.spec.volumes).toContainEqual({ name: 'data', persistentVolumeClaim: { claimName: `data-${pod.metadata.name ?? ''}` } });
      }

      // A pod deleted by hand comes back under its name, with its PVC (same uid).
      const webUids = await claimUids('web');
      const victim = (await livePods(client, ns, 'web')).find((p) => p.metadata.name === 'web-1');
      await client.delete(Resources.Pod, { name: 'web-1', namespace: ns });
      await vi.waitFor(async () => {
        const back = (await livePods(client, ns, 'web')).find((p) => p.metadata.name === 'web-1');
        expect(back?.metadata.uid).not.toBe(victim?.metadata.uid);
        expect(back !== undefined && isReady(back)).toBe(true);
      }, LONG_WAIT);
      await waitForSettled(client, ns, 'web', 3);
      const back = (await livePods(client, ns, 'web')).find((p) => p.metadata.name === 'web-1');
      expect(back?.spec.volumes).toContainEqual({ name: 'data', persistentVolumeClaim: { claimName: 'data-web-1' } });
      expect(await claimUids('web')).toEqual(webUids);

      // Scale-down 3 → 1.
      const webPods = await livePods(client, ns, 'web');
      const keepUids = await claimUids('keep');
      await patchStatefulSetSpec(client, ns, 'web', { replicas: 1 });
      await patchStatefulSetSpec(client, ns, 'keep', { replicas: 1 });
      await waitForSettled(client, ns, 'web', 1);
      await waitForSettled(client, ns, 'keep', 1);
      // whenScaled Delete: the PVCs of web-1 and web-2 got their pod as owner, and went with it.
      await vi.waitFor(async () => {
        expect(Object.keys(await claimUids('web'))).toEqual(['data-web-0']);
      }, LONG_WAIT);
      await vi.waitFor(() => {
        for (const ordinal of [1, 2]) {
          const pod = webPods.find((p) => p.metadata.name === `web-${String(ordinal)}`);
          expect(ownersSeen.get(`data-web-${String(ordinal)}`)).toEqual([{ apiVersion: 'v1', kind: 'Pod', name: `web-${String(ordinal)}`, uid: pod?.metadata.uid }]);
        }
      }, LONG_WAIT);
      // Retain: keep's PVCs stay, untouched, with no owner the garbage collector could follow.
      await pokeAndSettle(client, signals, ns, 'keep');
      expect(await claimUids('keep')).toEqual(keepUids);
      for (const name of Object.keys(keepUids)) expect(ownersSeen.get(name) ?? []).toEqual([]);

      // Scale-up 1 → 3: keep's pods find their old PVCs, web's get new ones.
      await patchStatefulSetSpec(client, ns, 'web', { replicas: 3 });
      await patchStatefulSetSpec(client, ns, 'keep', { replicas: 3 });
      await waitForSettled(client, ns, 'web', 3);
      await waitForSettled(client, ns, 'keep', 3);
      expect(await claimUids('keep')).toEqual(keepUids);
      const webAgain = await claimUids('web');
      expect(Object.keys(webAgain).sort()).toEqual(['data-web-0', 'data-web-1', 'data-web-2']);
      expect(webAgain['data-web-0']).toBe(webUids['data-web-0']);
      expect(webAgain['data-web-1']).not.toBe(webUids['data-web-1']);
      expect(webAgain['data-web-2']).not.toBe(webUids['data-web-2']);
    } finally {
      abort.abort();
      await watching;
      await storage.stop();
    }
  });
});
