import { Resources } from '@kruise-ts/k8s-adapter';
import { startFaultProxy, type FaultProxy, type TestCluster } from '@kruise-ts/k8s-adapter/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { expectRolledOutInPlace, kubeconfigThroughProxy, rollOutUntil } from './cloneSetFaultChecks.js';
import { createNamespace, createReadyInPlaceCloneSet } from './cloneSetManifest.js';
import { controllerSignals, metricsFromText, pokeAndSettle, startCloneSetCluster } from './useCloneSetCluster.js';
import { startManager, type ManagerProcess } from './managerProcess.js';
import { survivingPodWatch } from './survivingPodWatch.js';

// Issue 20, silent watch cut: the network between the manager and kube-apiserver stops carrying
// bytes without closing anything (a NAT or a load balancer dropping its state, a half-open TCP
// connection). Nothing fails: the manager's watches just go quiet and its pending requests hang.
// Its informers' watchdog (--watch-idle-timeout) must notice and watch again on a new connection,
// its request timeout (--request-timeout) must end the hung requests, and the rollout finish as if
// nothing happened. The manager talks to the apiserver through a loopback proxy (startFaultProxy)
// that blackholes every connection open at the cut; new ones go through. The client takes the
// watchdog's firing (and a request's timeout) as its connection pool presumed dead: the next
// requests go over a new pool at once, not when credentials are next read (every 10 s).

const IDLE_TIMEOUT_MS = 4_000;
const REQUEST_TIMEOUT_MS = 4_000;
/** Backoff after the restart (≤ 1 s), a reconcile's requeue and the next write, on a busy CI machine. */
const RECOVERY_MARGIN_MS = 5_000;
/** Credentials are read again every 10 s; a recovery that waited for that (the old client) comes later than this. */
const CREDENTIAL_REFRESH_MS = 10_000;

/** Returns the sum of `kruise_ts_watch_restarts_total{reason}` in the manager's metrics now. */
async function watchRestarts(manager: ManagerProcess, reason: string): Promise<number> {
  const samples = await metricsFromText(await manager.metrics())('kruise_ts_watch_restarts_total');
  return samples.filter((s) => s.labels.reason === reason).reduce((sum, s) => sum + s.value, 0);
}

describe('CloneSet in-place rollout through a silent cut of the manager’s connections (real kube-apiserver, kwok; the manager a process behind a proxy)', () => {
  let cluster: TestCluster;
  let proxy: FaultProxy;
  let manager: ManagerProcess | undefined;
  beforeAll(async () => {
    cluster = await startCloneSetCluster({ audit: true });
    proxy = await startFaultProxy({ host: '127.0.0.1', port: Number(new URL(cluster.server).port) });
  });
  afterAll(async () => {
    await manager?.kill('SIGKILL');
    await proxy.close();
    await cluster.stop();
  });

  it('every connection blackholed mid rollout of 12 at maxUnavailable 3: the watchdog restarts the watches, the rollout finishes in place, no pod created or lost, never more than 3 unavailable', async () => {
    const { client } = cluster;
    const ns = 'watchcut';
    const replicas = 12;
    await createNamespace(client, ns);
    // The manager logs in as its own user (its writes told apart in the audit log), through the proxy.
    manager = startManager(await kubeconfigThroughProxy(cluster, 'manager', proxy), ['--no-enable-leader-election', `--watch-idle-timeout=${String(IDLE_TIMEOUT_MS / 1000)}s`, `--request-timeout=${String(REQUEST_TIMEOUT_MS / 1000)}s`]);
    await manager.waitForLog('starting controllers');
    const before = await createReadyInPlaceCloneSet(client, ns, { replicas, maxUnavailable: 3 });
    const watch = survivingPodWatch(client, ns, 'web', replicas);
    const watchdogBefore = await watchRestarts(manager, 'watchdog');
    const updated = await rollOutUntil(client, ns, 3);
    const cutAt = Date.now();
    const cut = proxy.blackhole();
    const atCut = await updated();

    // The watchdog notices (its metrics come straight from the process, not through the proxy).
    await vi.waitFor(async () => {
      expect(await watchRestarts(manager as ManagerProcess, 'watchdog')).toBeGreaterThan(watchdogBefore);
    }, { timeout: IDLE_TIMEOUT_MS + 2 * RECOVERY_MARGIN_MS, interval: 100 });
    const watchdogAfterMs = Date.now() - cutAt;
    await vi.waitFor(async () => {
      const cs = await client.get(Resources.CloneSet, { name: 'web', namespace: ns });
      expect(cs.status?.observedGeneration).toBe(cs.metadata.generation);
      expect(cs.status).toMatchObject({ replicas, updatedReplicas: replicas, updatedReadyReplicas: replicas, readyReplicas: replicas });
    }, { timeout: 90_000, interval: 250 });
    const finishedAfterMs = Date.now() - cutAt;
    await pokeAndSettle(client, controllerSignals(async () => metricsFromText(await (manager as ManagerProcess).metrics()), 'cloneset'), ns, 'web');
    await watch.stop();

    // Recovery as the apiserver saw it: the manager's first pod write received after the cut.
    const audited = await cluster.auditEvents();
    const podWritesAfter = audited.filter((e) => e.user === 'manager' && e.resource.startsWith('pods') && e.receivedAt > cutAt);
    const firstPodWriteAfterMs = Math.round((podWritesAfter[0]?.receivedAt ?? Number.NaN) - cutAt);
    // HTTP/1.1: the check of a replaced pool opens a socket of its own, which a cut of the open ones leaves working (verdict alive, the pool drains).
    const replaced = manager.logs.filter((l) => /apiserver connection (unresponsive|replaced)/.test(String(l.msg))).length;
    const timedOut = manager.logs.filter((l) => JSON.stringify(l).includes('TimeoutError') || JSON.stringify(l).includes('aborted due to timeout')).length;
    process.stdout.write(
      `watch cut: ${String(cut)} connections blackholed at ${String(atCut)}/${String(replicas)} updated (${String(proxy.droppedBytes())} bytes dropped since); ` +
        `watchdog fired after ${String(watchdogAfterMs)} ms, first manager pod write after ${String(firstPodWriteAfterMs)} ms, rollout done after ${String(finishedAfterMs)} ms ` +
        `(idle timeout ${String(IDLE_TIMEOUT_MS)} ms, request timeout ${String(REQUEST_TIMEOUT_MS)} ms); ${String(replaced)} connection pools replaced, ${String(timedOut)} log lines of timed-out requests, ${String(await watchRestarts(manager, 'watchdog') - watchdogBefore)} watchdog restarts\n`,
    );

    expect(cut).toBeGreaterThanOrEqual(1);
    // Recovery at the watchdog or the request timeout, not at the next credential refresh.
    expect(firstPodWriteAfterMs).toBeLessThanOrEqual(Math.max(IDLE_TIMEOUT_MS, REQUEST_TIMEOUT_MS) + RECOVERY_MARGIN_MS);
    expect(Math.max(IDLE_TIMEOUT_MS, REQUEST_TIMEOUT_MS) + RECOVERY_MARGIN_MS).toBeLessThan(CREDENTIAL_REFRESH_MS);
    expect(replaced).toBeGreaterThanOrEqual(1); // a connection pool presumed dead and replaced
    await expectRolledOutInPlace(client, ns, before, watch, 3);
    expect(manager.logs.filter((l) => typeof l.level === 'number' && l.level >= 60)).toEqual([]); // nothing fatal; the process stayed up
  });
});
