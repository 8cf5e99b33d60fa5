import { Resources, systemClock, type KubeClient } from '@kruise-ts/k8s-adapter';
import { describe, expect, it, vi } from 'vitest';
// The CloneSet controller running in this process against the test cluster, as the controllers' e2e tests run it.
import { LONG_WAIT, cloneSetManifest, createNamespace, getCloneSet, isReady, podsOf, useCloneSetCluster, type PodObject } from '../../../controllers/test/e2e/cloneSetHarness.js';
import { EXIT, runCli, type CliIo } from '../../src/index.js';

const REPLICAS = 20;

function cli(client: KubeClient) {
  const out: string[] = [];
  let err = '';
  const io: CliIo = {
    stdout: (text) => out.push(text),
    stderr: (text) => (err += text),
    readFile: () => {
      throw new Error('no files in this test');
    },
    client: () => Promise.resolve(client),
    clock: systemClock(),
  };
  return { io, out: () => out.join(''), err: () => err };
}

const images = (pods: readonly PodObject[]) => [...new Set(pods.map((p) => p.spec.containers[0]?.image))];
const uids = (pods: readonly PodObject[]) => pods.map((p) => p.metadata.uid).sort();

describe('kruise-ts rollout on a real apiserver', () => {
  const env = useCloneSetCluster();

  it(`rollout status of an in-place rollout of ${REPLICAS} pods blocks and exits 0 when it is done; pause and resume stop and restart it`, async () => {
    const { client } = env.cluster;
    const ns = 'cli';
    const name = 'web';
    await createNamespace(client, ns);
    await client.create(
      Resources.CloneSet,
      cloneSetManifest(name, ns, { replicas: REPLICAS, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { podUpdatePolicy: 'InPlaceIfPossible', partition: 0, maxUnavailable: '20%', maxSurge: 0 } } }),
    );
    const first = cli(client);
    expect(await runCli(['rollout', 'status', `cloneset/${name}`, '-n', ns, '--timeout=110s'], first.io)).toBe(EXIT.ok);
    const before = await podsOf(client, ns, name);
    expect(before.filter(isReady)).toHaveLength(REPLICAS);

    // An in-place rollout: status blocks (it prints waiting states) and returns 0 once every pod runs the new image.
    await client.patch(Resources.CloneSet, { namespace: ns, name }, { type: 'json', operations: [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'nginx:1.26' }] });
    const status = cli(client);
    expect(await runCli(['rollout', 'status', `cs/${name}`, '-n', ns, '--timeout=150s'], status.io)).toBe(EXIT.ok);
    const lines = status.out().trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.slice(0, -1).every((l) => l.startsWith(`Waiting for CloneSet "${name}"`))).toBe(true);
    expect(lines.at(-1)).toBe(`CloneSet "${name}" successfully rolled out`);
    const after = await podsOf(client, ns, name);
    expect(images(after)).toEqual(['nginx:1.26']);
    expect(after.filter(isReady)).toHaveLength(REPLICAS);
    expect(uids(after)).toEqual(uids(before));

    // Paused: a new image is observed but no pod changes; status gives up at its timeout with exit 1.
    const pause = cli(client);
    expect(await runCli(['rollout', 'pause', `cs/${name}`, '-n', ns], pause.io)).toBe(EXIT.ok);
    expect(pause.out()).toBe(`cloneset.apps.kruise.io/${name} paused\n`);
    await client.patch(Resources.CloneSet, { namespace: ns, name }, { type: 'json', operations: [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'nginx:1.27' }] });
    await vi.waitFor(async () => {
      const cs = await getCloneSet(client, ns, name);
      expect(cs.status?.observedGeneration).toBe(cs.metadata.generation);
    }, LONG_WAIT);
    const held = cli(client);
    expect(await runCli(['rollout', 'status', `cs/${name}`, '-n', ns, '--timeout=5s'], held.io)).toBe(EXIT.failed);
    expect(held.err()).toBe('error: timed out waiting for the condition\n');
    expect(held.out()).toBe(`Waiting for CloneSet "${name}" rollout to finish: 0 out of ${REPLICAS} new replicas have been updated...\n`);
    expect(images(await podsOf(client, ns, name))).toEqual(['nginx:1.26']);

    // Resumed: the rollout goes on to the end.
    const resume = cli(client);
    expect(await runCli(['rollout', 'resume', `cs/${name}`, '-n', ns], resume.io)).toBe(EXIT.ok);
    const done = cli(client);
    expect(await runCli(['rollout', 'status', `cs/${name}`, '-n', ns, '--timeout=150s'], done.io)).toBe(EXIT.ok);
    const resumed = await podsOf(client, ns, name);
    expect(images(resumed)).toEqual(['nginx:1.27']);
    expect(resumed.filter(isReady)).toHaveLength(REPLICAS);
    expect(uids(resumed)).toEqual(uids(before));
  });
  it('rollout status exits 1 when the rollout exceeds its progressDeadlineSeconds', async () => {
    const { client } = env.cluster;
    const ns = 'cli-deadline';
    const name = 'stuck';
    await createNamespace(client, ns);
    await client.create(
      Resources.CloneSet,
      cloneSetManifest(name, ns, { replicas: 4, progressDeadlineSeconds: 10, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { podUpdatePolicy: 'ReCreate', partition: 0, maxUnavailable: 1, maxSurge: 0 } } }),
    );
    expect(await runCli(['rollout', 'status', `cs/${name}`, '-n', ns, '--timeout=110s'], cli(client).io)).toBe(EXIT.ok);
    // A readiness gate nobody sets: the recreated pod never becomes ready, the rollout stalls.
    await client.patch(Resources.CloneSet, { namespace: ns, name }, { type: 'json', operations: [{ op: 'add', path: '/spec/template/spec/readinessGates', value: [{ conditionType: 'example.com/never' }] }] });
    const status = cli(client);
    expect(await runCli(['rollout', 'status', `cs/${name}`, '-n', ns, '--timeout=110s'], status.io)).toBe(EXIT.failed);
    expect(status.err()).toBe(`error: CloneSet "${name}" exceeded its progress deadline\n`);
    const cs = await getCloneSet(client, ns, name);
    expect(cs.status?.conditions?.find((c) => c.type === 'Progressing')).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded' });
    expect(cs.status?.updatedReadyReplicas ?? 0).toBe(0);
  });
});
