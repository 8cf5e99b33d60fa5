import { Resources } from '@kruise-ts/k8s-adapter';
import type { Pod } from '@kruise-ts/core';
import type { TestCluster } from '@kruise-ts/k8s-adapter/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { cloneSetManifest, createNamespace, isAvailableAt, isReady, podsOf } from './cloneSetManifest.js';
import { startCloneSetCluster } from './useCloneSetCluster.js';
import { startManager, type ManagerProcess } from './managerProcess.js';
import { trackUnavailable, watchCloneSetPods } from './watchCloneSetPods.js';

// Issue 20, clock skew: the manager's clock 2 minutes ahead of the apiserver's (and of kwok's, which
// stamps the pods' Ready times). minReadySeconds is measured against the pods' lastTransitionTime,
// the lease by the elector's own observations. Found at first: leadership held, minReadySeconds did
// not — the manager compared the pods' Ready time (apiserver/kubelet clock) with its own clock, as
// OpenKruise's IsPodAvailable does, so 2 min ahead it counted a just-ready pod available at once.
// Fixed: the controllers read the apiserver's time (createServerClock, ADR 0022).

const image = (p: Pod): string | undefined => p.spec.containers[0]?.image;
const SKEW_MS = 120_000;

describe('manager clock 2 min ahead (real kube-apiserver, kwok; the manager a process with KRUISE_TS_CLOCK_OFFSET_MS)', () => {
  let cluster: TestCluster;
  let manager: ManagerProcess | undefined;
  let unavailable: { max: () => number; history: () => readonly number[] } | undefined;
  beforeAll(async () => {
    cluster = await startCloneSetCluster();
  });
  afterAll(async () => {
    await manager?.kill('SIGKILL');
    await cluster.stop();
  });

  it('in-place rollout of 4 at maxUnavailable 1, minReadySeconds 5: finishes in place, leadership held and renewed throughout', async () => {
    const { client } = cluster;
    const ns = 'skew';
    const replicas = 4;
    await createNamespace(client, ns);
    manager = startManager(cluster.kubeconfigPath, [`--leader-election-namespace=${ns}`, `--namespace=${ns}`], { KRUISE_TS_CLOCK_OFFSET_MS: String(SKEW_MS) });
    await manager.waitForLog('became leader');
    await client.create(Resources.CloneSet, cloneSetManifest('web', ns, { replicas, minReadySeconds: 5, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { podUpdatePolicy: 'InPlaceIfPossible', maxUnavailable: 1 } } }));
    await vi.waitFor(async () => {
      const cs = await client.get(Resources.CloneSet, { name: 'web', namespace: ns });
      expect(cs.status).toMatchObject({ replicas, readyReplicas: replicas, availableReplicas: replicas });
      // Available by the apiserver's clock too (the manager's status says so 2 min early).
      const now = Date.now();
      expect((await podsOf(client, ns, 'web')).filter((p) => isAvailableAt(p, 5, now))).toHaveLength(replicas);
    }, { timeout: 60_000, interval: 250 });
    const before = new Map((await podsOf(client, ns, 'web')).map((p) => [p.metadata.name, p.metadata.uid]));
    const watch = await watchCloneSetPods(client, ns, 'web');
    const tracked = trackUnavailable(watch, { minReadySeconds: 5, replicas });
    unavailable = tracked;
    const leaseBefore = (await client.get(Resources.Lease, { name: 'kruise-manager', namespace: ns })) as { spec?: { holderIdentity?: string; renewTime?: string } };

    await client.patch(Resources.CloneSet, { name: 'web', namespace: ns }, { type: 'json', operations: [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'nginx:1.26' }] });
    await vi.waitFor(async () => {
      const cs = await client.get(Resources.CloneSet, { name: 'web', namespace: ns });
      expect(cs.status?.observedGeneration).toBe(cs.metadata.generation);
      expect(cs.status).toMatchObject({ replicas, updatedReplicas: replicas, updatedReadyReplicas: replicas, availableReplicas: replicas });
    }, { timeout: 90_000, interval: 250 });
    await watch.stop();

    const leaseAfter = (await client.get(Resources.Lease, { name: 'kruise-manager', namespace: ns })) as { spec?: { holderIdentity?: string; renewTime?: string } };
    const offsets = manager.logs.filter((l) => l.msg === 'apiserver clock offset').map((l) => `${String(l.estimate)} ${String(l.offsetMs)} ms`);
    process.stdout.write(`clock skew: unavailable over time ${JSON.stringify(tracked.history())}; lease renewTime ${String(leaseBefore.spec?.renewTime)} → ${String(leaseAfter.spec?.renewTime)}; apiserver clock offset ${offsets.join(', ')}\n`);
    const after = await podsOf(client, ns, 'web');
    expect(new Map(after.map((p) => [p.metadata.name, p.metadata.uid]))).toEqual(before);
    expect(after.every((p) => image(p) === 'nginx:1.26' && isReady(p))).toBe(true);
    // Leadership held: the same holder, renewed (renewTime is the manager's skewed clock), never lost.
    expect(leaseAfter.spec?.holderIdentity).toBe(leaseBefore.spec?.holderIdentity);
    expect(leaseAfter.spec?.renewTime).not.toBe(leaseBefore.spec?.renewTime);
    expect(Date.parse(leaseAfter.spec?.renewTime ?? '')).toBeGreaterThan(Date.now() + SKEW_MS / 2);
    expect(manager.logs.filter((l) => l.msg === 'became leader')).toHaveLength(1);
    expect(manager.logs.filter((l) => l.msg === 'stopped leading')).toEqual([]);
  });

  it('...and never more than 1 unavailable by the apiserver clock (minReadySeconds waited for), the offset logged', () => {
    // Before the fix: 1 → 2 → 3 → 4; now the tracker sees 1 at every pod change (or 0 in between).
    expect(unavailable?.history().length).toBeGreaterThan(0);
    expect(unavailable?.max()).toBe(1);
    const offset = manager?.logs.find((l) => l.msg === 'apiserver clock offset') as { estimate?: string; offsetMs?: number } | undefined;
    expect(offset?.estimate).toBe('skewed');
    expect(offset?.offsetMs).toBeLessThanOrEqual(-SKEW_MS);
    expect(offset?.offsetMs).toBeGreaterThan(-SKEW_MS - 2000);
  });
});
