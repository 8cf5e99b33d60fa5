import type { Pod } from '@kruise-ts/core';
import { aCloneSet } from '@kruise-ts/core/testing';
import type { TestManager } from '@kruise-ts/controllers/testing';
import { KruiseResources } from '@kruise-ts/k8s-adapter';
import { describe, expect, it } from 'vitest';
import { capture } from './cliCapture.testkit.js';
import { observedReadyAfterMs, previewRollout, type RolloutPreview } from './previewRollout.js';
import { liveCluster, liveState as liveStateOf, realRollout as realRolloutOf } from './previewRollout.testkit.js';
import type { RecordedRollout } from './recordRollout.js';
import { EXIT, runCli } from './runCli.js';
import { SET_SYNTAX } from './templateChanges.js';

const web = { namespace: 'default', name: 'web' };

/** A CloneSet web of `replicas` ready pods on a memory cluster whose kubelet takes 2 s to start a pod or restart one in place. */
const cluster = (replicas: number, options: Parameters<typeof aCloneSet>[0]): Promise<TestManager> => liveCluster('CloneSet', aCloneSet({ name: 'web', replicas, ...options }));

const liveState = (manager: TestManager) => liveStateOf(manager, 'CloneSet', 'web');

/** Changes web's image on the manager's own cluster and records the real rollout, as preview does on its copy. */
const realRollout = (manager: TestManager, image: string) => realRolloutOf(manager, 'CloneSet', 'web', [{ kind: 'image', container: 'main', image }]);

const summary = (r: RecordedRollout) => r.pods.map((p) => [p.pod, p.action, p.batch]);

