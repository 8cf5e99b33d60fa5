import { Resources } from '@kruise-ts/k8s-adapter';
import type { Pod } from '@kruise-ts/core';
import type { TestCluster } from '@kruise-ts/k8s-adapter/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { cloneSetManifest, isReady, podsOf } from './cloneSetManifest.js';
import { controllerSignals, metricsFromText, pokeAndSettle, startCloneSetCluster, type ControllerSignals } from './useCloneSetCluster.js';
import { startManager, type ManagerProcess } from './managerProcess.js';

/** The CloneSet controller's signals of a manager process, from its `/metrics`. */
const cloneSetSignals = (manager: ManagerProcess): ControllerSignals => controllerSignals(async () => metricsFromText(await manager.metrics()), 'cloneset');

const FENCE = 'kruise-ts.test/fence';

/**
 * Records the name of every pod ever created in `namespace` (from a watch, list first), until
 * stopped. `stop()` first writes a fence (a pod of no CloneSet) and waits until the watch saw it:
 * every creation before it has been recorded.
 */
async function recordCreations(cluster: TestCluster, namespace: string): Promise<{ names: Set<string>; stop: () => Promise<void> }> {
  const names = new Set<string>();
  const abort = new AbortController();
  const listed = await cluster.client.list(Resources.Pod, { namespace });
  for (const pod of listed.items) names.add(pod.metadata.name ?? '');
  let fenced = false;
  const watching = (async () => {
    try {
      for await (const event of cluster.client.watch(Resources.Pod, { namespace, resourceVersion: listed.resourceVersion, signal: abort.signal })) {
        if (event.type !== 'ADDED') continue;
        if (event.object.metadata.labels?.[FENCE] !== undefined) fenced = true;
        else names.add(event.object.metadata.name ?? '');
      }
    } catch {
      // stopped
    }
  })();
  return {
    names,
    async stop() {
      await cluster.client.create(Resources.Pod, { metadata: { generateName: 'fence-', namespace, labels: { [FENCE]: 'true' } }, spec: { containers: [{ name: 'app', image: 'nginx:1.25' }] } });
      await vi.waitFor(() => {
        expect(fenced).toBe(true);
      }, { timeout: 30_000, interval: 50 });
      abort.abort();
      await watching;
    },
  };
}

async function createNamespace(cluster: TestCluster, name: string): Promise<void> {
  await cluster.client.create(Resources.Namespace, { metadata: { name } });
}

