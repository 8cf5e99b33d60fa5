import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { GoneError } from '../../src/errors.js';
import type { KubeClient, ListOptions, ObjectList, WatchOptions } from '../../src/ports.js';
import { Resources, type KubeObject, type ResourceType } from '../../src/resourceType.js';
import { startTestCluster, type TestCluster } from '../../src/testing/index.js';
import { createInformer, labelIndexes, type Informer, type InformerEvent, type InformerMetric, type InformerOptions } from '../../src/watch/index.js';

const ConfigMaps = Resources.ConfigMap;
const ns = 'default';
type ConfigMap = KubeObject & { data?: Record<string, string> };

const summary = (events: readonly InformerEvent<ConfigMap>[]): string[] =>
  events.map((e) => `${e.type} ${e.object.metadata.name ?? ''}${e.type === 'updated' ? ` ${e.previous.data?.v ?? ''}→${e.object.data?.v ?? ''}` : ''}`);
const restarts = (metrics: readonly InformerMetric[]): string[] => metrics.flatMap((m) => (m.kind === 'watch-restart' ? [m.reason] : []));

type WatchMode = 'hang' | 'hang-after-first-event' | 'gone' | 'pass';

/** Wraps `client` so that its lists and watches can be tampered with, one call at a time. */
function tamper(
  client: KubeClient,
  hooks: { list?: (call: number, result: ObjectList<KubeObject>) => Promise<ObjectList<KubeObject>>; watch?: (call: number) => WatchMode },
): KubeClient {
  let lists = 0;
  let watches = 0;
  return {
    ...client,
    list: async <T extends KubeObject>(type: ResourceType<T>, options?: ListOptions) => {
      const result = await client.list(type, options);
      return ((await hooks.list?.(lists++, result)) ?? result) as ObjectList<T>;
    },
    watch: <T extends KubeObject>(type: ResourceType<T>, options: WatchOptions = {}) => {
      const mode = hooks.watch?.(watches++) ?? 'pass';
      if (mode === 'pass') return client.watch(type, options);
      return (async function* () {
        if (mode === 'gone') throw new GoneError({ verb: 'GET', path: 'watch' }, 410, { reason: 'Gone', message: 'injected' });
        if (mode === 'hang') await new Promise((resolve) => options.signal?.addEventListener('abort', resolve, { once: true }));
        else for await (const event of client.watch(type, options)) {
          yield event;
          // A half-open connection: nothing more arrives, and nothing says so, until aborted.
          await new Promise((resolve) => options.signal?.addEventListener('abort', resolve, { once: true }));
          return;
        }
      })();
    },
  };
}

