import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admitContainerRecreateRequest, type ContainerRecreateRequest, type Pod } from '@kruise-ts/core';
import { KruiseResources, Resources, systemClock, type KubeEvent, type KubeObject } from '@kruise-ts/k8s-adapter';
import { pollUntil, startTestCluster, type ManagedProcess, type TestCluster } from '@kruise-ts/k8s-adapter/testing';
import { createContainerRecreateController } from '../../src/containerrecreate/createContainerRecreateController.js';
import type { CriClient } from '../../src/cri/createCriClient.js';
import { buildImage, kubeletPath, pushImage, startContainerd, startKubelet, startRegistry, type PushedImage, type TestContainerd, startSourceManager } from '../runtime/index.js';

const NODE = 'crr-node-1';
/** Events the daemon's controller emits (Killing, FailedPreStopHook...). */
const warnings: KubeEvent[] = [];
const NS = 'default';
const CRR_CRD = fileURLToPath(new URL('../../../../deploy/crds/apps.kruise.io_containerrecreaterequests.yaml', import.meta.url));

type CrrObject = ContainerRecreateRequest & KubeObject;

// ContainerRecreateRequest on a real node: the real kubelet runs the pod on containerd, the manager
// process runs the CRR controller (no webhooks: the test admits the CRR with the webhook's own
// function), and the daemon's CRR controller runs in this process on the harness's CRI socket.
describe('ContainerRecreateRequest on a real node (kubelet + containerd + manager + daemon controller)', () => {
  let cluster: TestCluster;
  let containerd: TestContainerd;
  let cri: CriClient;
  let manager: ManagedProcess;
  let image: PushedImage;
  const abort = new AbortController();
  const started: { stop(): Promise<unknown> }[] = [];
  let daemon: Promise<void> | undefined;

  beforeAll(async () => {
    const [c, runtime, registry] = await Promise.all([startTestCluster({ nodes: 0, crds: [CRR_CRD] }), startContainerd(), startRegistry()]);
    [cluster, containerd] = [c, runtime];
    started.push(cluster, containerd, registry);
    containerd.allowPlainHttp(registry.host);
    cri = containerd.cri();
    image = await pushImage(registry, await buildImage({ name: 'crr-app', tag: 'v1' }));
    const kubelet = await startKubelet({ binary: kubeletPath(), kubeconfigPath: cluster.kubeconfigPath, containerd, nodeName: NODE });
    started.unshift(kubelet);
    manager = startSourceManager({ kubeconfigPath: cluster.kubeconfigPath, logDir: cluster.dir, args: ['--no-enable-webhooks', '--controllers=containerrecreaterequest'] });
    started.unshift(manager);
    daemon = createContainerRecreateController({ client: cluster.client, nodeName: NODE, runtime: cri, clock: systemClock(), events: { emit: (e) => warnings.push(e) } }).run(abort.signal);
  });
  afterAll(async () => {
    abort.abort();
    await daemon;
    for (const piece of started) await piece.stop();
  });

  const shell = ['/bin/sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1 & wait $!; done'];

  async function runningPod(name: string): Promise<Pod & KubeObject> {
    await cluster.client.create(Resources.Pod, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: NS },
      spec: {
        nodeName: NODE,
        terminationGracePeriodSeconds: 2,
        containers: [
          { name: 'main', image: image.reference, command: shell },
          { name: 'sidecar', image: image.reference, command: shell, lifecycle: { preStop: { exec: { command: ['/bin/sh', '-c', 'echo cannot drain >&2; exit 3'] } } } },
        ],
      },
    });
    return pollUntil(
      async () => {
        const pod = await cluster.client.get(Resources.Pod, { namespace: NS, name });
        return pod.status?.phase === 'Running' && pod.status.containerStatuses?.every((s) => s.ready && (s.containerID ?? '') !== '') === true ? pod : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 250, what: `pod ${name} running on the real node` },
    );
  }

  async function createCrr(pod: Pod, name: string, containers: readonly string[]): Promise<void> {
    const admitted = admitContainerRecreateRequest(
      { apiVersion: 'apps.kruise.io/v1alpha1', kind: 'ContainerRecreateRequest', metadata: { name, namespace: NS }, spec: { podName: pod.metadata.name ?? '', containers: containers.map((c) => ({ name: c })), strategy: { failurePolicy: 'Fail' } } },
      { kind: 'found', pod },
    );
    if (admitted.kind !== 'admitted') throw new Error(admitted.problem.message);
    await cluster.client.create(KruiseResources.ContainerRecreateRequest, { ...admitted.crr, apiVersion: "apps.kruise.io/v1alpha1", kind: "ContainerRecreateRequest", metadata: { ...admitted.crr.metadata, name, namespace: NS } });
  }

  const completed = (name: string): Promise<CrrObject> =>
    pollUntil(
      async () => {
        const crr = await cluster.client.get(KruiseResources.ContainerRecreateRequest, { namespace: NS, name });
        return crr.status?.phase === 'Completed' ? crr : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 250, what: `CRR ${name} Completed`, abort: manager.exited.then(async () => `the manager exited: ${await manager.logTail()}`) },
    );

  it('recreates only the named container: new container id, restartCount +1, the other keeps its id', async () => {
    const before = await runningPod('web-0');
    const ids = Object.fromEntries((before.status?.containerStatuses ?? []).map((s) => [s.name, s.containerID]));
    await createCrr(before, 'recreate-main', ['main']);
    const crr = await completed('recreate-main');
    expect(crr.status?.containerRecreateStates).toEqual([{ name: 'main', phase: 'Succeeded', isKilled: true }]);
    const after = await cluster.client.get(Resources.Pod, { namespace: NS, name: 'web-0' });
    const status = (name: string) => after.status?.containerStatuses?.find((s) => s.name === name);
    expect(after.metadata.uid).toBe(before.metadata.uid);
    expect(status('main')?.containerID).not.toBe(ids['main']);
    expect(status('main')?.restartCount).toBe(1);
    expect(status('sidecar')?.containerID).toBe(ids['sidecar']);
    expect(status('sidecar')?.restartCount).toBe(0);
    // The CRR's active label goes once it is finished (the manager's controller).
    await pollUntil(async () => ((await cluster.client.get(KruiseResources.ContainerRecreateRequest, { namespace: NS, name: 'recreate-main' })).metadata.labels?.['crr.apps.kruise.io/active'] === undefined ? true : undefined), { timeoutMs: 30_000, what: 'active label removed' });
  });

  it('with failurePolicy Fail and a failing preStop, the container is recreated anyway and FailedPreStopHook recorded (OpenKruise: the runtime only records the hook failure)', async () => {
    const before = await runningPod('web-1');
    const sidecarId = before.status?.containerStatuses?.find((s) => s.name === 'sidecar')?.containerID;
    await createCrr(before, 'recreate-sidecar', ['sidecar']);
    const crr = await completed('recreate-sidecar');
    expect(crr.status?.containerRecreateStates).toEqual([{ name: 'sidecar', phase: 'Succeeded', isKilled: true }]);
    expect(warnings.filter((e) => e.type === 'Warning').map((e) => [e.reason, e.message])).toEqual([['FailedPreStopHook', 'preStop hook failed: command [/bin/sh -c echo cannot drain >&2; exit 3] exited with 3: cannot drain']]);
    const after = await cluster.client.get(Resources.Pod, { namespace: NS, name: 'web-1' });
    const sidecar = after.status?.containerStatuses?.find((s) => s.name === 'sidecar');
    expect(sidecar?.containerID).not.toBe(sidecarId);
    expect(sidecar?.restartCount).toBe(1);
  });
});
