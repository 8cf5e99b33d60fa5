import { Resources, createMemoryCluster, type MemoryCluster } from '@kruise-ts/k8s-adapter';
import { afterEach, describe, expect, it } from 'vitest';
import { runNodeLoop } from './runNodeLoop.js';

let cluster: MemoryCluster | undefined;
afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (condition()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error('condition not reached');
}

const configMap = (name: string, node: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default', labels: { node } } });

describe('runNodeLoop (memory cluster)', () => {
  it("delivers only this node's objects, says synced after the list, and stops the informer then awaits onStop on abort", async () => {
    cluster = await createMemoryCluster({ nodes: 0, clock: { mode: 'auto' } });
    await cluster.client.create(Resources.ConfigMap, configMap('before', 'node-a'));
    await cluster.client.create(Resources.ConfigMap, configMap('other', 'node-b'));
    const seen: string[] = [];
    const order: string[] = [];
    let listed = 0;
    const abort = new AbortController();
    const running = runNodeLoop({ client: cluster.client, nodeName: 'node-a', clock: cluster.clock }, {
      type: Resources.ConfigMap,
      select: { labelSelector: 'node=node-a' },
      onStart: (store) => { listed = store.list().length; },
      onEvent: (event) => { seen.push(`${event.type}:${event.object.metadata.name ?? ''}`); },
      onSynced: () => { order.push('synced'); },
      onStop: async () => {
        await Promise.resolve();
        order.push('stopped');
      },
    }, abort.signal);
    await until(() => order.includes('synced'));
    await cluster.client.create(Resources.ConfigMap, configMap('after', 'node-a'));
    await cluster.client.create(Resources.ConfigMap, configMap('later-other', 'node-b'));
    await until(() => seen.includes('added:after'));
    abort.abort();
    await running;
    expect(listed).toBe(0); // onStart runs before the first list
    expect(seen).toEqual(['added:before', 'added:after']);
    expect(order).toEqual(['synced', 'stopped']);
  });

  it('returns without calling onSynced when the signal is already aborted', async () => {
    cluster = await createMemoryCluster({ nodes: 0, clock: { mode: 'auto' } });
    const calls: string[] = [];
    const abort = new AbortController();
    abort.abort();
    await runNodeLoop({ client: cluster.client, nodeName: 'node-a', clock: cluster.clock }, { type: Resources.ConfigMap, select: {}, onEvent: () => undefined, onSynced: () => calls.push('synced'), onStop: () => { calls.push('stopped'); } }, abort.signal);
    expect(calls).toEqual(['stopped']);
  });
});
