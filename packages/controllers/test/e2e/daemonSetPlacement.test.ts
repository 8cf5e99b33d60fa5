import { Resources } from '@kruise-ts/k8s-adapter';
import { describe, expect, it } from 'vitest';
import { createNamespace } from './cloneSetManifest.js';
import { TAINTED_NODE, TOLERATION, ZONE_LABEL, daemonSetManifest, nodeNames, podsByNode, pokeDaemonSetAndSettle, useDaemonSetCluster, waitForDaemonSetSettled } from './daemonSetHarness.js';
import { KruiseResources } from '@kruise-ts/k8s-adapter';

const ALL = nodeNames(0, 9);

// One kruise-ts-manager (webhooks and the DaemonSet controller, as deploy/'s service account) on
// a real kube-apiserver with kube-scheduler and 10 kwok nodes in 3 zones, kwok-node-9 tainted.
describe('Advanced DaemonSet placement on a real apiserver (10 kwok nodes, 3 zones, one tainted)', () => {
  const env = useDaemonSetCluster();

  it('pods on exactly the eligible nodes: every untainted node; with a toleration all 10; with a zone nodeSelector that zone only', async () => {
    const { client } = env;
    for (const ns of ['place-plain', 'place-all', 'place-zone']) await createNamespace(client, ns);
    await client.create(KruiseResources.DaemonSet, daemonSetManifest('place-plain'));
    await client.create(KruiseResources.DaemonSet, daemonSetManifest('place-all', {}, (s) => ({ ...s, tolerations: [TOLERATION] })));
    await client.create(KruiseResources.DaemonSet, daemonSetManifest('place-zone', {}, (s) => ({ ...s, nodeSelector: { [ZONE_LABEL]: 'zone-b' }, tolerations: [TOLERATION] })));
    await waitForDaemonSetSettled(client, 'place-plain', ALL.filter((n) => n !== TAINTED_NODE));
    await waitForDaemonSetSettled(client, 'place-all', ALL);
    await waitForDaemonSetSettled(client, 'place-zone', ['kwok-node-1', 'kwok-node-4', 'kwok-node-7']);
    // Pods are pinned by node affinity and bound by kube-scheduler, not given a nodeName.
    const [pod] = (await podsByNode(client, 'place-plain'))['kwok-node-0'] ?? [];
    expect(pod?.spec.affinity).toEqual({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['kwok-node-0'] }] }] } } });
  });

  it('a node added gets a pod; a node relabelled out loses it; a cordoned node keeps its pod and gets a new one', async () => {
    const { client, cluster, signals } = env;
    const ns = 'place-nodes';
    await createNamespace(client, ns);
    const label = (name: string, role: string | null) => client.patch(Resources.Node, { name }, { type: 'merge', body: { metadata: { labels: { role } } } });
    for (const name of nodeNames(0, 2)) await label(name, 'agent');
    await client.create(KruiseResources.DaemonSet, daemonSetManifest(ns, {}, (s) => ({ ...s, nodeSelector: { role: 'agent' } })));
    await waitForDaemonSetSettled(client, ns, nodeNames(0, 2));

    const added = await cluster.addNode({ zone: 'zone-b', labels: { role: 'agent' } });
    await waitForDaemonSetSettled(client, ns, [...nodeNames(0, 2), added]);

    await label('kwok-node-1', 'other');
    await waitForDaemonSetSettled(client, ns, ['kwok-node-0', 'kwok-node-2', added]);

    // Cordon kwok-node-2 as kubectl and the node lifecycle controller would: unschedulable, and its taint.
    const [kept] = (await podsByNode(client, ns))['kwok-node-2'] ?? [];
    await client.patch(Resources.Node, { name: 'kwok-node-2' }, { type: 'merge', body: { spec: { unschedulable: true, taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }] } } });
    await pokeDaemonSetAndSettle(client, signals, ns);
    expect((await podsByNode(client, ns))['kwok-node-2']?.map((p) => p.metadata.uid)).toEqual([kept?.metadata.uid]);
    // Its pod deleted: the replacement tolerates the cordon and lands there again.
    await client.delete(Resources.Pod, { namespace: ns, name: kept?.metadata.name ?? '' });
    await waitForDaemonSetSettled(client, ns, ['kwok-node-0', 'kwok-node-2', added]);
    expect((await podsByNode(client, ns))['kwok-node-2']?.map((p) => p.metadata.uid)).not.toEqual([kept?.metadata.uid]);
    await client.patch(Resources.Node, { name: 'kwok-node-2' }, { type: 'merge', body: { spec: { unschedulable: null, taints: null } } });
  });
});
