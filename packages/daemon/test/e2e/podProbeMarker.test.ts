import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validatePodProbeMarker, type Pod, type PodProbeMarker } from '@kruise-ts/core';
import { KruiseResources, Resources, systemClock, type KubeEvent, type KubeObject } from '@kruise-ts/k8s-adapter';
import { pollUntil, startTestCluster, type ManagedProcess, type TestCluster } from '@kruise-ts/k8s-adapter/testing';
import type { CriClient } from '../../src/cri/createCriClient.js';
import { createPodProbeController } from '../../src/podprobe/createPodProbeController.js';
import { buildImage, kubeletPath, pushImage, startContainerd, startKubelet, startRegistry, type PushedImage, type TestContainerd, startSourceManager } from '../runtime/index.js';

const NODE = 'probe-node-1';
const NS = 'default';
const CONDITION = 'game.kruise.io/ready';
const CRDS = ['apps.kruise.io_podprobemarkers.yaml', 'apps.kruise.io_nodepodprobes.yaml'].map((f) => fileURLToPath(new URL(`../../../../deploy/crds/${f}`, import.meta.url)));

type PodObject = Pod & KubeObject;

// PodProbeMarker on a real node: the real kubelet runs the pod on containerd, the manager process
// runs the podprobemarker and nodepodprobe controllers (no webhooks: the test checks the marker with
// the webhook's own function), and the daemon's probe loop runs in this process on the harness's
// CRI socket, running `cat /tmp/ready` in the real container through ExecSync.
describe('PodProbeMarker on a real node (kubelet + containerd + manager + daemon probe loop)', () => {
  let cluster: TestCluster;
  let containerd: TestContainerd;
  let cri: CriClient;
  let manager: ManagedProcess;
  let image: PushedImage;
  const events: KubeEvent[] = [];
  const abort = new AbortController();
  const started: { stop(): Promise<unknown> }[] = [];
  let daemon: Promise<void> | undefined;

  beforeAll(async () => {
    const [c, runtime, registry] = await Promise.all([startTestCluster({ nodes: 0, crds: CRDS }), startContainerd(), startRegistry()]);
    [cluster, containerd] = [c, runtime];
    started.push(cluster, containerd, registry);
    containerd.allowPlainHttp(registry.host);
    cri = containerd.cri();
    image = await pushImage(registry, await buildImage({ name: 'probe-app', tag: 'v1', files: { '/www/healthz': 'serving\n' } }));
    const kubelet = await startKubelet({ binary: kubeletPath(), kubeconfigPath: cluster.kubeconfigPath, containerd, nodeName: NODE });
    started.unshift(kubelet);
    manager = startSourceManager({ kubeconfigPath: cluster.kubeconfigPath, logDir: cluster.dir, args: ['--no-enable-webhooks', '--controllers=podprobemarker,nodepodprobe'] });
    started.unshift(manager);
    daemon = createPodProbeController({ client: cluster.client, nodeName: NODE, runtime: cri, clock: systemClock(), events: { emit: (e) => events.push(e) } }).run(abort.signal);
  });
  afterAll(async () => {
    abort.abort();
    await daemon;
    for (const piece of started) await piece.stop();
  });

  const managerExited = () => manager.exited.then(async () => `the manager exited: ${await manager.logTail()}`);
  const pod = (): Promise<PodObject> => cluster.client.get(Resources.Pod, { namespace: NS, name: 'game-0' });
  const condition = (p: PodObject) => p.status?.conditions?.find((c) => c.type === CONDITION);

  it('the manager creates the NodePodProbe of the kubelet node', async () => {
    const npp = await pollUntil(async () => (await cluster.client.list(KruiseResources.NodePodProbe)).items.find((n) => n.metadata.name === NODE), { timeoutMs: 60_000, intervalMs: 250, what: `NodePodProbe ${NODE}`, abort: managerExited() });
    expect(npp.metadata.name).toBe(NODE);
  });

  it('an exec probe `cat /tmp/ready`: condition False and no marker label first; once the test creates the file in the container, the condition turns True and the label appears', async () => {
    await cluster.client.create(Resources.Pod, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'game-0', namespace: NS, labels: { app: 'game' } }, spec: {
        nodeName: NODE,
        terminationGracePeriodSeconds: 1,
        containers: [
          { name: 'main', image: image.reference },
          // busybox httpd serves /www on 8080: the HTTP and TCP probes' target (named port "http").
          { name: 'web', image: image.reference, command: ['/bin/busybox', 'httpd', '-f', '-p', '8080', '-h', '/www'], ports: [{ name: 'http', containerPort: 8080 }] },
        ],
      } });
    const running = await pollUntil(async () => {
      const p = await pod();
      return p.status?.phase === 'Running' && p.status.containerStatuses?.length === 2 && p.status.containerStatuses.every((c) => (c.containerID ?? '') !== '') ? p : undefined;
    }, { timeoutMs: 120_000, intervalMs: 250, what: 'pod game-0 running on the real node' });

    const marker: PodProbeMarker = {
      apiVersion: 'apps.kruise.io/v1alpha1',
      kind: 'PodProbeMarker',
      metadata: { name: 'game-ready', namespace: NS },
      spec: {
        selector: { matchLabels: { app: 'game' } },
        probes: [
          { name: 'ready', containerName: 'main', probe: { exec: { command: ['cat', '/tmp/ready'] }, periodSeconds: 1, timeoutSeconds: 3 }, podConditionType: CONDITION, markerPolicy: [{ state: 'Succeeded', labels: { 'game.kruise.io/ready': 'true' } }] },
          { name: 'http', containerName: 'web', probe: { httpGet: { path: '/healthz', port: 'http', scheme: 'HTTP' }, periodSeconds: 1 }, podConditionType: 'game.kruise.io/http' },
          { name: 'tcp', containerName: 'web', probe: { tcpSocket: { port: 8080 }, periodSeconds: 1 }, markerPolicy: [{ state: 'Succeeded', annotations: { 'game.kruise.io/tcp': 'open' } }] },
        ],
      },
    };
    expect(validatePodProbeMarker(marker)).toEqual([]);
    await cluster.client.create(KruiseResources.PodProbeMarker, { ...marker, apiVersion: 'apps.kruise.io/v1alpha1', kind: 'PodProbeMarker', metadata: { name: 'game-ready', namespace: NS } });

    const failed = await pollUntil(async () => {
      const p = await pod();
      // Unknown (no result yet) is False without a message too; wait for the probe's own failure.
      return condition(p)?.status === 'False' && (condition(p)?.message ?? '').includes('/tmp/ready') ? p : undefined;
    }, { timeoutMs: 60_000, intervalMs: 250, what: `condition ${CONDITION} False with the probe's message`, abort: managerExited() });
    expect(condition(failed)?.message).toMatch(/can't open '\/tmp\/ready'|No such file/);
    expect(failed.metadata.labels?.['game.kruise.io/ready']).toBeUndefined();
    const npp = await cluster.client.get(KruiseResources.NodePodProbe, { name: NODE });
    expect(npp.spec?.podProbes).toEqual([
      {
        name: 'game-0',
        namespace: NS,
        uid: running.metadata.uid,
        IP: running.status?.podIP,
        probes: [
          { name: 'game-ready#ready', containerName: 'main', probe: { exec: { command: ['cat', '/tmp/ready'] }, periodSeconds: 1, timeoutSeconds: 3 } },
          // The named port resolved to the container's number.
          { name: 'game-ready#http', containerName: 'web', probe: { httpGet: { path: '/healthz', port: 8080, scheme: 'HTTP' }, periodSeconds: 1 } },
          { name: 'game-ready#tcp', containerName: 'web', probe: { tcpSocket: { port: 8080 }, periodSeconds: 1 } },
        ],
      },
    ]);
    expect((await cluster.client.get(KruiseResources.PodProbeMarker, { namespace: NS, name: 'game-ready' })).status?.matchedPods).toBe(1);

    // The test creates the file in the real container (CRI exec, as `kubectl exec` would).
    const containerId = (running.status?.containerStatuses?.find((c) => c.name === 'main')?.containerID ?? '').replace(/^containerd:\/\//, '');
    const touched = await cri.execSync(containerId, ['touch', '/tmp/ready'], 5);
    expect(touched.exitCode).toBe(0);

    const ready = await pollUntil(async () => {
      const p = await pod();
      return condition(p)?.status === 'True' && p.metadata.labels?.['game.kruise.io/ready'] === 'true' ? p : undefined;
    }, { timeoutMs: 60_000, intervalMs: 250, what: `condition ${CONDITION} True and the marker label`, abort: managerExited() });
    expect(ready.metadata.uid).toBe(running.metadata.uid);
    // One event per state change on the pod: exec Failed (its message), then Succeeded for each of the three probes.
    expect(events.filter((e) => e.reason === 'KruiseProbeFailed').map((e) => e.message)).toEqual([expect.stringContaining('/tmp/ready')]);
    expect(events.filter((e) => e.reason === 'KruiseProbeSucceeded')).toHaveLength(3);
  });

  it('an HTTP probe to the pod IP (named port) and a TCP probe against the real web container: the condition True with the body, the Succeeded annotation set', async () => {
    const p = await pollUntil(async () => {
      const current = await pod();
      return current.status?.conditions?.find((c) => c.type === 'game.kruise.io/http')?.status === 'True' && current.metadata.annotations?.['game.kruise.io/tcp'] === 'open' ? current : undefined;
    }, { timeoutMs: 60_000, intervalMs: 250, what: 'HTTP condition True and TCP annotation', abort: managerExited() });
    expect(p.status?.conditions?.find((c) => c.type === 'game.kruise.io/http')?.message).toBe('serving\n');
  });

  it('deleting the marker removes its probes from the NodePodProbe (finalizer), then it goes', async () => {
    await cluster.client.delete(KruiseResources.PodProbeMarker, { namespace: NS, name: 'game-ready' });
    await pollUntil(async () => ((await cluster.client.list(KruiseResources.PodProbeMarker, { namespace: NS })).items.length === 0 ? true : undefined), { timeoutMs: 30_000, intervalMs: 250, what: 'marker gone', abort: managerExited() });
    const npp = await cluster.client.get(KruiseResources.NodePodProbe, { name: NODE });
    expect(npp.spec?.podProbes ?? []).toEqual([]);
  });
});
