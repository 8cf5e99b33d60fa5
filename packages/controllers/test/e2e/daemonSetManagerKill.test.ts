import { KruiseResources } from '@kruise-ts/k8s-adapter';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createNamespace, isTerminating } from './cloneSetManifest.js';
import { warmUpPods } from './watchCloneSetPods.js';
import {
  TOLERATION,
  daemonSetManifest,
  nodeNames,
  pokeDaemonSetAndSettle,
  setDaemonSetImage,
  startDaemonSetManager,
  useDaemonSetCluster,
  waitForDaemonSetSettled,
  watchNamespacePods,
} from './daemonSetHarness.js';
import type { ManagerProcess } from './managerProcess.js';
import { WARM_GATE, controllerSignals } from './statefulSetHarness.js';

const ALL = nodeNames(0, 9);
const KILL_WAIT = { timeout: 60_000, interval: 50 } as const;

// The webhooks stay served by a manager that lives through the file (its controllers kept to a
// namespace no test uses); the DaemonSet controller runs in manager processes of the test's, as
// the service account of deploy/, one of which is SIGKILLed mid rollout.
describe('Advanced DaemonSet controller of a kruise-ts-manager killed with SIGKILL', () => {
  const env = useDaemonSetCluster({ controllers: false });
  const managers: ManagerProcess[] = [];
  const launch = async (): Promise<ManagerProcess> => {
    const manager = await startDaemonSetManager(env.managerKubeconfig);
    managers.push(manager);
    return manager;
  };
  afterEach(async () => {
    await Promise.all(managers.splice(0).map((m) => m.kill('SIGKILL')));
  });

  it('mid rolling update of 10 nodes: a new manager finishes it, exactly one pod per node, never two live pods on a node', async () => {
    const { client } = env;
    const ns = 'kill-rollout';
    await createNamespace(client, ns);
    const watch = await watchNamespacePods(client, ns);
    // The daemon warms up for 300 ms after its pod runs (the test plays it, whatever the manager does).
    const warm = warmUpPods(client, watch, WARM_GATE, 300);
    const doubled: string[] = [];
    watch.onChange((pods) => {
      const perNode = new Map<string, number>();
      for (const pod of pods.values()) if (!isTerminating(pod) && pod.spec.nodeName !== undefined) perNode.set(pod.spec.nodeName, (perNode.get(pod.spec.nodeName) ?? 0) + 1);
      for (const [node, count] of perNode) if (count > 1 && !doubled.includes(node)) doubled.push(node);
    });
    try {
      const first = await launch();
      await client.create(KruiseResources.DaemonSet, daemonSetManifest(ns, {}, (s) => ({ ...s, tolerations: [TOLERATION], readinessGates: [{ conditionType: WARM_GATE }] })));
      await waitForDaemonSetSettled(client, ns, ALL);
      await setDaemonSetImage(client, ns, 'nginx:2');
      let atKill = 0;
      await vi.waitFor(() => {
        atKill = [...watch.pods.values()].filter((p) => !isTerminating(p) && p.spec.containers[0]?.image === 'nginx:2').length;
        expect(atKill).toBeGreaterThanOrEqual(2);
        expect(atKill).toBeLessThanOrEqual(6);
      }, KILL_WAIT);
      expect(await first.kill('SIGKILL')).toBeNull();

      const second = await launch();
      await waitForDaemonSetSettled(client, ns, ALL);
      // Two more passes of the new manager over the finished set, and nothing left in its queue.
      await pokeDaemonSetAndSettle(client, controllerSignals(second, 'daemonset'), ns);
      await waitForDaemonSetSettled(client, ns, ALL);
      await watch.fence();
      expect(atKill).toBeLessThan(10);
      expect(doubled).toEqual([]);
      expect([...watch.pods.values()].filter((p) => !isTerminating(p)).map((p) => p.spec.containers[0]?.image)).toEqual(Array(10).fill('nginx:2'));
    } finally {
      warm.stop();
      await watch.stop();
    }
  });
});
