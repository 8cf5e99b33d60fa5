import { KruiseResources } from '@kruise-ts/k8s-adapter';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createNamespace, isReady, isTerminating, type PodObject } from './cloneSetManifest.js';
import { trackUnavailable, warmUpPods } from './watchCloneSetPods.js';
import type { ManagerProcess } from './managerProcess.js';
import {
  WARM_GATE,
  createdNames,
  livePods,
  ordinalOf,
  pokeAndSettle,
  setStatefulSetImage,
  startStatefulSetManager,
  statefulSetManifest,
  statefulSetSignals,
  useStatefulSetCluster,
  waitForSettled,
  watchNamespacePods,
} from './statefulSetHarness.js';

const NEW_IMAGE = 'nginx:2';
const names = (count: number): string[] => Array.from({ length: count }, (_, i) => `web-${String(i)}`);
const identity = (pod: PodObject) => ({ name: pod.metadata.name, uid: pod.metadata.uid, podIP: pod.status?.podIP, nodeName: pod.spec.nodeName });
const KILL_WAIT = { timeout: 60_000, interval: 50 } as const;

// The webhooks stay served by a manager that lives through the file (its controllers kept to a
// namespace no test uses); the StatefulSet controller runs in manager processes of the tests',
// as the service account of deploy/, that the tests SIGKILL and replace.
describe('Advanced StatefulSet controller of a kruise-ts-manager killed with SIGKILL', () => {
  const env = useStatefulSetCluster({ controllers: false });
  const managers: ManagerProcess[] = [];
  const launch = async (): Promise<ManagerProcess> => {
    const manager = await startStatefulSetManager(env.managerKubeconfig);
    managers.push(manager);
    return manager;
  };
  afterEach(async () => {
    await Promise.all(managers.splice(0).map((m) => m.kill('SIGKILL')));
  });

  it('mid OrderedReady scale-up 0→8: a new manager finishes web-0..web-7 in order, each created once, none deleted', async () => {
    const { client } = env;
    const ns = 'kill-scale';
    await createNamespace(client, ns);
    const watch = await watchNamespacePods(client, ns);
    // The application warms up for 300 ms after its pod runs (the test plays it, whatever the manager does).
    const warm = warmUpPods(client, watch, WARM_GATE, 300);
    const violations: string[] = [];
    watch.onChange((pods, { type, pod }) => {
      const name = pod.metadata.name ?? '';
      if (type === 'ADDED') {
        for (let k = 0; k < ordinalOf(name); k++) {
          const before = pods.get(`web-${String(k)}`);
          if (before === undefined || !isReady(before)) violations.push(`${name} created while web-${String(k)} was not Ready`);
        }
      }
      if (type === 'DELETED' || isTerminating(pod)) violations.push(`${name} deleted`);
    });
    try {
      const first = await launch();
      await client.create(KruiseResources.StatefulSet, statefulSetManifest(ns, { replicas: 8, readinessGates: [WARM_GATE] }));
      let atKill = 0;
      await vi.waitFor(async () => {
        atKill = (await livePods(client, ns)).length;
        expect(atKill).toBeGreaterThanOrEqual(3);
        expect(atKill).toBeLessThanOrEqual(5);
      }, KILL_WAIT);
      expect(await first.kill('SIGKILL')).toBeNull();
      // Nobody creates pods meanwhile (the last ones created become Ready, nothing more): the
      // scale-up stopped half-way.
      await vi.waitFor(async () => {
        expect((await livePods(client, ns)).every(isReady)).toBe(true);
      }, KILL_WAIT);
      expect((await livePods(client, ns)).length).toBeLessThan(8);

      const second = await launch();
      await waitForSettled(client, ns, 'web', 8);
      // Two more passes of the new manager over the finished set, and nothing left in its queue:
      // a pod it were to create twice, or delete, would have been by now.
      await pokeAndSettle(client, statefulSetSignals(second), ns, 'web');
      await watch.fence();
    } finally {
      warm.stop();
      await watch.stop();
    }
    expect(createdNames(watch)).toEqual(names(8));
    expect(violations).toEqual([]);
    expect((await livePods(client, ns)).map((p) => p.metadata.name)).toEqual(names(8));
  });

  it('mid in-place rollout of 8 pods (maxUnavailable 2): a new manager finishes it, no pod recreated, lost or restarted twice, never more than 2 unavailable', async () => {
    const { client } = env;
    const ns = 'kill-rollout';
    const replicas = 8;
    await createNamespace(client, ns);
    const first = await launch();
    await client.create(KruiseResources.StatefulSet, statefulSetManifest(ns, { replicas, podManagementPolicy: 'Parallel', podUpdatePolicy: 'InPlaceIfPossible', maxUnavailable: 2 }));
    const initial = await waitForSettled(client, ns, 'web', replicas);
    const before = await livePods(client, ns);
    const watch = await watchNamespacePods(client, ns);
    const unavailable = trackUnavailable(watch, { replicas });
    try {
      await setStatefulSetImage(client, ns, 'web', NEW_IMAGE);
      let atKill = 0;
      await vi.waitFor(async () => {
        atKill = (await livePods(client, ns)).filter((p) => p.spec.containers[0]?.image === NEW_IMAGE).length;
        expect(atKill).toBeGreaterThanOrEqual(2);
        expect(atKill).toBeLessThanOrEqual(5);
      }, KILL_WAIT);
      expect(await first.kill('SIGKILL')).toBeNull();

      const second = await launch();
      const done = await waitForSettled(client, ns, 'web', replicas);
      expect(done.status?.updateRevision).not.toBe(initial.status?.updateRevision);
      await pokeAndSettle(client, statefulSetSignals(second), ns, 'web');
      await watch.fence();
    } finally {
      await watch.stop();
    }
    const after = await livePods(client, ns);
    expect(after.map(identity)).toEqual(before.map(identity));
    expect(watch.seen.filter((e) => e.type !== 'MODIFIED').map((e) => `${e.type} ${e.name}`)).toEqual([]);
    for (const pod of after) {
      expect(pod.spec.containers[0]?.image).toBe(NEW_IMAGE);
      // Updated once: the kubelet restarted the container once.
      expect(pod.status?.containerStatuses?.[0]).toMatchObject({ image: NEW_IMAGE, restartCount: 1 });
    }
    expect(unavailable.history().every((n) => n <= 2)).toBe(true);
  });
});
