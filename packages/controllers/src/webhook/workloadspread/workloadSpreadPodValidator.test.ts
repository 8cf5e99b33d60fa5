import { MATCHED_WORKLOADSPREAD_ANNOTATION, type Pod } from '@kruise-ts/core';
import { aPod, aWorkloadSpread } from '@kruise-ts/core/testing';
import { KruiseResources, Resources, createMemoryCluster, type MemoryCluster } from '@kruise-ts/k8s-adapter';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../runtime/logger.js';
import type { AdmissionContext, AdmissionRequest } from '../admissionTypes.js';
import { workloadSpreadPodValidator } from './workloadSpreadPodValidator.js';

const context: AdmissionContext = { signal: new AbortController().signal, logger: createLogger({ level: 'silent' }) };
let cluster: MemoryCluster | undefined;
afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

const owned = (name: string, subset?: string): Pod => {
  const pod = aPod({ name, namespace: 'apps' });
  const annotations = subset === undefined ? {} : { [MATCHED_WORKLOADSPREAD_ANNOTATION]: JSON.stringify({ name: 'web-ws', subset }) };
  return { ...pod, metadata: { ...pod.metadata, annotations, ownerReferences: [{ apiVersion: 'apps.kruise.io/v1alpha1', kind: 'CloneSet', name: 'web', uid: 'cs', controller: true }] } };
};
const podRequest = (operation: 'DELETE' | 'CREATE', pod: Pod, extra: Partial<AdmissionRequest> = {}): AdmissionRequest => ({
  uid: 'u',
  kind: { group: '', version: 'v1', kind: operation === 'CREATE' ? 'Eviction' : 'Pod' },
  resource: { group: '', version: 'v1', resource: 'pods' },
  namespace: 'apps',
  name: pod.metadata.name,
  operation,
  ...(operation === 'DELETE' ? { oldObject: pod } : { subResource: 'eviction', object: {} }),
  ...extra,
});

async function scene() {
  cluster = await createMemoryCluster({ nodes: 0 });
  cluster.registerResource(KruiseResources.WorkloadSpread);
  await cluster.client.create(Resources.Namespace, { metadata: { name: 'apps' } });
  const ws = await cluster.client.create(KruiseResources.WorkloadSpread, aWorkloadSpread({ namespace: 'apps' }) as never);
  await cluster.client.replace(KruiseResources.WorkloadSpread, { ...ws, status: { subsetStatuses: [{ name: 'zone-a', replicas: 2, missingReplicas: 0 }, { name: 'zone-b', replicas: 0, missingReplicas: 2 }, { name: 'zone-c', replicas: 0, missingReplicas: -1 }] } }, { subresource: 'status' });
  const read = async () => (await (cluster as MemoryCluster).client.get(KruiseResources.WorkloadSpread, { namespace: 'apps', name: 'web-ws' })).status?.subsetStatuses?.[0];
  return { validator: workloadSpreadPodValidator({ client: cluster.client, clock: cluster.clock }), read, client: cluster.client };
}

describe('workloadSpreadPodValidator', () => {
  it('an eviction of a zone-a pod gives zone-a its slot back (deletingPods), a retried one changes nothing', async () => {
    const { validator, read, client } = await scene();
    const pod = owned('web-0', 'zone-a');
    await client.create(Resources.Pod, pod as never);
    expect(await validator.validate(podRequest('CREATE', pod), context)).toEqual({ kind: 'allow' });
    expect(await read()).toMatchObject({ missingReplicas: 1, deletingPods: { 'web-0': expect.any(String) as unknown } });
    expect(await validator.validate(podRequest('DELETE', pod), context)).toEqual({ kind: 'allow' });
    expect((await read())?.missingReplicas).toBe(1);
  });

  it.each<[string, Pod, Partial<AdmissionRequest>]>([
    ['a dry run', owned('web-1', 'zone-a'), { dryRun: true }],
    ['a pod of no WorkloadSpread', owned('web-2'), {}],
    ['a pod of a subset no longer there', owned('web-3', 'zone-z'), {}],
  ])('%s is allowed and writes nothing', async (_story, pod, extra) => {
    const { validator, read } = await scene();
    expect(await validator.validate(podRequest('DELETE', pod, extra), context)).toEqual({ kind: 'allow' });
    expect(await read()).toEqual({ name: 'zone-a', replicas: 2, missingReplicas: 0 });
  });
});
