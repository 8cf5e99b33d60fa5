import type { Pod } from '@kruise-ts/core';
import { KruiseResources, Resources, type KubeObject } from '@kruise-ts/k8s-adapter';
import type { TestCluster } from '@kruise-ts/k8s-adapter/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LONG_WAIT, createNamespace } from './cloneSetManifest.js';
import { startCloneSetCluster } from './useCloneSetCluster.js';
import type { ManagerProcess } from './managerProcess.js';
import { startControllerManager } from './statefulSetHarness.js';
import { applyDeployManifests } from './webhookHarness.js';

// EphemeralJob on a real kube-apiserver (kwok nodes) with the kruise-ts-manager process running
// the controller as deploy/'s service account: its ephemeral containers reach the matching pods
// through the pods/ephemeralcontainers subresource.

type Injected = Pod & KubeObject & { spec: { ephemeralContainers?: { name: string; image?: string; env?: { name: string; value?: string }[] }[] } };
const NS = 'ejob';

describe('EphemeralJob on a real kube-apiserver with kruise-ts-manager', () => {
  let cluster: TestCluster | undefined;
  let manager: ManagerProcess | undefined;
  beforeAll(async () => {
    cluster = await startCloneSetCluster();
    await applyDeployManifests(cluster.client, 'manager/namespace.yaml');
    await applyDeployManifests(cluster.client, 'manager/rbac.yaml');
    const kubeconfig = await cluster.kubeconfigFor('system:serviceaccount:kruise-system:kruise-ts-manager', ['system:serviceaccounts', 'system:serviceaccounts:kruise-system']);
    manager = await startControllerManager(kubeconfig, 'ephemeraljob');
  }, 180_000);
  afterAll(async () => {
    await manager?.kill('SIGKILL');
    await cluster?.stop();
  });

  it('adds its ephemeral container to the 3 matching pods (of 5) through the ephemeralcontainers subresource', { timeout: 180_000 }, async () => {
    const client = cluster!.client;
    await createNamespace(client, NS);
    for (const [i, app] of ['web', 'web', 'web', 'db', 'db'].entries()) {
      await client.create(Resources.Pod, { metadata: { name: `${app}-${String(i)}`, namespace: NS, labels: { app } }, spec: { containers: [{ name: 'main', image: 'nginx:1' }] } });
    }
    await vi.waitFor(async () => {
      expect((await client.list(Resources.Pod, { namespace: NS })).items.map((p) => p.status?.phase)).toEqual(['Running', 'Running', 'Running', 'Running', 'Running']);
    }, LONG_WAIT);
    const job = await client.create(KruiseResources.EphemeralJob, {
      apiVersion: 'apps.kruise.io/v1alpha1',
      kind: 'EphemeralJob',
      metadata: { name: 'debug', namespace: NS },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        parallelism: 3,
        template: { ephemeralContainers: [{ name: 'debugger', image: 'busybox:1', imagePullPolicy: 'IfNotPresent', terminationMessagePolicy: 'File', command: ['sh', '-c', 'sleep 1'] }] },
      },
    });
    await vi.waitFor(async () => {
      const pods = (await client.list(Resources.Pod, { namespace: NS })).items as unknown as Injected[];
      const injected = pods.filter((p) => (p.spec.ephemeralContainers ?? []).length > 0).map((p) => p.metadata.name).sort();
      expect(injected).toEqual(['web-0', 'web-1', 'web-2']);
    }, LONG_WAIT);
    const pod = await client.get(Resources.Pod, { namespace: NS, name: 'web-1' });
    expect(pod.spec.ephemeralContainers).toEqual([expect.objectContaining({ name: 'debugger', image: 'busybox:1', env: [{ name: 'KRUISE_EJOB_ID', value: job.metadata.uid }] })]);
    await vi.waitFor(async () => {
      const status = (await client.get(KruiseResources.EphemeralJob, { namespace: NS, name: 'debug' })).status;
      expect(status?.match).toBe(3);
      expect(typeof status?.startTime).toBe('string');
    }, LONG_WAIT);
  });
});
