import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Resources, defineResource, type KubeObject, type ResourceType } from '@kruise-ts/k8s-adapter';
import type { TestCluster } from '@kruise-ts/k8s-adapter/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { cloneSetManifest, isReady, podsOf } from './cloneSetManifest.js';
import { startCloneSetCluster } from './useCloneSetCluster.js';
import { startManager, type ManagerProcess } from './managerProcess.js';

const rbacGroup = (kind: string, plural: string, namespaced: boolean): ResourceType => defineResource({ group: 'rbac.authorization.k8s.io', version: 'v1', kind, plural, namespaced });
const TYPES: Record<string, ResourceType> = {
  Namespace: Resources.Namespace,
  ServiceAccount: defineResource({ group: '', version: 'v1', kind: 'ServiceAccount', plural: 'serviceaccounts', namespaced: true }),
  ClusterRole: rbacGroup('ClusterRole', 'clusterroles', false),
  ClusterRoleBinding: rbacGroup('ClusterRoleBinding', 'clusterrolebindings', false),
  Role: rbacGroup('Role', 'roles', true),
  RoleBinding: rbacGroup('RoleBinding', 'rolebindings', true),
};

async function applyFile(cluster: TestCluster, relative: string): Promise<void> {
  const text = readFileSync(fileURLToPath(new URL(`../../../../deploy/${relative}`, import.meta.url)), 'utf8');
  for (const doc of parseAllDocuments(text)) {
    const object = doc.toJS() as KubeObject;
    const type = TYPES[object.kind ?? ''];
    if (type === undefined) throw new Error(`no resource type for ${object.kind ?? '?'}`);
    await cluster.client.create(type, object);
  }
}

describe('the generated RBAC (deploy/manager/rbac.yaml) is enough for the manager', () => {
  let cluster: TestCluster;
  let manager: ManagerProcess | undefined;
  beforeAll(async () => {
    cluster = await startCloneSetCluster();
  });
  afterAll(async () => {
    await manager?.kill('SIGKILL');
    await cluster.stop();
  });

  it('scales and updates a CloneSet in place as the kruise-ts-manager service account, with no forbidden request', async () => {
    await applyFile(cluster, 'manager/namespace.yaml');
    await applyFile(cluster, 'manager/rbac.yaml');
    const kubeconfig = await cluster.kubeconfigFor('system:serviceaccount:kruise-system:kruise-ts-manager', ['system:serviceaccounts', 'system:serviceaccounts:kruise-system']);
    manager = startManager(kubeconfig, ['--leader-election-namespace=kruise-system']);
    await manager.waitForLog('starting controllers');
    const { client } = cluster;
    await client.create(Resources.Namespace, { metadata: { name: 'rbac' } });
    await client.create(Resources.CloneSet, cloneSetManifest('web', 'rbac', { replicas: 3, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { podUpdatePolicy: 'InPlaceIfPossible' } } }));
    await vi.waitFor(async () => {
      expect((await podsOf(client, 'rbac', 'web')).filter(isReady)).toHaveLength(3);
    }, { timeout: 60_000, interval: 250 });
    await client.patch(Resources.CloneSet, { name: 'web', namespace: 'rbac' }, { type: 'merge', body: { spec: { replicas: 4, template: { spec: { containers: [{ name: 'app', image: 'nginx:1.26' }] } } } } });
    await vi.waitFor(async () => {
      const cs = await client.get(Resources.CloneSet, { name: 'web', namespace: 'rbac' });
      expect(cs.status?.observedGeneration).toBe(cs.metadata.generation);
      expect(cs.status).toMatchObject({ replicas: 4, updatedReplicas: 4, updatedReadyReplicas: 4 });
    }, { timeout: 60_000, interval: 250 });
    const events = await client.list(Resources.Event, { namespace: 'rbac' });
    expect(events.items.length).toBeGreaterThan(0);
    const forbidden = manager.logs.filter((l) => JSON.stringify(l).includes('Forbidden'));
    expect(forbidden).toEqual([]);
  });
});
