import { PUB_RELATED_ANNOTATION, type PodUnavailableBudget } from '@kruise-ts/core';
import { aCloneSet, aPod, aPodUnavailableBudget, type PodUnavailableBudgetOptions } from '@kruise-ts/core/testing';
import { KruiseResources, Resources, type KubeObject } from '@kruise-ts/k8s-adapter';
import { afterEach, describe, expect, it } from 'vitest';
import { startWorkloadWorld, type WorkloadWorld } from '../workload/workloadWorld.testkit.js';
import { createPodUnavailableBudgetController } from './createPodUnavailableBudgetController.js';

type PubObject = PodUnavailableBudget & KubeObject;
let world: WorkloadWorld<PubObject> | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function start(pods: number, pub: PodUnavailableBudgetOptions, cloneSetReplicas?: number) {
  const w = await startWorkloadWorld<PubObject>({
    nodes: 1,
    resource: KruiseResources.PodUnavailableBudget,
    extraResources: [KruiseResources.CloneSet],
    createController: (deps) => createPodUnavailableBudgetController(deps),
  });
  world = w;
  let owner: KubeObject | undefined;
  if (cloneSetReplicas !== undefined) owner = await w.user.create(KruiseResources.CloneSet, aCloneSet({ name: 'web', namespace: 'apps', replicas: cloneSetReplicas }) as never);
  for (let i = 0; i < pods; i++) {
    const pod = aPod({ name: `web-${i}`, namespace: 'apps', labels: { app: 'web' } });
    const ownerReferences = owner === undefined ? [] : [{ apiVersion: 'apps.kruise.io/v1beta1', kind: 'CloneSet', name: 'web', uid: owner.metadata.uid ?? '', controller: true }];
    await w.user.create(Resources.Pod, { metadata: { ...pod.metadata, ownerReferences }, spec: { containers: pod.spec.containers } });
  }
  await w.user.create(KruiseResources.PodUnavailableBudget, aPodUnavailableBudget({ name: 'web-pub', namespace: 'apps', ...pub }) as PubObject);
  return w;
}

const status = async (w: WorkloadWorld<PubObject>) => (await w.get('web-pub')).status;

/** Records `pod` as disrupted now, as the pod webhook does when it admits a delete; returns the time written. */
async function recordDisruption(w: WorkloadWorld<PubObject>, pod: string): Promise<string> {
  const current = await w.get('web-pub');
  const now = new Date(w.cluster.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  await w.user.replace(KruiseResources.PodUnavailableBudget, { ...current, status: { ...current.status, unavailableAllowed: 0, disruptedPods: { [pod]: now } } }, { subresource: 'status' });
  return now;
}

describe('PodUnavailableBudget controller', () => {
  it('5 ready pods of CloneSet web (replicas 5), maxUnavailable 1: Total 5, Desired 4, Current 5, Allowed 1; pods annotated', async () => {
    const w = await start(5, { maxUnavailable: 1 }, 5);
    await w.until(async () => (await status(w))?.currentAvailable === 5);
    expect(await status(w)).toMatchObject({ currentAvailable: 5, desiredAvailable: 4, unavailableAllowed: 1 });
    expect((await w.pods()).map((p) => p.metadata.annotations?.[PUB_RELATED_ANNOTATION])).toEqual(Array(5).fill('web-pub'));
  });

  it('a targetRef budget counts the CloneSet (replicas 6 while 5 pods run): Desired 5, Allowed 0', async () => {
    const w = await start(5, { maxUnavailable: 1, targetRef: { apiVersion: 'apps.kruise.io/v1beta1', kind: 'CloneSet', name: 'web' } }, 6);
    await w.until(async () => (await status(w))?.totalReplicas === 6 && (await status(w))?.currentAvailable === 5);
    expect(await status(w)).toMatchObject({ desiredAvailable: 5, unavailableAllowed: 0 });
  });

  it('protectTotalReplicas and minAvailable 50%: desired 3 of 5', async () => {
    const w = await start(5, { minAvailable: '50%', protectTotalReplicas: 5 });
    await w.until(async () => (await status(w))?.totalReplicas === 5 && (await status(w))?.currentAvailable === 5);
    expect(await status(w)).toMatchObject({ totalReplicas: 5, desiredAvailable: 3, unavailableAllowed: 2 });
  });

  it('a disrupted pod recorded by the webhook stays unavailable 20 s, then counts again with a NotDeleted warning', async () => {
    const w = await start(5, { maxUnavailable: 1, protectTotalReplicas: 5 });
    await w.until(async () => (await status(w))?.unavailableAllowed === 1);
    const now = await recordDisruption(w, 'web-0');
    await w.idle(1000);
    expect(await status(w)).toMatchObject({ currentAvailable: 4, unavailableAllowed: 0, disruptedPods: { 'web-0': now } });
    await w.until(async () => (await status(w))?.disruptedPods === undefined);
    expect(await status(w)).toMatchObject({ currentAvailable: 5, unavailableAllowed: 1 });
    expect(w.events.find((e) => e.reason === 'NotDeleted')).toMatchObject({ type: 'Warning', message: "Pod was expected by PUB apps/web-pub to be deleted but it wasn't" });
  });

  it('a deleted pod leaves disruptedPods and the count drops', async () => {
    const w = await start(5, { maxUnavailable: 1, protectTotalReplicas: 5 });
    await w.until(async () => (await status(w))?.unavailableAllowed === 1);
    await recordDisruption(w, 'web-0');
    await w.user.delete(Resources.Pod, { namespace: 'apps', name: 'web-0' }, { gracePeriodSeconds: 0 });
    await w.until(async () => (await status(w))?.disruptedPods === undefined && (await status(w))?.currentAvailable === 4);
    expect(await status(w)).toMatchObject({ currentAvailable: 4, desiredAvailable: 4, unavailableAllowed: 0 });
  });

  it('a pod going not ready (unavailable-pod label) is counted out', async () => {
    const w = await start(5, { maxUnavailable: 2, protectTotalReplicas: 5 });
    await w.until(async () => (await status(w))?.unavailableAllowed === 2);
    await w.patchPod('web-3', { metadata: { labels: { 'unavailable-pod.kruise.io/maintenance': 'true' } } });
    await w.until(async () => (await status(w))?.currentAvailable === 4);
    expect(await status(w)).toMatchObject({ unavailableAllowed: 1 });
  });

  it('no pods: a NoPods event and an empty status', async () => {
    const w = await start(0, { maxUnavailable: 1, matchLabels: { app: 'none' } });
    await w.until(() => w.events.some((e) => e.reason === 'NoPods'));
    await w.until(async () => (await status(w))?.totalReplicas === 0);
    expect(await status(w)).toMatchObject({ currentAvailable: 0, desiredAvailable: 0, unavailableAllowed: 0 });
  });
});
