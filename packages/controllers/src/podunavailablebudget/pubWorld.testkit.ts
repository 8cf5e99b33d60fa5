import { INPLACE_UPDATE_READY_CONDITION, type Pod } from '@kruise-ts/core';
import { aPodUnavailableBudget } from '@kruise-ts/core/testing';
import { KruiseResources, Resources, createSharedInformerFactory, type KubeObject } from '@kruise-ts/k8s-adapter';
import type { WorkloadWorld } from '../workload/workloadWorld.testkit.js';
import { createPodUnavailableBudgetController } from './createPodUnavailableBudgetController.js';

/** A pod an in-place update has taken down: its InPlaceUpdateReady is False, or its spec image is not running yet. */
export const updatingInPlace = (pod: Pod): boolean =>
  pod.status?.conditions?.some((c) => c.type === INPLACE_UPDATE_READY_CONDITION && c.status === 'False') === true ||
  pod.spec.containers.some((c) => pod.status?.containerStatuses?.find((s) => s.name === c.name)?.image !== c.image);

/**
 * Creates budget web-pub (maxUnavailable 1 over app=web) in namespace apps of a workload world, starts the
 * PodUnavailableBudget controller on its cluster and waits for one disruption to be allowed;
 * returns the function that stops the controller.
 */
export async function startBudget<W extends KubeObject>(w: WorkloadWorld<W>): Promise<() => Promise<void>> {
  w.cluster.registerResource(KruiseResources.PodUnavailableBudget);
  await w.user.create(KruiseResources.PodUnavailableBudget, aPodUnavailableBudget({ namespace: 'apps', maxUnavailable: 1 }) as never);
  const informers = createSharedInformerFactory(w.cluster.client, { clock: w.cluster.clock });
  const pub = createPodUnavailableBudgetController({ client: w.cluster.client, clock: w.cluster.clock, informers, events: { emit: () => undefined }, namespace: 'apps' });
  const abort = new AbortController();
  const running = pub.controller.start(abort.signal);
  const budget = async () => (await w.user.get(KruiseResources.PodUnavailableBudget, { namespace: 'apps', name: 'web-pub' })).status;
  await w.until(async () => (await budget())?.unavailableAllowed === 1);
  return async () => {
    abort.abort();
    await pub.stop();
    await running.catch(() => undefined);
  };
}

/** Sets image nginx:2 on the world's workload and returns the most pods updating in place at once until `done`. */
export async function mostUpdatingAtOnce<W extends KubeObject>(w: WorkloadWorld<W>, done: () => Promise<boolean>): Promise<number> {
  let most = 0;
  const unfollow = w.follow(Resources.Pod, (_changed, all) => {
    most = Math.max(most, all.filter(updatingInPlace).length);
  });
  await w.setImage('nginx:2');
  await w.until(done, 3000);
  unfollow();
  return most;
}
