import { Resources } from '@kruise-ts/k8s-adapter';
import { afterEach, describe, expect, it } from 'vitest';
import { namesOf, startCloneSetWorld, type CloneSetWorld, type PodObject } from './cloneSetController.testkit.js';

const ownerKinds = (pod: PodObject): string[] => (pod.metadata.ownerReferences ?? []).map((o) => `${o.kind}/${o.name}`);

describe('CloneSet controller: which pods are its own', () => {
  let world: CloneSetWorld;
  afterEach(async () => world.close());

  it('a pod relabelled out of the selector is released (its other owners kept), not deleted, and replaced', async () => {
    world = await startCloneSetWorld();
    await world.create({ replicas: 2 });
    await world.until(async () => (await world.get()).status?.availableReplicas === 2);
    // A second, non-controller owner that must survive the release (the patch removes ours by uid).
    const session = await world.user.create(Resources.ConfigMap, { metadata: { name: 'debug-session', namespace: 'apps' } });
    const sessionRef = { apiVersion: 'v1', kind: 'ConfigMap', name: 'debug-session', uid: session.metadata.uid ?? '' };
    const before = await world.pod('web-i0000');
    await world.patchPod('web-i0000', { metadata: { labels: { app: 'debug' }, ownerReferences: [...(before.metadata.ownerReferences ?? []), sessionRef] } });

    await world.until(async () => (await world.pod('web-i0000')).metadata.ownerReferences?.length === 1 && (await world.get()).status?.availableReplicas === 2);
    const released = await world.pod('web-i0000');
    expect(released.metadata.uid).toBe(before.metadata.uid);
    expect(released.metadata.deletionTimestamp).toBeUndefined();
    expect(ownerKinds(released)).toEqual(['ConfigMap/debug-session']);
    expect(namesOf(await world.pods())).toEqual(['web-i0000', 'web-i0001', 'web-i0002']);
    expect(ownerKinds(await world.pod('web-i0002'))).toEqual(['CloneSet/web']);
    expect(world.writes({ resource: 'pods', verb: 'delete' }).succeeded).toBe(0);
    expect((await world.get()).status).toMatchObject({ replicas: 2, availableReplicas: 2 });
  });

  it('an orphan pod matching the selector is not adopted: it stays unowned and the CloneSet makes its own pods', async () => {
    world = await startCloneSetWorld();
    await world.user.create(Resources.Pod, { metadata: { name: 'stray', namespace: 'apps', labels: { app: 'web' } }, spec: { containers: [{ name: 'main', image: 'nginx:1' }] } });
    await world.create({ replicas: 2 });
    await world.until(async () => (await world.get()).status?.availableReplicas === 2);
    await world.poke();

    expect(namesOf(await world.pods())).toEqual(['stray', 'web-i0000', 'web-i0001']);
    expect((await world.pod('stray')).metadata.ownerReferences).toBeUndefined();
    expect(world.writes({ resource: 'pods', name: 'stray' }).succeeded).toBe(0);
    expect((await world.get()).status).toMatchObject({ replicas: 2, availableReplicas: 2 });
  });
});
