import { Resources } from '@kruise-ts/k8s-adapter';
import { startFaultProxy, type FaultProxy, type TestCluster } from '@kruise-ts/k8s-adapter/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { expectRolledOutInPlace, kubeconfigThroughProxy, leaderWrites, rollOutUntil } from './cloneSetFaultChecks.js';
import { createNamespace, createReadyInPlaceCloneSet } from './cloneSetManifest.js';
import { startCloneSetCluster } from './useCloneSetCluster.js';
import { startManager, type ManagerProcess } from './managerProcess.js';
import { survivingPodWatch } from './survivingPodWatch.js';

// Issue 20, a silent watch cut under leader election: two manager replicas, each logged in as its
// own user (the audit log tells their writes apart) and each behind a loopback proxy of its own.
// Mid rollout, every connection of the leader is blackholed (no FIN, no RST: bytes just stop),
// its Lease client's included. Its informers' watchdog (--watch-idle-timeout 4 s) notices the
// watches gone quiet and opens a new connection for the controllers; the lease renewal in flight
// hangs on the mute connection of the Lease client until renewDeadline (10 s) ends it, so the
// leader steps down (and exits, as controller-runtime's) before the lease (15 s) can expire for
// the other replica, which then finishes the rollout. No split brain: no write of the old leader
// reaches the apiserver after the new leader's first; no pod created or lost, never more than
// maxUnavailable unavailable.

const IDLE_TIMEOUT = '4s';
const logged = (m: ManagerProcess, text: string): Record<string, unknown>[] => m.logs.filter((l) => JSON.stringify(l).includes(text));
/** Resolves with the process's exit code once it exits by itself, or `'running'` after `ms`. */
const exitWithin = (m: ManagerProcess, ms: number): Promise<number | null | 'running'> =>
  new Promise((resolve) => {
    if (m.process.exitCode !== null) resolve(m.process.exitCode);
    m.process.once('exit', resolve);
    setTimeout(() => {
      resolve('running');
    }, ms);
  });

describe('leader’s connections cut silently mid rollout (real kube-apiserver with an audit log, two manager processes, each behind a proxy)', () => {
  let cluster: TestCluster;
  const proxies: FaultProxy[] = [];
  const managers: ManagerProcess[] = [];
  beforeAll(async () => {
    cluster = await startCloneSetCluster({ audit: true });
  });
  afterAll(async () => {
    await Promise.all(managers.map((m) => m.kill('SIGKILL')));
    await Promise.all(proxies.map((p) => p.close()));
    await cluster.stop();
  });

  it('every connection of the leader blackholed at 2/12 updated: its watchdog fires, it loses the lease and stops, the other replica finishes in place; no write by the old leader after the new one’s first, no pod created or lost, never more than 2 unavailable', async () => {
    const { client } = cluster;
    const ns = 'leadercut';
    const replicas = 12;
    await createNamespace(client, ns);
    /** A replica logged in as `user` through a proxy of its own. */
    const launch = async (user: string): Promise<{ manager: ManagerProcess; proxy: FaultProxy }> => {
      const proxy = await startFaultProxy({ host: '127.0.0.1', port: Number(new URL(cluster.server).port) });
      proxies.push(proxy);
      const manager = startManager(await kubeconfigThroughProxy(cluster, user, proxy), [`--leader-election-namespace=${ns}`, `--namespace=${ns}`, `--watch-idle-timeout=${IDLE_TIMEOUT}`], {}, { built: true });
      managers.push(manager);
      return { manager, proxy };
    };
    const { manager: a, proxy: proxyOfA } = await launch('manager-a');
    // The built manager (`pnpm run build` first): from the sources a start took up to a minute at load 25.
    await a.waitForLog('became leader', 120_000);
    await a.waitForLog('starting controllers', 60_000);
    const { manager: b } = await launch('manager-b');
    await b.waitForLog('leader observed', 120_000);
    const before = await createReadyInPlaceCloneSet(client, ns, { replicas, maxUnavailable: 2 });
    const watch = survivingPodWatch(client, ns, 'web', replicas);
    const updated = await rollOutUntil(client, ns, 2);
    const cutAt = Date.now();
    const cut = proxyOfA.blackhole();
    const atCut = await updated();

    await b.waitForLog('became leader', 90_000);
    const takeoverMs = Date.now() - cutAt;
    const exitCode = await exitWithin(a, 30_000);
    await vi.waitFor(async () => {
      const cs = await client.get(Resources.CloneSet, { name: 'web', namespace: ns });
      expect(cs.status?.observedGeneration).toBe(cs.metadata.generation);
      expect(cs.status).toMatchObject({ replicas, updatedReplicas: replicas, updatedReadyReplicas: replicas, readyReplicas: replicas });
    }, { timeout: 120_000, interval: 250 });
    const doneMs = Date.now() - cutAt;
    await watch.stop();

    const { byOld: byA, byNew: byB, lateByOld: lateByA } = leaderWrites(await cluster.auditEvents(), 'manager-a', 'manager-b');
    const byAAfterCut = byA.filter((e) => e.receivedAt > cutAt);
    const stepDown = logged(a, 'stopped leading')[0];
    process.stdout.write(
      `leader watch cut: ${String(cut)} connections of manager-a blackholed at ${String(atCut)}/${String(replicas)} updated; manager-a: ${String(logged(a, 'watch presumed cut').length)} watches presumed cut, ${String(logged(a, 'apiserver connection unresponsive').length)} connections found dead, ` +
        `stopped leading ${JSON.stringify(stepDown?.lost)} after ${String(Math.round(Date.parse(String(stepDown?.time)) - cutAt))} ms, exit ${String(exitCode)}; manager-b leads after ${String(takeoverMs)} ms, rollout done after ${String(doneMs)} ms; ` +
        `acting writes: manager-a ${String(byA.length)} (${String(byAAfterCut.length)} received after the cut), manager-b ${String(byB.length)}, manager-a after manager-b's first ${String(lateByA.length)}\n`,
    );

    expect(cut).toBeGreaterThanOrEqual(3); // its main, events and Lease clients' connections at least
    // The old leader noticed: its watchdog found the controllers' watches silent (the check of their
    // connection may still be pending when it exits: exitWhenDrained waits 2 s, not the check's
    // 15 s), and it gave the lease up by itself.
    expect(logged(a, 'watch presumed cut').length).toBeGreaterThanOrEqual(1);
    expect(stepDown).toMatchObject({ lost: true });
    expect(exitCode).toBe(1);
    // No split brain.
    expect(byA.length).toBeGreaterThan(0);
    expect(byB.length).toBeGreaterThan(0);
    expect(lateByA).toEqual([]);
    await expectRolledOutInPlace(client, ns, before, watch, 2);
    expect(b.logs.filter((l) => typeof l.level === 'number' && l.level >= 50)).toEqual([]);
  }, 600_000);
});
