import type { CloneSet } from '@kruise-ts/core';
import { aCloneSet } from '@kruise-ts/core/testing';
import { KruiseResources, type KubeObject } from '@kruise-ts/k8s-adapter';
import { startTestManager } from '@kruise-ts/controllers/testing';
import { describe, expect, it } from 'vitest';
import { capture, startCli } from './cliCapture.testkit.js';
import { EXIT, runCli } from './runCli.js';

const web = { namespace: 'default', name: 'web' };
const newImage = (image: string) => (cs: CloneSet & KubeObject) => ({ ...cs, spec: { ...cs.spec, template: { ...cs.spec.template, spec: { ...cs.spec.template.spec, containers: [{ name: 'main', image }] } } } });

describe('kruise-ts rollout status --revision (memory cluster)', () => {
  it('pinned to the running revision it watches to the end (exit 0); another or a missing revision exits 1 with kubectl\'s message; a newer rollout rolls the pin over (exit 1)', async () => {
    await using manager = await startTestManager({ controllers: ['cloneset'] });
    await manager.create(KruiseResources.CloneSet, aCloneSet({ name: 'web', replicas: 3, podUpdatePolicy: 'InPlaceIfPossible' }) as CloneSet & KubeObject);
    await manager.waitForRollout(KruiseResources.CloneSet, web);
    const first = capture(manager);
    expect(await runCli(['rollout', 'status', 'cs/web', '--revision=1'], first.io)).toBe(EXIT.ok);
    expect(first.out()).toBe('CloneSet "web" successfully rolled out\n');

    // Revision 2 rolls out while the kubelet holds the in-place restarts.
    manager.cluster.kubelet.pause();
    await manager.update(KruiseResources.CloneSet, web, newImage('nginx:2'));
    await manager.waitFor(KruiseResources.CloneSet, web, (cs) => cs.status?.observedGeneration === cs.metadata.generation && (cs.status?.updatedReplicas ?? 0) > 0);
    for (const [revision, running] of [['1', 2], ['7', 2]] as const) {
      const wrong = capture(manager);
      expect(await runCli(['rollout', 'status', 'cs/web', `--revision=${revision}`], wrong.io), revision).toBe(EXIT.failed);
      expect(wrong.err()).toBe(`error: desired revision (${revision}) is different from the running revision (${String(running)})\n`);
      expect(wrong.out()).toBe('');
    }
    const json = capture(manager);
    expect(await runCli(['rollout', 'status', 'cs/web', '--revision=1', '-o', 'json'], json.io)).toBe(EXIT.failed);
    expect(JSON.parse(json.out())).toMatchObject({ status: 'failed', reason: 'revision-mismatch', message: 'desired revision (1) is different from the running revision (2)' });

    const pinned = capture(manager);
    const status = startCli(['rollout', 'status', 'cs/web', '--revision=2'], pinned.io);
    await manager.cluster.clock.advance(10_000);
    await manager.cluster.settle();
    expect(status.exit()).toBeUndefined();
    manager.cluster.kubelet.resume();
    await manager.waitForRollout(KruiseResources.CloneSet, web);
    expect(await status.done).toBe(EXIT.ok);
    expect(pinned.out().trimEnd().split('\n').at(-1)).toBe('CloneSet "web" successfully rolled out');

    // Watching revision 3, a fourth template rolls it over.
    manager.cluster.kubelet.pause();
    await manager.update(KruiseResources.CloneSet, web, newImage('nginx:3'));
    await manager.waitFor(KruiseResources.CloneSet, web, (cs) => cs.status?.observedGeneration === cs.metadata.generation);
    const over = capture(manager);
    const watching = startCli(['rollout', 'status', 'cs/web', '--revision=3'], over.io);
    await manager.cluster.settle();
    expect(watching.exit()).toBeUndefined();
    await manager.update(KruiseResources.CloneSet, web, newImage('nginx:4'));
    expect(await watching.done).toBe(EXIT.failed);
    expect(over.err()).toBe('error: desired revision (3) is different from the running revision (4)\n');
  });

  it.each([
    { revision: '-1', err: 'error: --revision: revision must be a positive integer: -1\n' },
    { revision: 'two', err: 'error: --revision: "two" is not a whole number\n' },
  ])('--revision=$revision is a usage error (exit 2)', async ({ revision, err }) => {
    const cli = capture(undefined);
    expect(await runCli(['rollout', 'status', 'cs/web', `--revision=${revision}`], cli.io)).toBe(EXIT.usage);
    expect(cli.err()).toBe(err);
  });
});
