import { SIDECARSET_HASH_ANNOTATION, SIDECARSET_UPGRADABLE_CONDITION, type Pod } from '@kruise-ts/core';
import { KruiseResources, Resources, type KubeClient } from '@kruise-ts/k8s-adapter';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { isReady, podCondition } from './cloneSetManifest.js';
import { watchCloneSetPods, type PodWatch } from './watchCloneSetPods.js';
import {
  WAIT,
  createLabelledNamespace,
  forbiddenLogs,
  podManifest,
  sidecarSetManifest,
  useSidecarSetEnvironment,
  waitForInjection,
  waitForReadyPods,
  type PodObject,
  type SidecarSetManager,
} from './sidecarSetHarness.js';

const OLD = 'fluent/fluent-bit:2.0';
const NEW = 'fluent/fluent-bit:3.0';
const status = (pod: Pod, name: string) => pod.status?.containerStatuses?.find((s) => s.name === name);
const specImage = (pod: Pod, name: string) => pod.spec.containers.find((c) => c.name === name)?.image;

/** Pods with the new sidecar image in their spec that do not run it yet or are not Ready: the upgrades in flight. */
const inFlight = (pods: Iterable<PodObject>): number => [...pods].filter((p) => specImage(p, 'log-agent') === NEW && (status(p, 'log-agent')?.image !== NEW || !isReady(p))).length;

