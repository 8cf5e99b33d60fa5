import { injectSidecars, type Pod, type SidecarSet } from '@kruise-ts/core';
import { KruiseResources, Resources, type KubeObject } from '@kruise-ts/k8s-adapter';
import { startTestManager, type TestManager } from '@kruise-ts/controllers/testing';
import { describe, expect, it } from 'vitest';
import { capture, startCli } from './cliCapture.testkit.js';
import { COMMANDS, commandHelp } from './commandTable.js';
import { EXIT, runCli } from './runCli.js';

const OLD = 'fluent-bit:2.0';
const NEW = 'fluent-bit:3.0';
const log = { name: 'log' };

const sidecarImages = async (manager: TestManager) =>
  ((await manager.cluster.client.list(Resources.Pod, { namespace: 'default' })).items as Pod[]).map((p) => p.spec.containers.find((c) => c.name === 'log-agent')?.image).sort();

// A SidecarSet injected into `pods` pods of app=web, all of them running the sidecar: the SidecarSet controller and the pod webhook in a memory cluster.
async function injected(pods: number, strategy: SidecarSet['spec']['updateStrategy'] = {}): Promise<TestManager> {
  const manager = await startTestManager({ controllers: ['sidecarset'] });
  // The manager's namespace, where the SidecarSet controller writes its ControllerRevisions.
  await manager.cluster.client.create(Resources.Namespace, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kruise-system' } });
  const ss: SidecarSet & KubeObject = {
    apiVersion: 'apps.kruise.io/v1beta1',
    kind: 'SidecarSet',
    metadata: { name: 'log' },
    spec: { selector: { matchLabels: { app: 'web' } }, containers: [{ name: 'log-agent', image: OLD }], updateStrategy: { type: 'RollingUpdate', maxUnavailable: 2, ...strategy } },
  };
  const created = await manager.create(KruiseResources.SidecarSet, ss);
  // The test manager runs no pod webhook: the pods get their sidecars from core's injection, as the webhook would inject them.
  for (let i = 0; i < pods; i++) {
    const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: `web-${String(i)}`, namespace: 'default', labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx:1.25' }] } };
    const injection = injectSidecars(pod, [created], {}, { now: manager.cluster.clock.now() });
    if (injection.kind !== 'injected') throw new Error(`not injected: ${JSON.stringify(injection)}`);
    await manager.create(Resources.Pod, injection.pod as Pod & KubeObject);
  }
  await manager.waitFor(KruiseResources.SidecarSet, log, (s) => s.status?.matchedPods === pods && s.status.updatedReadyPods === pods);
  return manager;
}

const newSidecarImage = (ss: SidecarSet & KubeObject) => ({ ...ss, spec: { ...ss.spec, containers: [{ ...ss.spec.containers?.[0], name: 'log-agent', image: NEW }] } });

describe('kruise-ts rollout on a SidecarSet (memory cluster)', () => {
  it('status blocks while the sidecars are upgraded in place and exits 0 once every matched pod is updated and ready', async () => {
    await using manager = await injected(4);
    expect(await sidecarImages(manager)).toEqual([OLD, OLD, OLD, OLD]);
    manager.cluster.kubelet.pause();
    await manager.update(KruiseResources.SidecarSet, log, newSidecarImage);
    const cli = capture(manager);
    const status = startCli(['rollout', 'status', 'sidecarset/log'], cli.io);
    await manager.waitFor(KruiseResources.SidecarSet, log, (s) => s.status?.observedGeneration === s.metadata.generation && (s.status?.updatedPods ?? 0) > 0);
    await manager.cluster.clock.advance(30_000);
    await manager.cluster.settle();
    expect(status.exit()).toBeUndefined();
    manager.cluster.kubelet.resume();
    await manager.waitFor(KruiseResources.SidecarSet, log, (s) => s.status?.updatedReadyPods === 4);
    expect(await status.done).toBe(EXIT.ok);
    const lines = cli.out().trimEnd().split('\n');
    expect(lines.slice(0, -1).every((l) => l.startsWith('Waiting for SidecarSet "log" '))).toBe(true);
    expect(lines.at(-1)).toBe('SidecarSet "log" successfully rolled out');
    expect(await sidecarImages(manager)).toEqual([NEW, NEW, NEW, NEW]);
  });

  it('pause stops the upgrade (no pod changes, status times out), resume finishes it; pausing twice is refused as kubectl does', async () => {
    await using manager = await injected(3);
    const pause = capture(manager);
    expect(await runCli(['rollout', 'pause', 'sidecarset', 'log', '-o', 'json'], pause.io)).toBe(EXIT.ok);
    expect((JSON.parse(pause.out()) as SidecarSet).spec.updateStrategy).toMatchObject({ paused: true, maxUnavailable: 2 });
    const again = capture(manager);
    expect(await runCli(['rollout', 'pause', 'sidecarset/log'], again.io)).toBe(EXIT.failed);
    expect(again.err()).toBe('error: sidecarset.apps.kruise.io/log is already paused\n');
    await manager.update(KruiseResources.SidecarSet, log, newSidecarImage);
    await manager.waitFor(KruiseResources.SidecarSet, log, (s) => s.status?.observedGeneration === s.metadata.generation);
    const held = capture(manager);
    const status = startCli(['rollout', 'status', 'sidecarset/log', '--timeout=20s'], held.io);
    await manager.cluster.settle();
    await manager.cluster.clock.advance(20_000);
    expect(await status.done).toBe(EXIT.failed);
    expect(held.out()).toBe('Waiting for SidecarSet "log" rollout to finish: 0 out of 3 new pods have been updated...\n');
    expect(held.err()).toBe('error: timed out waiting for the condition\n');
    expect(await sidecarImages(manager)).toEqual([OLD, OLD, OLD]);

    const resume = capture(manager);
    expect(await runCli(['rollout', 'resume', 'sidecarset/log'], resume.io)).toBe(EXIT.ok);
    expect(resume.out()).toBe('sidecarset.apps.kruise.io/log resumed\n');
    expect((await manager.get(KruiseResources.SidecarSet, log)).spec.updateStrategy).toMatchObject({ paused: false });
    const done = capture(manager);
    const finishing = runCli(['rollout', 'status', 'sidecarset/log', '-o', 'json'], done.io);
    await manager.waitFor(KruiseResources.SidecarSet, log, (s) => s.status?.updatedReadyPods === 3);
    expect(await finishing).toBe(EXIT.ok);
    expect(JSON.parse(done.out())).toEqual({ kind: 'SidecarSet', name: 'log', status: 'done', message: 'SidecarSet "log" successfully rolled out', timedOut: false });
    expect(await sidecarImages(manager)).toEqual([NEW, NEW, NEW]);
    const notPaused = capture(manager);
    expect(await runCli(['rollout', 'resume', 'sidecarset/log'], notPaused.io)).toBe(EXIT.failed);
    expect(notPaused.err()).toBe('error: sidecarset.apps.kruise.io/log is not paused\n');
  });

  it('history lists the ControllerRevisions the controller keeps in kruise-system; --revision describes the recorded sidecars; status --revision pins one', async () => {
    await using manager = await injected(2);
    await manager.update(KruiseResources.SidecarSet, log, newSidecarImage);
    await manager.waitFor(KruiseResources.SidecarSet, log, (s) => s.status?.updatedReadyPods === 2 && s.status.observedGeneration === s.metadata.generation);
    const history = capture(manager);
    expect(await runCli(['rollout', 'history', 'sidecarset/log'], history.io)).toBe(EXIT.ok);
    expect(history.out()).toBe('sidecarset.apps.kruise.io/log\nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n');
    const one = capture(manager);
    expect(await runCli(['rollout', 'history', 'sidecarset/log', '--revision=1'], one.io)).toBe(EXIT.ok);
    expect(one.out()).toBe(
      `sidecarset.apps.kruise.io/log with revision #1\nSidecarSet Revision:\n  Containers:\n   log-agent:\n    Image:\t${OLD}\n    Port:\t<none>\n    Environment:\t<none>\n    Mounts:\t<none>\n  Init Containers:\t<none>\n  Volumes:\t<none>\n`,
    );
    const json = capture(manager);
    expect(await runCli(['rollout', 'history', 'sidecarset/log', '-o', 'json'], json.io)).toBe(EXIT.ok);
    expect(JSON.parse(json.out())).toMatchObject({ kind: 'SidecarSet', name: 'log', revisions: [{ revision: 1 }, { revision: 2 }] });
    const elsewhere = capture(manager);
    expect(await runCli(['rollout', 'history', 'sidecarset/log', '--kruise-namespace=other'], elsewhere.io)).toBe(EXIT.ok);
    expect(elsewhere.out()).toBe('sidecarset.apps.kruise.io/log\nNo rollout history found.\n');

    const right = capture(manager);
    expect(await runCli(['rollout', 'status', 'sidecarset/log', '--revision=2'], right.io)).toBe(EXIT.ok);
    expect(right.out()).toBe('SidecarSet "log" successfully rolled out\n');
    const wrong = capture(manager);
    expect(await runCli(['rollout', 'status', 'sidecarset/log', '--revision=1'], wrong.io)).toBe(EXIT.failed);
    expect(wrong.err()).toBe('error: desired revision (1) is different from the running revision (2)\n');
  });

  it('undo, restart, approve, scaledown and explain refuse a SidecarSet (kubectl-kruise has no helper for it)', async () => {
    await using manager = await injected(1);
    const cases = [
      { argv: ['rollout', 'undo', 'sidecarset/log'], code: EXIT.failed, err: 'error: no rollbacker has been implemented for "SidecarSet.apps.kruise.io"\n' },
      { argv: ['rollout', 'restart', 'sidecarset/log'], code: EXIT.failed, err: 'error: sidecarsets.apps.kruise.io "log" restarting is not supported\n' },
      { argv: ['rollout', 'approve', 'sidecarset/log'], code: EXIT.failed, err: 'error: sidecarsets.apps.kruise.io "log" approving is not supported\n' },
      { argv: ['scaledown', 'sidecarset/log', '--pods', 'web-0'], code: EXIT.usage, err: 'error: TYPE: "sidecarset" is not cloneset, statefulset.apps.kruise.io or daemonset.apps.kruise.io (a SidecarSet has rollout status, pause, resume and history only)\n' },
      { argv: ['explain', 'sidecarset/log'], code: EXIT.usage, err: 'error: TYPE: "sidecarset" is not cloneset, statefulset.apps.kruise.io or daemonset.apps.kruise.io (a SidecarSet has rollout status, pause, resume and history only)\n' },
      { argv: ['rollout', 'undo', 'sidecarset/nope'], code: EXIT.failed, err: undefined },
    ];
    for (const { argv, code, err } of cases) {
      const cli = capture(manager);
      expect(await runCli(argv, cli.io), argv.join(' ')).toBe(code);
      if (err !== undefined) expect(cli.err()).toBe(err);
      else expect(cli.err()).toMatch(/^error: .*not found/);
    }
    expect((await manager.get(KruiseResources.SidecarSet, log)).metadata.generation).toBe(1);
  });
});

describe('--help says which commands take a SidecarSet', () => {
  const takesType = COMMANDS.filter((c) => c.args.startsWith('(TYPE'));
  for (const command of takesType.filter((c) => commandHelp(c).includes('sidecarset'))) {
    it(`${command.path.join(' ')} names sidecarset in its usage and takes sidecarset/log (it goes on to the cluster)`, async () => {
      const cli = capture(undefined);
      expect(await runCli([...command.path, 'sidecarset/log'], cli.io)).toBe(EXIT.failed);
      expect(cli.err()).toBe('error: no cluster in this test\n');
    });
  }
  for (const command of takesType.filter((c) => ['scaledown', 'explain', 'preview'].includes(c.path[0] ?? ''))) {
    it(`${command.path.join(' ')} does not name sidecarset and refuses it before any request`, async () => {
      expect(commandHelp(command)).not.toContain('sidecarset');
      const cli = capture(undefined);
      const extra = command.path[0] === 'preview' ? ['--set', 'image=main=nginx:2'] : command.path[0] === 'scaledown' ? ['--pods', 'a'] : [];
      expect(await runCli([...command.path, 'sidecarset/log', ...extra], cli.io)).toBe(EXIT.usage);
      expect(cli.err()).toMatch(/^error: TYPE: "sidecarset" is not /);
    });
  }
  it('the four that take one are status, pause, resume and history', () => {
    expect(takesType.filter((c) => commandHelp(c).includes('sidecarset')).map((c) => c.path.join(' '))).toEqual(['rollout status', 'rollout pause', 'rollout resume', 'rollout history']);
  });
});
