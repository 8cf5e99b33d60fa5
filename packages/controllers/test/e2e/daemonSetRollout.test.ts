import { CONTROLLER_REVISION_HASH_LABEL } from '@kruise-ts/core';
import { KruiseResources } from '@kruise-ts/k8s-adapter';
import { describe, expect, it } from 'vitest';
import { createNamespace, type PodObject } from './cloneSetManifest.js';
import {
  TOLERATION,
  ZONE_LABEL,
  daemonSetManifest,
  getDaemonSet,
  nodeNames,
  podsByNode,
  setDaemonSetImage,
  trackNodeAvailability,
  useDaemonSetCluster,
  waitForDaemonSetSettled,
  watchNamespacePods,
} from './daemonSetHarness.js';

const ALL = nodeNames(0, 9);
const tolerant = (s: PodObject['spec']) => ({ ...s, tolerations: [TOLERATION] });
const imageOf = (pod: PodObject | undefined) => pod?.spec.containers[0]?.image;

/** Nodes whose pod runs `image`, by name. */
async function nodesRunning(client: Parameters<typeof podsByNode>[0], ns: string, image: string): Promise<string[]> {
  return Object.entries(await podsByNode(client, ns))
    .filter(([, pods]) => pods.some((p) => imageOf(p) === image))
    .map(([node]) => node);
}

// Rolling updates of an Advanced DaemonSet tolerating the tainted node (10 eligible nodes), the
// budgets checked from a watch of every pod event.
describe('Advanced DaemonSet rolling update on a real apiserver (10 kwok nodes)', () => {
  const env = useDaemonSetCluster();

  it('maxUnavailable 2, partition 3: 7 nodes updated (the highest names), never more than 2 nodes without an available pod', async () => {
    const { client } = env;
    const ns = 'roll-budget';
    await createNamespace(client, ns);
    await client.create(KruiseResources.DaemonSet, daemonSetManifest(ns, { maxUnavailable: 2, partition: 3 }, tolerant));
    await waitForDaemonSetSettled(client, ns, ALL);
    const watch = await watchNamespacePods(client, ns);
    const budget = trackNodeAvailability(watch, ALL);
    await setDaemonSetImage(client, ns, 'nginx:2');
    const ds = await waitForDaemonSetSettled(client, ns, ALL, 7);
    await watch.fence();
    await watch.stop();
    expect(budget.mostUnavailable()).toBe(2);
    expect(await nodesRunning(client, ns, 'nginx:2')).toEqual(nodeNames(3, 9));
    expect(Object.values(await podsByNode(client, ns)).flat().filter((p) => p.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] === ds.status?.updateRevision)).toHaveLength(7);
  });

  it('maxSurge 1: the new pod first, the old one deleted once it is available; never fewer than 10 nodes available', async () => {
    const { client } = env;
    const ns = 'roll-surge';
    await createNamespace(client, ns);
    await client.create(KruiseResources.DaemonSet, daemonSetManifest(ns, { maxSurge: 1, maxUnavailable: 0 }, tolerant));
    await waitForDaemonSetSettled(client, ns, ALL);
    const watch = await watchNamespacePods(client, ns);
    const budget = trackNodeAvailability(watch, ALL);
    let mostOnANode = 0;
    watch.onChange((pods) => {
      const perNode = new Map<string, number>();
      for (const pod of pods.values()) if (pod.metadata.deletionTimestamp === undefined) perNode.set(pod.spec.nodeName ?? '', (perNode.get(pod.spec.nodeName ?? '') ?? 0) + 1);
      mostOnANode = Math.max(mostOnANode, ...perNode.values());
    });
    await setDaemonSetImage(client, ns, 'nginx:2');
    await waitForDaemonSetSettled(client, ns, ALL);
    await watch.fence();
    await watch.stop();
    expect(budget.leastAvailable()).toBe(10);
    expect(mostOnANode).toBe(2);
    expect(await nodesRunning(client, ns, 'nginx:2')).toEqual(ALL);
  });

  it('rollingUpdate.selector on zone-a: only the zone-a nodes update', async () => {
    const { client } = env;
    const ns = 'roll-zone';
    await createNamespace(client, ns);
    await client.create(KruiseResources.DaemonSet, daemonSetManifest(ns, { maxUnavailable: 2, nodeSelector: { matchLabels: { [ZONE_LABEL]: 'zone-a' } } }, tolerant));
    await waitForDaemonSetSettled(client, ns, ALL);
    await setDaemonSetImage(client, ns, 'nginx:2');
    await waitForDaemonSetSettled(client, ns, ALL, 4);
    expect(await nodesRunning(client, ns, 'nginx:2')).toEqual(['kwok-node-0', 'kwok-node-3', 'kwok-node-6', 'kwok-node-9']);
  });

  it('InPlaceIfPossible, only the image changed: every pod updated in place (same uids and names)', async () => {
    const { client } = env;
    const ns = 'roll-inplace';
    await createNamespace(client, ns);
    await client.create(KruiseResources.DaemonSet, daemonSetManifest(ns, { rollingUpdateType: 'InPlaceIfPossible', maxUnavailable: 3 }, tolerant));
    await waitForDaemonSetSettled(client, ns, ALL);
    const identities = async () => Object.values(await podsByNode(client, ns)).flat().map((p) => `${p.metadata.name ?? ''}/${p.metadata.uid ?? ''}`).sort();
    const before = await identities();
    const watch = await watchNamespacePods(client, ns);
    const budget = trackNodeAvailability(watch, ALL);
    await setDaemonSetImage(client, ns, 'nginx:2');
    await waitForDaemonSetSettled(client, ns, ALL);
    await watch.fence();
    await watch.stop();
    expect(await identities()).toEqual(before);
    expect(await nodesRunning(client, ns, 'nginx:2')).toEqual(ALL);
    expect(budget.mostUnavailable()).toBeLessThanOrEqual(3);
    expect(watch.seen.filter((e) => e.type === 'DELETED')).toEqual([]);
    expect((await getDaemonSet(client, ns)).status?.updatedNumberScheduled).toBe(10);
  });
});
