import { Resources, systemClock } from '@kruise-ts/k8s-adapter';
import { describe, expect, it } from 'vitest';
// The CloneSet controller running in this process against the test cluster, as the controllers' e2e tests run it.
import { cloneSetManifest, createNamespace, isReady, podsOf } from '../../../controllers/test/e2e/cloneSetManifest.js';
import { useCloneSetCluster } from '../../../controllers/test/e2e/useCloneSetCluster.js';
import { captureOn } from '../../src/cliCapture.testkit.js';
import { EXIT, runCli } from '../../src/index.js';
import { comparisonLine, previewAgainstReal } from './previewAgainstReal.js';

const REPLICAS = 50;

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
    expect(await runCli(['rollout', 'status', `cs/${name}`, '-n', ns, '--timeout=110s'], captureOn(client, systemClock()).io)).toBe(EXIT.ok);
    expect((await podsOf(client, ns, name)).filter(isReady)).toHaveLength(REPLICAS);

    // kwok's pod-inplace-update stage restarts a container after 500 ms + up to 1000 ms of jitter: 1 s on average.
    const compared = await previewAgainstReal(client, { kind: 'CloneSet', namespace: ns, name, sets: ['image=app=nginx:1.26'], readyAfter: '1s', bounds: ['500ms', '1500ms'], timeout: '150s' });
    console.log(comparisonLine(compared));
    // Exactly the controller's order, pod by pod, once each pass's concurrent writes are put in the
    // predicted order: the update order's ties (same Ready second, same creation second) go by pod
    // name in the controller and in the prediction alike.
    expect(compared.byPass).toEqual(compared.predicted.pods.map((p) => p.pod));
    expect(new Set(compared.real.pods.map((p) => p.action))).toEqual(new Set(['in-place']));
    expect(Math.abs(compared.predicted.totalMs - compared.realTotalMs)).toBeLessThanOrEqual(0.2 * compared.realTotalMs);
    // And between the predictions with the stage's least and most delay.
    expect(compared.realTotalMs).toBeGreaterThanOrEqual(compared.boundsMs[0] ?? Infinity);
    expect(compared.realTotalMs).toBeLessThanOrEqual(compared.boundsMs[1] ?? 0);
  });
});
