import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUNTIME_CONTAINERS_META_ANNOTATION, readRuntimeContainerMetaSet } from '@kruise-ts/core';
import { Resources, systemClock, type KubeEvent } from '@kruise-ts/k8s-adapter';
import { pollUntil, startTestCluster, type ManagedProcess, type TestCluster } from '@kruise-ts/k8s-adapter/testing';
import { createContainerMetaController } from '../../src/containermeta/createContainerMetaController.js';
import type { CriClient } from '../../src/cri/createCriClient.js';
import { buildImage, kubeletPath, pushImage, startContainerd, startKubelet, startRegistry, type PushedImage, startSourceManager } from '../runtime/index.js';

const NODE = 'meta-node-1';
const NS = 'default';
const CLONESET_CRD = fileURLToPath(new URL('../../../../deploy/crds/apps.kruise.io_clonesets.yaml', import.meta.url));

// Env from metadata in place (InPlaceUpdateEnvFromMetadata) on a real node: the manager process runs
// the CloneSet controller, the real kubelet runs the pod on containerd, and the daemon's container
// meta loop runs in this process on the harness's CRI socket. Changing the template annotation that
// `app` reads through a downward-API env is an in-place update: the daemon stops `app`, the kubelet
// starts it again with the new value, the daemon reports the new hash and the update completes.
describe('CloneSet in-place update of an annotation read by env, on a real node (kubelet + containerd + manager + daemon container meta)', () => {
  let cluster: TestCluster;
  let cri: CriClient;
  let manager: ManagedProcess;
  let image: PushedImage;
  const events: KubeEvent[] = [];
  const abort = new AbortController();
  const started: { stop(): Promise<unknown> }[] = [];
  let daemon: Promise<void> | undefined;

  beforeAll(async () => {
    const [c, containerd, registry] = await Promise.all([startTestCluster({ nodes: 0, crds: [CLONESET_CRD] }), startContainerd(), startRegistry()]);
    cluster = c;
    started.push(cluster, containerd, registry);
    containerd.allowPlainHttp(registry.host);
    cri = containerd.cri();
    image = await pushImage(registry, await buildImage({ name: 'meta-app', tag: 'v1' }));
    const kubelet = await startKubelet({ binary: kubeletPath(), kubeconfigPath: cluster.kubeconfigPath, containerd, nodeName: NODE });
    started.unshift(kubelet);
    manager = startSourceManager({ kubeconfigPath: cluster.kubeconfigPath, logDir: cluster.dir, args: ['--no-enable-webhooks', '--controllers=cloneset'] });
    started.unshift(manager);
    daemon = createContainerMetaController({ client: cluster.client, nodeName: NODE, runtime: cri, clock: systemClock(), events: { emit: (e) => events.push(e) } }).run(abort.signal);
  });
  afterAll(async () => {
    abort.abort();
    await daemon;
    for (const piece of started) await piece.stop();
  });

  it('restarts only the container reading the annotation (new id, restartCount 1, CFG=v2), the pod and the other container stay, the update completes', async () => {
    const shell = ['/bin/sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1 & wait $!; done'];
    const template = (cfg: string) => ({
      metadata: { labels: { app: 'meta' }, annotations: { cfg } },
      spec: {
        nodeName: NODE,
        terminationGracePeriodSeconds: 2,
        containers: [
          { name: 'app', image: image.reference, command: shell, env: [{ name: 'CFG', valueFrom: { fieldRef: { fieldPath: "metadata.annotations['cfg']" } } }] },
          { name: 'sidecar', image: image.reference, command: shell },
        ],
      },
    });
    await cluster.client.create(Resources.CloneSet, {
      apiVersion: 'apps.kruise.io/v1beta1',
      kind: 'CloneSet',
      metadata: { name: 'meta', namespace: NS },
      spec: { replicas: 1, selector: { matchLabels: { app: 'meta' } }, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { podUpdatePolicy: 'InPlaceIfPossible' } }, template: template('v1') },
    } as never);
    const abortOn = manager.exited.then(async () => `the manager exited: ${await manager.logTail()}`);
    const thePod = async () => {
      const pods = (await cluster.client.list(Resources.Pod, { namespace: NS, labelSelector: 'app=meta' })).items;
      return pods.length === 1 ? pods[0] : undefined;
    };
    const ids = (pod: NonNullable<Awaited<ReturnType<typeof thePod>>>) => Object.fromEntries((pod.status?.containerStatuses ?? []).map((s) => [s.name, { id: s.containerID, restarts: s.restartCount }]));
    const envOf = async (containerID: string | undefined): Promise<string> => (await cri.execSync((containerID ?? '').replace('containerd://', ''), ['sh', '-c', 'echo $CFG'], 5)).stdout.trim();
    // Running and reported by the daemon (the meta set names both containers with their hashes).
    const before = await pollUntil(
      async () => {
        const pod = await thePod();
        const meta = pod === undefined ? undefined : readRuntimeContainerMetaSet(pod);
        return pod?.status?.containerStatuses?.every((s) => s.ready) === true && meta?.containers.length === 2 ? pod : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 250, what: 'the CloneSet pod running, its container meta reported', abort: abortOn },
    );
    const first = ids(before);
    expect(await envOf(first.app?.id)).toBe('v1');

    await cluster.client.patch(Resources.CloneSet, { namespace: NS, name: 'meta' }, { type: 'merge', body: { spec: { template: template('v2') } } });
    const after = await pollUntil(
      async () => {
        const pod = await thePod();
        const ready = pod?.status?.conditions?.find((c) => c.type === 'InPlaceUpdateReady')?.status === 'True';
        return pod !== undefined && ready && pod.metadata.annotations?.cfg === 'v2' && ids(pod).app?.id !== first.app?.id && pod.status?.containerStatuses?.every((s) => s.ready) === true ? pod : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 250, what: 'app restarted with CFG=v2 and the in-place update completed', abort: abortOn },
    ).catch(async (error: unknown) => {
      throw new Error(`${String(error)}; pod: ${JSON.stringify(await thePod())}; manager: ${await manager.logTail()}`);
    });
    const second = ids(after);
    expect(after.metadata.uid).toBe(before.metadata.uid);
    expect(second.app).toEqual({ id: expect.not.stringMatching(first.app?.id ?? '') as unknown, restarts: 1 });
    expect(second.sidecar).toEqual(first.sidecar);
    expect(await envOf(second.app?.id)).toBe('v2');
    expect(readRuntimeContainerMetaSet(after)?.containers.find((c) => c.name === 'app')?.containerID).toBe(second.app?.id);
    expect(after.metadata.annotations?.[RUNTIME_CONTAINERS_META_ANNOTATION]).toBeDefined();
    expect(events.map((e) => [e.reason, e.message])).toEqual([['Killing', `Stopping containerID ${first.app?.id ?? ''} by container meta restarter`]]);
    await pollUntil(
      async () => {
        const cs = await cluster.client.get(Resources.CloneSet, { namespace: NS, name: 'meta' });
        const status = cs.status as { updatedReplicas?: number; updatedReadyReplicas?: number; updateRevision?: string; currentRevision?: string } | undefined;
        return status?.updatedReplicas === 1 && status.updatedReadyReplicas === 1 ? true : undefined;
      },
      { timeoutMs: 60_000, what: 'the CloneSet status: 1 updated and ready' },
    );
  });
});
