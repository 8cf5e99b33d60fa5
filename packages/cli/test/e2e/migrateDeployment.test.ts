import { KruiseResources, Resources, systemClock, type KubeClient, type KubeObject } from '@kruise-ts/k8s-adapter';
import { startTestCluster, type TestCluster } from '@kruise-ts/k8s-adapter/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ALL_CRDS } from '../../../controllers/test/e2e/allCrds.js';
import { LONG_WAIT, createNamespace, isReady, type PodObject } from '../../../controllers/test/e2e/cloneSetManifest.js';
import { runCloneSetController } from '../../../controllers/test/e2e/useCloneSetCluster.js';
import { captureOn } from '../../src/cliCapture.testkit.js';
import { EXIT, runCli } from '../../src/index.js';

const cli = (client: KubeClient) => captureOn(client, systemClock());


type Scaled = KubeObject & { spec: { replicas?: number }; status?: { availableReplicas?: number } };

describe('kruise-ts migrate on a real apiserver (the Deployment and ReplicaSet controllers of kube-controller-manager)', () => {
  let cluster: TestCluster;
  let stop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    cluster = await startTestCluster({ nodes: 3, controllerManager: true, controllerManagerControllers: ['deployment-controller', 'replicaset-controller'], scheduler: true, crds: ALL_CRDS });
    ({ stop } = runCloneSetController(cluster.client));
  });
  afterAll(async () => {
    await stop?.();
    await cluster.stop();
  });

  it('moves 6 replicas from a Deployment to a new CloneSet, never more than 6 + maxSurge 2 wanted in all', async () => {
    const { client } = cluster;
    const ns = 'migrate';
    await createNamespace(client, ns);
    await client.create(Resources.Deployment, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: ns },
      spec: { replicas: 6, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx:1.25' }] } } },
    });
    await vi.waitFor(async () => {
      expect((await client.get(Resources.Deployment, { namespace: ns, name: 'web' }) as Scaled).status?.availableReplicas).toBe(6);
    }, LONG_WAIT);
    let most = 0;
    const sampling = { on: true };
    const sampler = (async () => {
      while (sampling.on) {
        const d = (await client.get(Resources.Deployment, { namespace: ns, name: 'web' })) as Scaled;
        const cs = await client.get(KruiseResources.CloneSet, { namespace: ns, name: 'web' }).catch(() => undefined);
        most = Math.max(most, (d.spec.replicas ?? 0) + (cs?.spec.replicas ?? 0));
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    const run = cli(client);
    const code = await runCli(['migrate', 'deployment/web', '--to', 'cloneset', '--max-surge=2', '-n', ns, '--timeout=120s'], run.io);
    sampling.on = false;
    await sampler;
    expect([code, run.err()]).toEqual([EXIT.ok, '']);
    expect(run.out()).toContain('Successfully migrated 6 replicas from Deployment/web to CloneSet/web\n');
    expect(most).toBeLessThanOrEqual(8);
    const cs = await client.get(KruiseResources.CloneSet, { namespace: ns, name: 'web' });
    expect([cs.spec.replicas, cs.status?.availableReplicas]).toEqual([6, 6]);
    await vi.waitFor(async () => {
      const pods = (await client.list(Resources.Pod, { namespace: ns, labelSelector: 'app=web' })).items as PodObject[];
      const live = pods.filter((p) => p.metadata.deletionTimestamp === undefined);
      expect(live.filter(isReady).map((p) => p.metadata.ownerReferences?.[0]?.kind)).toEqual(['CloneSet', 'CloneSet', 'CloneSet', 'CloneSet', 'CloneSet', 'CloneSet']);
    }, LONG_WAIT);
    expect(((await client.get(Resources.Deployment, { namespace: ns, name: 'web' })) as Scaled).spec.replicas).toBe(0);
  });
});
