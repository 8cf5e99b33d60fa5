import { aCloneSet, aDaemonSet, aStatefulSet } from '@kruise-ts/core/testing';
import { startTestManager, type TestManager } from '@kruise-ts/controllers/testing';
import { KruiseResources, Resources, type KubeObject } from '@kruise-ts/k8s-adapter';
import type { DaemonSet } from '@kruise-ts/core';
import { describe, expect, it } from 'vitest';
import { capture } from './cliCapture.testkit.js';
import { previewRollout, type RolloutPreview } from './previewRollout.js';
import { liveCluster, liveState, realRollout } from './previewRollout.testkit.js';
import type { RecordedRollout } from './recordRollout.js';
import type { RolloutKind } from './rolloutStatus.js';
import { EXIT, runCli } from './runCli.js';
import { parseTemplateSets, type TemplateChange } from './templateChanges.js';

// Preview of each kind on the memory cluster, checked against the same controller's real rollout
// of the same change on the live (memory) cluster the preview copied.

const sets = (...values: string[]): TemplateChange[] => {
  const parsed = parseTemplateSets(values);
  if ('kind' in parsed) throw new Error(parsed.message);
  return parsed;
};

const summary = (r: RecordedRollout) => r.pods.map((p) => [p.pod, p.action, p.replacement ?? null]);

async function previewAndCompare(manager: TestManager, kind: RolloutKind, name: string, changes: TemplateChange[], featureGates?: Record<string, boolean>): Promise<RolloutPreview> {
  const preview = await previewRollout({ ...(await liveState(manager, kind, name)), changes, readyAfterMs: 2000, ...(featureGates === undefined ? {} : { featureGates }) });
  expect(preview.end).toBe('done');
  const real = await realRollout(manager, kind, name, changes);
  // Recreated pods' replacements get random names: compare them by whether there is one.
  const shape = (r: RecordedRollout) => summary(r).map(([pod, action, replacement]) => [pod, action, kind === 'StatefulSet' ? replacement : replacement !== null]);
  expect(shape(preview)).toEqual(shape(real));
  expect(Math.abs(preview.totalMs - real.totalMs)).toBeLessThanOrEqual(0.2 * real.totalMs);
  return preview;
}

describe('previewRollout: Advanced StatefulSet (memory cluster)', () => {
  it('in place, 4 pods at maxUnavailable 2: highest ordinals first, the order and total of the real rollout', async () => {
    const sts = aStatefulSet({ name: 'db', replicas: 4, podUpdatePolicy: 'InPlaceIfPossible', maxUnavailable: 2, podManagementPolicy: 'Parallel' });
    await using manager = await liveCluster('StatefulSet', sts);
    const preview = await previewAndCompare(manager, 'StatefulSet', 'db', sets('image=main=nginx:2'));
    expect(preview.pods.map((p) => [p.pod, p.action])).toEqual([['db-3', 'in-place'], ['db-2', 'in-place'], ['db-1', 'in-place'], ['db-0', 'in-place']]);
    for (const p of preview.pods) expect(p.unavailableMs).toBeGreaterThanOrEqual(2000);
  });

  it('an env change cannot go in place: each pod is recreated under its own name, one at a time', async () => {
    const sts = aStatefulSet({ name: 'db', replicas: 3, podUpdatePolicy: 'InPlaceIfPossible' });
    await using manager = await liveCluster('StatefulSet', sts);
    const preview = await previewAndCompare(manager, 'StatefulSet', 'db', sets('env=main:LOG_LEVEL=debug'));
    expect(preview.pods.map((p) => [p.pod, p.action, p.replacement])).toEqual([['db-2', 'recreate', 'db-2'], ['db-1', 'recreate', 'db-1'], ['db-0', 'recreate', 'db-0']]);
    expect(preview.batches).toHaveLength(3);
  });
});

