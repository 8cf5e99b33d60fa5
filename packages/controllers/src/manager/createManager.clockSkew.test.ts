import { isPodAvailable, type CloneSet, type Pod } from '@kruise-ts/core';
import { aCloneSet } from '@kruise-ts/core/testing';
import { KruiseResources, Resources, createMemoryCluster, type Clock, type KubeObject, type MemoryCluster } from '@kruise-ts/k8s-adapter';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../runtime/logger.js';
import { FEATURE_GATE_DEFAULTS } from './featureGates.js';
import { createManager } from './createManager.js';

// Issue 20, clock skew: the manager's host clock 2 min ahead of (or behind) the apiserver's, which
// stamps the pods' Ready times (the memory kubelet, on the cluster's clock). The manager judges
// minReadySeconds in the apiserver's time (createServerClock, fed by its own writes).

const MIN_READY_SECONDS = 5;
const REPLICAS = 4;

async function rollOutUnderSkew(skewMs: number, leaderElection: boolean): Promise<{ unavailable: number[]; logs: string[]; cluster: MemoryCluster; stop: () => Promise<void> }> {
  const cluster = await createMemoryCluster({ nodes: 2, clock: { mode: 'manual', start: Date.UTC(2026, 11, 2, 8, 0, 0, 250) } });
  cluster.registerResource(KruiseResources.CloneSet, { scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.labelSelector' } });
  await cluster.client.create(Resources.Namespace, { metadata: { name: 'apps' } });
  const local: Clock = { now: () => cluster.clock.now() + skewMs, sleep: (ms, signal) => cluster.clock.sleep(ms, signal) };
  const logs: string[] = [];
  const manager = createManager({
    client: cluster.client,
    clock: local,
    logger: createLogger({ level: 'info', destination: { write: (line: string) => logs.push(line) } }),
    featureGates: FEATURE_GATE_DEFAULTS,
    controllers: ['cloneset'],
    workers: {},
    resizeSubresource: true,
    namespace: 'apps',
    ...(leaderElection ? { leaderElection: { namespace: 'apps', name: 'kruise-manager', identity: 'a' } } : {}),
  });
  const abort = new AbortController();
  const running = manager.run(abort.signal);
  const step = async (): Promise<void> => {
    await cluster.settle();
    await cluster.clock.advance(100);
    await cluster.settle();
  };
  const until = async (condition: () => Promise<boolean>): Promise<void> => {
    for (let i = 0; i < 1200; i++) {
      await step();
      if (await condition()) return;
    }
    throw new Error('condition not reached in 120 s of the fake clock');
  };
  await cluster.client.create(KruiseResources.CloneSet, aCloneSet({ name: 'web', namespace: 'apps', replicas: REPLICAS, maxUnavailable: 1, podUpdatePolicy: 'InPlaceIfPossible', minReadySeconds: MIN_READY_SECONDS }) as CloneSet & KubeObject);
  const get = async (): Promise<CloneSet> => cluster.client.get(KruiseResources.CloneSet, { name: 'web', namespace: 'apps' });
  await until(async () => (await get()).status?.availableReplicas === REPLICAS);
  const current = await get();
  const template = current.spec.template;
  await cluster.client.replace(KruiseResources.CloneSet, { ...current, spec: { ...current.spec, template: { ...template, spec: { ...template.spec, containers: template.spec.containers.map((c) => ({ ...c, image: 'nginx:2' })) } } } } as CloneSet & KubeObject);
  // Unavailable by the apiserver's clock, sampled every 100 ms of it.
  const unavailable: number[] = [];
  await until(async () => {
    const pods: Pod[] = (await cluster.client.list(Resources.Pod, { namespace: 'apps' })).items;
    const count = REPLICAS - pods.filter((p) => p.metadata.deletionTimestamp === undefined && isPodAvailable(p, MIN_READY_SECONDS, cluster.clock.now())).length;
    if (unavailable.at(-1) !== count) unavailable.push(count);
    const s = (await get()).status;
    return s?.updatedReplicas === REPLICAS && s.availableReplicas === REPLICAS && pods.every((p) => p.spec.containers[0]?.image === 'nginx:2');
  });
  return {
    unavailable,
    logs,
    cluster,
    stop: async () => {
      abort.abort();
      await running;
      await cluster.close();
    },
  };
}

describe('createManager with its clock off the apiserver clock (memory cluster, CloneSet of 4, minReadySeconds 5, in-place rollout at maxUnavailable 1)', () => {
  let stop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await stop?.();
    stop = undefined;
  });

  it.each([
    { story: '2 min ahead, leader election (the Lease writes give the samples)', skewMs: 120_000, leaderElection: true },
    { story: '2 min ahead, no leader election (a dry-run Event create gives the first sample)', skewMs: 120_000, leaderElection: false },
    { story: '2 min behind', skewMs: -120_000, leaderElection: true },
  ])('$story: never more than 1 unavailable by the apiserver clock; the offset logged', async ({ skewMs, leaderElection }) => {
    const run = await rollOutUnderSkew(skewMs, leaderElection);
    stop = run.stop;
    expect(run.unavailable.length).toBeGreaterThan(1);
    expect(Math.max(...run.unavailable)).toBe(1);
    expect(run.unavailable.at(-1)).toBe(0);
    const offsets = run.logs.filter((l) => l.includes('apiserver clock offset')).map((l) => JSON.parse(l) as { estimate: string; offsetMs: number });
    expect(offsets[0]?.estimate).toBe('skewed');
    expect(offsets[0]?.offsetMs).toBeLessThanOrEqual(-skewMs);
    expect(offsets[0]?.offsetMs).toBeGreaterThan(-skewMs - 1000);
  });

  it('in sync: in-sync, exactly the local clock (OpenKruise behaviour)', async () => {
    const run = await rollOutUnderSkew(0, true);
    stop = run.stop;
    expect(Math.max(...run.unavailable)).toBe(1);
    expect(run.logs.filter((l) => l.includes('apiserver clock offset')).map((l) => (JSON.parse(l) as { estimate: string }).estimate)).toEqual(['in-sync']);
  });
});
