import { INPLACE_UPDATE_READY_CONDITION, KRUISE_POD_READY_CONDITION, LIFECYCLE_STATE_LABEL, isPodReady } from '@kruise-ts/core';
import { Resources } from '@kruise-ts/k8s-adapter';
import { afterEach, describe, expect, it } from 'vitest';
import { namesOf, podCondition, startCloneSetWorld, withTemplate, type CloneSetObject, type CloneSetWorld, type PodObject } from './cloneSetController.testkit.js';

const stateOf = (pod: PodObject): string | undefined => pod.metadata.labels?.[LIFECYCLE_STATE_LABEL];
const image = (pod: PodObject): string | undefined => pod.spec.containers[0]?.image;

/** Records the lifecycle states pod `name` goes through (each change of state once, in order). */
function followStates(world: CloneSetWorld, name: string): string[] {
  const states: string[] = [];
  world.follow(Resources.Pod, (pod: PodObject) => {
    const state = stateOf(pod) ?? '';
    if (pod.metadata.name === name && states.at(-1) !== state) states.push(state);
  });
  return states;
}

describe('CloneSet controller: lifecycle hooks and grace periods', () => {
  let world: CloneSetWorld;
  afterEach(async () => world.close());

  it('preDelete finalizer hook with markPodNotReady: scale 2→1 moves a pod to PreparingDelete, KruisePodReady False, and deletes it only once the finalizer is gone', async () => {
    world = await startCloneSetWorld();
    const hook = 'example.com/drain';
    await world.create({ replicas: 2, lifecycle: { preDelete: { finalizersHandler: [hook], markPodNotReady: true } } }, (cs) =>
      withTemplate(cs, (t) => ({ ...t, metadata: { ...t.metadata, finalizers: [hook] }, spec: { ...t.spec, readinessGates: [{ conditionType: KRUISE_POD_READY_CONDITION }] } })),
    );
    await world.until(async () => (await world.markKruisePodReady()).length === 2);
    await world.until(async () => (await world.get()).status?.availableReplicas === 2);

    await world.update('web', (cs) => ({ ...cs, spec: { ...cs.spec, replicas: 1 } }));
    await world.until(async () => (await world.pods()).some((p) => stateOf(p) === 'PreparingDelete' && !isPodReady(p)));
    const [leaving, ...others] = (await world.pods()).sort((a, b) => (stateOf(a) === 'PreparingDelete' ? -1 : stateOf(b) === 'PreparingDelete' ? 1 : 0));
    const name = leaving?.metadata.name ?? '';
    expect(others.map(stateOf)).toEqual(['Normal']);
    expect(leaving?.status?.conditions?.find((c) => c.type === KRUISE_POD_READY_CONDITION)).toMatchObject({ status: 'False', message: '[{"userAgent":"Lifecycle","key":"preDeleteHook"}]' });
    await world.until(async () => (await world.get()).status?.availableReplicas === 1);

    // Passes look at it again and leave it: the hook holds it.
    await world.poke();
    await world.poke();
    const held = await world.pod(name);
    expect(held.metadata.deletionTimestamp).toBeUndefined();
    expect(stateOf(held)).toBe('PreparingDelete');
    expect(world.events.filter((e) => e.reason === 'SuccessfulDelete')).toEqual([]);

    // The hook's owner is done: it removes its finalizer, and the controller deletes the pod.
    await world.patchPod(name, { metadata: { finalizers: null } });
    await world.until(async () => !namesOf(await world.allPods()).includes(name));
    expect(world.events.filter((e) => e.reason === 'SuccessfulDelete').map((e) => e.message)).toEqual([`succeed to delete pod ${name}`]);
    expect(namesOf(await world.pods())).toEqual(namesOf(others));
    expect((await world.get()).status).toMatchObject({ replicas: 1, availableReplicas: 1 });
  });

  it('inPlaceUpdate label hook: PreparingUpdate until the label is removed, then updated in place, Updated, and Normal once the label is back', async () => {
    world = await startCloneSetWorld();
    const hook = { 'example.com/serving': 'true' };
    await world.create({ replicas: 1, podUpdatePolicy: 'InPlaceIfPossible', lifecycle: { inPlaceUpdate: { labelsHandler: hook } } }, (cs: CloneSetObject) =>
      withTemplate(cs, (t) => ({ ...t, metadata: { ...t.metadata, labels: { ...t.metadata?.labels, ...hook } } })),
    );
    await world.until(async () => (await world.get()).status?.availableReplicas === 1);
    const states = followStates(world, 'web-i0000');
    let firstWithNewImage: PodObject | undefined;
    world.follow(Resources.Pod, (pod: PodObject) => {
      if (image(pod) === 'nginx:2') firstWithNewImage ??= pod;
    });

    await world.setImage('nginx:2');
    await world.until(async () => stateOf(await world.pod('web-i0000')) === 'PreparingUpdate');
    await world.poke();
    const waiting = await world.pod('web-i0000');
    expect(image(waiting)).toBe('nginx:1');
    expect(podCondition(waiting, INPLACE_UPDATE_READY_CONDITION)).toBe('True');

    await world.patchPod('web-i0000', { metadata: { labels: { 'example.com/serving': null } } });
    await world.until(async () => stateOf(await world.pod('web-i0000')) === 'Updated' && isPodReady(await world.pod('web-i0000')));
    await world.poke();
    const updated = await world.pod('web-i0000');
    expect(stateOf(updated)).toBe('Updated');
    expect(image(updated)).toBe('nginx:2');
    expect(podCondition(updated, INPLACE_UPDATE_READY_CONDITION)).toBe('True');

    await world.patchPod('web-i0000', { metadata: { labels: hook } });
    await world.until(async () => stateOf(await world.pod('web-i0000')) === 'Normal');
    expect(states).toEqual(['Normal', 'PreparingUpdate', 'Updating', 'Updated', 'Normal']);
    // The image changed while the hook was released, and with the pod out of traffic.
    expect(firstWithNewImage?.metadata.labels?.['example.com/serving']).toBeUndefined();
    expect(podCondition(firstWithNewImage ?? waiting, INPLACE_UPDATE_READY_CONDITION)).toBe('False');
    expect(world.events.filter((e) => e.reason === 'SuccessfulUpdatePodInPlace')).toHaveLength(1);
  });

  it('preNormal label hook: new pods stay PreparingNormal (ready, not available) until the hook label is on them', async () => {
    world = await startCloneSetWorld();
    await world.create({ replicas: 2, lifecycle: { preNormal: { labelsHandler: { 'example.com/registered': 'true' } } } });
    await world.until(async () => (await world.get()).status?.readyReplicas === 2);
    await world.poke();
    expect((await world.pods()).map(stateOf)).toEqual(['PreparingNormal', 'PreparingNormal']);
    expect((await world.get()).status?.availableReplicas).toBe(0);

    await world.patchPod('web-i0000', { metadata: { labels: { 'example.com/registered': 'true' } } });
    await world.until(async () => stateOf(await world.pod('web-i0000')) === 'Normal');
    await world.until(async () => (await world.get()).status?.availableReplicas === 1);
    expect(stateOf(await world.pod('web-i0001'))).toBe('PreparingNormal');
  });

  it('in-place update with gracePeriodSeconds 30: not ready at once, new image 30 s later, woken by its own requeue alone', async () => {
    world = await startCloneSetWorld();
    await world.create({ replicas: 1, podUpdatePolicy: 'InPlaceIfPossible', gracePeriodSeconds: 30 });
    await world.until(async () => (await world.get()).status?.availableReplicas === 1);
    let notReadyAt: number | undefined;
    let imageAt: number | undefined;
    const changes: number[] = [];
    world.follow(Resources.Pod, (pod: PodObject) => {
      const now = world.cluster.clock.now();
      changes.push(now);
      if (notReadyAt === undefined && podCondition(pod, INPLACE_UPDATE_READY_CONDITION) === 'False') notReadyAt = now;
      if (imageAt === undefined && image(pod) === 'nginx:2') imageAt = now;
    });
    world.follow(Resources.CloneSet, () => changes.push(world.cluster.clock.now()));

    await world.setImage('nginx:2');
    await world.until(() => notReadyAt !== undefined);
    expect(image(await world.pod('web-i0000'))).toBe('nginx:1');
    await world.until(() => imageAt !== undefined, 400);

    const graceMs = (imageAt ?? 0) - (notReadyAt ?? 0);
    expect(graceMs).toBeGreaterThanOrEqual(30_000);
    expect(graceMs).toBeLessThan(31_000);
    // Nothing changed in between (pods or CloneSet) that could have woken the controller.
    expect(changes.filter((t) => t > (notReadyAt ?? 0) && t < (imageAt ?? 0))).toEqual([]);
    await world.until(async () => (await world.get()).status?.updatedAvailableReplicas === 1);
  });
});
