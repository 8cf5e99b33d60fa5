import { createMemoryCluster, KruiseResources } from '@kruise-ts/k8s-adapter';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { registerDaemonMetrics } from './daemonMetrics.js';
import { createImagePullController } from './imagepull/createImagePullController.js';
import { createFakeImageRuntime } from './testing/fakeImageRuntime.js';

describe('registerDaemonMetrics', () => {
  it('exposes the tasks by state, the status writes and the pulls by result', async () => {
    await using cluster = await createMemoryCluster({ nodes: 0 });
    cluster.registerResource(KruiseResources.NodeImage);
    const controller = createImagePullController({ client: cluster.client, nodeName: 'node-a', runtime: createFakeImageRuntime(), clock: cluster.clock });
    controller.puller.sync({ metadata: { name: 'node-a' }, spec: { images: { app: { tags: [{ tag: '1' }, { tag: '2' }] } } } });
    const registry = new Registry();
    const pulls = registerDaemonMetrics(registry, controller);
    pulls.inc({ result: 'failed' });
    const text = await registry.metrics();
    expect(text).toContain('kruise_ts_daemon_image_pull_tasks{state="running"} 2');
    expect(text).toContain('kruise_ts_daemon_nodeimage_status_writes_total 0');
    expect(text).toContain('kruise_ts_daemon_image_pulls_total{result="failed"} 1');
    await controller.puller.stop();
  });
});
