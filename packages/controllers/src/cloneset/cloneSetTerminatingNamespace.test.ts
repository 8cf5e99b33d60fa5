import { Resources } from '@kruise-ts/k8s-adapter';
import { afterEach, describe, expect, it } from 'vitest';
import { CONTROLLER_FIELD_MANAGER, startCloneSetWorld, type CloneSetWorld } from './cloneSetController.testkit.js';

describe('CloneSet controller in a namespace being terminated', () => {
  let world: CloneSetWorld;
  afterEach(async () => world.close());

  it('pod creates refused with Forbidden (namespace being terminated) back off as the work queue does (5 ms doubling), not on every pass', async () => {
    world = await startCloneSetWorld();
    await world.create({ replicas: 3 });
    await world.until(async () => (await world.get()).status?.availableReplicas === 3);
    // The namespace is deleted for real: the memory cluster's namespace controller deletes what is
    // in it and the apiserver refuses new content. It is kept from deleting the CloneSet and its
    // revisions (a real one deletes in discovery order, and may take its time): the pods go, the
    // CloneSet lives on and each pod it creates is refused.
    const keep = ['clonesets', 'controllerrevisions'].map((resource) =>
      world.cluster.faults.failWrites({ resource, verb: 'delete', fieldManager: 'namespace-controller', error: 'internal', times: Infinity }),
    );
    // CloneSet events reach the controller 1 ms late: were a failing pass to rewrite the status
    // (and so wake itself), the loop would move with the fake clock instead of spinning forever.
    world.cluster.faults.delayWatchEvents({ resource: 'clonesets', ms: 1, times: Infinity });
    const refusedCreates = () => world.writes({ resource: 'pods', verb: 'create' }).failed;
    const failedReconciles = () => world.metric('controller_runtime_reconcile_total', { result: 'error' });
    const start = world.cluster.clock.now();
    const failedBefore = await failedReconciles();
    const statusWrites = () => world.writes({ resource: 'clonesets', subresource: 'status' }).succeeded;
    const statusWritesBefore = statusWrites();
    await world.user.delete(Resources.Namespace, { name: 'apps' });

    // 60 s of fake time in 100 ms steps, noting when each failed reconcile was counted.
    const failures: number[] = [];
    for (let seen = failedBefore; world.cluster.clock.now() - start < 60_000; ) {
      await world.idle(100);
      for (const now = await failedReconciles(); seen < now; seen++) failures.push(world.cluster.clock.now() - start);
    }

    expect(keep.some((rule) => rule.fired > 0)).toBe(true);
    expect((await world.user.get(Resources.Namespace, { name: 'apps' })).metadata.deletionTimestamp).toBeDefined();
    expect((await world.get()).metadata.deletionTimestamp).toBeUndefined();
    expect(await world.allPods()).toEqual([]);
    expect(world.events.find((e) => e.reason === 'FailedCreate')?.message).toMatch(/pods "web-i\d+" is forbidden: unable to create new content in namespace apps because it is being terminated$/);
    expect((await world.condition('FailedScale'))?.message).toMatch(/being terminated$/);
    // Every failed reconcile was a refused create (one per pass: the batch stops at the first).
    expect(refusedCreates()).toBe(failures.length);
    expect(world.writes({ resource: 'pods', verb: 'create', fieldManager: CONTROLLER_FIELD_MANAGER }).succeeded).toBe(3);
    // client-go's backoff: 5, 10, 20 … 81 920 ms after the 1st … 15th failure, so 60 s hold 14
    // (the last retry ~41 s after the one before), not one every pass (600 in 100 ms steps).
    expect(failures.length).toBeGreaterThanOrEqual(12);
    expect(failures.length).toBeLessThanOrEqual(15);
    const gaps = failures.slice(1).map((at, i) => at - (failures[i] ?? 0));
    for (let i = 1; i < gaps.length; i++) expect(gaps[i]).toBeGreaterThanOrEqual(gaps[i - 1] ?? 0);
    expect(gaps.at(-1)).toBeGreaterThanOrEqual(20_000);
    // Failing passes do not rewrite the status (which would wake the CloneSet at once): the first
    // refusal's FailedScale entry stays, and the status changes only as the pods go.
    expect(statusWrites() - statusWritesBefore).toBeLessThanOrEqual(4);
  });
});
