import { isPodReady } from '@kruise-ts/core';
import { Resources } from '@kruise-ts/k8s-adapter';
import { afterEach, describe, expect, it } from 'vitest';
import { startCloneSetWorld, type CloneSetWorld, type PodObject } from './cloneSetController.testkit.js';

const live = (pods: readonly PodObject[]): PodObject[] => pods.filter((p) => p.metadata.deletionTimestamp === undefined);

describe('CloneSet controller: rollout budgets and cost', () => {
  let world: CloneSetWorld;
  afterEach(async () => world.close());

  it('replicas 4, maxSurge 1, maxUnavailable 0, ReCreate image change: never more than 5 pods, never fewer than 4 ready, at every pod change', async () => {
    world = await startCloneSetWorld();
    await world.create({ replicas: 4, maxSurge: 1, maxUnavailable: 0, podUpdatePolicy: 'ReCreate' });
    await world.until(() => world.rolledOut(4));
    const seen = { most: 0, fewestReady: Infinity, changes: 0 };
    world.follow(Resources.Pod, (_pod: PodObject, all) => {
      seen.changes++;
      seen.most = Math.max(seen.most, live(all).length);
      seen.fewestReady = Math.min(seen.fewestReady, live(all).filter(isPodReady).length);
    });

    await world.setImage('nginx:2');
    await world.until(async () => (await world.rolledOut(4)) && (await world.allPods()).length === 4);

    expect(seen.most).toBe(5);
    expect(seen.fewestReady).toBe(4);
    expect((await world.pods()).map((p) => p.spec.containers[0]?.image)).toEqual(['nginx:2', 'nginx:2', 'nginx:2', 'nginx:2']);
    expect(world.events.filter((e) => e.reason === 'SuccessfulDelete')).toHaveLength(4);
    expect(world.events.filter((e) => e.reason === 'SuccessfulCreate')).toHaveLength(8);
    expect(seen.changes).toBeGreaterThan(20);
  });

  it('writes per pod: scale 0→10 then an in-place image update of all 10', async () => {
    world = await startCloneSetWorld();
    const n = 10;
    await world.create({ replicas: n, podUpdatePolicy: 'InPlaceIfPossible', maxUnavailable: n });
    await world.until(() => world.rolledOut(n));
    await world.poke();
    const scaleUp = world.writes();
    // Per pod, as OpenKruise: the create; InPlaceUpdateReady True on the status (the readiness gate
    // the CloneSet adds starts without its condition); lifecycle PreparingNormal → Normal (a patch).
    expect(scaleUp.rows).toEqual([
      expect.objectContaining({ verb: 'create', resource: 'pods', subresource: undefined, succeeded: n, failed: 0 }),
      expect.objectContaining({ verb: 'patch', resource: 'pods', subresource: undefined, succeeded: n, failed: 0 }),
      expect.objectContaining({ verb: 'patch', resource: 'pods', subresource: 'status', succeeded: n, failed: 0 }),
      expect.objectContaining({ verb: 'create', resource: 'controllerrevisions', succeeded: 1, failed: 0 }),
      expect.objectContaining({ verb: 'patch', resource: 'clonesets', subresource: 'status', failed: 0 }),
    ]);
    // The status is written only when it changes: at most twice per pod (created, ready) and once
    // for the first revision (measured: 12 for 10 pods, ready ones batched together).
    expect(scaleUp.rows[4]?.succeeded).toBeLessThanOrEqual(2 * n + 1);

    world.cluster.faults.resetWrites();
    await world.setImage('nginx:2');
    await world.until(() => world.rolledOut(n));
    await world.poke();
    const inPlace = world.writes();
    // Per pod: InPlaceUpdateReady False, then the image patch (with the in-place state), then
    // InPlaceUpdateReady True and lifecycle Updating → Normal in one status patch once the kubelet
    // restarted it: 3 writes (OpenKruise sends the lifecycle move as a fourth, a pod patch).
    expect(inPlace.rows).toEqual([
      expect.objectContaining({ verb: 'patch', resource: 'pods', subresource: undefined, succeeded: n, failed: 0 }),
      expect.objectContaining({ verb: 'patch', resource: 'pods', subresource: 'status', succeeded: 2 * n, failed: 0 }),
      expect.objectContaining({ verb: 'create', resource: 'controllerrevisions', succeeded: 1, failed: 0 }),
      expect.objectContaining({ verb: 'patch', resource: 'clonesets', subresource: 'status', failed: 0 }),
    ]);
    // All 10 at once (maxUnavailable 10): new revision, not ready, updated, ready (measured: 5).
    expect(inPlace.rows[3]?.succeeded).toBeLessThanOrEqual(2 * n + 1);
    expect(world.events.filter((e) => e.reason === 'SuccessfulUpdatePodInPlace')).toHaveLength(n);
  });
});
