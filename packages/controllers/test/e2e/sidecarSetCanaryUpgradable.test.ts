import { SIDECARSET_BASE_ANNOTATION, SIDECARSET_CANARY_ANNOTATION, SIDECARSET_INJECTED_LIST_ANNOTATION, SIDECARSET_UPGRADABLE_CONDITION, type Pod } from '@kruise-ts/core';
import { KruiseResources, Resources, type KubeClient } from '@kruise-ts/k8s-adapter';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { podCondition } from './cloneSetManifest.js';
import { rejection } from './webhookHarness.js';
import { WAIT, createLabelledNamespace, forbiddenLogs, podManifest, sidecarSetManifest, useSidecarSetEnvironment, waitForInjection, waitForReadyPods, type SidecarSetManager } from './sidecarSetHarness.js';

const OLD = 'fluent/fluent-bit:2.0';
const NEW = 'fluent/fluent-bit:3.0';
const agentImage = (pod: Pod) => pod.spec.containers.find((c) => c.name === 'log-agent')?.image;

// Each test has its own namespace, SidecarSets and pods (its own app label): none reads what another left.
describe('SidecarSet upgrade marks and canary SidecarSets (real kube-apiserver, kwok kubelets)', () => {
  const env = useSidecarSetEnvironment();
  let client: KubeClient;
  let manager: SidecarSetManager;

  beforeAll(() => {
    ({ client, manager } = env);
  });

  it('sets SidecarSetUpgradable=True on every pod the controller upgrades in place', async () => {
    await createLabelledNamespace(client, 'upgrade');
    const sidecar = { name: 'log-agent', image: OLD, podInjectPolicy: 'AfterAppContainer' as const };
    await client.create(KruiseResources.SidecarSet, sidecarSetManifest('upgrade-log', 'upgraded', { containers: [sidecar], updateStrategy: { type: 'RollingUpdate', maxUnavailable: 2 } }));
    await waitForInjection(client, podManifest('probe', 'upgrade', 'upgraded'), 'upgrade-log');
    for (let i = 0; i < 4; i++) await client.create(Resources.Pod, podManifest(`upgraded-${String(i)}`, 'upgrade', 'upgraded'));
    const before = await waitForReadyPods(client, 'upgrade', 'app=upgraded', 4);
    expect([...before.values()].map((p) => podCondition(p, SIDECARSET_UPGRADABLE_CONDITION))).toEqual([undefined, undefined, undefined, undefined]);

    const patched = await client.patch(KruiseResources.SidecarSet, { name: 'upgrade-log' }, { type: 'json', operations: [{ op: 'replace', path: '/spec/containers/0/image', value: NEW }] });
    // The status of the new spec (observedGeneration), not the one written before the change.
    await vi.waitFor(async () => {
      const status = (await client.get(KruiseResources.SidecarSet, { name: 'upgrade-log' })).status;
      expect(status).toMatchObject({ observedGeneration: patched.metadata.generation, matchedPods: 4, updatedPods: 4, updatedReadyPods: 4, readyPods: 4 });
    }, WAIT);
    const pods = (await client.list(Resources.Pod, { namespace: 'upgrade', labelSelector: 'app=upgraded' })).items;
    expect(pods.map(agentImage)).toEqual([NEW, NEW, NEW, NEW]);
    expect(pods.map((p) => p.metadata.uid).sort()).toEqual([...before.values()].map((p) => p.metadata.uid).sort());
    for (const pod of pods) {
      expect(podCondition(pod, SIDECARSET_UPGRADABLE_CONDITION)).toMatchObject({ status: 'True', reason: 'AllSidecarsetUpgradable', message: '{"upgrade-log":true}' });
    }
    expect(forbiddenLogs(manager.current)).toEqual([]);
  });

  it('gives a new pod a canary SidecarSet selects the canary sidecar instead of its base', async () => {
    await createLabelledNamespace(client, 'canary');
    const sidecar = (image: string) => [{ name: 'log-agent', image, podInjectPolicy: 'AfterAppContainer' as const }];
    await client.create(KruiseResources.SidecarSet, sidecarSetManifest('canary-log', 'shop', { containers: sidecar(OLD) }));
    // The canary injects the same container for the same app: the validating webhook admits it (no conflict with its base).
    const canary = sidecarSetManifest('canary-log-next', 'shop', { selector: { matchLabels: { app: 'shop', track: 'canary' } }, containers: sidecar(NEW), updateStrategy: { type: 'NotUpdate' } });
    await client.create(KruiseResources.SidecarSet, { ...canary, metadata: { name: 'canary-log-next', annotations: { [SIDECARSET_CANARY_ANNOTATION]: 'true', [SIDECARSET_BASE_ANNOTATION]: 'canary-log' } } });
    const canaryPod = (name: string) => ({ ...podManifest(name, 'canary', 'shop'), metadata: { name, namespace: 'canary', labels: { app: 'shop', track: 'canary' } } });
    await waitForInjection(client, canaryPod('probe'), 'canary-log-next');
    await waitForInjection(client, podManifest('probe', 'canary', 'shop'), 'canary-log');

    const chosen = await client.create(Resources.Pod, canaryPod('shop-canary'));
    const stable = await client.create(Resources.Pod, podManifest('shop-stable', 'canary', 'shop'));
    expect(chosen.spec.containers.map((c) => `${c.name}=${c.image ?? ''}`)).toEqual(['app=nginx:1.25', `log-agent=${NEW}`]);
    expect(chosen.metadata.annotations?.[SIDECARSET_INJECTED_LIST_ANNOTATION]).toBe('canary-log-next');
    expect(agentImage(stable)).toBe(OLD);
    expect(stable.metadata.annotations?.[SIDECARSET_INJECTED_LIST_ANNOTATION]).toBe('canary-log');
    // Each SidecarSet counts only the pod it injected.
    await vi.waitFor(async () => {
      expect((await client.get(KruiseResources.SidecarSet, { name: 'canary-log' })).status).toMatchObject({ matchedPods: 1 });
      expect((await client.get(KruiseResources.SidecarSet, { name: 'canary-log-next' })).status).toMatchObject({ matchedPods: 1 });
    }, WAIT);

    // A canary naming a SidecarSet that does not exist is refused by the validating webhook.
    const orphan = { ...canary, metadata: { name: 'orphan-canary', annotations: { [SIDECARSET_CANARY_ANNOTATION]: 'true', [SIDECARSET_BASE_ANNOTATION]: 'gone' } } };
    expect(await rejection(client.create(KruiseResources.SidecarSet, orphan))).toContain('fetch base sidecarSet[gone] failed: sidecarsets.apps.kruise.io "gone" not found');
  });
});