describe('SidecarSet in-place sidecar upgrade of 10 running pods (real kube-apiserver, kwok kubelets)', () => {
  const env = useSidecarSetEnvironment();
  let client: KubeClient;
  let manager: SidecarSetManager;
  let before: Map<string, PodObject>;
  let watch: PodWatch;
  const violations: string[] = [];
  let maxInFlight = 0;

  beforeAll(async () => {
    ({ client, manager } = env);
    await createLabelledNamespace(client, 'rollout');
    const sidecar = { name: 'log-agent', image: OLD, podInjectPolicy: 'AfterAppContainer' as const };
    await client.create(KruiseResources.SidecarSet, sidecarSetManifest('log', 'web', { containers: [sidecar], updateStrategy: { type: 'RollingUpdate', maxUnavailable: 2, partition: 3 } }));
    await waitForInjection(client, podManifest('probe', 'rollout', 'web'), 'log');
    for (let i = 0; i < 10; i++) await client.create(Resources.Pod, podManifest(`web-${String(i)}`, 'rollout', 'web'));
    before = await waitForReadyPods(client, 'rollout', 'app=web', 10);
    await vi.waitFor(async () => {
      expect((await client.get(KruiseResources.SidecarSet, { name: 'log' })).status).toMatchObject({ matchedPods: 10, updatedPods: 10, readyPods: 10, updatedReadyPods: 10 });
    }, WAIT);
    // Every state the apiserver goes through: at most maxUnavailable upgrades in flight, the app
    // containers never restarted, no pod replaced.
    watch = await watchCloneSetPods(client, 'rollout', 'web');
    watch.onChange((pods) => {
      maxInFlight = Math.max(maxInFlight, inFlight(pods.values()));
      for (const pod of pods.values()) {
        const name = pod.metadata.name ?? '';
        const app = status(pod, 'app');
        if (pod.metadata.uid !== before.get(name)?.metadata.uid) violations.push(`${name} was replaced`);
        if ((app?.restartCount ?? 0) !== 0 || app?.containerID !== status(before.get(name) as Pod, 'app')?.containerID) violations.push(`${name}: app container restarted`);
      }
    });
  });
  afterAll(async () => {
    await watch.stop();
  });

  it('changing the sidecar image upgrades 7 of 10 pods in place with partition 3, at most 2 at a time', async () => {
    await client.patch(KruiseResources.SidecarSet, { name: 'log' }, { type: 'json', operations: [{ op: 'replace', path: '/spec/containers/0/image', value: NEW }] });
    await vi.waitFor(async () => {
      expect((await client.get(KruiseResources.SidecarSet, { name: 'log' })).status).toMatchObject({ matchedPods: 10, updatedPods: 7, updatedReadyPods: 7, readyPods: 10 });
    }, WAIT);
    // Partition respected: the 3 others stay on the old image while nothing changes.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const pods = (await client.list(Resources.Pod, { namespace: 'rollout', labelSelector: 'app=web' })).items;
    expect(pods.filter((p) => specImage(p, 'log-agent') === NEW)).toHaveLength(7);
    expect(pods.filter((p) => specImage(p, 'log-agent') === OLD)).toHaveLength(3);
    // The controller upgraded them in passes of at most maxUnavailable pods.
    const passes = manager.current.logs.filter((l) => l.msg === 'pass applied' && l.key === 'log' && l.decision === 'upgrade').map((l) => Number(l.upgraded));
    expect(passes.every((n) => n >= 1 && n <= 2)).toBe(true);
    expect(passes.reduce((a, b) => a + b, 0)).toBe(7);
    expect(maxInFlight).toBeGreaterThan(0);
    expect(maxInFlight).toBe(2); // the kwok stage takes 0.5–1.5 s per restart, so the limit is reached
  });

  it('partition 0 upgrades the last 3; every pod keeps its UID, only the sidecar restarted, the app containers never', async () => {
    await client.patch(KruiseResources.SidecarSet, { name: 'log' }, { type: 'merge', body: { spec: { updateStrategy: { partition: 0 } } } });
    await vi.waitFor(async () => {
      expect((await client.get(KruiseResources.SidecarSet, { name: 'log' })).status).toMatchObject({ matchedPods: 10, updatedPods: 10, updatedReadyPods: 10, readyPods: 10 });
    }, WAIT);
    const ss = await client.get(KruiseResources.SidecarSet, { name: 'log' });
    const after = await waitForReadyPods(client, 'rollout', 'app=web', 10);
    for (const [name, pod] of after) {
      const old = before.get(name) as PodObject;
      expect(pod.metadata.uid).toBe(old.metadata.uid);
      expect(specImage(pod, 'log-agent')).toBe(NEW);
      expect(status(pod, 'log-agent')).toMatchObject({ image: NEW, restartCount: 1 });
      expect(status(pod, 'app')).toMatchObject({ restartCount: 0, containerID: status(old, 'app')?.containerID, image: 'nginx:1.25' });
      expect(pod.spec.containers.find((c) => c.name === 'app')).toEqual(old.spec.containers.find((c) => c.name === 'app'));
      const record = (JSON.parse(pod.metadata.annotations?.[SIDECARSET_HASH_ANNOTATION] ?? '{}') as Record<string, { hash: string; controllerRevision?: string }>).log;
      expect(record).toMatchObject({ hash: ss.metadata.annotations?.[SIDECARSET_HASH_ANNOTATION], controllerRevision: ss.status?.latestRevision });
    }
    expect(violations).toEqual([]);
    expect(maxInFlight).toBeLessThanOrEqual(2);
    const revisions = await client.list(Resources.ControllerRevision, { namespace: 'kruise-system', labelSelector: 'kruise.io/sidecarset-name=log' });
    expect(revisions.items.map((r) => r.revision).sort()).toEqual([1, 2]);
  });

  it('a change other than images cannot be done in place: pods are marked SidecarSetUpgradable False and left alone', async () => {
    await client.patch(KruiseResources.SidecarSet, { name: 'log' }, { type: 'json', operations: [{ op: 'add', path: '/spec/containers/0/env', value: [{ name: 'FLUSH', value: '5' }] }] });
    await vi.waitFor(async () => {
      const pods = (await client.list(Resources.Pod, { namespace: 'rollout', labelSelector: 'app=web' })).items;
      expect(pods.map((p) => podCondition(p, SIDECARSET_UPGRADABLE_CONDITION))).toEqual(pods.map(() => expect.objectContaining({ status: 'False', reason: 'UpdateImmutableField', message: '{"log":false}' }) as unknown));
    }, WAIT);
    // The status is written after the pods' conditions (a later write of the pass, or the next pass): wait for it.
    await vi.waitFor(async () => {
      expect((await client.get(KruiseResources.SidecarSet, { name: 'log' })).status).toMatchObject({ matchedPods: 10, updatedPods: 0 });
    }, WAIT);
    // Events are written in the background: wait for it.
    await vi.waitFor(async () => {
      const events = (await client.list(Resources.Event, { namespace: 'default' })).items as unknown as { involvedObject: { kind: string; name: string }; reason: string }[];
      expect(events.some((e) => e.involvedObject.kind === 'SidecarSet' && e.involvedObject.name === 'log' && e.reason === 'NotUpgradablePods')).toBe(true);
    }, WAIT);
    const pods = (await client.list(Resources.Pod, { namespace: 'rollout', labelSelector: 'app=web' })).items;
    expect(pods.filter((p) => p.spec.containers.some((c) => c.env?.some((e) => e.name === 'FLUSH')))).toEqual([]);
    expect(violations).toEqual([]);
    expect(forbiddenLogs(manager.current)).toEqual([]);
  });
});
