import { withSidecarSetDefaults, withSidecarSetHashAnnotations, type Pod, type SidecarSet } from '@kruise-ts/core';
import { Resources, createMemoryCluster, type MemoryCluster } from '@kruise-ts/k8s-adapter';
import { afterEach, describe, expect, it } from 'vitest';
import { admitAsWebhooks } from '../testing/admitAsWebhooks.js';
import { createBuiltinWebhooks } from './createBuiltinWebhooks.js';
import { staticSidecarSetSource } from './sidecarset/sidecarSetSource.js';

let cluster: MemoryCluster | undefined;
afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

const log: SidecarSet = withSidecarSetHashAnnotations(
  withSidecarSetDefaults({
    apiVersion: 'apps.kruise.io/v1beta1',
    kind: 'SidecarSet',
    metadata: { name: 'log' },
    spec: { selector: { matchLabels: { app: 'web' } }, containers: [{ name: 'fluentd', image: 'fluentd:1' }] },
  }),
);

const ordered: Pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web-0', namespace: 'apps', labels: { app: 'web' }, annotations: { 'apps.kruise.io/container-launch-priority': 'Ordered' } },
  spec: { containers: [{ name: 'app', image: 'nginx:1.25' }, { name: 'proxy', image: 'envoy:1' }] },
};

type Container = Pod['spec']['containers'][number];
const barrierKey = (container: Container): unknown => {
  const valueFrom = container.env?.find((e) => e.name === 'KRUISE_CONTAINER_BARRIER')?.valueFrom as { configMapKeyRef?: { key?: string } } | undefined;
  return valueFrom?.configMapKeyRef?.key;
};

describe('createBuiltinWebhooks: the /mutate-pod chain in one place', () => {
  it('orders containers by launch priority without any mutator passed in (the manager and library users get the same chain)', async () => {
    cluster = await createMemoryCluster({ nodes: 0 });
    const webhooks = createBuiltinWebhooks({ client: cluster.client, managerNamespace: 'kruise-system' });
    const admitted = (await admitAsWebhooks(webhooks, Resources.Pod, 'CREATE', ordered as never)) as Pod;
    expect(admitted.spec.containers.map((c) => [c.name, barrierKey(c)])).toEqual([['app', 'p_0'], ['proxy', 'p_-1']]);
  });

  it('injects SidecarSet sidecars first when given the SidecarSet cache, so launch priority orders the injected sidecar too', async () => {
    cluster = await createMemoryCluster({ nodes: 0 });
    const webhooks = createBuiltinWebhooks({ client: cluster.client, managerNamespace: 'kruise-system', sidecarSets: staticSidecarSetSource({ sidecarSets: [log] }) });
    const admitted = (await admitAsWebhooks(webhooks, Resources.Pod, 'CREATE', ordered as never)) as Pod;
    const names = admitted.spec.containers.map((c) => c.name);
    expect(names).toContain('fluentd');
    expect(admitted.spec.containers.every((c) => barrierKey(c) !== undefined)).toBe(true);
  });
});
