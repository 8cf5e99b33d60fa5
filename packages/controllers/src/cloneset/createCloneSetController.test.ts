import { CONTROLLER_REVISION_HASH_LABEL, isPodReady, type Pod } from '@kruise-ts/core';
import { afterEach, describe, expect, it } from 'vitest';
import { startCloneSetWorld, type CloneSetWorld } from './cloneSetController.testkit.js';

const ready = (pod: Pod): boolean => isPodReady(pod);
const image = (pod: Pod): string | undefined => pod.spec.containers[0]?.image;

describe('CloneSet controller on the memory cluster', () => {
  let world: CloneSetWorld;
  afterEach(async () => world.close());

  it('scales 0 → 3 → 5 → 2 and reports status', async () => {
    world = await startCloneSetWorld();
    await world.create({ replicas: 3 });
    await world.until(async () => (await world.pods()).filter(ready).length === 3);
    await world.until(async () => (await world.get()).status?.readyReplicas === 3);
    await world.update('web', (cs) => ({ ...cs, spec: { ...cs.spec, replicas: 5 } }));
    await world.until(async () => (await world.get()).status?.readyReplicas === 5);
    await world.update('web', (cs) => ({ ...cs, spec: { ...cs.spec, replicas: 2 } }));
    await world.until(async () => (await world.pods()).length === 2 && (await world.get()).status?.replicas === 2);
    const status = (await world.get()).status;
    expect(status).toMatchObject({ replicas: 2, readyReplicas: 2, availableReplicas: 2, updatedReplicas: 2, observedGeneration: 3 });
    expect(world.events.filter((e) => e.reason === 'SuccessfulCreate')).toHaveLength(5);
    expect(world.events.filter((e) => e.reason === 'SuccessfulDelete').map((e) => e.message)).toEqual([expect.stringMatching(/^succeed to delete pod web-i\d{4}$/), expect.stringMatching(/^succeed to delete pod web-i\d{4}$/), expect.stringMatching(/^succeed to delete pod web-i\d{4}$/)]);
  });

  it('updates in place within maxUnavailable: same pods, new image, no conflict surfaces', async () => {
    world = await startCloneSetWorld();
    await world.create({ replicas: 4, podUpdatePolicy: 'InPlaceIfPossible', maxUnavailable: 2 });
    await world.until(async () => (await world.get()).status?.availableReplicas === 4);
    const before = new Map((await world.pods()).map((p) => [p.metadata.name, p.metadata.uid]));
    await world.update('web', (cs) => ({ ...cs, spec: { ...cs.spec, template: { ...cs.spec.template, spec: { ...cs.spec.template.spec, containers: [{ name: 'main', image: 'nginx:2' }] } } } }));
    let mostUnavailable = 0;
    await world.until(async () => {
      const pods = await world.pods();
      mostUnavailable = Math.max(mostUnavailable, pods.filter((p) => !ready(p)).length);
      const status = (await world.get()).status;
      return status?.updatedReadyReplicas === 4 && status.currentRevision === status.updateRevision;
    });
    const after = await world.pods();
    expect(after.map((p) => [p.metadata.name, p.metadata.uid])).toEqual([...before.entries()]);
    expect(after.map(image)).toEqual(['nginx:2', 'nginx:2', 'nginx:2', 'nginx:2']);
    expect(new Set(after.map((p) => p.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL])).size).toBe(1);
    expect(mostUnavailable).toBeLessThanOrEqual(2);
    expect(world.events.filter((e) => e.reason === 'SuccessfulUpdatePodInPlace')).toHaveLength(4);
    expect(world.events.filter((e) => e.type === 'Warning')).toEqual([]);
    expect((await world.get()).status?.conditions?.filter((c) => c.type === 'FailedUpdate') ?? []).toEqual([]);
  });
});
