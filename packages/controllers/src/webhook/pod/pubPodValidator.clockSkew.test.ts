import { parseTime, type Pod } from '@kruise-ts/core';
import { aPodUnavailableBudget } from '@kruise-ts/core/testing';
import { KruiseResources, Resources, createMemoryCluster, createServerClock, probeServerClock, type Clock, type KubeClient, type MemoryCluster } from '@kruise-ts/k8s-adapter';
import { afterEach, describe, expect, it } from 'vitest';
import { FEATURE_GATE_DEFAULTS } from '../../manager/featureGates.js';
import { createManager } from '../../manager/createManager.js';
import { createLogger } from '../../runtime/logger.js';
import type { AdmissionContext } from '../admissionTypes.js';
import { createBudgetPods } from '../testing/budgetPods.testkit.js';
import { pubPodValidator } from './pubPodValidator.js';

// Issue 20, clock skew: the PUB pod webhook records a disrupted pod at its process's time; the PUB
// controller keeps the entry 20 s (OpenKruise's DeletionTimeout) by the apiserver's time (its
// ServerClock). The pod here is admitted for deletion but stays (another admission refused the
// DELETE, or a PDB the eviction), so only the expiry gives the budget back. The webhook reads the
// process's ServerClock as kruise-ts-manager wires it (one estimate over the skewed host clock,
// fed by the webhook's and the controllers' writes, sampled once at start).

const START = Date.UTC(2026, 11, 2, 8, 0, 0, 250);
const context: AdmissionContext = { signal: new AbortController().signal, logger: createLogger({ level: 'silent' }) };

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

/**
 * Runs budget web-pub (maxUnavailable 1 over 5 bare pods) with the PUB controller and the webhook in
 * one process whose host clock is `skewMs` off the cluster's; admits a DELETE of web-0 that never
 * happens; returns, in the cluster's time, when the entry was recorded (its value) and when the
 * controller gave the disruption back.
 */
async function disruptedEntryUnderSkew(skewMs: number, webhookClock: 'server' | 'local'): Promise<{ admittedAt: number; recordedAt: number; releasedAt: number }> {
  const cluster: MemoryCluster = await createMemoryCluster({ nodes: 1, clock: { mode: 'manual', start: START } });
  cluster.registerResource(KruiseResources.PodUnavailableBudget);
  const user = cluster.clientFor('kubectl');
  await createBudgetPods(user);
  await user.create(KruiseResources.PodUnavailableBudget, aPodUnavailableBudget({ namespace: 'apps', maxUnavailable: 1, protectTotalReplicas: 5 }) as never);
  const local: Clock = { now: () => cluster.clock.now() + skewMs, sleep: (ms, signal) => cluster.clock.sleep(ms, signal) };
  const serverClock = createServerClock(local);
  const client = serverClock.track(cluster.client);
  await probeServerClock(client, { namespace: 'apps', component: 'kruise-ts-manager' });
  const manager = createManager({ client: cluster.client, clock: local, serverClock, logger: createLogger({ level: 'silent' }), featureGates: FEATURE_GATE_DEFAULTS, controllers: ['podunavailablebudget'], workers: {}, resizeSubresource: true, namespace: 'apps' });
  const abort = new AbortController();
  const running = manager.run(abort.signal);
  stop = async () => {
    abort.abort();
    await running;
    await cluster.close();
  };
  const budget = async () => (await cluster.client.get(KruiseResources.PodUnavailableBudget, { namespace: 'apps', name: 'web-pub' })).status;
  const until = async (condition: () => Promise<boolean>, stepMs: number): Promise<void> => {
    for (let i = 0; i < 3000; i++) {
      await cluster.settle();
      if (await condition()) return;
      await cluster.clock.advance(stepMs);
    }
    throw new Error('condition not reached in the fake clock');
  };
  await until(async () => (await budget())?.unavailableAllowed === 1, 100);

  // What the webhook wrote (the controller may drop it before the test reads the budget).
  let recorded: string | undefined;
  const replace = client.replace.bind(client);
  const recording: KubeClient = {
    ...client,
    replace: async (type, object, options) => {
      const stored = await replace(type, object, options);
      if (type === KruiseResources.PodUnavailableBudget) recorded ??= (stored as { status?: { disruptedPods?: Record<string, string> } }).status?.disruptedPods?.['web-0'];
      return stored;
    },
  };
  const validator = pubPodValidator({ client: recording, clock: webhookClock === 'server' ? serverClock : local });
  const old: Pod = await cluster.client.get(Resources.Pod, { namespace: 'apps', name: 'web-0' });
  const admittedAt = cluster.clock.now();
  const verdict = await validator.validate({ uid: 'u', kind: { group: '', version: 'v1', kind: 'Pod' }, resource: { group: '', version: 'v1', resource: 'pods' }, name: 'web-0', namespace: 'apps', operation: 'DELETE', oldObject: old }, context);
  expect(verdict).toEqual({ kind: 'allow' });
  expect(recorded).toBeDefined();
  // The budget is given back when the controller drops the entry (web-0 is still there and ready).
  await until(async () => {
    const status = await budget();
    return status?.disruptedPods?.['web-0'] === undefined && status?.unavailableAllowed === 1;
  }, 250);
  expect(await budget()).toMatchObject({ unavailableAllowed: 1, currentAvailable: 5 });
  return { admittedAt, recordedAt: parseTime(recorded) ?? Number.NaN, releasedAt: cluster.clock.now() };
}

describe('PUB webhook and controller in a process whose clock is off the apiserver clock (memory cluster; a DELETE admitted, the pod kept)', () => {
  it.each([
    { story: '2 min ahead', skewMs: 120_000 },
    { story: '2 min behind', skewMs: -120_000 },
    { story: 'in sync', skewMs: 0 },
  ])('$story: disruptedPods records the apiserver time and the budget comes back 20 s later by the apiserver clock', async ({ skewMs }) => {
    const run = await disruptedEntryUnderSkew(skewMs, 'server');
    // RFC 3339 seconds: the recorded time is the admission's second, at most the stamps' granularity behind.
    expect(run.recordedAt).toBeGreaterThan(run.admittedAt - 1000);
    expect(run.recordedAt).toBeLessThanOrEqual(run.admittedAt);
    expect(run.releasedAt - run.recordedAt).toBeGreaterThan(20_000);
    expect(run.releasedAt - run.recordedAt).toBeLessThanOrEqual(21_000);
  });

  it.each([
    { story: '2 min ahead: the budget held 2 min too long', skewMs: 120_000, heldMs: 140_000 },
    { story: '2 min behind: the budget back at the first pass, with the pod not gone', skewMs: -120_000, heldMs: 0 },
  ])('control, the webhook on the host clock (as before): $story', async ({ skewMs, heldMs }) => {
    const run = await disruptedEntryUnderSkew(skewMs, 'local');
    expect(run.recordedAt - run.admittedAt).toBeGreaterThan(skewMs - 1000);
    expect(run.recordedAt - run.admittedAt).toBeLessThanOrEqual(skewMs);
    expect(run.releasedAt - run.admittedAt).toBeGreaterThanOrEqual(heldMs);
    expect(run.releasedAt - run.admittedAt).toBeLessThanOrEqual(heldMs + 1000);
  });
});
