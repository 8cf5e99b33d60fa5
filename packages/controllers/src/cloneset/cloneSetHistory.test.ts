import { CONTROLLER_REVISION_HASH_LABEL, buildControllerRevision, parseCloneSet, planCloneSetPass, withCloneSetDefaults, type ControllerRevision } from '@kruise-ts/core';
import { aCloneSet, type CloneSetOptions } from '@kruise-ts/core/testing';
import { Resources, type KubeObject } from '@kruise-ts/k8s-adapter';
import { afterEach, describe, expect, it } from 'vitest';
import { CONTROLLER_FIELD_MANAGER, startCloneSetWorld, type CloneSetWorld } from './cloneSetController.testkit.js';

/** Returns the name of the first update revision of a CloneSet built from `options`, as core's pass planner computes it. */
function firstRevisionName(options: CloneSetOptions): string {
  const parsed = parseCloneSet(aCloneSet({ namespace: 'apps', ...options }));
  if (parsed.kind === 'invalid') throw new Error(`invalid CloneSet: ${JSON.stringify(parsed.problems)}`);
  const plan = planCloneSetPass({ cloneSet: withCloneSetDefaults(parsed.value), pods: [], pvcs: [], revisions: [], now: 0, instanceIdSuffixes: () => 'x' });
  return plan.updateRevision.metadata.name ?? '';
}

const revisions = async (world: CloneSetWorld): Promise<(ControllerRevision & KubeObject)[]> => (await world.user.list(Resources.ControllerRevision, { namespace: 'apps' })).items;
const byNumber = (list: readonly ControllerRevision[]): string[] => [...list].sort((a, b) => a.revision - b.revision).map((r) => `${r.metadata.name ?? ''}#${String(r.revision)}`);

describe('CloneSet controller: revision history', () => {
  let world: CloneSetWorld;
  afterEach(async () => world.close());

  it('the update revision name is taken by other data: collisionCount becomes 1 and the CloneSet rolls out under another name', async () => {
    world = await startCloneSetWorld();
    const taken = firstRevisionName({ replicas: 2 });
    const other = buildControllerRevision({
      owner: { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', namespace: 'apps', uid: 'not-the-cloneset' },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'main', image: 'redis:7' }] } },
      revision: 1,
    });
    const squatter = await world.user.create(Resources.ControllerRevision, { ...other, metadata: { ...other.metadata, name: taken, ownerReferences: [] } } as ControllerRevision & KubeObject);

    await world.create({ replicas: 2 });
    await world.until(() => world.rolledOut(2));

    const status = (await world.get()).status;
    expect(status?.collisionCount).toBe(1);
    expect(status?.updateRevision).not.toBe(taken);
    expect(new Set((await world.pods()).map((p) => p.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL]))).toEqual(new Set([status?.updateRevision]));
    expect(world.writes({ resource: 'controllerrevisions', verb: 'create' })).toMatchObject({ succeeded: 1, failed: 1 });
    // The squatter is left as it was.
    const after = await world.user.get(Resources.ControllerRevision, { name: taken, namespace: 'apps' });
    expect(after.metadata.resourceVersion).toBe(squatter.metadata.resourceVersion);
    expect(world.events.filter((e) => e.type === 'Warning')).toEqual([]);
  });

  it('revisionHistoryLimit 1 with revision deletes failing (500): rollouts complete, the history is trimmed once deletes work, and a rollback renumbers its old revision', async () => {
    world = await startCloneSetWorld();
    await world.create({ replicas: 2 }, (cs) => ({ ...cs, spec: { ...cs.spec, revisionHistoryLimit: 1 } }));
    await world.until(() => world.rolledOut(2));
    const refused = world.cluster.faults.failWrites({ resource: 'controllerrevisions', verb: 'delete', error: 'internal', times: Infinity, fieldManager: CONTROLLER_FIELD_MANAGER });

    for (const image of ['nginx:2', 'nginx:3', 'nginx:4']) {
      await world.setImage(image);
      await world.until(() => world.rolledOut(2));
    }
    expect(refused.fired).toBeGreaterThan(0);
    expect(await revisions(world)).toHaveLength(4);
    expect(world.events.filter((e) => e.type === 'Warning')).toEqual([]);
    expect((await world.get()).status?.conditions?.filter((c) => c.type.startsWith('Failed')) ?? []).toEqual([]);
    const nginx2 = (await revisions(world)).find((r) => r.revision === 2);

    // Roll back to nginx:2 while deletes still fail: its revision is renumbered to #5, none is created.
    world.cluster.faults.resetWrites();
    await world.setImage('nginx:2');
    await world.until(() => world.rolledOut(2));
    expect((await world.get()).status?.updateRevision).toBe(nginx2?.metadata.name);
    expect(world.writes({ resource: 'controllerrevisions', verb: 'create' }).succeeded).toBe(0);
    expect(world.writes({ resource: 'controllerrevisions', verb: 'patch' }).succeeded).toBe(1);
    expect(byNumber(await revisions(world)).at(-1)).toBe(`${nginx2?.metadata.name ?? ''}#5`);

    // Deletes work again: the next pass keeps the update revision and 1 unused one (the newest, nginx:4 #4).
    refused.remove();
    await world.poke();
    await world.until(async () => (await revisions(world)).length === 2);
    const kept = byNumber(await revisions(world));
    expect(kept[0]).toMatch(/#4$/);
    expect(kept[1]).toBe(`${nginx2?.metadata.name ?? ''}#5`);
  });
});
