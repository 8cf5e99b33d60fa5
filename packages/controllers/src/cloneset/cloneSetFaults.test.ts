import { INPLACE_UPDATE_READY_CONDITION, KRUISE_POD_READY_CONDITION, LIFECYCLE_STATE_LABEL, isPodReady, type CloneSetCondition } from '@kruise-ts/core';
import { Resources, type WriteFaultError, type WriteVerb } from '@kruise-ts/k8s-adapter';
import { afterEach, describe, expect, it } from 'vitest';
import { CONTROLLER_FIELD_MANAGER, namesOf, podCondition, startCloneSetWorld, withTemplate, type CloneSetObject, type CloneSetWorld, type PodObject } from './cloneSetController.testkit.js';

const image = (pod: PodObject): string | undefined => pod.spec.containers[0]?.image;
const failedConditions = (cs: CloneSetObject): CloneSetCondition[] => (cs.status?.conditions ?? []).filter((c) => c.type.startsWith('Failed') && c.status === 'True');

/** Records the Failed* conditions the CloneSet ever showed, and pods whose image changed while InPlaceUpdateReady was still True. */
function watchRollout(world: CloneSetWorld): { failed: CloneSetCondition[]; imageChangedWhileReady: string[] } {
  const seen = { failed: [] as CloneSetCondition[], imageChangedWhileReady: [] as string[] };
  world.follow(Resources.CloneSet, (cs: CloneSetObject) => seen.failed.push(...failedConditions(cs)));
  const images = new Map<string, string | undefined>();
  world.follow(Resources.Pod, (pod: PodObject) => {
    const name = pod.metadata.name ?? '';
    const before = images.get(name);
    images.set(name, image(pod));
    if (before !== undefined && before !== image(pod) && podCondition(pod, INPLACE_UPDATE_READY_CONDITION) !== 'False') seen.imageChangedWhileReady.push(name);
  });
  return seen;
}

