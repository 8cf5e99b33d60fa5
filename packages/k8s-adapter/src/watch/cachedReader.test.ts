import { describe, expect, it, vi } from 'vitest';
import { NotFoundError } from '../errors.js';
import { createMemoryCluster } from '../memory/memoryCluster.js';
import { Resources, type KubeObject } from '../resourceType.js';
import { createCachedReader, type KubeReader } from './cachedReader.js';
import { createSharedInformerFactory } from './sharedInformerFactory.js';

/** The reads that reach the apiserver through `reader`'s fallback, as `get <plural> <ns>/<name>` / `list <plural> <ns or *>`. */
function spiedFallback(client: KubeReader) {
  const fallback: KubeReader = { get: (type, key, options) => client.get(type, key, options), list: (type, options) => client.list(type, options) };
  const get = vi.spyOn(fallback, 'get');
  const list = vi.spyOn(fallback, 'list');
  const reads = (): string[] => [
    ...get.mock.calls.map(([type, key]) => `get ${type.plural} ${key.namespace ?? ''}/${key.name}`),
    ...list.mock.calls.map(([type, options]) => `list ${type.plural} ${options?.namespace ?? '*'}`),
  ];
  const forget = (): void => {
    get.mockClear();
    list.mockClear();
  };
  return { fallback, reads, forget };
}

const configMap = (namespace: string, name: string): KubeObject => ({ metadata: { name, namespace, labels: { app: 'web' } } });

async function world(scope?: string) {
  const cluster = await createMemoryCluster({ nodes: 0 });
  for (const namespace of ['apps', 'other']) await cluster.client.create(Resources.Namespace, { metadata: { name: namespace } });
  await cluster.client.create(Resources.ConfigMap, configMap('apps', 'a'));
  await cluster.client.create(Resources.ConfigMap, configMap('other', 'b'));
  const informers = createSharedInformerFactory(cluster.client);
  const { fallback, reads, forget } = spiedFallback(cluster.client);
  const reader = createCachedReader({ client: fallback, informers, namespace: scope });
  return { cluster, informers, reader, reads, forget };
}

describe('createCachedReader', () => {
  it('answers through the client until the informer has synced, then from the cache only', async () => {
    const { cluster, informers, reader, reads, forget } = await world();
    await using _ = cluster;
    // First read: the informer starts, the client answers.
    expect((await reader.get(Resources.ConfigMap, { namespace: 'apps', name: 'a' })).metadata.name).toBe('a');
    expect(reads()).toEqual(['get configmaps apps/a']);
    await informers.informerFor(Resources.ConfigMap).synced;
    await vi.waitFor(async () => {
      forget();
      expect((await reader.list(Resources.ConfigMap, { namespace: 'apps' })).items.map((o) => o.metadata.name)).toEqual(['a']);
      expect(reads()).toEqual([]);
    });
    expect((await reader.get(Resources.ConfigMap, { namespace: 'other', name: 'b' })).metadata.name).toBe('b');
    expect((await reader.list(Resources.ConfigMap)).items.map((o) => o.metadata.name).sort()).toEqual(['a', 'b']);
    expect(reads()).toEqual([]);
    reader.stop();
    informers.stopAll();
  });

  it('a get the synced cache does not hold is NotFound, without asking the client (controller-runtime’s cached client)', async () => {
    const { cluster, informers, reader, reads, forget } = await world();
    await using _ = cluster;
    await reader.list(Resources.ConfigMap, { namespace: 'apps' });
    await informers.informerFor(Resources.ConfigMap).synced;
    await vi.waitFor(async () => {
      forget();
      await expect(reader.get(Resources.ConfigMap, { namespace: 'apps', name: 'missing' })).rejects.toBeInstanceOf(NotFoundError);
      expect(reads()).toEqual([]);
    });
    // A write reaches the cache by the watch: read back without a request once it has.
    await cluster.client.create(Resources.ConfigMap, configMap('apps', 'new'));
    await vi.waitFor(async () => {
      expect((await reader.get(Resources.ConfigMap, { namespace: 'apps', name: 'new' })).metadata.name).toBe('new');
    });
    expect(reads()).toEqual([]);
    reader.stop();
    informers.stopAll();
  });

  it('selectors, subresources and namespaces outside the scope go to the client', async () => {
    const { cluster, informers, reader, reads, forget } = await world('apps');
    await using _ = cluster;
    await reader.list(Resources.ConfigMap, { namespace: 'apps' });
    const handle = informers.informerFor(Resources.ConfigMap, { namespace: 'apps' });
    await handle.synced;
    handle.stop();
    await vi.waitFor(async () => {
      forget();
      await reader.list(Resources.ConfigMap, { namespace: 'apps' });
      expect(reads()).toEqual([]);
    });
    expect(informers.size).toBe(1);
    expect((await reader.get(Resources.ConfigMap, { namespace: 'other', name: 'b' })).metadata.name).toBe('b');
    expect((await reader.list(Resources.ConfigMap, { namespace: 'apps', labelSelector: 'app=web' })).items).toHaveLength(1);
    expect((await reader.list(Resources.ConfigMap)).items).toHaveLength(2);
    expect(reads()).toEqual(['get configmaps other/b', 'list configmaps apps', 'list configmaps *']);
    reader.stop();
    expect(informers.size).toBe(0);
  });
});
