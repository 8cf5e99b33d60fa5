import { INPLACE_UPDATE_READY_CONDITION, type Pod } from '@kruise-ts/core';
import { aPodUnavailableBudget } from '@kruise-ts/core/testing';
import { KruiseResources, Resources, createSharedInformerFactory } from '@kruise-ts/k8s-adapter';
import { afterEach, describe, expect, it } from 'vitest';
import { createPodUnavailableBudgetController } from '../podunavailablebudget/createPodUnavailableBudgetController.js';
import { startCloneSetWorld, type CloneSetWorld } from './cloneSetController.testkit.js';

let world: CloneSetWorld | undefined;
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
  await world?.close();
  world = undefined;
});

/** A pod the in-place update has taken down: its InPlaceUpdateReady is False, or its spec image is not running yet. */
const updating = (pod: Pod): boolean =>
  pod.status?.conditions?.some((c) => c.type === INPLACE_UPDATE_READY_CONDITION && c.status === 'False') === true ||
  pod.spec.containers.some((c) => pod.status?.containerStatuses?.find((s) => s.name === c.name)?.image !== c.image);

/** Starts the PodUnavailableBudget controller on the world's cluster (maxUnavailable 1 over app=web). */
async function withBudget(w: CloneSetWorld): Promise<void> {
  w.cluster.registerResource(KruiseResources.PodUnavailableBudget);
  await w.user.create(KruiseResources.PodUnavailableBudget, aPodUnavailableBudget({ namespace: 'apps', maxUnavailable: 1 }) as never);
  const informers = createSharedInformerFactory(w.cluster.client, { clock: w.cluster.clock });
  const pub = createPodUnavailableBudgetController({ client: w.cluster.client, clock: w.cluster.clock, informers, events: { emit: () => undefined }, namespace: 'apps' });
  const abort = new AbortController();
  const running = pub.controller.start(abort.signal);
  stops.push(async () => {
    abort.abort();
    await pub.stop();
    await running.catch(() => undefined);
  });
  const budget = async () => (await w.user.get(KruiseResources.PodUnavailableBudget, { namespace: 'apps', name: 'web-pub' })).status;
  await w.until(async () => (await budget())?.unavailableAllowed === 1);
}

async function rollOut(gate: boolean): Promise<number> {
  const w = await startCloneSetWorld({ featureGates: { PodUnavailableBudgetUpdateGate: gate } });
  world = w;
  await w.create({ replicas: 5, podUpdatePolicy: 'InPlaceIfPossible', maxUnavailable: 3 });
  await w.until(() => w.rolledOut(5));
  await withBudget(w);
  let most = 0;
  const unfollow = w.follow(Resources.Pod, (_changed, all) => {
    most = Math.max(most, all.filter(updating).length);
  });
  await w.setImage('nginx:2');
  await w.until(() => w.rolledOut(5), 3000);
  unfollow();
  expect((await w.pods()).map((p) => p.spec.containers[0]?.image)).toEqual(Array(5).fill('nginx:2'));
  return most;
}

describe('CloneSet in-place rollout under a PodUnavailableBudget', () => {
  it('with PodUnavailableBudgetUpdateGate, maxUnavailable 3 under a budget of 1 updates one pod at a time', async () => {
    expect(await rollOut(true)).toBe(1);
  });

  it('without the gate the CloneSet takes its own maxUnavailable (3 at once)', async () => {
    expect(await rollOut(false)).toBe(3);
  });
});
