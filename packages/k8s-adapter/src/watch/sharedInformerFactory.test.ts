import { describe, expect, it, vi } from 'vitest';
import { flushEventLoop } from '../memory/fakeClock.js';
import { Resources, type KubeObject } from '../resourceType.js';
import { labelIndexes } from './indexes.js';
import { createSharedInformerFactory, sharedInformerKey } from './sharedInformerFactory.js';
import { createFakeWatchClient } from './watch.testkit.js';

describe('createSharedInformerFactory', () => {
  it('shares one informer per type, namespace and selector, and stops it with its last reference', async () => {
    const fake = createFakeWatchClient<KubeObject>();
    fake.listResult = { items: [{ metadata: { name: 'a', namespace: 'default', resourceVersion: '1', labels: { app: 'web' } } }], resourceVersion: '1' };
    const factory = createSharedInformerFactory(fake.client, { backoff: { initialMs: 1, jitter: 0 } });
    const first = factory.informerFor(Resources.ConfigMap, { namespace: 'default' });
    const second = factory.informerFor(Resources.ConfigMap, { namespace: 'default', indexes: labelIndexes(['app']) });
    const other = factory.informerFor(Resources.ConfigMap, { namespace: 'other' });
    expect(factory.size).toBe(2);
    await Promise.all([first.synced, second.synced, other.synced]);
    expect(fake.lists.map((l) => l.namespace)).toEqual(['default', 'other']);
    expect(first.store.byIndex('label:app', 'web').map((o) => o.metadata.name)).toEqual(['a']);
    await vi.waitFor(() => {
      expect(fake.watches).toHaveLength(2);
    });
    const defaultWatch = fake.watches.find((w) => w.options.namespace === 'default');

    first.stop();
    first.stop(); // idempotent: releases one reference only
    await flushEventLoop();
    expect(defaultWatch?.aborted).toBe(false);
    second.stop();
    await flushEventLoop();
    expect(defaultWatch?.aborted).toBe(true);
    expect(factory.size).toBe(1);
    factory.stopAll();
    expect(factory.size).toBe(0);
    other.stop(); // after stopAll: harmless
  });

  it.each([
    ['caches Nodes as their scheduling view by default', undefined, { conditions: [{ type: 'Ready', status: 'True' }], allocatable: { pods: '110' } }],
    ['caches them whole when told to', { '/v1/nodes': (o: KubeObject) => o }, undefined],
  ])('%s', async (_story, transforms, status) => {
    const node: KubeObject = {
      metadata: { name: 'node-1', resourceVersion: '1', labels: { zone: 'a' }, managedFields: [{ manager: 'kubelet' }] },
      spec: { taints: [{ key: 'k', effect: 'NoSchedule' }] },
      status: { conditions: [{ type: 'Ready', status: 'True' }], allocatable: { pods: '110' }, images: [{ names: ['nginx:1'], sizeBytes: 1 }], nodeInfo: { kubeletVersion: 'v1.36.3' }, addresses: [{ type: 'InternalIP', address: '10.0.0.1' }] },
    };
    const fake = createFakeWatchClient<KubeObject>();
    fake.listResult = { items: [node], resourceVersion: '1' };
    const factory = createSharedInformerFactory(fake.client, { backoff: { initialMs: 1, jitter: 0 }, ...(transforms === undefined ? {} : { transforms }) });
    const nodes = factory.informerFor(Resources.Node);
    await nodes.synced;
    const cached = nodes.store.get({ name: 'node-1' });
    expect(cached).toEqual(status === undefined ? node : { metadata: { name: 'node-1', resourceVersion: '1', labels: { zone: 'a' } }, spec: node.spec, status });
    factory.stopAll();
  });

  it('keys by group, version, plural, namespace and selectors', () => {
    expect(sharedInformerKey(Resources.Pod, { namespace: 'default', labelSelector: 'app=web' })).toBe('/v1/pods|default|app=web|');
    expect(sharedInformerKey(Resources.ControllerRevision, {})).toBe('apps/v1/controllerrevisions|||');
  });
});
