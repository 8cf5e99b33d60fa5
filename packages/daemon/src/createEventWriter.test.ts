import { Resources, createMemoryCluster } from '@kruise-ts/k8s-adapter';
import { describe, expect, it, vi } from 'vitest';
import { createEventWriter } from './createEventWriter.js';

describe('createEventWriter (in-memory cluster)', () => {
  it('writes a core/v1 Event per emit, cluster-scoped subjects in default, and reports failed writes', async () => {
    await using cluster = await createMemoryCluster({ nodes: 0 });
    const failures: unknown[] = [];
    const sink = createEventWriter({ client: cluster.client, clock: cluster.clock, component: 'kruise-daemon-imagepuller', host: 'node-a', onError: (e) => failures.push(e) });
    sink.emit({ subject: { apiVersion: 'apps.kruise.io/v1beta1', kind: 'NodeImage', name: 'node-a' }, type: 'Normal', reason: 'PullImageSucceed', message: 'Image app:1, ecalpsedTime 3s' });
    sink.emit({ subject: { kind: 'ImagePullJob', name: 'job', namespace: 'missing-ns' }, type: 'Warning', reason: 'PullImageFailed', message: 'x' });
    await vi.waitFor(async () => {
      const events = (await cluster.client.list(Resources.Event, { namespace: 'default' })).items as unknown as Record<string, unknown>[];
      expect(events).toEqual([
        expect.objectContaining({ reason: 'PullImageSucceed', type: 'Normal', message: 'Image app:1, ecalpsedTime 3s', source: { component: 'kruise-daemon-imagepuller', host: 'node-a' }, involvedObject: expect.objectContaining({ kind: 'NodeImage', name: 'node-a' }) as unknown }),
      ]);
      expect(failures).toHaveLength(1);
    });
  });
});
