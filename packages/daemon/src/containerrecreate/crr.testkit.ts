import { CRR_ACTIVE_LABEL, CRR_NODE_NAME_LABEL, CRR_POD_NAME_LABEL, CRR_POD_UID_LABEL, type ContainerRecreateRequest } from '@kruise-ts/core';
import { aContainerRecreateRequest } from '@kruise-ts/core/testing';
import { KruiseResources, type KubeObject, type MemoryCluster } from '@kruise-ts/k8s-adapter';

/** A ContainerRecreateRequest as the API returns it. */
export type CrrObject = ContainerRecreateRequest & KubeObject;

/**
 * Creates CRR `default/crr-web-0` of pod web-0 (uid u1) on node-a, active, recreating container
 * `app` whose runtime id is `app` (failurePolicy Fail, grace 20 s unless `options` say otherwise).
 */
export async function createCrr(c: MemoryCluster, app: string, options: Parameters<typeof aContainerRecreateRequest>[0] = {}, annotations: Record<string, string> = {}): Promise<CrrObject> {
  const crr = aContainerRecreateRequest({
    containers: [{ name: 'app', statusContext: { containerID: `containerd://${app}`, restartCount: 0 } }],
    strategy: { failurePolicy: 'Fail', terminationGracePeriodSeconds: 20 },
    labels: { [CRR_POD_NAME_LABEL]: 'web-0', [CRR_POD_UID_LABEL]: 'u1', [CRR_NODE_NAME_LABEL]: 'node-a', [CRR_ACTIVE_LABEL]: 'true' },
    ...options,
  });
  const { metadata, ...rest } = crr;
  return c.client.create(KruiseResources.ContainerRecreateRequest, { ...rest, apiVersion: 'apps.kruise.io/v1alpha1', kind: 'ContainerRecreateRequest', metadata: { name: metadata?.name ?? '', namespace: 'default', labels: metadata?.labels ?? {}, annotations } });
}

/** CRR `default/crr-web-0` as the apiserver has it. */
export const getCrr = async (c: MemoryCluster): Promise<CrrObject> => c.client.get(KruiseResources.ContainerRecreateRequest, { namespace: 'default', name: 'crr-web-0' });
