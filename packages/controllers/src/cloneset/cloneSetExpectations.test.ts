import { EXPECTATION_TIMEOUT_MS, INPLACE_UPDATE_READY_CONDITION } from '@kruise-ts/core';
import { Resources } from '@kruise-ts/k8s-adapter';
import { afterEach, describe, expect, it } from 'vitest';
import { namesOf, podCondition, startCloneSetWorld, type CloneSetWorld } from './cloneSetController.testkit.js';

const LEAKAGE = 'cloneset_scale_expectation_leakage';
const RV_TIMEOUTS = 'kruise_ts_resource_version_expectation_timeouts_total';

/**
 * The memory cluster replays a dropped change to a watch that resumes from before it (the informer
 * restarts its watch every few minutes): a later change of another pod moves the informer past it,
 * so the pod stays out of the cache for good.
 */
async function moveInformerPast(world: CloneSetWorld, pod: string): Promise<void> {
  await world.patchPod(pod, { metadata: { annotations: { 'example.com/touched': String(world.cluster.clock.now()) } } });
}

/** When the controller created `pod` (and started expecting it): its SuccessfulCreate event. */
const createdAtOf = (world: CloneSetWorld, pod: string): number => world.events.find((e) => e.reason === 'SuccessfulCreate' && e.message.endsWith(` ${pod}`))?.at ?? NaN;

describe('CloneSet controller: stale-cache guard (expectations)', () => {
  let world: CloneSetWorld;
  afterEach(async () => world.close());

  it('a created pod the cache never shows: passes skipped for 5 min, then the expectation is dropped and counted, and no second pod is made once it shows', async () => {
    world = await startCloneSetWorld();
    await world.create({ replicas: 2 });
    await world.until(async () => (await world.get()).status?.availableReplicas === 2);
    const hidden = world.cluster.faults.dropWatchEvents({ resource: 'pods', name: 'web-i0002', times: Infinity });

    await world.update('web', (cs) => ({ ...cs, spec: { ...cs.spec, replicas: 3 } }));
    await world.until(async () => (await world.pods()).length === 3 && (await world.pod('web-i0002')).status?.phase === 'Running');
    const createdAt = createdAtOf(world, 'web-i0002');
    await moveInformerPast(world, 'web-i0000');

    // Passes run but stay skipped: the cache shows 2 pods of 3, yet no pod is made.
    await world.poke();
    expect(await world.pods()).toHaveLength(3);
    await world.until(() => world.cluster.clock.now() - createdAt >= EXPECTATION_TIMEOUT_MS - 10_000, 3000);
    expect(namesOf(await world.pods())).toEqual(['web-i0000', 'web-i0001', 'web-i0002']);
    expect(await world.metric(LEAKAGE)).toBe(0);

    await world.until(async () => (await world.metric(LEAKAGE, { namespace: 'apps', name: 'web' })) === 1 || (await world.pods()).length > 3, 200);
    const droppedAt = world.cluster.clock.now();
    expect(droppedAt - createdAt).toBeGreaterThanOrEqual(EXPECTATION_TIMEOUT_MS);
    expect(droppedAt - createdAt).toBeLessThan(EXPECTATION_TIMEOUT_MS + 1000);
    // The pass that dropped it was skipped too: still 3 pods.
    expect(await world.pods()).toHaveLength(3);

    // The pod shows before the next pass (10 s later): the controller resumes and finds nothing to create.
    hidden.remove();
    await moveInformerPast(world, 'web-i0002');
    await world.until(async () => (await world.get()).status?.availableReplicas === 3);
    await world.poke();
    expect(namesOf(await world.pods())).toEqual(['web-i0000', 'web-i0001', 'web-i0002']);
    expect(world.writes({ resource: 'pods', verb: 'create' }).succeeded).toBe(3);

    // A new expectation after the drop starts its own 5 minutes: it is not born timed out.
    const hiddenAgain = world.cluster.faults.dropWatchEvents({ resource: 'pods', name: 'web-i0003', times: Infinity });
    await world.update('web', (cs) => ({ ...cs, spec: { ...cs.spec, replicas: 4 } }));
    await world.until(async () => (await world.pods()).length === 4 && (await world.pod('web-i0003')).status?.phase === 'Running');
    const secondAt = createdAtOf(world, 'web-i0003');
    await moveInformerPast(world, 'web-i0000');
    await world.until(() => world.cluster.clock.now() - secondAt >= EXPECTATION_TIMEOUT_MS - 10_000, 3000);
    expect(await world.metric(LEAKAGE)).toBe(1);
    expect(await world.pods()).toHaveLength(4);
    await world.until(async () => (await world.metric(LEAKAGE)) === 2, 200);
    expect(world.cluster.clock.now() - secondAt).toBeGreaterThanOrEqual(EXPECTATION_TIMEOUT_MS);
    hiddenAgain.remove();
  });

  it('a pod write the cache never shows: the pass waits 5 min, then the resourceVersion expectation is dropped and counted, and the update completes once the pod shows', async () => {
    world = await startCloneSetWorld();
    await world.user.create(Resources.Pod, { metadata: { name: 'bystander', namespace: 'apps', labels: { app: 'other' } }, spec: { containers: [{ name: 'main', image: 'busybox' }] } });
    await world.create({ replicas: 1, podUpdatePolicy: 'InPlaceIfPossible' });
    await world.until(async () => (await world.get()).status?.availableReplicas === 1);
    const hidden = world.cluster.faults.dropWatchEvents({ resource: 'pods', name: 'web-i0000', times: Infinity });

    await world.setImage('nginx:2');
    await world.until(async () => (await world.pod('web-i0000')).spec.containers[0]?.image === 'nginx:2');
    const wroteAt = world.events.find((e) => e.reason === 'SuccessfulUpdatePodInPlace')?.at ?? NaN;
    // The kubelet restarts the container (its last change of the pod), then another pod changes.
    await world.until(async () => (await world.pod('web-i0000')).status?.containerStatuses?.[0]?.image === 'nginx:2');
    await moveInformerPast(world, 'bystander');

    await world.until(() => world.cluster.clock.now() - wroteAt >= EXPECTATION_TIMEOUT_MS - 10_000, 3000);
    expect(await world.metric(RV_TIMEOUTS, { controller: 'cloneset' })).toBe(0);
    await world.until(async () => (await world.metric(RV_TIMEOUTS, { controller: 'cloneset' })) === 1, 200);
    expect(world.cluster.clock.now() - wroteAt).toBeGreaterThanOrEqual(EXPECTATION_TIMEOUT_MS);
    expect(await world.metric(LEAKAGE)).toBe(0);

    hidden.remove();
    await moveInformerPast(world, 'web-i0000');
    await world.until(async () => {
      const status = (await world.get()).status;
      return status?.updatedAvailableReplicas === 1 && status.currentRevision === status.updateRevision;
    });
    const pods = await world.pods();
    expect(namesOf(pods)).toEqual(['bystander', 'web-i0000']);
    expect(podCondition(pods.find((p) => p.metadata.name === 'web-i0000') ?? pods[0]!, INPLACE_UPDATE_READY_CONDITION)).toBe('True');
  });
});
