import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CRR_NODE_NAME_LABEL, KRUISE_TERMINATE_SIDECAR_ENV, KRUISE_TERMINATE_SIDECAR_IGNORE_EXIT_CODE_ENV, type Pod } from '@kruise-ts/core';
import { KruiseResources, Resources, systemClock } from '@kruise-ts/k8s-adapter';
import { freePort, pollUntil, startTestCluster, type ManagedProcess, type TestCluster } from '@kruise-ts/k8s-adapter/testing';
import { createContainerRecreateController } from '../../src/containerrecreate/createContainerRecreateController.js';
import { buildImage, kubeletPath, pushImage, startContainerd, startKubelet, startRegistry, type PushedImage, startSourceManager } from '../runtime/index.js';

const NODE = 'job-node-1';
const NS = 'default';
const CRD_DIR = fileURLToPath(new URL('../../../../deploy/crds/', import.meta.url));

// SidecarTerminator on a real node. kube-controller-manager runs its job-controller (the harness
// starts it with controllerManagerControllers), so the Job's pod is made and the Job completed by
// Kubernetes itself; the manager process runs sidecarterminator + containerrecreaterequest with its
// webhooks (the CRR it creates is admitted by its own CRR webhook: node, pod uid, active labels);
// the daemon's CRR loop runs in this process on the harness's CRI socket and stops the sidecar.
describe('SidecarTerminator on a real node (kubelet + containerd + job-controller + manager with webhooks + daemon CRR loop)', () => {
  let cluster: TestCluster;
  let manager: ManagedProcess;
  let image: PushedImage;
  const abort = new AbortController();
  const started: { stop(): Promise<unknown> }[] = [];
  let daemon: Promise<void> | undefined;

  beforeAll(async () => {
    const crds = readdirSync(CRD_DIR).filter((f) => f.endsWith('.yaml')).map((f) => `${CRD_DIR}${f}`);
    const [c, containerd, registry] = await Promise.all([startTestCluster({ nodes: 0, crds, controllerManager: true, controllerManagerControllers: ['job-controller'] }), startContainerd(), startRegistry()]);
    cluster = c;
    started.push(cluster, containerd, registry);
    containerd.allowPlainHttp(registry.host);
    image = await pushImage(registry, await buildImage({ name: 'job-app', tag: 'v1' }));
    const kubelet = await startKubelet({ binary: kubeletPath(), kubeconfigPath: cluster.kubeconfigPath, containerd, nodeName: NODE });
    started.unshift(kubelet);
    // The webhook certificates are kept in a Secret of the manager's namespace.
    await cluster.client.create(Resources.Namespace, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kruise-system' } });
    const port = await freePort();
    manager = startSourceManager({
      kubeconfigPath: cluster.kubeconfigPath,
      logDir: cluster.dir,
      args: ['--enable-webhooks', '--webhook-host=127.0.0.1', `--webhook-port=${String(port)}`, `--webhook-url=https://127.0.0.1:${String(port)}`, '--controllers=sidecarterminator,containerrecreaterequest', '--feature-gates=SidecarTerminator=true'],
    });
    started.unshift(manager);
    await pollUntil(async () => ((await manager.logTail(400)).includes('webhook server ready') ? true : undefined), { timeoutMs: 120_000, intervalMs: 250, what: 'the manager webhook server ready', abort: manager.exited.then(async () => `the manager exited: ${await manager.logTail()}`) }).catch(async (error: unknown) => {
      throw new Error(`${String(error)}; manager: ${await manager.logTail(40)}`);
    });
    daemon = createContainerRecreateController({ client: cluster.client, nodeName: NODE, runtime: containerd.cri(), clock: systemClock() }).run(abort.signal);
  });
  afterAll(async () => {
    abort.abort();
    await daemon;
    for (const piece of started) await piece.stop();
  });

  async function runJob(name: string, sidecar: { command: string[]; env: { name: string; value: string }[] }) {
    await cluster.client.create(Resources.Job, {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name, namespace: NS },
      spec: {
        backoffLimit: 0,
        template: {
          metadata: { labels: { job: name } },
          spec: {
            nodeName: NODE,
            restartPolicy: 'Never',
            terminationGracePeriodSeconds: 3,
            containers: [
              { name: 'app', image: image.reference, command: ['/bin/sh', '-c', 'echo working; sleep 2; echo done'] },
              { name: 'log-shipper', image: image.reference, command: sidecar.command, env: sidecar.env },
            ],
          },
        },
      },
    });
    const abortOn = manager.exited.then(async () => `the manager exited: ${await manager.logTail()}`);
    const job = await pollUntil(
      async () => {
        const j = await cluster.client.get(Resources.Job, { namespace: NS, name });
        const done = (j.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions?.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
        return done === undefined ? undefined : { job: j, condition: done.type };
      },
      { timeoutMs: 180_000, intervalMs: 500, what: `Job ${name} finished`, abort: abortOn },
    ).catch(async (error: unknown) => {
      const pods = (await cluster.client.list(Resources.Pod, { namespace: NS, labelSelector: `job=${name}` })).items;
      const crrs = (await cluster.client.list(KruiseResources.ContainerRecreateRequest, { namespace: NS })).items;
      throw new Error(`${String(error)}; pods ${JSON.stringify(pods.map((p) => p.status))}; crrs ${JSON.stringify(crrs)}; manager: ${await manager.logTail(60)}`);
    });
    const [pod] = (await cluster.client.list(Resources.Pod, { namespace: NS, labelSelector: `job=${name}` })).items;
    if (pod === undefined) throw new Error(`no pod of Job ${name}`);
    return { job: job.job, condition: job.condition, pod };
  }

  const terminated = (pod: Pod, name: string) => pod.status?.containerStatuses?.find((s) => s.name === name)?.state?.terminated as { exitCode?: number } | undefined;

  it('a log-shipper sidecar marked KRUISE_TERMINATE_SIDECAR_WHEN_JOB_EXIT is stopped once app exits 0: the pod Succeeds and the Job completes', async () => {
    // The sidecar exits 0 on SIGTERM, as a log shipper flushing its buffer would.
    const { condition, pod } = await runJob('ship', { command: ['/bin/sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1 & wait $!; done'], env: [{ name: KRUISE_TERMINATE_SIDECAR_ENV, value: 'true' }] });
    expect(condition).toBe('Complete');
    expect(pod.status?.phase).toBe('Succeeded');
    expect(terminated(pod, 'app')?.exitCode).toBe(0);
    expect(terminated(pod, 'log-shipper')?.exitCode).toBe(0);
    const crr = await cluster.client.get(KruiseResources.ContainerRecreateRequest, { namespace: NS, name: `sidecar-termination-${pod.metadata.uid ?? ''}` });
    expect(crr.spec).toMatchObject({ podName: pod.metadata.name, containers: [{ name: 'log-shipper' }], strategy: { forceRecreate: true, failurePolicy: 'Ignore' } });
    expect(crr.metadata.labels?.[CRR_NODE_NAME_LABEL]).toBe(NODE);
    expect(crr.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Pod', name: pod.metadata.name, uid: pod.metadata.uid });
  });

  it('a plain `sleep 3600` sidecar with the ignore-exit-code env: the manager sets the pod Succeeded (SidecarTerminated), the Job completes and the kubelet stops the sidecar', async () => {
    const { condition, pod: first } = await runJob('sleepy', { command: ['sleep', '3600'], env: [{ name: KRUISE_TERMINATE_SIDECAR_ENV, value: 'true' }, { name: KRUISE_TERMINATE_SIDECAR_IGNORE_EXIT_CODE_ENV, value: 'true' }] });
    expect(condition).toBe('Complete');
    // The pod is terminal now: the kubelet stops what still runs in it (SIGTERM ignored by sleep as
    // PID 1, killed after the 3 s grace) and keeps the phase; the CRR webhook refuses a CRR for an
    // inactive pod, as OpenKruise's does, so the kill is the kubelet's.
    const pod = await pollUntil(async () => {
      const now = await cluster.client.get(Resources.Pod, { namespace: NS, name: first.metadata.name ?? '' });
      return terminated(now, 'log-shipper') === undefined ? undefined : now;
    }, { timeoutMs: 60_000, intervalMs: 250, what: 'the sleep sidecar stopped' });
    expect(terminated(pod, 'log-shipper')?.exitCode).not.toBe(0);
    expect(pod.status?.phase).toBe('Succeeded');
    expect(pod.status?.conditions?.find((c) => c.type === 'SidecarTerminated')).toMatchObject({ status: 'True', message: 'Terminated by Sidecar Terminator' });
    expect(terminated(pod, 'app')?.exitCode).toBe(0);
  });
});
