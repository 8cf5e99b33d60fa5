import type { Container } from '@kruise-ts/core';
import { Resources, type KubeClient } from '@kruise-ts/k8s-adapter';
import { describe, expect, it, vi } from 'vitest';
import { LONG_WAIT, createNamespace } from './cloneSetManifest.js';
import { startCloneSetCluster } from './useCloneSetCluster.js';
import { useManagerCluster } from './statefulSetHarness.js';

// Container launch priority on a real kube-apiserver: the manager process (deploy/'s service
// account) serves /mutate-pod, called by the apiserver, and runs controller
// `containerlaunchpriority`. The pod is bound to a node nobody runs, so no kubelet (kwok) touches
// it: the test writes the container statuses a kubelet would, once each barrier key exists.

const NS = 'launch';
const barrierOf = (container: Container) => container.env?.find((e) => e.name === 'KRUISE_CONTAINER_BARRIER')?.valueFrom?.configMapKeyRef;

async function barrierKeys(client: KubeClient): Promise<string[]> {
  try {
    const cm = await client.get(Resources.ConfigMap, { name: 'app-0-barrier', namespace: NS });
    return Object.keys(cm.data ?? {});
  } catch {
    return [];
  }
}

/** The kubelet's status: `ready` containers ready, ContainersReady True only when all are. */
async function kubelet(client: KubeClient, ready: readonly string[]): Promise<void> {
  const names = ['init-db', 'app', 'proxy'];
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const all = ready.length === names.length;
  const conditions = [{ type: 'ContainersReady', status: all ? 'True' : 'False', lastTransitionTime: now }, { type: 'Ready', status: all ? 'True' : 'False', lastTransitionTime: now }];
  const containerStatuses = names.map((name) => ({ name, ready: ready.includes(name), restartCount: 0, image: 'busybox:1', imageID: '', ...(ready.includes(name) ? { started: true, state: { running: { startedAt: now } } } : { state: { waiting: { reason: 'CreateContainerConfigError' } } }) }));
  await client.patch(Resources.Pod, { name: 'app-0', namespace: NS }, { type: 'merge', body: { status: { phase: 'Pending', conditions, containerStatuses } } }, { subresource: 'status' });
}

describe('container launch priority on a real kube-apiserver with kruise-ts-manager', () => {
  const env = useManagerCluster({ controller: 'containerlaunchpriority', resource: Resources.CloneSet, startCluster: () => startCloneSetCluster() });

  it('Ordered: the apiserver-called webhook gives each container its barrier env; the ConfigMap keys appear in order as containers become ready; the pod ends annotated completed', { timeout: 240_000 }, async () => {
    const { client } = env;
    await createNamespace(client, NS);
    const containers = ['init-db', 'app', 'proxy'].map((name) => ({ name, image: 'busybox:1' }));
    const pod = await client.create(Resources.Pod, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'app-0', namespace: NS, annotations: { 'apps.kruise.io/container-launch-priority': 'Ordered' } },
      spec: { nodeName: 'no-such-node', containers },
    });
    expect(pod.spec.containers.map(barrierOf)).toEqual([
      { name: 'app-0-barrier', key: 'p_0' },
      { name: 'app-0-barrier', key: 'p_-1' },
      { name: 'app-0-barrier', key: 'p_-2' },
    ]);
    await kubelet(client, []);
    await vi.waitFor(async () => {
      expect(await barrierKeys(client)).toEqual(['p_0']);
    }, LONG_WAIT);
    const cm = await client.get(Resources.ConfigMap, { name: 'app-0-barrier', namespace: NS });
    expect(cm.metadata.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'Pod', name: 'app-0', uid: pod.metadata.uid }]);
    await kubelet(client, ['init-db']);
    await vi.waitFor(async () => {
      expect(await barrierKeys(client)).toEqual(['p_-1', 'p_0']);
    }, LONG_WAIT);
    await kubelet(client, ['init-db', 'app']);
    await vi.waitFor(async () => {
      expect((await barrierKeys(client)).sort()).toEqual(['p_-1', 'p_-2', 'p_0']);
      const annotations = (await client.get(Resources.Pod, { name: 'app-0', namespace: NS })).metadata.annotations;
      expect(annotations?.['apps.kruise.io/container-launch-priority-completed']).toBe('true');
    }, LONG_WAIT);
  });
});