describe('previewRollout: Advanced DaemonSet (memory cluster)', () => {
  it('RollingUpdate Standard on 3 nodes at maxUnavailable 1: each pod recreated on its node, one node at a time', async () => {
    const ds = aDaemonSet({ name: 'agent', maxUnavailable: 1 });
    await using manager = await liveCluster('DaemonSet', ds, { nodes: 3 });
    const live = await liveState(manager, 'DaemonSet', 'agent');
    const preview = await previewAndCompare(manager, 'DaemonSet', 'agent', sets('image=main=agent:2'));
    expect(preview.pods.map((p) => p.action)).toEqual(['recreate', 'recreate', 'recreate']);
    expect(preview.batches).toHaveLength(3);
    expect(new Set(preview.pods.map((p) => p.pod))).toEqual(new Set(live.pods.map((p) => p.metadata.name)));
  });

  it('InPlaceIfPossible with an image change: in place, 2 nodes at a time', async () => {
    const ds = aDaemonSet({ name: 'agent', rollingUpdateType: 'InPlaceIfPossible', maxUnavailable: 2 });
    await using manager = await liveCluster('DaemonSet', ds, { nodes: 4 });
    const preview = await previewAndCompare(manager, 'DaemonSet', 'agent', sets('image=main=agent:2'));
    expect(preview.pods.map((p) => p.action)).toEqual(['in-place', 'in-place', 'in-place', 'in-place']);
    expect(preview.batches.map((b) => b.pods.length)).toEqual([2, 2]);
  });
});

describe('previewRollout: the inputs of the update order (CloneSet, memory cluster)', () => {
  it('copies what the update order reads: pod labels of a priority and a scatter strategy give the real order, pod by pod', async () => {
    const cloneSet = aCloneSet({
      name: 'web',
      replicas: 8,
      podUpdatePolicy: 'InPlaceIfPossible',
      maxUnavailable: 2,
      priorityStrategy: { weightPriority: [{ weight: 50, matchSelector: { matchLabels: { tier: 'canary' } } }] },
      scatterStrategy: [{ key: 'zone', value: 'a' }],
    });
    await using manager = await liveCluster('CloneSet', cloneSet);
    // Labels set on the live pods only (not in the template): 2 canaries, half the pods in zone a.
    const pods = (await liveState(manager, 'CloneSet', 'web')).pods.sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
    for (const [i, pod] of pods.entries()) {
      await manager.cluster.client.patch(Resources.Pod, { namespace: 'default', name: pod.metadata.name ?? '' }, { type: 'merge', body: { metadata: { labels: { zone: i % 2 === 0 ? 'a' : 'b', ...(i === 3 || i === 6 ? { tier: 'canary' } : {}) } } } });
    }
    await manager.cluster.settle();
    const preview = await previewAndCompare(manager, 'CloneSet', 'web', sets('image=main=nginx:2'));
    expect(preview.pods.slice(0, 2).map((p) => p.pod).sort()).toEqual([pods[3]?.metadata.name, pods[6]?.metadata.name].sort());
  });
});

