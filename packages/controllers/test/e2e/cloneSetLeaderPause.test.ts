import { Resources } from '@kruise-ts/k8s-adapter';
import type { TestCluster } from '@kruise-ts/k8s-adapter/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { expectRolledOutInPlace, leaderWrites, rollOutUntil } from './cloneSetFaultChecks.js';
import { createNamespace, createReadyInPlaceCloneSet } from './cloneSetManifest.js';
import { startCloneSetCluster } from './useCloneSetCluster.js';
import { startManager, type ManagerProcess } from './managerProcess.js';
import { survivingPodWatch } from './survivingPodWatch.js';

// Issue 20, split brain: two manager replicas with leader election, each logged in as its own user
// so the apiserver's audit log tells their writes apart. The leader is frozen (SIGSTOP, not killed)
// mid rollout until the other replica has taken the lease over, then let go on (SIGCONT): it must
// not write anything after the new leader's first write (its lease renewal attempts aside).

describe('leader frozen past its lease mid rollout (real kube-apiserver with an audit log, two manager processes)', () => {
  let cluster: TestCluster;
  const managers: ManagerProcess[] = [];
  beforeAll(async () => {
    cluster = await startCloneSetCluster({ audit: true });
  });
  afterAll(async () => {
    for (const m of managers) {
      m.process.kill('SIGCONT');
      await m.kill('SIGKILL');
    }
    await cluster.stop();
  });

  it('SIGSTOP of the leader at 2/12 updated, SIGCONT once the other leads: no write by the old leader after the new one started, the rollout finishes in place, no pod created or lost', async () => {
    const { client } = cluster;
    const ns = 'leaderpause';
    const replicas = 12;
    await createNamespace(client, ns);
    const launch = async (user: string): Promise<ManagerProcess> => {
      const kubeconfig = await cluster.kubeconfigFor(user, ['system:masters']);
      const m = startManager(kubeconfig, [`--leader-election-namespace=${ns}`, `--namespace=${ns}`]);
      managers.push(m);
      return m;
    };
    const a = await launch('manager-a');
    await a.waitForLog('became leader');
    const b = await launch('manager-b');
    await b.waitForLog('leader observed');
    const before = await createReadyInPlaceCloneSet(client, ns, { replicas, maxUnavailable: 2 });
    const watch = survivingPodWatch(client, ns, 'web', replicas);
    const updated = await rollOutUntil(client, ns, 2);
    const atStop = await updated();
    a.process.kill('SIGSTOP');
    const stoppedAt = Date.now();
    await b.waitForLog('became leader', 45_000);
    const takeoverMs = Date.now() - stoppedAt;
    a.process.kill('SIGCONT');
    // The old leader finds the lease taken and steps down (the manager then exits, as controller-runtime's).
    await a.waitForLog('stopped leading', 30_000);

    await vi.waitFor(async () => {
      const cs = await client.get(Resources.CloneSet, { name: 'web', namespace: ns });
      expect(cs.status?.observedGeneration).toBe(cs.metadata.generation);
      expect(cs.status).toMatchObject({ replicas, updatedReplicas: replicas, updatedReadyReplicas: replicas, readyReplicas: replicas });
    }, { timeout: 60_000, interval: 250 });
    await watch.stop();

    const events = await cluster.auditEvents();
    const { byOld: byA, byNew: byB, lateByOld: lateByA } = leaderWrites(events, 'manager-a', 'manager-b');
    process.stdout.write(
      `leader pause: stopped at ${String(atStop)}/${String(replicas)} updated, taken over after ${String(takeoverMs)} ms; writes: manager-a ${String(byA.length)}, manager-b ${String(byB.length)}, manager-a after manager-b's first ${String(lateByA.length)}; lease writes by manager-a ${String(events.filter((e) => e.user === 'manager-a' && e.resource === 'leases').length)}\n`,
    );
    expect(byA.length).toBeGreaterThan(0);
    expect(byB.length).toBeGreaterThan(0);
    expect(lateByA).toEqual([]);
    await expectRolledOutInPlace(client, ns, before, watch, 2);
    expect(b.logs.filter((l) => typeof l.level === 'number' && l.level >= 50)).toEqual([]);
  });
});
