import { Resources, ForbiddenError, type KubeClient, type ResourceType } from '@kruise-ts/k8s-adapter';
import { describe, expect, it, vi } from 'vitest';
import { LONG_WAIT, cloneSetManifest, createNamespace, getCloneSet } from './cloneSetManifest.js';
import { startCloneSetCluster } from './useCloneSetCluster.js';
import { useManagerCluster } from './statefulSetHarness.js';

// Deletion protection on a real apiserver: the manager process (deploy/'s service account) serves
// vdeletionprotection.kb.io with ResourcesDeletionProtection and DeletionProtectionForCRDCascadingGate on.

const P = 'forbidden by ResourcesProtectionDeletion for policy.kruise.io/delete-protection=';
const LABEL = 'policy.kruise.io/delete-protection';
const WIDGETS = { group: 'example.com', version: 'v1', kind: 'Widget', plural: 'widgets', namespaced: true } as ResourceType;

async function refusal(write: () => Promise<unknown>): Promise<Error> {
  try {
    await write();
  } catch (error) {
    return error as Error;
  }
  throw new Error('the delete went through');
}

const unlabel = (client: KubeClient, type: ResourceType, key: { name: string; namespace?: string }) =>
  client.patch(type, key, { type: 'json', operations: [{ op: 'remove', path: '/metadata/labels/policy.kruise.io~1delete-protection' }] });

describe('deletion protection (real apiserver, webhook called by it)', () => {
  const env = useManagerCluster({
    controller: 'cloneset',
    resource: Resources.CloneSet,
    startCluster: () => startCloneSetCluster(),
    args: ['--feature-gates=ResourcesDeletionProtection=true,DeletionProtectionForCRDCascadingGate=true'],
  });

  it('refuses deleting an Always namespace', async () => {
    const { client } = env;
    await client.create(Resources.Namespace, { metadata: { name: 'dp-always', labels: { [LABEL]: 'Always' } } });
    const error = await refusal(() => client.delete(Resources.Namespace, { name: 'dp-always' }));
    expect(error).toBeInstanceOf(ForbiddenError);
    expect(error.message).toContain(`${P}Always`);
    expect((await client.get(Resources.Namespace, { name: 'dp-always' })).metadata.deletionTimestamp).toBeUndefined();
    await unlabel(client, Resources.Namespace, { name: 'dp-always' });
    await client.delete(Resources.Namespace, { name: 'dp-always' });
  });

  it('refuses deleting a Cascading CloneSet while replicas > 0 and allows it at 0', async () => {
    const { client } = env;
    const ns = 'dp-cloneset';
    await createNamespace(client, ns);
    const manifest = cloneSetManifest('web', ns, { replicas: 2 });
    await client.create(Resources.CloneSet, { ...manifest, metadata: { ...manifest.metadata, labels: { [LABEL]: 'Cascading' } } });
    const error = await refusal(() => client.delete(Resources.CloneSet, { name: 'web', namespace: ns }));
    expect(error).toBeInstanceOf(ForbiddenError);
    expect(error.message).toContain(`${P}Cascading and replicas 2>0`);
    await client.patch(Resources.CloneSet, { name: 'web', namespace: ns }, { type: 'merge', body: { spec: { replicas: 0 } } });
    await vi.waitFor(async () => { expect((await getCloneSet(client, ns, 'web')).status?.replicas).toBe(0); }, LONG_WAIT);
    await client.delete(Resources.CloneSet, { name: 'web', namespace: ns });
  });

  it('refuses deleting a Cascading CRD that still has a custom resource', async () => {
    const { client } = env;
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com', labels: { [LABEL]: 'Cascading' } },
      spec: {
        group: 'example.com',
        scope: 'Namespaced',
        names: { kind: 'Widget', plural: 'widgets', singular: 'widget', listKind: 'WidgetList' },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
      },
    };
    await client.request('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', { body: crd });
    // The operator grants the manager list on the custom resources it protects (kruise-ts grants no wildcard).
    await client.request('POST', '/apis/rbac.authorization.k8s.io/v1/clusterroles', { body: { metadata: { name: 'kruise-ts-widgets' }, rules: [{ apiGroups: ['example.com'], resources: ['widgets'], verbs: ['list'] }] } });
    await client.request('POST', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', {
      body: { metadata: { name: 'kruise-ts-widgets' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'kruise-ts-widgets' }, subjects: [{ kind: 'ServiceAccount', name: 'kruise-ts-manager', namespace: 'kruise-system' }] },
    });
    await createNamespace(client, 'dp-crd');
    await vi.waitFor(async () => {
      await client.create(WIDGETS, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'dp-crd' } });
    }, LONG_WAIT);
    const error = await refusal(() => client.delete(Resources.CustomResourceDefinition, { name: 'widgets.example.com' }));
    expect(error).toBeInstanceOf(ForbiddenError);
    expect(error.message).toContain(`${P}Cascading and active CRs 1>0`);
    await client.delete(WIDGETS, { name: 'w', namespace: 'dp-crd' });
    await vi.waitFor(async () => {
      await client.delete(Resources.CustomResourceDefinition, { name: 'widgets.example.com' });
    }, LONG_WAIT);
  });
});
