import type { WorkloadPassPlan } from '@kruise-ts/core';
import { Resources, createMemoryCluster, createResourceVersionExpectations, createScaleExpectations, type KubeObject, type MemoryCluster } from '@kruise-ts/k8s-adapter';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../runtime/logger.js';
import { reconcileWorkload, type WorkloadKind, type WorkloadReconcileDeps } from './reconcileWorkload.js';

// The shared reconcile's gate on the workload's own status write: a pass planned on a cached
// object older than the status this controller last wrote must not run (it would write the older
// state back), and runs again once the cache shows the write.

type Status = { readonly passes: number };
const KEY = 'apps/web';
const statusOf = (object: unknown): Status | undefined => (object as { status?: Status }).status;
const context = { signal: new AbortController().signal, attempt: 1, log: createLogger({ level: 'silent' }) };

let cluster: MemoryCluster | undefined;
afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

async function scene() {
  cluster = await createMemoryCluster({ nodes: 0 });
  const c = cluster;
  c.registerResource(Resources.CloneSet);
  await c.client.create(Resources.Namespace, { metadata: { name: 'apps' } });
  const created = await c.client.create(Resources.CloneSet, { metadata: { name: 'web', namespace: 'apps' }, spec: { replicas: 0, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx:1' }] } } } });
  // What the (test's) cache holds: set by the test, as an informer lagging behind would.
  let cached: KubeObject = created;
  const planned: number[] = [];
  const kind: WorkloadKind<KubeObject, string, Status> = {
    resource: Resources.CloneSet,
    observe: () => ({ kind: 'observed', object: cached, observed: cached, podUids: [] }),
    plan: (observed): WorkloadPassPlan<string, Status> => {
      const passes = (statusOf(observed)?.passes ?? 0) + 1;
      planned.push(passes);
      return { step: 'count', prelude: [], effects: [], status: { passes }, cleanups: [], events: [], requeueAfterMs: undefined };
    },
  };
  const deps: WorkloadReconcileDeps = {
    client: c.client,
    clock: c.clock,
    events: { emit: () => undefined },
    scaleExpectations: createScaleExpectations({ clock: c.clock }),
    resourceVersions: createResourceVersionExpectations({ clock: c.clock }),
  };
  const stored = async () => c.client.get(Resources.CloneSet, { namespace: 'apps', name: 'web' });
  return { c, kind, deps, planned, stored, cache: (object: KubeObject) => { cached = object; } };
}

describe('reconcileWorkload: the workload’s own status write gates the next pass', () => {
  it('a pass on a cached object older than our last status write waits (no plan, no write); the cache catching up lets it run', async () => {
    const { kind, deps, planned, stored, cache } = await scene();
    expect(await reconcileWorkload(deps, kind, KEY, context)).toEqual({ kind: 'done' });
    const afterFirst = await stored();
    expect(statusOf(afterFirst)).toEqual({ passes: 1 });

    // The cache still shows the object before that write: the pass is held back.
    const held = await reconcileWorkload(deps, kind, KEY, context);
    expect(held.kind).toBe('requeue');
    expect(planned).toEqual([1]);
    expect((await stored()).metadata.resourceVersion).toBe(afterFirst.metadata.resourceVersion);

    // The cache shows the write: the pass plans on it.
    cache(afterFirst);
    expect(await reconcileWorkload(deps, kind, KEY, context)).toEqual({ kind: 'done' });
    expect(planned).toEqual([1, 2]);
    expect(statusOf(await stored())).toEqual({ passes: 2 });
  });

  it('a write the cache never shows is dropped after the expectation timeout (5 min), and the pass after it runs', async () => {
    const { c, kind, deps, planned } = await scene();
    await reconcileWorkload(deps, kind, KEY, context);
    await c.clock.advance(5 * 60_000);
    expect(await reconcileWorkload(deps, kind, KEY, context)).toEqual({ kind: 'requeue', afterMs: 10_000 });
    expect(await reconcileWorkload(deps, kind, KEY, context)).toEqual({ kind: 'done' });
    // Planned on the stale cache (passes 0 → 1) once the expectation was dropped.
    expect(planned).toEqual([1, 1]);
  });
});
