import { Resources } from '@kruise-ts/k8s-adapter';
import type { Pod } from '@kruise-ts/core';
import type { TestCluster } from '@kruise-ts/k8s-adapter/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createNamespace, createReadyInPlaceCloneSet, isReady, podsOf } from './cloneSetManifest.js';
import { controllerSignals, metricsFromText, pokeAndSettle, startCloneSetCluster } from './useCloneSetCluster.js';
import { startManager, type ManagerProcess } from './managerProcess.js';
import { survivingPodWatch } from './survivingPodWatch.js';

// Issue 20, first scenarios: the control plane itself fails under a running manager, mid rollout.
// The manager is a real process; the faults come from the test cluster (kube-apiserver restarted,
// etcd frozen). Checked from a watch that survives the faults (it relists after any error) and
// from the final state: no pod created, none lost, maxUnavailable never exceeded.

const image = (p: Pod): string | undefined => p.spec.containers[0]?.image;

describe('CloneSet in-place rollout through control-plane faults (real kube-apiserver, etcd, kwok; the manager a process)', () => {
  let cluster: TestCluster;
  let manager: ManagerProcess | undefined;
  beforeAll(async () => {
    cluster = await startCloneSetCluster();
  });
  afterAll(async () => {
    await manager?.kill('SIGKILL');
    await cluster.stop();
  });

  it('kube-apiserver restarted, then etcd frozen 10 s, mid rollout of 20 at maxUnavailable 3: it finishes in place, no pod created or lost, never more than 3 unavailable', async () => {
    const { client } = cluster;
    const ns = 'faults';
    const replicas = 20;
    await createNamespace(client, ns);
    manager = startManager(cluster.kubeconfigPath, ['--no-enable-leader-election']);
    await manager.waitForLog('starting controllers');
    const before = await createReadyInPlaceCloneSet(client, ns, { replicas, maxUnavailable: 3, wait: { timeout: 120_000, interval: 500 } });
    const watch = survivingPodWatch(client, ns, 'web', replicas);
    const updated = async (): Promise<number> => (await podsOf(client, ns, 'web')).filter((p) => image(p) === 'nginx:1.26').length;

    await client.patch(Resources.CloneSet, { name: 'web', namespace: ns }, { type: 'json', operations: [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'nginx:1.26' }] });
    await vi.waitFor(async () => {
      expect(await updated()).toBeGreaterThanOrEqual(3);
    }, { timeout: 60_000, interval: 50 });
    const atRestart = await updated();
    await cluster.restartApiServer();
    await vi.waitFor(async () => {
      expect(await updated()).toBeGreaterThan(atRestart);
    }, { timeout: 120_000, interval: 100 });
    const atPause = await updated();
    await cluster.pauseEtcd(10_000);
    process.stdout.write(`faults: apiserver restarted at ${String(atRestart)}/20 updated, etcd frozen at ${String(atPause)}/20\n`);

    await vi.waitFor(async () => {
      const cs = await client.get(Resources.CloneSet, { name: 'web', namespace: ns });
      expect(cs.status?.observedGeneration).toBe(cs.metadata.generation);
      expect(cs.status).toMatchObject({ replicas, updatedReplicas: replicas, updatedReadyReplicas: replicas, readyReplicas: replicas });
    }, { timeout: 180_000, interval: 500 });
    await pokeAndSettle(client, controllerSignals(async () => metricsFromText(await (manager as ManagerProcess).metrics()), 'cloneset'), ns, 'web');
    await watch.stop();

    const after = await podsOf(client, ns, 'web');
    expect(new Map(after.map((p) => [p.metadata.name, p.metadata.uid]))).toEqual(before);
    expect(after.every((p) => image(p) === 'nginx:1.26' && isReady(p))).toBe(true);
    expect([...watch.seen].filter((n) => !before.has(n))).toEqual([]);
    expect(watch.maxUnavailable()).toBeLessThanOrEqual(3);
    expect(watch.relists()).toBeGreaterThanOrEqual(1); // the watch did break: the faults were real
    expect(manager.logs.filter((l) => typeof l.level === 'number' && l.level >= 60)).toEqual([]); // nothing fatal; the process stayed up
  });
});
