import type { Pod } from '@kruise-ts/core';
import { KruiseResources, Resources, systemClock, type KubeClient } from '@kruise-ts/k8s-adapter';
import { describe, expect, it, vi } from 'vitest';
// The test cluster and a kruise-ts-manager process (every controller, the pod webhook injecting sidecars), as the controllers' SidecarSet e2e tests run them.
import { cloneSetManifest, getCloneSet } from '../../../controllers/test/e2e/cloneSetManifest.js';
import { WAIT, createLabelledNamespace, podManifest, sidecarSetManifest, useSidecarSetEnvironment, waitForInjection, waitForReadyPods, type PodObject } from '../../../controllers/test/e2e/sidecarSetHarness.js';
import { captureOn } from '../../src/cliCapture.testkit.js';
import { EXIT, runCli } from '../../src/index.js';

const cli = (client: KubeClient) => captureOn(client, systemClock());


const PODS = 4;
const [V1, V2, V3] = ['fluent/fluent-bit:2.0', 'fluent/fluent-bit:3.0', 'fluent/fluent-bit:3.1'];
const sidecarImage = (pod: Pod) => pod.spec.containers.find((c) => c.name === 'log-agent')?.image;
const images = (pods: Iterable<PodObject>) => [...pods].map(sidecarImage).sort();
const uids = (pods: Iterable<PodObject>) => [...pods].map((p) => p.metadata.uid).sort();

describe('kruise-ts rollout on a SidecarSet, and status --revision (real kube-apiserver, kruise-ts-manager, kwok kubelets)', () => {
  const env = useSidecarSetEnvironment();

  it(`rollout status sidecarset/log blocks until the ${String(PODS)} matched pods run the new sidecar, exit 0; pause holds the pods on the old one, resume finishes`, async () => {
    const { client } = env;
    await createLabelledNamespace(client, 'cli-sidecar');
    await client.create(KruiseResources.SidecarSet, sidecarSetManifest('log', 'web', { containers: [{ name: 'log-agent', image: V1 }], updateStrategy: { type: 'RollingUpdate', maxUnavailable: 1 } }));
    await waitForInjection(client, podManifest('probe', 'cli-sidecar', 'web'), 'log');
    for (let i = 0; i < PODS; i++) await client.create(Resources.Pod, podManifest(`web-${String(i)}`, 'cli-sidecar', 'web'));
    const before = await waitForReadyPods(client, 'cli-sidecar', 'app=web', PODS);
    expect(images(before.values())).toEqual(Array(PODS).fill(V1));
    expect(await runCli(['rollout', 'status', 'sidecarset/log', '--timeout=60s'], cli(client).io)).toBe(EXIT.ok);

    // One pod at a time (maxUnavailable 1), each sidecar restart 0.5–1.5 s in kwok: status waits through it.
    await client.patch(KruiseResources.SidecarSet, { name: 'log' }, { type: 'json', operations: [{ op: 'replace', path: '/spec/containers/0/image', value: V2 }] });
    const status = cli(client);
    expect(await runCli(['rollout', 'status', 'sidecarset/log', '--timeout=60s'], status.io)).toBe(EXIT.ok);
    const lines = status.out().trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.slice(0, -1).every((l) => l.startsWith('Waiting for SidecarSet "log" '))).toBe(true);
    expect(lines.at(-1)).toBe('SidecarSet "log" successfully rolled out');
    const upgraded = await waitForReadyPods(client, 'cli-sidecar', 'app=web', PODS);
    expect(images(upgraded.values())).toEqual(Array(PODS).fill(V2));
    expect(uids(upgraded.values())).toEqual(uids(before.values()));

    // Paused: the new image is observed, no pod gets it; status gives up at its timeout.
    const pause = cli(client);
    expect(await runCli(['rollout', 'pause', 'sidecarset/log'], pause.io)).toBe(EXIT.ok);
    expect(pause.out()).toBe('sidecarset.apps.kruise.io/log paused\n');
    await client.patch(KruiseResources.SidecarSet, { name: 'log' }, { type: 'json', operations: [{ op: 'replace', path: '/spec/containers/0/image', value: V3 }] });
    await vi.waitFor(async () => {
      const ss = await client.get(KruiseResources.SidecarSet, { name: 'log' });
      expect(ss.status?.observedGeneration).toBe(ss.metadata.generation);
    }, WAIT);
    const held = cli(client);
    expect(await runCli(['rollout', 'status', 'sidecarset/log', '--timeout=3s'], held.io)).toBe(EXIT.failed);
    expect(held.out()).toBe(`Waiting for SidecarSet "log" rollout to finish: 0 out of ${String(PODS)} new pods have been updated...\n`);
    expect(held.err()).toBe('error: timed out waiting for the condition\n');
    const paused = (await client.list(Resources.Pod, { namespace: 'cli-sidecar', labelSelector: 'app=web' })).items;
    expect(images(paused)).toEqual(Array(PODS).fill(V2));

    const resume = cli(client);
    expect(await runCli(['rollout', 'resume', 'sidecarset/log'], resume.io)).toBe(EXIT.ok);
    expect(await runCli(['rollout', 'status', 'sidecarset/log', '--timeout=60s'], cli(client).io)).toBe(EXIT.ok);
    const resumed = await waitForReadyPods(client, 'cli-sidecar', 'app=web', PODS);
    expect(images(resumed.values())).toEqual(Array(PODS).fill(V3));
    expect(uids(resumed.values())).toEqual(uids(before.values()));

    const history = cli(client);
    expect(await runCli(['rollout', 'history', 'sidecarset/log'], history.io)).toBe(EXIT.ok);
    expect(history.out()).toBe('sidecarset.apps.kruise.io/log\nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n3         <none>\n');
  });

  it('rollout status --revision on a CloneSet: the running revision exits 0, another exits 1 with kubectl\'s message', async () => {
    const { client } = env;
    await createLabelledNamespace(client, 'cli-revision');
    await client.create(Resources.CloneSet, cloneSetManifest('api', 'cli-revision', { replicas: 2, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { podUpdatePolicy: 'InPlaceIfPossible', partition: 0, maxUnavailable: 1, maxSurge: 0 } } }));
    expect(await runCli(['rollout', 'status', 'cs/api', '-n', 'cli-revision', '--revision=1', '--timeout=60s'], cli(client).io)).toBe(EXIT.ok);
    await client.patch(Resources.CloneSet, { namespace: 'cli-revision', name: 'api' }, { type: 'json', operations: [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'nginx:1.26' }] });
    const right = cli(client);
    expect(await runCli(['rollout', 'status', 'cs/api', '-n', 'cli-revision', '--revision=2', '--timeout=60s'], right.io)).toBe(EXIT.ok);
    expect(right.out().trimEnd().split('\n').at(-1)).toBe('CloneSet "api" successfully rolled out');
    expect((await getCloneSet(client, 'cli-revision', 'api')).status).toMatchObject({ updatedReadyReplicas: 2 });
    const wrong = cli(client);
    expect(await runCli(['rollout', 'status', 'cs/api', '-n', 'cli-revision', '--revision=1'], wrong.io)).toBe(EXIT.failed);
    expect(wrong.err()).toBe('error: desired revision (1) is different from the running revision (2)\n');
    expect(wrong.out()).toBe('');
  });
});