describe('kruise-ts-manager process', () => {
  let cluster: TestCluster;
  const managers: ManagerProcess[] = [];
  const launch = (args: readonly string[] = []): ManagerProcess => {
    const m = startManager(cluster.kubeconfigPath, args);
    managers.push(m);
    return m;
  };
  beforeAll(async () => {
    cluster = await startCloneSetCluster();
  });
  // Each test starts its own managers and works in a namespace of its own; none outlives its test.
  afterEach(async () => {
    await Promise.all(managers.splice(0).map((m) => m.kill('SIGKILL')));
  });
  afterAll(async () => {
    await cluster.stop();
  });

  it('SIGKILL in the middle of a scale-up of 50: a new manager finishes with exactly 50 pods, none created twice; metrics, probes, clean SIGTERM', async () => {
    const ns = 'kill-scale';
    await createNamespace(cluster, ns);
    const created = await recordCreations(cluster, ns);
    const first = launch(['--no-enable-leader-election', '--rest-config-qps=20', '--rest-config-burst=20']);
    await first.waitForLog('starting controllers');
    await cluster.client.create(Resources.CloneSet, cloneSetManifest('web', ns, { replicas: 50 }));
    await vi.waitFor(async () => {
      const n = (await podsOf(cluster.client, ns, 'web')).length;
      expect(n).toBeGreaterThanOrEqual(8);
      expect(n).toBeLessThan(50);
    }, { timeout: 60_000, interval: 50 });
    expect(await first.kill('SIGKILL')).toBeNull();
    const second = launch(['--no-enable-leader-election']);
    await vi.waitFor(async () => {
      const pods = await podsOf(cluster.client, ns, 'web');
      expect(pods.filter(isReady)).toHaveLength(50);
      const cs = await cluster.client.get(Resources.CloneSet, { name: 'web', namespace: ns });
      expect(cs.status).toMatchObject({ replicas: 50, readyReplicas: 50 });
    }, { timeout: 120_000, interval: 500 });
    // Two more passes of the new manager over the finished CloneSet, and nothing left in its
    // queue: a pod it were to create twice would have been created by now.
    await pokeAndSettle(cluster.client, cloneSetSignals(second), ns, 'web');
    await created.stop();
    const pods = await podsOf(cluster.client, ns, 'web');
    expect(pods).toHaveLength(50);
    expect(created.names.size).toBe(50);

    // The survivor serves Prometheus metrics and probes, and shuts down cleanly on SIGTERM.
    const started = await second.waitForLog('kruise-ts-manager starting');
    const metrics = await (await fetch(`${String(started.metrics)}/metrics`)).text();
    expect(metrics).toMatch(/controller_runtime_reconcile_total\{[^}]*controller="cloneset"[^}]*\} [1-9]/);
    expect(metrics).toContain('workqueue_depth{');
    expect(metrics).toContain('process_resident_memory_bytes');
    expect((await fetch(`${String(started.probes)}/readyz`)).status).toBe(200);
    expect((await fetch(`${String(started.probes)}/healthz`)).status).toBe(200);
    expect(await second.kill('SIGTERM')).toBe(0);
  });

  it('SIGKILL in the middle of an in-place rollout of 50: a new manager finishes it, no pod recreated or lost', async () => {
    const ns = 'kill-rollout';
    await createNamespace(cluster, ns);
    const first = launch(['--no-enable-leader-election']);
    await first.waitForLog('starting controllers');
    await cluster.client.create(
      Resources.CloneSet,
      cloneSetManifest('web', ns, { replicas: 50, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { podUpdatePolicy: 'InPlaceIfPossible', maxUnavailable: 5 } } }),
    );
    await vi.waitFor(async () => {
      expect((await podsOf(cluster.client, ns, 'web')).filter(isReady)).toHaveLength(50);
    }, { timeout: 120_000, interval: 500 });
    const before = new Map((await podsOf(cluster.client, ns, 'web')).map((p) => [p.metadata.name, p.metadata.uid]));
    const created = await recordCreations(cluster, ns);
    await cluster.client.patch(Resources.CloneSet, { name: 'web', namespace: ns }, { type: 'json', operations: [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'nginx:1.26' }] });
    const image = (p: Pod): string | undefined => p.spec.containers[0]?.image;
    await vi.waitFor(async () => {
      const n = (await podsOf(cluster.client, ns, 'web')).filter((p) => image(p) === 'nginx:1.26').length;
      expect(n).toBeGreaterThanOrEqual(5);
      expect(n).toBeLessThan(50);
    }, { timeout: 60_000, interval: 50 });
    await first.kill('SIGKILL');
    const second = launch(['--no-enable-leader-election']);
    await vi.waitFor(async () => {
      const cs = await cluster.client.get(Resources.CloneSet, { name: 'web', namespace: ns });
      expect(cs.status?.observedGeneration).toBe(cs.metadata.generation);
      expect(cs.status).toMatchObject({ replicas: 50, updatedReplicas: 50, updatedReadyReplicas: 50 });
    }, { timeout: 120_000, interval: 500 });
    // Two more passes over the finished rollout, and nothing queued: no late recreate to come.
    await pokeAndSettle(cluster.client, cloneSetSignals(second), ns, 'web');
    await created.stop();
    const after = await podsOf(cluster.client, ns, 'web');
    expect(new Map(after.map((p) => [p.metadata.name, p.metadata.uid]))).toEqual(before);
    expect(after.every((p) => image(p) === 'nginx:1.26' && isReady(p))).toBe(true);
    expect([...created.names].filter((n) => !before.has(n))).toEqual([]);
    await second.kill('SIGTERM');
  });

  it('two managers with leader election: only the leader acts; SIGKILL of the leader hands over within the lease', async () => {
    const ns = 'leader';
    await createNamespace(cluster, ns);
    const a = launch(['--leader-election-namespace=default', `--namespace=${ns}`]);
    await a.waitForLog('became leader');
    const b = launch(['--leader-election-namespace=default', `--namespace=${ns}`]);
    await b.waitForLog('leader observed');
    await cluster.client.create(Resources.CloneSet, cloneSetManifest('web', ns, { replicas: 2 }));
    await vi.waitFor(async () => {
      expect((await podsOf(cluster.client, ns, 'web')).filter(isReady)).toHaveLength(2);
    }, { timeout: 60_000 });
    const reconciledBy = (m: ManagerProcess): number => m.logs.filter((l) => l.msg === 'reconciled').length;
    expect(reconciledBy(a)).toBeGreaterThan(0);
    expect(reconciledBy(b)).toBe(0);
    // The same from their metrics: the follower runs no controller at all.
    expect(await cloneSetSignals(a).reconciles()).toBeGreaterThan(0);
    expect(await cloneSetSignals(b).reconciles()).toBe(0);
    expect(b.logs.some((l) => l.msg === 'became leader')).toBe(false);
    const killedAt = Date.now();
    await a.kill('SIGKILL');
    await b.waitForLog('became leader', 40_000);
    const handoverMs = Date.now() - killedAt;
    process.stdout.write(`leader handover after SIGKILL: ${String(handoverMs)} ms\n`);
    expect(handoverMs).toBeLessThan(25_000); // lease 15 s + observation lag (retry 2 s, jittered)
    await cluster.client.patch(Resources.CloneSet, { name: 'web', namespace: ns }, { type: 'merge', body: { spec: { replicas: 3 } } });
    await vi.waitFor(async () => {
      expect((await podsOf(cluster.client, ns, 'web')).filter(isReady)).toHaveLength(3);
    }, { timeout: 60_000 });
    expect(reconciledBy(b)).toBeGreaterThan(0);

    // A graceful shutdown releases the lease at once (client-go's ReleaseOnCancel).
    expect(await b.kill('SIGTERM')).toBe(0);
    const lease = (await cluster.client.get(Resources.Lease, { name: 'kruise-manager', namespace: 'default' })) as { spec?: { holderIdentity?: string } };
    expect(lease.spec?.holderIdentity ?? '').toBe('');
  });

  it('SIGTERM in the middle of an in-place rollout of 500 pods at the default QPS 30/50: exits 0 within 2 s and releases the lease', async () => {
    const ns = 'sigterm';
    const replicas = 500;
    await createNamespace(cluster, ns);
    const manager = launch([`--leader-election-namespace=${ns}`, `--namespace=${ns}`, '--rest-config-qps=30', '--rest-config-burst=50']);
    await manager.waitForLog('became leader');
    await cluster.client.create(
      Resources.CloneSet,
      cloneSetManifest('web', ns, { replicas, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { podUpdatePolicy: 'InPlaceIfPossible', maxUnavailable: '100%' } } }),
    );
    await vi.waitFor(async () => {
      expect((await podsOf(cluster.client, ns, 'web')).filter(isReady)).toHaveLength(replicas);
    }, { timeout: 150_000, interval: 1000 });
    await cluster.client.patch(Resources.CloneSet, { name: 'web', namespace: ns }, { type: 'json', operations: [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'nginx:1.26' }] });
    // Mid rollout: all 500 pods are to be updated at once (maxUnavailable 100 %), three writes each,
    // so ~1,500 pod writes wait on the 30 QPS budget when the signal comes.
    await vi.waitFor(async () => {
      const n = (await podsOf(cluster.client, ns, 'web')).filter((p) => p.spec.containers[0]?.image === 'nginx:1.26').length;
      expect(n).toBeGreaterThanOrEqual(10);
      expect(n).toBeLessThan(replicas / 2);
    }, { timeout: 60_000, interval: 100 });
    const signalledAt = Date.now();
    const code = await manager.kill('SIGTERM');
    const exitMs = Date.now() - signalledAt;
    process.stdout.write(`exit after SIGTERM mid rollout of ${String(replicas)} at QPS 30/50: ${String(exitMs)} ms\n`);
    // What the manager did between the signal and its exit, to read when either check fails.
    const shutdown = manager.logs.slice(manager.logs.findIndex((l) => l.msg === 'shutting down')).map((l) => `${String(l.time)} ${String(l.msg)}`).join('\n');
    expect(code, shutdown).toBe(0);
    expect(exitMs, shutdown).toBeLessThan(2000);
    const lease = (await cluster.client.get(Resources.Lease, { name: 'kruise-manager', namespace: ns })) as { spec?: { holderIdentity?: string } };
    expect(lease.spec?.holderIdentity ?? '').toBe('');
  });
});