describe('previewRollout (memory cluster)', () => {
  it('predicts an in-place rollout of 12 pods at maxUnavailable 3: the same order and batches as the controller on the live cluster, each pod unavailable ~2 s', async () => {
    await using manager = await cluster(12, { podUpdatePolicy: 'InPlaceIfPossible', maxUnavailable: 3 });
    const live = await liveState(manager);
    // The pods were ready 2 s after creation: that is what preview assumes for them.
    expect(live.pods.map(observedReadyAfterMs)).toEqual(live.pods.map(() => 2000));
    const preview = await previewRollout({ ...live, changes: [{ kind: 'image', container: 'main', image: 'nginx:2' }], readyAfterMs: 5000 });
    expect(preview.end).toBe('done');
    expect(preview.pods).toHaveLength(12);
    expect(new Set(preview.pods.map((p) => p.action))).toEqual(new Set(['in-place']));
    expect(preview.batches.map((b) => b.pods.length)).toEqual([3, 3, 3, 3]);
    // The first pass takes 3; then each pod coming back lets a pass take one more (the 3 of a
    // batch come back at the same fake instant, and a pass follows each).
    expect(preview.pods.map((p) => p.afterBack)).toEqual([0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (const p of preview.pods) expect(p.unavailableMs).toBeGreaterThanOrEqual(2000);
    const real = await realRollout(manager, 'nginx:2');
    expect(summary(preview)).toEqual(summary(real));
    expect(Math.abs(preview.totalMs - real.totalMs)).toBeLessThanOrEqual(0.2 * real.totalMs);
    // The live cluster did not change while previewing: its pods kept their names and uids through the real rollout (in place).
    const after = await liveState(manager);
    expect(after.pods.map((p) => p.metadata.uid).sort()).toEqual(live.pods.map((p) => p.metadata.uid).sort());
  });

  it('predicts a ReCreate rollout: each pod recreated, its replacement named, unavailable until the replacement is Ready', async () => {
    await using manager = await cluster(4, { podUpdatePolicy: 'ReCreate', maxUnavailable: 2 });
    const live = await liveState(manager);
    const preview = await previewRollout({ ...live, changes: [{ kind: 'image', container: 'main', image: 'nginx:2' }], readyAfterMs: 2000 });
    expect(preview.end).toBe('done');
    expect(preview.pods.map((p) => p.action)).toEqual(['recreate', 'recreate', 'recreate', 'recreate']);
    for (const p of preview.pods) {
      expect(p.replacement).toMatch(/^web-/);
      expect(p.unavailableMs).toBeGreaterThanOrEqual(2000);
    }
    const real = await realRollout(manager, 'nginx:2');
    expect(summary(preview)).toEqual(summary(real));
  });

  it('a paused CloneSet updates nothing: the preview says it is stuck', async () => {
    await using manager = await cluster(2, { podUpdatePolicy: 'InPlaceIfPossible', paused: true });
    const preview: RolloutPreview = await previewRollout({ ...(await liveState(manager)), changes: [{ kind: 'image', container: 'main', image: 'nginx:2' }], readyAfterMs: 1000 });
    expect([preview.end, preview.pods]).toEqual(['stuck', []]);
  });

  it('kruise-ts preview reads the live workload: plain lines, -o json, and clear errors', async () => {
    await using manager = await cluster(3, { podUpdatePolicy: 'InPlaceIfPossible', maxUnavailable: 1 });
    const cli = capture(manager);
    expect(await runCli(['preview', 'cloneset/web', '--set', 'image=main=nginx:2'], cli.io)).toBe(EXIT.ok);
    const lines = cli.out().split('\n');
    expect(lines[0]).toBe('Preview of CloneSet "web" with image=main=nginx:2:');
    expect(lines.filter((l) => l.startsWith('Batch '))).toHaveLength(3);
    expect(lines.filter((l) => / in place {2}unavailable \d+\.\ds$/.test(l))).toHaveLength(3);
    expect(cli.out()).toMatch(/Rollout done after \d+\.\ds\.\n$/);
    const json = capture(manager);
    expect(await runCli(['preview', 'cs/web', '--set=image=main=nginx:2', '--ready-after=3s', '-o', 'json'], json.io)).toBe(EXIT.ok);
    const parsed = JSON.parse(json.out()) as RolloutPreview;
    // --ready-after replaces every pod's observed 2 s.
    expect([parsed.end, parsed.pods.length, new Set(Object.values(parsed.readyAfterMs))]).toEqual(['done', 3, new Set([3000])]);
    for (const p of parsed.pods) expect(p.unavailableMs).toBeGreaterThanOrEqual(3000);
    // Nothing was written to the live cluster.
    expect((await manager.get(KruiseResources.CloneSet, web)).spec.template.spec.containers[0]?.image).not.toBe('nginx:2');
    const bad = capture(manager);
    expect(await runCli(['preview', 'cs/web', '--set', 'img=nginx'], bad.io)).toBe(EXIT.usage);
    expect(bad.err()).toBe(`error: --set: "img=nginx" is not ${SET_SYNTAX}\n`);
    const none = capture(manager);
    expect(await runCli(['preview', 'cs/web', '--set', 'image=sidecar=x:1'], none.io)).toBe(EXIT.failed);
    expect(none.err()).toBe('error: --set: the workload has no container "sidecar"\n');
    const sidecarSet = capture(manager);
    expect(await runCli(['preview', 'sidecarset/log', '--set', 'image=main=x:1'], sidecarSet.io)).toBe(EXIT.usage);
    expect(sidecarSet.err()).toMatch(/^error: TYPE: "sidecarset" is not cloneset, statefulset.apps.kruise.io or daemonset.apps.kruise.io/);
    const gates = capture(manager);
    expect(await runCli(['preview', 'cs/web', '--set', 'image=main=x:1', '--feature-gates', 'NoSuchGate=true'], gates.io)).toBe(EXIT.usage);
    expect(gates.err()).toMatch(/^error: --feature-gates: .*NoSuchGate/);
  });
});

describe('observedReadyAfterMs', () => {
  it('reads the time to Ready from creation, or from the last in-place update; none when not Ready or under a second', () => {
    const pod = (annotations: Record<string, string>, ready: string, status = 'True') =>
      ({ metadata: { name: 'p', creationTimestamp: '2026-01-01T10:00:00Z', annotations }, spec: { containers: [] }, status: { conditions: [{ type: 'Ready', status, lastTransitionTime: ready }] } }) as unknown as Pod;
    expect(observedReadyAfterMs(pod({}, '2026-01-01T10:00:04Z'))).toBe(4000);
    expect(observedReadyAfterMs(pod({ 'apps.kruise.io/inplace-update-state': '{"updateTimestamp":"2026-01-01T11:00:00Z"}' }, '2026-01-01T11:00:03Z'))).toBe(3000);
    expect(observedReadyAfterMs(pod({}, '2026-01-01T10:00:00Z'))).toBeUndefined();
    expect(observedReadyAfterMs(pod({}, '2026-01-01T10:00:04Z', 'False'))).toBeUndefined();
  });
});
