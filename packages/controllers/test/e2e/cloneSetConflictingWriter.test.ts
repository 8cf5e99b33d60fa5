import { Resources, type KubeClient } from '@kruise-ts/k8s-adapter';
import type { Pod } from '@kruise-ts/core';
import type { TestCluster } from '@kruise-ts/k8s-adapter/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createNamespace, createReadyInPlaceCloneSet, isReady, podsOf } from './cloneSetManifest.js';
import { startCloneSetCluster } from './useCloneSetCluster.js';
import { startManager, type ManagerProcess } from './managerProcess.js';
import { survivingPodWatch } from './survivingPodWatch.js';

// Issue 20, conflicting writers: while the manager rolls a CloneSet out in place, another client
// patches every pod's labels and annotations every 100 ms, so every pod the manager reads is
// already stale. Its pod writes are patches that do not carry the resourceVersion (the audit log
// counts any refused as 409/422: 0 so far), and a conflict would be retried quietly: the rollout
// finishes in place, no Warning event, nothing logged at error level.

const image = (p: Pod): string | undefined => p.spec.containers[0]?.image;

/**
 * Merge-patches a label and an annotation of every pod of `name` every `periodMs` until stopped;
 * counts the patches that landed. A pod whose containers do not yet report its spec's image is
 * left alone meanwhile: kwok (the simulated kubelet) restarts its in-place stage delay on every
 * update of the pod, so a 100 ms writer would starve it forever, which a real kubelet would not be.
 */
function touchPods(client: KubeClient, namespace: string, name: string, periodMs: number) {
  const state = { stopped: false };
  let patches = 0;
  let tick = 0;
  const loop = (async () => {
    while (!state.stopped) {
      tick++;
      const pods = (await podsOf(client, namespace, name).catch(() => [])).filter((p) => p.spec.containers.every((c) => p.status?.containerStatuses?.find((s) => s.name === c.name)?.image === c.image));
      const body = { metadata: { labels: { 'chaos-touch': String(tick) }, annotations: { 'chaos.kruise-ts.io/touched': String(tick) } } };
      const results = await Promise.allSettled(pods.map((p) => client.patch(Resources.Pod, { name: p.metadata.name ?? '', namespace }, { type: 'merge', body })));
      patches += results.filter((r) => r.status === 'fulfilled').length;
      await new Promise((resolve) => setTimeout(resolve, periodMs)); // the writer's pace, not a wait for a condition
    }
  })();
  return {
    patches: () => patches,
    async stop() {
      state.stopped = true;
      await loop;
    },
  };
}

describe('conflicting writer during an in-place rollout (real kube-apiserver with an audit log, the manager a process)', () => {
  let cluster: TestCluster;
  let manager: ManagerProcess | undefined;
  beforeAll(async () => {
    cluster = await startCloneSetCluster({ audit: true });
  });
  afterAll(async () => {
    await manager?.kill('SIGKILL');
    await cluster.stop();
  });

  it('pods patched every 100 ms by another client through a rollout of 12 at maxUnavailable 3: it finishes in place, no Warning event, no error log, no pod recreated', async () => {
    const { client } = cluster;
    const ns = 'conflicts';
    const replicas = 12;
    await createNamespace(client, ns);
    manager = startManager(await cluster.kubeconfigFor('manager', ['system:masters']), ['--no-enable-leader-election']);
    await manager.waitForLog('starting controllers');
    const before = await createReadyInPlaceCloneSet(client, ns, { replicas, maxUnavailable: 3 });
    const watch = survivingPodWatch(client, ns, 'web', replicas);
    const writer = touchPods(client, ns, 'web', 100);
    await vi.waitFor(() => {
      expect(writer.patches()).toBeGreaterThanOrEqual(replicas * 3);
    }, { timeout: 30_000, interval: 50 });

    await client.patch(Resources.CloneSet, { name: 'web', namespace: ns }, { type: 'json', operations: [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'nginx:1.26' }] });
    await vi.waitFor(async () => {
      const cs = await client.get(Resources.CloneSet, { name: 'web', namespace: ns });
      expect(cs.status?.observedGeneration).toBe(cs.metadata.generation);
      expect(cs.status).toMatchObject({ replicas, updatedReplicas: replicas, updatedReadyReplicas: replicas, readyReplicas: replicas });
    }, { timeout: 90_000, interval: 250 });
    await writer.stop();
    await watch.stop();

    const audited = await cluster.auditEvents();
    const byManager = audited.filter((e) => e.user === 'manager' && e.resource.startsWith('pods'));
    const refused = byManager.filter((e) => e.code === 409 || e.code === 422);
    process.stdout.write(`conflicting writer: ${String(writer.patches())} pod patches by the other client; the manager's pod writes ${String(byManager.length)}, refused as stale ${String(refused.length)}\n`);

    const after = await podsOf(client, ns, 'web');
    expect(new Map(after.map((p) => [p.metadata.name, p.metadata.uid]))).toEqual(before);
    expect(after.every((p) => image(p) === 'nginx:1.26' && isReady(p))).toBe(true);
    expect([...watch.seen].filter((n) => !before.has(n))).toEqual([]);
    expect(watch.maxUnavailable()).toBeLessThanOrEqual(3);
    type CoreEvent = { type: string; reason: string; message: string; involvedObject: { name: string } };
    const warnings = ((await client.list(Resources.Event, { namespace: ns })).items as unknown as CoreEvent[]).filter((e) => e.type === 'Warning');
    expect(warnings.map((e) => `${e.involvedObject.name} ${e.reason}: ${e.message}`)).toEqual([]);
    expect(manager.logs.filter((l) => typeof l.level === 'number' && l.level >= 50)).toEqual([]);
  });
});
