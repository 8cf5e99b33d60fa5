import type { CloneSet } from '@kruise-ts/core';
import { aCloneSet } from '@kruise-ts/core/testing';
import { startTestManager } from '@kruise-ts/controllers/testing';
import { KruiseResources, type KubeObject } from '@kruise-ts/k8s-adapter';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { capture } from './cliCapture.testkit.js';
import { visibleWidth } from './fitToWidth.js';
import { renderStatusBlock } from './liveStatusView.js';
import { rolloutStatus } from './rolloutStatus.js';
import { EXIT, runCli } from './runCli.js';

const web = { namespace: 'default', name: 'web' };
const cloneSet = (replicas: number, updated: number, updatedReady: number) =>
  ({ metadata: { name: 'web', generation: 2 }, spec: { replicas }, status: { observedGeneration: 2, replicas, updatedReplicas: updated, updatedReadyReplicas: updatedReady, readyReplicas: replicas - 1, availableReplicas: replicas - 1 } }) as unknown as KubeObject;

describe('renderStatusBlock', () => {
  it('shows the title, counters, a bar of updated-ready (#) and updating (+) pods, and the message', () => {
    const object = cloneSet(20, 5, 4);
    const lines = renderStatusBlock('CloneSet', object, rolloutStatus('CloneSet', object), 2500, 60);
    expect(lines[0]).toBe('CloneSet "web"  2.5s');
    expect(lines[1]).toBe('  updated 5/20 · updated ready 4 · ready 19 · available 19');
    expect(lines[2]).toMatch(/^ {2}\[#{10}\+{3}·{37}\] {2}20%$/);
    expect(lines[3]).toMatch(/^ {2}Waiting for CloneSet "web" rollout to finish: 5 out of 2.*…$/);
    expect(visibleWidth(lines[3] ?? '')).toBe(60);
  });

  it('a SidecarSet counts the pods it matched: updatedPods of matchedPods, updatedReadyPods, readyPods (it has no available count)', () => {
    const object = { metadata: { name: 'log', generation: 2 }, spec: {}, status: { observedGeneration: 2, matchedPods: 10, updatedPods: 6, updatedReadyPods: 5, readyPods: 9 } } as unknown as KubeObject;
    const lines = renderStatusBlock('SidecarSet', object, rolloutStatus('SidecarSet', object), 1000, 100);
    expect(lines[0]).toBe('SidecarSet "log"  1.0s');
    expect(lines[1]).toBe('  updated 6/10 · updated ready 5 · ready 9 · available 9');
    expect(lines[2]).toMatch(/^ {2}\[#{45}\+{9}·{36}\] {2}50%$/);
    expect(lines[3]).toBe('  Waiting for SidecarSet "log" rollout to finish: 6 out of 10 new pods have been updated...');
  });

  it('property: no line is wider than the terminal (20 to 200 columns), whatever the counts', () => {
    fc.assert(
      fc.property(fc.integer({ min: 20, max: 200 }), fc.integer({ min: 0, max: 5000 }), fc.nat(), fc.nat(), (width, replicas, a, b) => {
        const updated = replicas === 0 ? 0 : a % (replicas + 1);
        const object = cloneSet(replicas, updated, updated === 0 ? 0 : b % (updated + 1));
        for (const line of renderStatusBlock('CloneSet', object, rolloutStatus('CloneSet', object), 123_456, width)) expect(visibleWidth(line)).toBeLessThanOrEqual(width);
      }),
    );
  });
});

describe('rollout status --watch on a terminal (memory cluster)', () => {
  it('redraws one block in place, every line within 40 columns, ending rolled out; exit 0', async () => {
    await using manager = await startTestManager({ controllers: ['cloneset'] });
    await manager.create(KruiseResources.CloneSet, aCloneSet({ name: 'web', replicas: 6, podUpdatePolicy: 'InPlaceIfPossible', maxUnavailable: 2 }) as CloneSet & KubeObject);
    await manager.waitForRollout(KruiseResources.CloneSet, web);
    manager.cluster.kubelet.pause();
    await manager.update(KruiseResources.CloneSet, web, (cs) => ({ ...cs, spec: { ...cs.spec, template: { ...cs.spec.template, spec: { ...cs.spec.template.spec, containers: [{ name: 'main', image: 'nginx:2' }] } } } }));
    const cli = capture(manager);
    const io = { ...cli.io, terminal: { columns: () => 40 } };
    let exit: number | undefined;
    const running = runCli(['rollout', 'status', 'cs/web'], io).then((code) => (exit = code));
    await manager.waitFor(KruiseResources.CloneSet, web, (cs) => cs.status?.observedGeneration === cs.metadata.generation && (cs.status?.updatedReplicas ?? 0) > 0);
    manager.cluster.kubelet.resume();
    await manager.waitForRollout(KruiseResources.CloneSet, web);
    await running;
    expect(exit).toBe(EXIT.ok);
    const out = cli.out();
    const ESC = String.fromCharCode(27);
    const redraws = out.split(`${ESC}[4F${ESC}[J`).length - 1;
    expect(redraws).toBeGreaterThan(1);
    const lines = out.replaceAll(`${ESC}[4F${ESC}[J`, '').trimEnd().split('\n');
    for (const line of lines) expect(visibleWidth(line)).toBeLessThanOrEqual(40);
    expect(lines.slice(-4)[0]).toMatch(/^CloneSet "web" {2}\d+\.\ds$/);
    expect(lines.at(-1)).toBe('  CloneSet "web" successfully rolled out');
    expect(lines.filter((l) => l.startsWith('  Waiting for CloneSet "web" rollout to')).length).toBeGreaterThan(0);
    expect(lines.at(-2)).toMatch(/^ {2}\[#{30}\] 100%$/);
  });
});