describe('previewRollout: --set beyond images (CloneSet, memory cluster)', () => {
  it('InPlaceIfPossible with an env change: predicted as recreate (only images and metadata go in place)', async () => {
    await using manager = await liveCluster('CloneSet', aCloneSet({ name: 'web', replicas: 3, podUpdatePolicy: 'InPlaceIfPossible', maxUnavailable: 1 }));
    const preview = await previewAndCompare(manager, 'CloneSet', 'web', sets('env=main:LOG_LEVEL=debug'));
    expect(preview.pods.map((p) => p.action)).toEqual(['recreate', 'recreate', 'recreate']);
  });

  it('a resources change: recreate with the default gates, in place (a resize, never unavailable) with InPlaceWorkloadVerticalScaling and InPlacePodVerticalScaling', async () => {
    // A resource the container already requests (adding one is never in place), its QoS class kept (Burstable).
    const cloneSet = aCloneSet({ name: 'web', replicas: 2, podUpdatePolicy: 'InPlaceIfPossible', maxUnavailable: 1, containers: [{ name: 'main', image: 'nginx:1', resources: { requests: { cpu: '100m' } } }] });
    const change = sets('resources=main:requests.cpu=200m');
    {
      await using manager = await liveCluster('CloneSet', cloneSet);
      const preview = await previewRollout({ ...(await liveState(manager, 'CloneSet', 'web')), changes: change, readyAfterMs: 1000 });
      expect([preview.end, preview.pods.map((p) => p.action)]).toEqual(['done', ['recreate', 'recreate']]);
    }
    const gates = { InPlaceWorkloadVerticalScaling: true, InPlacePodVerticalScaling: true };
    await using manager = await liveCluster('CloneSet', cloneSet, { featureGates: gates });
    const preview = await previewAndCompare(manager, 'CloneSet', 'web', change, gates);
    expect(preview.pods.map((p) => [p.action, p.unavailableMs])).toEqual([['in-place', 0], ['in-place', 0]]);
  });

  it('kruise-ts preview asts/NAME and ads/NAME print the kind and the changes as --set spells them', async () => {
    await using manager = await liveCluster('StatefulSet', aStatefulSet({ name: 'db', replicas: 2, podUpdatePolicy: 'InPlaceIfPossible' }));
    const cli = capture(manager);
    expect(await runCli(['preview', 'asts/db', '--set', 'image=main=nginx:2', '--set', 'env=main:A=1'], cli.io)).toBe(EXIT.ok);
    const lines = cli.out().split('\n');
    expect(lines[0]).toBe('Preview of StatefulSet "db" with image=main=nginx:2, env=main:A=1:');
    expect(lines.filter((l) => / {2}recreate → db-\d {2}unavailable \d+\.\ds$/.test(l))).toHaveLength(2);
    const ads = capture(manager);
    expect(await runCli(['preview', 'ads/none', '--set', 'image=main=x:1'], ads.io)).toBe(EXIT.failed);
    expect(ads.err()).toMatch(/not found/i);
  });

  it('--feature-gates reaches the controller: the same resources change is a resize in place with the two gates', async () => {
    const containers = [{ name: 'main', image: 'nginx:1', resources: { requests: { cpu: '100m' } } }];
    await using manager = await liveCluster('CloneSet', aCloneSet({ name: 'web', replicas: 2, podUpdatePolicy: 'InPlaceIfPossible', maxUnavailable: 1, containers }));
    const actions = async (...flags: string[]) => {
      const cli = capture(manager);
      expect(await runCli(['preview', 'cs/web', '--set', 'resources=main:requests.cpu=200m', ...flags, '-o', 'json'], cli.io)).toBe(EXIT.ok);
      return (JSON.parse(cli.out()) as RolloutPreview).pods.map((p) => p.action);
    };
    expect(await actions()).toEqual(['recreate', 'recreate']);
    expect(await actions('--feature-gates', 'InPlaceWorkloadVerticalScaling=true,InPlacePodVerticalScaling=true')).toEqual(['in-place', 'in-place']);
  });

  it('preview -f: an Advanced DaemonSet from files, its nodes and their labels (which its rollingUpdate.selector reads) from the --pods file', async () => {
    const ds = aDaemonSet({ name: 'agent', maxUnavailable: 1, nodeSelector: { matchLabels: { pool: 'infra' } } });
    await using manager = await startTestManager({ controllers: ['daemonset'], nodes: [{ name: 'n1', labels: { pool: 'infra' } }, { name: 'n2', labels: { pool: 'infra' } }, { name: 'n3', labels: { pool: 'web' } }], kubelet: { startDelayMs: 2000 } });
    await manager.create(KruiseResources.DaemonSet, ds as DaemonSet & KubeObject);
    const live = await manager.waitForRollout(KruiseResources.DaemonSet, { namespace: 'default', name: 'agent' });
    const state = await liveState(manager, 'DaemonSet', 'agent');
    const nodes = (await manager.cluster.client.list(Resources.Node, {})).items;
    const files = { 'ds.json': JSON.stringify(live), 'pods.json': JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [...state.pods, ...state.revisions, ...nodes] }) };
    const cli = capture(undefined, files);
    expect(await runCli(['preview', '-f', 'ds.json', '--pods', 'pods.json', '--set', 'image=main=agent:2', '-o', 'json'], cli.io)).toBe(EXIT.ok);
    const preview = JSON.parse(cli.out()) as RolloutPreview;
    // The update takes the pods on n1 and n2 (pool infra), one at a time, and then stops: n3's pod
    // is left at the old revision. Without the nodes' labels the copy would update none.
    const nodeOf = new Map(state.pods.map((p) => [p.metadata.name, p.spec.nodeName]));
    expect([preview.kind, preview.end, preview.pods.map((p) => p.action), preview.batches.length]).toEqual(['DaemonSet', 'stuck', ['recreate', 'recreate'], 2]);
    expect(preview.pods.map((p) => nodeOf.get(p.pod)).sort()).toEqual(['n1', 'n2']);
    const wrong = capture(undefined, { 'pod.json': JSON.stringify(state.pods[0]) });
    expect(await runCli(['preview', '-f', 'pod.json', '--set', 'image=main=x:1'], wrong.io)).toBe(EXIT.usage);
    expect(wrong.err()).toBe('error: -f: pod.json holds a Pod, not a CloneSet, StatefulSet or DaemonSet\n');
  });
});
