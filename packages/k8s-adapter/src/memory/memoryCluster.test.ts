import { describe, expect, it } from 'vitest';
import { NotFoundError, WatchError } from '../errors.js';
import type { KubeClient, WatchEvent } from '../ports.js';
import { defineResource, Resources, type KubeObject } from '../resourceType.js';
import { createMemoryCluster, type MemoryCluster } from './memoryCluster.js';

const pod = (name: string, spec: Record<string, unknown> = {}) => ({ metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'app', image: 'nginx:1.25' }], ...spec } });
const phaseOf = async (client: KubeClient, name: string) => (await client.get(Resources.Pod, { name, namespace: 'default' })).status?.phase;
const Widgets = defineResource<KubeObject & { spec: { replicas: number }; status?: { replicas?: number } }>({ group: 'example.com', version: 'v1', kind: 'Widget', plural: 'widgets', namespaced: true });

async function withCluster(options: Parameters<typeof createMemoryCluster>[0], run: (cluster: MemoryCluster) => Promise<void>): Promise<void> {
  const cluster = await createMemoryCluster(options);
  try {
    await run(cluster);
  } finally {
    await cluster.close();
  }
}

describe('createMemoryCluster', () => {
  it('is deterministic: the same seed gives the same uids, names and IPs', async () => {
    const run = async (seed: number) => {
      const cluster = await createMemoryCluster({ seed });
      const a = await cluster.client.create(Resources.ConfigMap, { metadata: { generateName: 'x-', namespace: 'default' } });
      await cluster.client.create(Resources.Pod, pod('p'));
      await cluster.clock.advance(1000);
      await cluster.settle();
      const p = await cluster.client.get(Resources.Pod, { name: 'p', namespace: 'default' });
      await cluster.close();
      return [a.metadata.uid, a.metadata.name, p.metadata.uid, p.status?.podIP, p.metadata.creationTimestamp];
    };
    expect(await run(1)).toEqual(await run(1));
    expect((await run(2))[0]).not.toBe((await run(1))[0]);
  });

  it('starts a pod after the kubelet start delay of the fake clock', async () => {
    await withCluster({ kubelet: { startDelayMs: 5000 } }, async ({ client, clock, settle, nodes }) => {
      await client.create(Resources.Pod, pod('slow', { nodeName: nodes[0] }));
      await clock.advance(4999);
      expect(await phaseOf(client, 'slow')).toBe('Pending');
      await clock.advance(1);
      await settle();
      expect(await phaseOf(client, 'slow')).toBe('Running');
    });
  });

  it('reports an in-place image change after the in-place update delay (kwok pod-inplace-update stage)', async () => {
    await withCluster({ kubelet: { startDelayMs: 0, inPlaceUpdateDelayMs: 1500 } }, async ({ client, clock, settle, nodes }) => {
      await client.create(Resources.Pod, pod('web', { nodeName: nodes[0] }));
      await clock.advance(1);
      await settle();
      const running = await client.get(Resources.Pod, { name: 'web', namespace: 'default' });
      await client.replace(Resources.Pod, { ...running, spec: { ...running.spec, containers: running.spec.containers.map((c) => ({ ...c, image: 'nginx:2' })) } });
      const image = async () => (await client.get(Resources.Pod, { name: 'web', namespace: 'default' })).status?.containerStatuses?.[0]?.image;
      await settle();
      await clock.advance(1499);
      await settle();
      expect(await image()).not.toBe('nginx:2');
      await clock.advance(1);
      await settle();
      expect(await image()).toBe('nginx:2');
    });
  });

  it('holds pods while the kubelet is paused, and catches up on resume', async () => {
    await withCluster({}, async ({ client, clock, settle, kubelet }) => {
      kubelet.pause();
      await client.create(Resources.Pod, pod('held'));
      await clock.advance(10_000);
      expect(await phaseOf(client, 'held')).toBe('Pending');
      kubelet.resume();
      kubelet.setStartDelay(() => 0);
      await clock.advance(1000);
      await settle();
      expect(await phaseOf(client, 'held')).toBe('Running');
    });
  });

  it('schedules pods on the nodes with the fewest pods, honouring nodeSelector', async () => {
    await withCluster({ nodes: 3 }, async ({ client, settle, nodes }) => {
      for (let i = 0; i < 6; i++) {
        await client.create(Resources.Pod, pod(`spread-${String(i)}`));
        await settle();
      }
      const placed = (await client.list(Resources.Pod, { namespace: 'default' })).items.map((p) => p.spec.nodeName);
      expect(nodes.map((n) => placed.filter((x) => x === n).length)).toEqual([2, 2, 2]);
      await client.create(Resources.Pod, pod('zoned', { nodeSelector: { 'topology.kubernetes.io/zone': 'zone-c' } }));
      await settle();
      const zoned = await client.get(Resources.Pod, { name: 'zoned', namespace: 'default' });
      expect(zoned.spec.nodeName).toBe(nodes[2]);
      expect(zoned.metadata.labels).toEqual({ 'topology.kubernetes.io/zone': 'zone-c' });
    });
  });

  it('marks a pod no node fits Unschedulable, and places it when a fitting node appears', async () => {
    await withCluster({}, async (cluster) => {
      await cluster.client.create(Resources.Pod, pod('picky', { nodeSelector: { disk: 'ssd' } }));
      await cluster.settle();
      const waiting = await cluster.client.get(Resources.Pod, { name: 'picky', namespace: 'default' });
      expect(waiting.status?.conditions?.find((c) => c.type === 'PodScheduled')).toMatchObject({ status: 'False', reason: 'Unschedulable' });
      const name = await cluster.addNode({ name: 'ssd-node', labels: { disk: 'ssd' } });
      await cluster.settle();
      expect((await cluster.client.get(Resources.Pod, { name: 'picky', namespace: 'default' })).spec.nodeName).toBe(name);
      expect(cluster.nodes).toEqual(['kwok-node-0', 'ssd-node']);
    });
  });

  it('honours required node affinity (matchFields metadata.name, matchExpressions) and lets a pod tolerating the unschedulable taint onto a cordoned node', async () => {
    await withCluster({ nodes: 3 }, async ({ client, settle, nodes }) => {
      const pinned = (node: string) => ({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }] } } });
      await client.patch(Resources.Node, { name: nodes[2] ?? '' }, { type: 'merge', body: { spec: { unschedulable: true } } });
      await client.create(Resources.Pod, pod('pinned', { affinity: pinned(nodes[1] ?? '') }));
      await client.create(Resources.Pod, pod('not-zone-a', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'NotIn', values: ['zone-a', 'zone-c'] }] }] } } } }));
      await client.create(Resources.Pod, pod('cordoned-plain', { affinity: pinned(nodes[2] ?? '') }));
      await client.create(Resources.Pod, pod('cordoned-daemon', { affinity: pinned(nodes[2] ?? ''), tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] }));
      await settle();
      const nodeOf = async (name: string) => (await client.get(Resources.Pod, { name, namespace: 'default' })).spec.nodeName;
      expect([await nodeOf('pinned'), await nodeOf('not-zone-a'), await nodeOf('cordoned-plain'), await nodeOf('cordoned-daemon')]).toEqual([nodes[1], nodes[1], undefined, nodes[2]]);
    });
  });

  it('runs without manual time steps in auto clock mode', async () => {
    await withCluster({ clock: { mode: 'auto' }, kubelet: { startDelayMs: 60_000 } }, async ({ client, clock }) => {
      await client.create(Resources.Pod, pod('auto'));
      await expect.poll(() => phaseOf(client, 'auto')).toBe('Running');
      expect(clock.now()).toBeGreaterThanOrEqual(Date.UTC(2026, 0, 1) + 60_000);
    });
  });

  it('answers health and version requests', async () => {
    await withCluster({}, async ({ client }) => {
      expect(await client.request('GET', '/readyz')).toBe('ok');
      expect(await client.request('GET', '/version')).toMatchObject({ major: '1', minor: '36' });
      await expect(client.request('GET', '/nope')).rejects.toBeInstanceOf(NotFoundError);
    });
  });

  it('serves a registered kind with its scale subresource, and 404 before', async () => {
    await withCluster({}, async (cluster) => {
      const widget = { metadata: { name: 'w', namespace: 'default' }, spec: { replicas: 1 } };
      await expect(cluster.client.create(Widgets, widget)).rejects.toMatchObject({ code: 404, status: { message: '404 page not found\n' } });
      cluster.registerResource(Widgets, { scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' } });
      await cluster.client.create(Widgets, widget);
      await cluster.client.patch(Widgets, { name: 'w', namespace: 'default' }, { type: 'merge', body: { spec: { replicas: 3 } } }, { subresource: 'scale' });
      expect((await cluster.client.get(Widgets, { name: 'w', namespace: 'default' })).spec.replicas).toBe(3);
    });
  });

  it('fails watches from before a compaction with 410 Gone', async () => {
    await withCluster({}, async (cluster) => {
      const { resourceVersion } = await cluster.client.list(Resources.ConfigMap, {});
      await cluster.client.create(Resources.ConfigMap, { metadata: { name: 'c', namespace: 'default' } });
      cluster.compact();
      const events = cluster.client.watch(Resources.ConfigMap, { resourceVersion })[Symbol.asyncIterator]();
      const error = await events.next().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WatchError);
      expect((error as WatchError).isGone).toBe(true);
    });
  });

  it('sends periodic bookmarks on long watches when configured', async () => {
    await withCluster({ bookmarkIntervalMs: 60_000 }, async ({ client, clock }) => {
      const { resourceVersion } = await client.list(Resources.ConfigMap, {});
      const abort = new AbortController();
      const seen: WatchEvent<KubeObject>[] = [];
      const done = (async () => {
        for await (const event of client.watch(Resources.ConfigMap, { resourceVersion, signal: abort.signal })) seen.push(event);
      })();
      await clock.advance(120_000);
      abort.abort();
      await done;
      expect(seen.filter((e) => e.type === 'BOOKMARK')).toHaveLength(2);
    });
  });

  it('ends open watches when it closes', async () => {
    const cluster = await createMemoryCluster();
    const events: WatchEvent<KubeObject>[] = [];
    const done = (async () => {
      for await (const event of cluster.client.watch(Resources.Namespace)) events.push(event);
    })();
    await cluster.settle();
    await cluster.close();
    await done;
    expect(events.filter((e) => e.type === 'ADDED')).toHaveLength(4);
  });

  it('records the field manager of each client', async () => {
    await withCluster({}, async (cluster) => {
      const written = await cluster.clientFor('kubectl').create(Resources.ConfigMap, { metadata: { name: 'm', namespace: 'default' }, data: { a: 'b' } });
      expect((written.metadata.managedFields as { manager: string }[]).map((m) => m.manager)).toEqual(['kubectl']);
    });
  });
});