describe('CloneSet controller under API faults', () => {
  let world: CloneSetWorld;
  afterEach(async () => world.close());

  it('scale 0→7 with the 3rd pod create refused (500): the failing batch ends the stage, FailedScale and FailedCreate say why, then 7 pods from exactly 7 creates', async () => {
    world = await startCloneSetWorld();
    const refused = world.cluster.faults.failWrites({ resource: 'pods', verb: 'create', nth: 3, error: 'internal', fieldManager: CONTROLLER_FIELD_MANAGER });
    // The cache lags 5 s behind the pods: the next pass waits for the first creates to show, so
    // the picture after the failing pass holds still long enough to look at it.
    const lag = world.cluster.faults.delayWatchEvents({ resource: 'pods', ms: 5000, times: Infinity });
    await world.create({ replicas: 7 });
    await world.until(async () => (await world.condition('FailedScale'))?.status === 'True');

    // Slow start: [web-i0000], [web-i0001, web-i0002 refused]; the batch of 4 after it never started.
    expect(namesOf(await world.pods())).toEqual(['web-i0000', 'web-i0001']);
    expect(world.writes({ resource: 'pods', verb: 'create' })).toMatchObject({ succeeded: 2, failed: 1 });
    expect(await world.condition('FailedScale')).toMatchObject({ status: 'True', message: expect.stringContaining('injected fault') as string });
    expect(world.events.filter((e) => e.type === 'Warning')).toEqual([
      expect.objectContaining({ reason: 'FailedCreate', message: expect.stringMatching(/^failed to create pod web-i0002: .*500 InternalError.*injected fault$/) as string }),
    ]);

    lag.remove();
    await world.until(async () => {
      const status = (await world.get()).status;
      return status?.availableReplicas === 7 && (await world.condition('FailedScale')) === undefined;
    });
    expect(await world.pods()).toHaveLength(7);
    expect(world.writes({ resource: 'pods', verb: 'create' })).toMatchObject({ succeeded: 7, failed: 1 });
    expect(refused.fired).toBe(1);
    expect(world.events.filter((e) => e.reason === 'SuccessfulCreate')).toHaveLength(7);
  });

  describe('409 Conflict on a pod write: the rollout completes, no Failed* condition or Warning, no pod updated while still ready', () => {
    // A real apiserver answers 409 to a uid-only patch or delete only when the pod was replaced; an
    // injected one is a refusal with no replacement behind it: the controller must come back anyway.
    it.each<{ path: string; verb: WriteVerb; subresource: string }>([
      { path: 'pod patch (in-place image)', verb: 'patch', subresource: '' },
      { path: 'pod status patch (InPlaceUpdateReady False)', verb: 'patch', subresource: 'status' },
      { path: 'pod delete (scale down)', verb: 'delete', subresource: '' },
    ])('$path refused in two passes in a row', async ({ verb, subresource }) => {
      world = await startCloneSetWorld();
      await world.create({ replicas: 4, podUpdatePolicy: 'InPlaceIfPossible', maxUnavailable: 2 });
      await world.until(async () => (await world.get()).status?.availableReplicas === 4);
      const seen = watchRollout(world);
      // Two pods at a time (maxUnavailable 2): the 4 first requests are the two first passes' writes.
      const conflicts = world.cluster.faults.failWrites({ resource: 'pods', verb, subresource, error: 'conflict', times: 4, fieldManager: CONTROLLER_FIELD_MANAGER });

      await world.setImage('nginx:2');
      await world.until(async () => {
        const status = (await world.get()).status;
        return status?.updatedAvailableReplicas === 4 && status.currentRevision === status.updateRevision;
      });
      await world.update('web', (cs) => ({ ...cs, spec: { ...cs.spec, replicas: 2 } }));
      await world.until(async () => (await world.allPods()).length === 2 && (await world.get()).status?.availableReplicas === 2);

      expect(conflicts.fired).toBe(4);
      expect((await world.pods()).map(image)).toEqual(['nginx:2', 'nginx:2']);
      expect(world.events.filter((e) => e.reason === 'SuccessfulUpdatePodInPlace')).toHaveLength(4);
      expect(world.events.filter((e) => e.reason === 'SuccessfulDelete')).toHaveLength(2);
      expect(world.events.filter((e) => e.type === 'Warning')).toEqual([]);
      expect(seen.failed).toEqual([]);
      expect(seen.imageChangedWhileReady).toEqual([]);
    });

    it.each([
      { times: 2, story: 're-read and retried within the pass', requeues: 0 },
      { times: 5, story: 'given up after 5 tries and planned again on the next pass', requeues: 1 },
    ])('guarded KruisePodReady patch refused $times times: $story', async ({ times, requeues }) => {
      world = await startCloneSetWorld();
      const hook = 'example.com/drain';
      await world.create({ replicas: 2, lifecycle: { preDelete: { finalizersHandler: [hook], markPodNotReady: true } } }, (cs) =>
        withTemplate(cs, (t) => ({ ...t, metadata: { ...t.metadata, finalizers: [hook] }, spec: { ...t.spec, readinessGates: [{ conditionType: KRUISE_POD_READY_CONDITION }] } })),
      );
      await world.until(async () => (await world.markKruisePodReady()).length === 2);
      await world.until(async () => (await world.get()).status?.availableReplicas === 2);
      const seen = watchRollout(world);
      const conflicts = world.cluster.faults.failWrites({ resource: 'pods', verb: 'patch', subresource: 'status', error: 'conflict', times, fieldManager: CONTROLLER_FIELD_MANAGER });
      const requeuesBefore = await world.metric('controller_runtime_reconcile_total', { result: 'requeue' });

      await world.update('web', (cs) => ({ ...cs, spec: { ...cs.spec, replicas: 1 } }));
      await world.until(async () => (await world.pods()).some((p) => p.metadata.labels?.[LIFECYCLE_STATE_LABEL] === 'PreparingDelete'));

      const preparing = (await world.pods()).filter((p) => p.metadata.labels?.[LIFECYCLE_STATE_LABEL] === 'PreparingDelete');
      expect(preparing).toHaveLength(1);
      expect(preparing[0]?.status?.conditions?.find((c) => c.type === KRUISE_POD_READY_CONDITION)).toMatchObject({ status: 'False', message: '[{"userAgent":"Lifecycle","key":"preDeleteHook"}]' });
      expect(conflicts.fired).toBe(times);
      // A pass that gives up on a stale precondition asks for a rate-limited requeue; retries within the pass do not.
      expect((await world.metric('controller_runtime_reconcile_total', { result: 'requeue' })) - requeuesBefore).toBe(requeues);
      expect(world.events.filter((e) => e.type === 'Warning')).toEqual([]);
      expect(seen.failed).toEqual([]);
    });
  });

  describe('a request timing out: exactly the wanted pods, none made or removed twice', () => {
    it.each<{ story: string; verb: WriteVerb; error: WriteFaultError; from: number; to: number; requests: { succeeded: number; failed: number } }>([
      { story: 'scale 0→3, the 2nd create applied but its answer lost', verb: 'create', error: 'timeout-after', from: 0, to: 3, requests: { succeeded: 2, failed: 1 } },
      { story: 'scale 0→3, the 2nd create lost before it was applied', verb: 'create', error: 'timeout-before', from: 0, to: 3, requests: { succeeded: 3, failed: 1 } },
      { story: 'scale 3→1, the 1st delete applied but its answer lost', verb: 'delete', error: 'timeout-after', from: 3, to: 1, requests: { succeeded: 1, failed: 1 } },
      { story: 'scale 3→1, the 1st delete lost before it was applied', verb: 'delete', error: 'timeout-before', from: 3, to: 1, requests: { succeeded: 2, failed: 1 } },
    ])('$story', async ({ verb, error, from, to, requests }) => {
      world = await startCloneSetWorld();
      await world.create({ replicas: from });
      await world.until(async () => (await world.get()).status?.availableReplicas === from);
      world.cluster.faults.resetWrites();
      const timeout = world.cluster.faults.failWrites({ resource: 'pods', verb, nth: verb === 'create' ? 2 : 1, error, fieldManager: CONTROLLER_FIELD_MANAGER });
      let most = 0;
      world.follow(Resources.Pod, (_pod: PodObject, all) => {
        most = Math.max(most, all.filter((p) => p.metadata.deletionTimestamp === undefined).length);
      });

      await world.update('web', (cs) => ({ ...cs, spec: { ...cs.spec, replicas: to } }));
      await world.until(async () => {
        const pods = await world.allPods();
        return pods.length === to && pods.every(isPodReady) && (await world.get()).status?.availableReplicas === to;
      });
      await world.poke();

      expect(timeout.fired).toBe(1);
      expect(await world.allPods()).toHaveLength(to);
      expect(most).toBeLessThanOrEqual(Math.max(from, to));
      expect(world.writes({ resource: 'pods', verb })).toMatchObject(requests);
    });
  });
});
