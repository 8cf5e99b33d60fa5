import type { BroadcastJob } from '@kruise-ts/core';
import { aBroadcastJob, type BroadcastJobOptions } from '@kruise-ts/core/testing';
import { KruiseResources, Resources, type KubeClient, type KubeObject } from '@kruise-ts/k8s-adapter';
import { startTestCluster, type TestCluster } from '@kruise-ts/k8s-adapter/testing';
import { describe, expect, it, vi } from 'vitest';
import { ALL_CRDS } from './allCrds.js';
import { LONG_WAIT, createNamespace, type PodObject } from './cloneSetManifest.js';
import { useManagerCluster, watchNamespacePods, type NamespacePodWatch } from './statefulSetHarness.js';

// BroadcastJob on a real kube-apiserver with kwok nodes and the kruise-ts-manager process
// (webhooks called by the apiserver, the controller as deploy/'s service account): 6 nodes,
// kwok-node-4 tainted, kwok-node-5 cordoned. kwok's pod-complete stage finishes the pods
// (Succeeded), except those annotated kruise_ts_keep_running, which the test ends itself.

type BroadcastJobObject = BroadcastJob & KubeObject;
const ELIGIBLE = ['kwok-node-0', 'kwok-node-1', 'kwok-node-2', 'kwok-node-3'];

async function startBroadcastJobCluster(): Promise<TestCluster> {
  const cluster = await startTestCluster({ nodes: 6, controllerManager: true, scheduler: true, crds: ALL_CRDS });
  await cluster.client.patch(Resources.Node, { name: 'kwok-node-4' }, { type: 'merge', body: { spec: { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] } } });
  await cluster.client.patch(Resources.Node, { name: 'kwok-node-5' }, { type: 'merge', body: { spec: { unschedulable: true } } });
  return cluster;
}

function manifest(namespace: string, options: BroadcastJobOptions, keepRunning = false): BroadcastJobObject {
  const built = aBroadcastJob({ ...options, namespace, containers: [{ name: 'main', image: 'busybox:1' }] });
  const { uid: _uid, ...metadata } = built.metadata ?? {};
  const template = keepRunning ? { ...built.spec.template, metadata: { annotations: { kruise_ts_keep_running: 'true' } } } : built.spec.template;
  return { ...built, metadata, spec: { ...built.spec, template } } as BroadcastJobObject;
}

const getJob = (client: KubeClient, namespace: string, name: string): Promise<BroadcastJobObject> => client.get(KruiseResources.BroadcastJob, { namespace, name });
const jobPods = async (client: KubeClient, namespace: string, name: string): Promise<PodObject[]> => (await client.list(Resources.Pod, { namespace, labelSelector: `broadcastjob-name=${name}` })).items;
const isActive = (pod: PodObject): boolean => pod.metadata.deletionTimestamp === undefined && pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed';

/** The most pods of job `name` active at once, replaying every event the watch saw. */
function mostActive(watch: NamespacePodWatch, name: string): number {
  const live = new Map<string, PodObject>();
  let most = 0;
  for (const event of watch.seen) {
    if (event.pod.metadata.labels?.['broadcastjob-name'] !== name) continue;
    if (event.type === 'DELETED') live.delete(event.name);
    else live.set(event.name, event.pod);
    most = Math.max(most, [...live.values()].filter(isActive).length);
  }
  return most;
}

