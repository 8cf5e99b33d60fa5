import type { CloneSet } from '@kruise-ts/core';
import { aCloneSet } from '@kruise-ts/core/testing';
import { KruiseResources, Resources, createCachedReader, createMemoryCluster, createSharedInformerFactory, type KubeClient, type KubeObject } from '@kruise-ts/k8s-adapter';
import { describe, expect, it, vi } from 'vitest';
import { createLogger } from '../runtime/logger.js';
import { FEATURE_GATE_DEFAULTS } from './featureGates.js';
import { createManager } from './createManager.js';

describe('createManager shutdown', () => {
  it('does not wait on an apiserver that never answers Event writes: stops 2 s (of its clock) after the signal, dropping them', async () => {
    const cluster = await createMemoryCluster({ nodes: 1, clock: { mode: 'manual', start: Date.UTC(2025, 0, 1) } });
    cluster.registerResource(KruiseResources.CloneSet, { scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.labelSelector' } });
    await cluster.client.create(Resources.Namespace, { metadata: { name: 'apps' } });
    const lines: string[] = [];
    let eventWrites = 0;
    const stuck: Pick<KubeClient, 'create' | 'patch'> = {
      create: () => {
        eventWrites += 1;
        return new Promise(() => undefined);
      },
      patch: () => new Promise(() => undefined),
    };
    const manager = createManager({
      client: cluster.client,
      clock: cluster.clock,
      logger: createLogger({ level: 'warn', destination: { write: (line: string) => lines.push(line) } }),
      featureGates: FEATURE_GATE_DEFAULTS,
      controllers: ['cloneset'],
      workers: {},
      resizeSubresource: true,
      eventClient: stuck,
    });
    const abort = new AbortController();
    let stopped = false;
    const running = manager.run(abort.signal).then(() => (stopped = true));
    await cluster.client.create(KruiseResources.CloneSet, aCloneSet({ name: 'web', namespace: 'apps', replicas: 3 }) as CloneSet & KubeObject);
    await vi.waitFor(() => {
      expect(eventWrites).toBe(1); // the first SuccessfulCreate hangs; the others queue behind it
    });
    abort.abort();
    await cluster.clock.advance(1999);
    expect(stopped).toBe(false);
    await cluster.clock.advance(1);
    await running;
    expect(lines.filter((l) => l.includes('events still waiting at shutdown were dropped'))).toEqual([expect.stringContaining('"dropped":2')]);
    await cluster.close();
  });
});

describe('createManager with the process’s informer factory', () => {
  it('the controllers and the webhooks\' reader share one pod informer; the factory outlives the run', async () => {
    const cluster = await createMemoryCluster({ nodes: 1 });
    cluster.registerResource(KruiseResources.CloneSet, { scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.labelSelector' } });
    await cluster.client.create(Resources.Namespace, { metadata: { name: 'apps' } });
    const informers = createSharedInformerFactory(cluster.client);
    const reader = createCachedReader({ client: cluster.client, informers });
    const manager = createManager({ client: cluster.client, clock: cluster.clock, logger: createLogger({ level: 'silent' }), featureGates: FEATURE_GATE_DEFAULTS, controllers: ['cloneset'], workers: {}, resizeSubresource: true, informers });
    const abort = new AbortController();
    const running = manager.run(abort.signal);
    await vi.waitFor(() => {
      expect(manager.isReady()).toBe(true);
    });
    const before = informers.size;
    await reader.list(Resources.Pod, { namespace: 'apps' });
    await reader.list(Resources.PersistentVolumeClaim, { namespace: 'apps' });
    expect(informers.size).toBe(before); // the CloneSet controller's pod and PVC informers serve the reader too
    await cluster.client.create(KruiseResources.CloneSet, aCloneSet({ name: 'web', namespace: 'apps', replicas: 2 }) as CloneSet & KubeObject);
    await vi.waitFor(async () => {
      expect((await reader.list(Resources.Pod, { namespace: 'apps' })).items).toHaveLength(2);
    });
    abort.abort();
    await running;
    expect(informers.size).toBeGreaterThan(0); // still the reader's
    reader.stop();
    informers.stopAll();
    await cluster.close();
  });

  it('starts no controller and no informer before beforeControllers resolves (the webhooks ready: CRD conversions set)', async () => {
    const cluster = await createMemoryCluster({ nodes: 1 });
    cluster.registerResource(KruiseResources.CloneSet, { scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.labelSelector' } });
    const informers = createSharedInformerFactory(cluster.client);
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const manager = createManager({ client: cluster.client, clock: cluster.clock, logger: createLogger({ level: 'silent' }), featureGates: FEATURE_GATE_DEFAULTS, controllers: ['cloneset'], workers: {}, resizeSubresource: true, informers, beforeControllers: () => gate });
    const abort = new AbortController();
    const running = manager.run(abort.signal);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(informers.size).toBe(0);
    expect(manager.isReady()).toBe(false);
    release();
    await vi.waitFor(() => {
      expect(manager.isReady()).toBe(true);
    });
    expect(informers.size).toBeGreaterThan(0);
    abort.abort();
    await running;
    informers.stopAll();
    await cluster.close();
  });
});