describe('informer against a real kube-apiserver', () => {
  let cluster: TestCluster;
  let informer: Informer<ConfigMap> | undefined;
  let run = 0;
  let label = '';
  beforeAll(async () => {
    cluster = await startTestCluster({ nodes: 0 });
  });
  afterAll(async () => {
    await cluster.stop();
  });
  afterEach(() => {
    informer?.stop();
  });

  const configMap = (name: string, v: string): ConfigMap => ({ metadata: { name, namespace: ns, labels: { test: label } }, data: { v } });
  function start(client: KubeClient, options: InformerOptions<ConfigMap> = {}) {
    const events: InformerEvent<ConfigMap>[] = [];
    const metrics: InformerMetric[] = [];
    informer = createInformer(client, ConfigMaps, { namespace: ns, labelSelector: `test=${label}`, onMetric: (m) => metrics.push(m), ...options });
    informer.events$.subscribe((e) => events.push(e));
    return { informer, events, metrics };
  }
  const names = (i: Informer<ConfigMap>): string[] => i.store.list().map((o) => o.metadata.name ?? '').sort();
  const beforeEachTest = (): void => {
    label = `run-${String(run++)}`;
  };

  it('lists, syncs, then delivers watch events with previous objects and an index by label', async () => {
    beforeEachTest();
    const { client } = cluster;
    await client.create(ConfigMaps, configMap('one', '1'));
    await client.create(ConfigMaps, configMap('two', '1'));
    const { informer, events } = start(client, { indexes: labelIndexes(['test']) });
    await informer.synced;
    expect(names(informer)).toEqual(['one', 'two']);
    await client.create(ConfigMaps, configMap('three', '1'));
    await client.patch(ConfigMaps, { name: 'one', namespace: ns }, { type: 'merge', body: { data: { v: '2' } } });
    await client.delete(ConfigMaps, { name: 'two', namespace: ns });
    await vi.waitFor(() => {
      expect(events).toHaveLength(5);
    });
    expect(summary(events)).toEqual(['added one', 'added two', 'added three', 'updated one 1→2', 'deleted two']);
    expect(informer.store.byIndex('label:test', label).map((o) => o.metadata.name).sort()).toEqual(['one', 'three']);
  });

  it('resumes from its resourceVersion when the server ends each watch (1 s timeout): every change once, no relist', async () => {
    beforeEachTest();
    const { informer, events, metrics } = start(cluster.client, { watchdogMs: 1_500 });
    await informer.synced;
    const ended = (): number => restarts(metrics).filter((r) => r === 'watch-ended').length;
    // The changes spread over several watches: after each create, wait (not a fixed time) until
    // the informer has it and the server has ended a watch since.
    for (let i = 0; i < 4; i++) {
      const before = ended();
      await cluster.client.create(ConfigMaps, configMap(`cm-${String(i)}`, '1'));
      await vi.waitFor(() => {
        expect(names(informer)).toHaveLength(i + 1);
        expect(ended()).toBeGreaterThan(before);
      }, { timeout: 10_000, interval: 20 });
    }
    expect(summary(events)).toEqual(['added cm-0', 'added cm-1', 'added cm-2', 'added cm-3']);
    expect(ended()).toBeGreaterThanOrEqual(4);
    expect(metrics.filter((m) => m.kind === 'relist')).toEqual([]);
  });

  it('restarts a watch that went silent (watchdog) and catches up on what it missed', async () => {
    beforeEachTest();
    const client = tamper(cluster.client, { watch: (call) => (call === 0 ? 'hang-after-first-event' : 'pass') });
    const { informer, events, metrics } = start(client, { watchdogMs: 3_000 });
    await informer.synced;
    await cluster.client.create(ConfigMaps, configMap('before', '1'));
    await vi.waitFor(() => {
      expect(names(informer)).toEqual(['before']);
    });
    await cluster.client.create(ConfigMaps, configMap('missed', '1')); // lost in the silent watch
    await vi.waitFor(() => {
      expect(names(informer)).toEqual(['before', 'missed']);
    }, { timeout: 10_000 });
    expect(restarts(metrics)[0]).toBe('watchdog');
    expect(summary(events)).toEqual(['added before', 'added missed']);
  });

  it('on an injected 410 relists and emits the difference: deleted for what vanished, updated with previous', async () => {
    beforeEachTest();
    await cluster.client.create(ConfigMaps, configMap('stays', '1'));
    await cluster.client.create(ConfigMaps, configMap('goes', '1'));
    const client = tamper(cluster.client, {
      // The first list is answered, then the world changes before the (failing) first watch.
      list: async (call, result) => {
        if (call === 0) {
          await cluster.client.delete(ConfigMaps, { name: 'goes', namespace: ns });
          await cluster.client.patch(ConfigMaps, { name: 'stays', namespace: ns }, { type: 'merge', body: { data: { v: '2' } } });
        }
        return result;
      },
      watch: (call) => (call === 0 ? 'gone' : 'pass'),
    });
    const { informer, events, metrics } = start(client);
    await informer.synced;
    // The relist waits out the first back-off (800 ms ± 20 %): more than waitFor's default second under load.
    await vi.waitFor(() => {
      expect(events).toHaveLength(4);
    }, { timeout: 10_000 });
    expect(summary(events)).toEqual(['added goes', 'added stays', 'updated stays 1→2', 'deleted goes']);
    expect(names(informer)).toEqual(['stays']);
    expect(restarts(metrics)).toEqual(['gone']);
  });
  // Faults of issue 20 on the real control plane: the informer must come back by itself.
  it('kube-apiserver restarted: the watch breaks, the informer resumes or relists, and every change made meanwhile arrives once', async () => {
    beforeEachTest();
    const { informer, events, metrics } = start(cluster.client, { watchdogMs: 5_000 });
    await informer.synced;
    await cluster.client.create(ConfigMaps, configMap('pre-restart', '1'));
    await vi.waitFor(() => {
      expect(names(informer)).toEqual(['pre-restart']);
    });
    await cluster.restartApiServer();
    await cluster.client.create(ConfigMaps, configMap('post-restart', '1'));
    await cluster.client.patch(ConfigMaps, { name: 'pre-restart', namespace: ns }, { type: 'merge', body: { data: { v: '2' } } });
    await vi.waitFor(() => {
      expect(names(informer)).toEqual(['post-restart', 'pre-restart']);
      expect(informer.store.get({ name: 'pre-restart', namespace: ns })?.data?.v).toBe('2');
    }, { timeout: 30_000, interval: 100 });
    expect(summary(events)).toEqual(['added pre-restart', 'added post-restart', 'updated pre-restart 1→2']);
    expect(restarts(metrics).length).toBeGreaterThanOrEqual(1);
  });

  it('etcd frozen for 3 s: a write made meanwhile lands once etcd is back, and the informer sees it', async () => {
    beforeEachTest();
    const { informer, events } = start(cluster.client, { watchdogMs: 5_000 });
    await informer.synced;
    const paused = cluster.pauseEtcd(3_000);
    const written = cluster.client.create(ConfigMaps, configMap('during-pause', '1'));
    await paused;
    await written;
    await vi.waitFor(() => {
      expect(names(informer)).toEqual(['during-pause']);
    }, { timeout: 30_000, interval: 100 });
    expect(summary(events)).toEqual(['added during-pause']);
  });

});

