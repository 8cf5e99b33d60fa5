import { PUB_RELATED_ANNOTATION, PUB_DELETION_TIMEOUT_MS, parseTime, type PodUnavailableBudget } from '@kruise-ts/core';
import { aPod, aPodUnavailableBudget } from '@kruise-ts/core/testing';
import { KruiseResources, Resources, TooManyRequestsError, createKubeClient, defineResource, evictPod, loadKubeConfig, type KubeClient, type KubeObject } from '@kruise-ts/k8s-adapter';
import { describe, expect, it, vi } from 'vitest';
import { LONG_WAIT, createNamespace, isReady } from './cloneSetManifest.js';
import { useManagerCluster } from './statefulSetHarness.js';
import { startCloneSetCluster } from './useCloneSetCluster.js';

// Issue 20, clock skew: the manager process (controllers and webhooks) 2 min ahead of the
// apiserver (KRUISE_TS_CLOCK_OFFSET_MS). The apiserver calls the PUB pod webhook on an eviction,
// the webhook takes the disruption and records the pod in disruptedPods; then a native
// PodDisruptionBudget refuses the eviction, so the pod stays and only the PUB controller's expiry
// (20 s after the recorded time, OpenKruise's DeletionTimeout) gives the budget back. On the host
// clock the webhook recorded a time 2 min ahead and the budget stayed taken 2 min 20 s.

type PubObject = PodUnavailableBudget & KubeObject;
const PodDisruptionBudgets = defineResource<KubeObject & { spec: { minAvailable: number; selector: { matchLabels: Record<string, string> } } }>({ group: 'policy', version: 'v1', kind: 'PodDisruptionBudget', plural: 'poddisruptionbudgets', namespaced: true });
const SKEW_MS = 120_000;

const budget = async (client: KubeClient, namespace: string) => (await client.get(KruiseResources.PodUnavailableBudget, { namespace, name: 'web-pub' })).status;

describe('PodUnavailableBudget with the manager 2 min ahead (real apiserver calling its webhooks; KRUISE_TS_CLOCK_OFFSET_MS)', () => {
  const env = useManagerCluster({
    controller: 'podunavailablebudget',
    resource: KruiseResources.PodUnavailableBudget,
    startCluster: () => startCloneSetCluster(),
    env: { KRUISE_TS_CLOCK_OFFSET_MS: String(SKEW_MS) },
  });

  it('an eviction the webhook admitted and a PDB refused: disruptedPods holds the apiserver time, the budget is back 20 s after it', async () => {
    const { client } = env;
    const ns = 'pub-skew';
    await createNamespace(client, ns);
    for (let i = 0; i < 3; i++) {
      const pod = aPod({ name: `web-${i}`, namespace: ns, labels: { app: 'web' }, node: 'kwok-node-0' });
      await client.create(Resources.Pod, { metadata: { name: pod.metadata.name, namespace: ns, labels: pod.metadata.labels }, spec: pod.spec });
    }
    await client.create(KruiseResources.PodUnavailableBudget, aPodUnavailableBudget({ namespace: ns, maxUnavailable: 1, protectTotalReplicas: 3 }) as PubObject);
    await client.create(PodDisruptionBudgets, { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web-pdb', namespace: ns }, spec: { minAvailable: 3, selector: { matchLabels: { app: 'web' } } } });
    await vi.waitFor(async () => {
      expect(await budget(client, ns)).toMatchObject({ totalReplicas: 3, currentAvailable: 3, unavailableAllowed: 1 });
      const pods = (await client.list(Resources.Pod, { namespace: ns })).items;
      // The pod webhook (fail-open) annotated them: the apiserver trusted the manager's certificate.
      expect(pods.filter((p) => isReady(p) && p.metadata.annotations?.[PUB_RELATED_ANNOTATION] === 'web-pub')).toHaveLength(3);
    }, LONG_WAIT);

    // One eviction, one admission: the client retries a 429 (as client-go) and each retry would
    // be admitted again once the entry expired.
    const once = createKubeClient(await loadKubeConfig(env.cluster.kubeconfigPath), { maxRetries: 0 });
    // The test process shares the apiserver's host clock: Date.now() is the apiserver's time.
    const before = Date.now();
    const refused = await evictPod(once, { namespace: ns, name: 'web-0' }).then(() => undefined, (error: unknown) => error);
    const after = Date.now();
    expect(refused).toBeInstanceOf(TooManyRequestsError);
    expect((refused as Error).message).not.toContain('podunavailablebudget');
    const taken = await budget(client, ns);
    const recorded = parseTime(taken?.disruptedPods?.['web-0']);
    expect(taken?.unavailableAllowed).toBe(0);
    expect(recorded).toBeDefined();
    // RFC 3339 seconds: the recorded time is the second of the admission (on the host clock, 2 min later).
    expect(recorded).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 - 1000);
    expect(recorded).toBeLessThanOrEqual(after);

    // web-0 is still there and Ready: the entry expires by the apiserver's clock, the budget comes back.
    await vi.waitFor(async () => {
      expect((await budget(client, ns))?.disruptedPods?.['web-0']).toBeUndefined();
    }, { timeout: 90_000, interval: 250 });
    const released = Date.now();
    const status = await budget(client, ns);
    expect(status).toMatchObject({ currentAvailable: 3, unavailableAllowed: 1 });
    expect((await client.get(Resources.Pod, { namespace: ns, name: 'web-0' })).metadata.deletionTimestamp).toBeUndefined();
    // Never before the timeout by the apiserver's clock (the controller's estimate is never ahead of it).
    expect(released - (recorded ?? 0)).toBeGreaterThanOrEqual(PUB_DELETION_TIMEOUT_MS);
    const offsets = env.manager.logs.filter((l) => l.msg === 'apiserver clock offset').map((l) => `${String(l.estimate)} ${String(l.offsetMs)} ms`);
    process.stdout.write(`pub clock skew: eviction refused by the PDB (${(refused as Error).message.slice(0, 120)}); recorded ${String(taken?.disruptedPods?.['web-0'])} for an eviction at ${new Date(before).toISOString()}..${new Date(after).toISOString()}; budget back ${String((released - (recorded ?? 0)) / 1000)} s after the recorded time; apiserver clock offset ${offsets.join(', ')}\n`);
    expect(offsets[0]).toMatch(/^skewed -12\d{4} ms$/);
  });
});