describe('BroadcastJob on a real kube-apiserver with kwok and kruise-ts-manager', () => {
  const env = useManagerCluster({ controller: 'broadcastjob', resource: KruiseResources.BroadcastJob, startCluster: startBroadcastJobCluster });

  it('one pod on each of the 4 eligible nodes, never more than parallelism 2 active (watch), Complete with its completion time; the TTL deletes it', { timeout: 180_000 }, async () => {
    const { client } = env;
    const ns = 'bcj-run';
    await createNamespace(client, ns);
    const watch = await watchNamespacePods(client, ns);
    const created = await client.create(KruiseResources.BroadcastJob, manifest(ns, { name: 'warm', parallelism: 2, completionPolicy: { type: 'Always', ttlSecondsAfterFinished: 5 } }));
    // The mutating webhook gave the defaults the job did not set.
    expect(created.spec).toMatchObject({ failurePolicy: { type: 'FailFast' }, completionPolicy: { type: 'Always', ttlSecondsAfterFinished: 5 } });
    let completed: BroadcastJobObject | undefined;
    await vi.waitFor(async () => {
      const job = await getJob(client, ns, 'warm');
      expect(job.status?.phase).toBe('completed');
      completed = job;
    }, LONG_WAIT);
    const pods = await jobPods(client, ns, 'warm');
    expect(pods.map((p) => p.spec.nodeName).sort()).toEqual(ELIGIBLE);
    expect(pods.every((p) => p.status?.phase === 'Succeeded')).toBe(true);
    expect(JSON.stringify(pods[0]?.spec.affinity)).toContain('metadata.name');
    expect(completed?.status).toMatchObject({ desired: 4, active: 0, succeeded: 4, failed: 0 });
    expect(completed?.status?.conditions).toEqual([expect.objectContaining({ type: 'Complete', status: 'True', reason: 'Complete', message: 'Job completed, 4 pods succeeded, 0 pods failed' })]);
    const completionTime = Date.parse(completed?.status?.completionTime ?? '');
    expect(completionTime).toBeGreaterThanOrEqual(Date.parse(created.metadata.creationTimestamp ?? ''));
    await watch.fence();
    // kwok completes a pod within moments of its start, so a second one is not always running yet.
    const most = mostActive(watch, 'warm');
    expect(most).toBeGreaterThanOrEqual(1);
    expect(most).toBeLessThanOrEqual(2);
    expect(watch.seen.filter((e) => e.type === 'ADDED' && e.pod.metadata.labels?.['broadcastjob-name'] === 'warm')).toHaveLength(4);
    await watch.stop();
    // ttlSecondsAfterFinished 5: the job deletes itself, its pods are collected with it.
    await vi.waitFor(async () => {
      expect((await client.list(KruiseResources.BroadcastJob, { namespace: ns })).items).toEqual([]);
    }, LONG_WAIT);
    expect(Date.now()).toBeGreaterThanOrEqual(completionTime + 5000);
    await vi.waitFor(async () => {
      expect(await jobPods(client, ns, 'warm')).toEqual([]);
    }, LONG_WAIT);
  });

  it('FailFast: a failed pod ends the job Failed and its active pods are deleted', { timeout: 180_000 }, async () => {
    const { client } = env;
    const ns = 'bcj-fail';
    await createNamespace(client, ns);
    await client.create(KruiseResources.BroadcastJob, manifest(ns, { name: 'fragile' }, true));
    await vi.waitFor(async () => {
      const pods = await jobPods(client, ns, 'fragile');
      expect(pods.filter((p) => p.status?.phase === 'Running').map((p) => p.spec.nodeName).sort()).toEqual(ELIGIBLE);
    }, LONG_WAIT);
    const victim = (await jobPods(client, ns, 'fragile')).find((p) => p.spec.nodeName === 'kwok-node-1');
    // What the kubelet reports when the container exits 1 (restartPolicy Never).
    await client.patch(Resources.Pod, { namespace: ns, name: victim?.metadata.name ?? '' }, { type: 'merge', body: { status: { phase: 'Failed' } } }, { subresource: 'status' });
    await vi.waitFor(async () => {
      const job = await getJob(client, ns, 'fragile');
      expect(job.status?.phase).toBe('failed');
      expect(job.status?.conditions).toEqual([expect.objectContaining({ type: 'Failed', status: 'True', message: 'failure policy is FailurePolicyTypeFailFast and failed pod is found' })]);
      expect(job.status?.completionTime).toEqual(expect.any(String));
    }, LONG_WAIT);
    await vi.waitFor(async () => {
      const pods = await jobPods(client, ns, 'fragile');
      expect(pods.map((p) => p.metadata.name)).toEqual([victim?.metadata.name]);
    }, LONG_WAIT);
    expect((await getJob(client, ns, 'fragile')).status).toMatchObject({ active: 0, failed: 4, desired: 4 });
  });
});