describe('informer against a kube-apiserver that compacts every second (no watch cache)', () => {
  let cluster: TestCluster;
  beforeAll(async () => {
    cluster = await startTestCluster({ nodes: 0, apiServerArgs: ['--etcd-compaction-interval=1s', '--watch-cache=false'] });
  });
  afterAll(async () => {
    await cluster.stop();
  });

  it('resumes a silent watch from a compacted resourceVersion, gets a real 410 Expired, relists and emits the difference', async () => {
    const { client } = cluster;
    const cm = (name: string): ConfigMap => ({ metadata: { name, namespace: ns, labels: { test: 'compaction' } } });
    await client.create(ConfigMaps, cm('old'));
    const tampered = tamper(client, { watch: (call) => (call === 0 ? 'hang' : 'pass') });
    const events: InformerEvent<ConfigMap>[] = [];
    const metrics: InformerMetric[] = [];
    const informer = createInformer(tampered, ConfigMaps, { namespace: ns, labelSelector: 'test=compaction', watchdogMs: 4_000, onMetric: (m) => metrics.push(m) });
    try {
      informer.events$.subscribe((e) => events.push(e));
      await informer.synced;
      await client.create(ConfigMaps, cm('new'));
      await client.delete(ConfigMaps, { name: 'old', namespace: ns });
      await vi.waitFor(() => {
        expect(summary(events)).toEqual(['added old', 'added new', 'deleted old']);
      }, { timeout: 15_000 });
      expect(restarts(metrics)).toEqual(['watchdog', 'gone']);
      const gone = metrics.find((m) => m.kind === 'watch-restart' && m.reason === 'gone');
      expect(gone?.kind === 'watch-restart' ? String(gone.error) : '').toMatch(/too old/);
      expect(metrics.filter((m) => m.kind === 'relist')).toEqual([{ kind: 'relist', resource: 'configmaps', size: 1 }]);
    } finally {
      informer.stop();
    }
  });

});
