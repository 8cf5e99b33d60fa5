import type { CloneSet } from '@kruise-ts/core';
import { aCloneSet } from '@kruise-ts/core/testing';
import { KruiseResources, Resources, createMemoryCluster, type KubeClient, type KubeObject } from '@kruise-ts/k8s-adapter';
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
