import { Resources, systemClock, type KubeClient } from '@kruise-ts/k8s-adapter';
import { describe, expect, it } from 'vitest';
// The CloneSet controller running in this process against the test cluster, as the controllers' e2e tests run it.
import { cloneSetManifest, createNamespace, isReady, podsOf } from '../../../controllers/test/e2e/cloneSetManifest.js';
import { useCloneSetCluster } from '../../../controllers/test/e2e/useCloneSetCluster.js';
import { EXIT, recordRollout, runCli, type CliIo, type RolloutPreview } from '../../src/index.js';

const REPLICAS = 50;

function cli(client: KubeClient) {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: (text) => (out += text),
    stderr: (text) => (err += text),
    readFile: () => {
      throw new Error('no files in this test');
    },
    client: () => Promise.resolve(client),
    clock: systemClock(),
  };
  return { io, out: () => out, err: () => err };
}

describe('kruise-ts preview on a real apiserver (kwok stages)', () => {
  const env = useCloneSetCluster();

  it(`predicts the order of an in-place rollout of ${String(REPLICAS)} pods (exactly, pod by pod) and its duration within 20 %`, async () => {
    const { client } = env.cluster;
    const ns = 'preview';
    const name = 'web';
    await createNamespace(client, ns);
    await client.create(
      Resources.CloneSet,
      cloneSetManifest(name, ns, { replicas: REPLICAS, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { podUpdatePolicy: 'InPlaceIfPossible', partition: 0, maxUnavailable: 5, maxSurge: 0 } } }),
    );
    expect(await runCli(['rollout', 'status', `cs/${name}`, '-n', ns, '--timeout=110s'], cli(client).io)).toBe(EXIT.ok);
    expect((await podsOf(client, ns, name)).filter(isReady)).toHaveLength(REPLICAS);

    // kwok's pod-inplace-update stage restarts a container after 500 ms + up to 1000 ms of jitter: 1 s on average.
    const preview = cli(client);
    const code = await runCli(['preview', `cs/${name}`, '-n', ns, '--set', 'image=app=nginx:1.26', '--ready-after=1s', '-o', 'json'], preview.io);
    expect([code, preview.err()]).toEqual([EXIT.ok, '']);
    const predicted = JSON.parse(preview.out()) as RolloutPreview;
    expect(predicted.end).toBe('done');

    const listed = await client.list(Resources.Pod, { namespace: ns });
    const clock = systemClock();
    const startMs = clock.now();
    const recorder = recordRollout(client, clock, { namespace: ns, since: listed.resourceVersion, oldPods: listed.items, startMs });
    await client.patch(Resources.CloneSet, { namespace: ns, name }, { type: 'json', operations: [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'nginx:1.26' }] });
    expect(await runCli(['rollout', 'status', `cs/${name}`, '-n', ns, '--timeout=150s'], cli(client).io)).toBe(EXIT.ok);
    const realTotal = clock.now() - startMs;
    const real = recorder.result();
    recorder.stop();
    const predictedOrder = predicted.pods.map((p) => p.pod);
    const realOrder = real.pods.map((p) => p.pod);
    const matching = predictedOrder.filter((pod, i) => realOrder[i] === pod).length;
    // The controller writes the pods of one pass concurrently (one wave of effects), so the API
    // takes them in any order: within a pass (pods updated after the same number of pods came
    // back) put them in the predicted order; across passes the order is the controller's.
    const rank = new Map(predictedOrder.map((pod, i) => [pod, i]));
    const byPass = [...real.pods].sort((a, b) => a.afterBack - b.afterBack || (rank.get(a.pod) ?? 0) - (rank.get(b.pod) ?? 0)).map((p) => p.pod);
    const passes = [...new Set(real.pods.map((p) => p.afterBack))].map((n) => real.pods.filter((p) => p.afterBack === n).length);
    console.log(JSON.stringify({ predictedTotalMs: predicted.totalMs, realTotalMs: realTotal, matching, of: realOrder.length, passes, predictedBatches: predicted.batches.length, realBatches: real.batches.length, predictedOrder, realOrder, real: real.pods.map((p) => [p.pod, p.afterBack, p.updatedAtMs, p.unavailableMs]) }));
    expect(byPass).toEqual(predictedOrder);
    expect(predicted.pods.map((p) => p.pod).sort()).toEqual(real.pods.map((p) => p.pod).sort());
    expect(new Set(real.pods.map((p) => p.action))).toEqual(new Set(['in-place']));
    expect(Math.abs(predicted.totalMs - realTotal)).toBeLessThanOrEqual(0.2 * realTotal);
  });
});
