import { KruiseResources, Resources } from '@kruise-ts/k8s-adapter';
import type { Pod } from '@kruise-ts/core';
import { freePort, seededRandom, type TestCluster } from '@kruise-ts/k8s-adapter/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { cloneSetEvents, cloneSetManifest, createNamespace, isReady, podsOf } from './cloneSetManifest.js';
import { controllerSignals, metricsFromText, pokeAndSettle, startCloneSetCluster } from './useCloneSetCluster.js';
import { startManager, type ManagerProcess } from './managerProcess.js';
import { podManifest, sidecarSetManifest, waitForInjection } from './sidecarSetHarness.js';
import { startSlowWebhookProxy, type SlowWebhookProxy } from './startSlowWebhookProxy.js';
import { survivingPodWatch } from './survivingPodWatch.js';
import { waitForCloneSetConversion } from './webhookHarness.js';

// Issue 20, slow and failing webhooks: the apiserver calls the manager's webhooks through a proxy
// that holds half the admission answers (seeded) past the webhooks' timeoutSeconds (2 s here). What
// each webhook's failurePolicy makes of it: the CloneSet webhooks (Fail) refuse the user's write
// (the user retries); the pod webhooks (Ignore) let the manager's pod creations and updates through
// after the timeout, so a pod created then misses its SidecarSet's sidecar. The manager's own
// CloneSet writes go to the status subresource, which no webhook intercepts. Checked: the scale-up
// and in-place rollout converge, no pod lost or created twice, the original pods keep their uids,
// unavailable never above maxUnavailable, and exactly one pod without its sidecar per delayed
// pod creation.

/** `--webhook-timeout-seconds=2` (the built-in 10 s would make every held call cost 10 s of rollout). */
const WEBHOOK_TIMEOUT_MS = 2_000;
// Its first draws are 0.14, 0.84, 0.85 (held, passed, passed); which call meets which draw depends
// on the order the calls arrive.
const SEED = Number(process.env.KRUISE_TS_CHAOS_SEED ?? 20261207);
const image = (p: Pod): string | undefined => p.spec.containers.find((c) => c.name === 'app')?.image;
const hasSidecar = (p: Pod): boolean => p.spec.containers.some((c) => c.name === 'agent');
const WEBHOOK_SECRET = { namespace: 'kruise-system', name: 'kruise-ts-webhook-certs' };

describe('CloneSet scale-up and in-place rollout while half the webhook answers come too late (real kube-apiserver, kwok; the manager a process)', () => {
  let cluster: TestCluster;
  let proxy: SlowWebhookProxy;
  let manager: ManagerProcess | undefined;
  let managerPort: number;
  beforeAll(async () => {
    cluster = await startCloneSetCluster({ audit: true });
    managerPort = await freePort();
    proxy = await startSlowWebhookProxy({ upstreamPort: managerPort, delayMs: WEBHOOK_TIMEOUT_MS + 1_000 });
  });
  afterAll(async () => {
    await manager?.kill('SIGKILL');
    await proxy.close();
    await cluster.stop();
  });

  it(`50 % of admission answers (seed ${String(SEED)}) held past the 2 s timeout through 4 → 6 pods and a new image at maxUnavailable 3: converges, originals updated in place, one missed sidecar per delayed pod creation`, async () => {
    const { client } = cluster;
    const ns = 'slowhooks';
    await createNamespace(client, 'kruise-system');
    await createNamespace(client, ns);
    manager = startManager(await cluster.kubeconfigFor('manager', ['system:masters']), ['--enable-webhooks', '--webhook-host=127.0.0.1', `--webhook-port=${String(managerPort)}`, `--webhook-url=${proxy.url}`, '--no-enable-leader-election', '--controllers=cloneset,sidecarset', `--webhook-timeout-seconds=${String(WEBHOOK_TIMEOUT_MS / 1000)}`]);
    // The proxy serves the manager's own certificate (it names 127.0.0.1), read from its Secret.
    const pem = await vi.waitFor(async () => {
      const secret = (await client.get(Resources.Secret, WEBHOOK_SECRET)) as { data?: Record<string, string> };
      const decode = (key: string): string => Buffer.from(secret.data?.[key] ?? '', 'base64').toString('utf8');
      expect(decode('cert.pem')).not.toBe('');
      return { certPem: decode('cert.pem'), keyPem: decode('key.pem') };
    }, { timeout: 60_000, interval: 100 });
    proxy.useCertificate(pem);
    await manager.waitForLog('webhook server ready', 90_000);
    await waitForCloneSetConversion(cluster);
    await client.create(KruiseResources.SidecarSet, sidecarSetManifest('agent', 'web', { containers: [{ name: 'agent', image: 'busybox:1.36', podInjectPolicy: 'AfterAppContainer' }] }));
    await waitForInjection(client, podManifest('probe', ns, 'web'), 'agent');
    await client.create(Resources.CloneSet, cloneSetManifest('web', ns, { replicas: 4, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { podUpdatePolicy: 'InPlaceIfPossible', maxUnavailable: 3 } } }));
    await vi.waitFor(async () => {
      const pods = await podsOf(client, ns, 'web');
      expect(pods.filter((p) => isReady(p) && hasSidecar(p))).toHaveLength(4);
    }, { timeout: 60_000, interval: 250 });
    const before = new Map((await podsOf(client, ns, 'web')).map((p) => [p.metadata.name ?? '', p.metadata.uid]));
    const watch = survivingPodWatch(client, ns, 'web', 4, (name) => before.has(name));

    // The fault: from now on every admission call is drawn, in order of arrival (only the CloneSet
    // and SidecarSet controllers run, so few calls besides the user's and the rollout's).
    proxy.delay({ fraction: 0.5, random: seededRandom(SEED) });
    const faultAt = Date.now();
    const refusals: string[] = [];
    // Each attempt passes both CloneSet webhooks with a chance of about 1/4 and costs up to 2 s.
    for (;;) {
      try {
        await client.patch(Resources.CloneSet, { name: 'web', namespace: ns }, { type: 'json', operations: [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'nginx:1.26' }, { op: 'replace', path: '/spec/replicas', value: 6 }] });
        break;
      } catch (error) {
        refusals.push(error instanceof Error ? error.message : String(error));
        if (Date.now() - faultAt > 60_000) throw error;
      }
    }
    await vi.waitFor(async () => {
      const cs = await client.get(Resources.CloneSet, { name: 'web', namespace: ns });
      expect(cs.status?.observedGeneration).toBe(cs.metadata.generation);
      expect(cs.status).toMatchObject({ replicas: 6, updatedReplicas: 6, updatedReadyReplicas: 6, readyReplicas: 6 });
    }, { timeout: 120_000, interval: 250 });
    const convergedAfterMs = Date.now() - faultAt;
    proxy.delay(undefined);
    await pokeAndSettle(client, controllerSignals(async () => metricsFromText(await (manager as ManagerProcess).metrics()), 'cloneset'), ns, 'web');
    await watch.stop();

    const after = await podsOf(client, ns, 'web');
    const created = after.filter((p) => !before.has(p.metadata.name ?? ''));
    const drawn = proxy.calls().filter((c) => c.path !== '/convert');
    const managerCalls = drawn.filter((c) => c.user === 'manager');
    const delayedCreates = managerCalls.filter((c) => c.delayed && c.path === '/mutate-pod' && c.operation === 'CREATE').length;
    const tally = new Map<string, { delayed: number; all: number }>();
    for (const c of drawn) {
      const key = `${c.path} ${c.operation} by ${c.user === 'manager' ? 'manager' : 'user'}`;
      const t = tally.get(key) ?? { delayed: 0, all: 0 };
      tally.set(key, { delayed: t.delayed + (c.delayed ? 1 : 0), all: t.all + 1 });
    }
    const byPath = [...tally].map(([key, t]) => `${key}: ${String(t.delayed)}/${String(t.all)}`);
    // Every write of the manager refused by a webhook (Fail) is retried until it goes through.
    const audited = await vi.waitFor(async () => {
      const events = (await cluster.auditEvents()).filter((e) => e.user === 'manager' && e.receivedAt >= faultAt);
      const unretried = events.filter((e) => e.code >= 500 && !events.some((later) => later.receivedAt > e.receivedAt && later.resource === e.resource && later.name === e.name && later.code < 400));
      expect(unretried.map((e) => `${e.verb} ${e.resource} ${e.name} ${String(e.code)}`)).toEqual([]);
      return events;
    }, { timeout: 60_000, interval: 500 });
    const refusedWrites = audited.filter((e) => e.code >= 500);
    const cloneSetWrites = audited.filter((e) => e.resource.startsWith('clonesets')).map((e) => `${e.verb} ${e.resource}`);
    const warnings = (await cloneSetEvents(client, ns, 'web')).filter((e) => e.type === 'Warning');
    const userWrites = (await cluster.auditEvents()).filter((e) => e.user === 'admin' && e.resource === 'clonesets' && e.receivedAt >= faultAt).map((e) => `${e.verb} ${String(e.code)} at +${String(Math.round(e.receivedAt - faultAt))} ms`);
    process.stdout.write(
      `slow webhooks (seed ${String(SEED)}): converged ${String(convergedAfterMs)} ms after the fault began; delayed/called per webhook: ${byPath.join(', ')}; ` +
        `user write refused ${String(refusals.length)} time(s) before it went through: ${JSON.stringify(refusals)} (audited: ${JSON.stringify(userWrites)}); ` +
        `${String(created.filter((p) => !hasSidecar(p)).length)} of ${String(created.length)} new pods without their sidecar (${String(delayedCreates)} delayed creations); ` +
        `manager writes ${String(audited.length)}, refused ${String(refusedWrites.length)} ${JSON.stringify(refusedWrites.map((e) => `${e.verb} ${e.resource} ${String(e.code)}`))}; its CloneSet writes: ${JSON.stringify([...new Set(cloneSetWrites)])}; Warning events on the CloneSet: ${JSON.stringify(warnings)}; manager error logs: ${JSON.stringify(manager.logs.filter((l) => typeof l.level === 'number' && l.level >= 50).map((l) => l.msg))}\n`,
    );

    // The fault was real: calls were held, some of the manager's among them.
    expect(drawn.filter((c) => c.delayed).length).toBeGreaterThanOrEqual(1);
    expect(managerCalls.some((c) => c.delayed)).toBe(true);
    // What the user saw: each refusal names the webhook that timed out.
    for (const message of refusals) expect(message).toMatch(/failed calling webhook "[mv]cloneset\.kb\.io".*(deadline exceeded|timeout|Timeout)/s);
    // Exactly the desired pods: the originals updated in place, two new ones, none created twice or lost.
    expect(after).toHaveLength(6);
    expect(created).toHaveLength(2);
    for (const [name, uid] of before) expect(after.find((p) => p.metadata.name === name)?.metadata.uid).toBe(uid);
    expect(after.every((p) => image(p) === 'nginx:1.26' && isReady(p))).toBe(true);
    expect([...watch.seen].filter((n) => !after.some((p) => p.metadata.name === n))).toEqual([]);
    expect(watch.maxUnavailable()).toBeLessThanOrEqual(3);
    // Fail-open pod webhook: a pod created while its call timed out has no sidecar, the others have it.
    expect(created.filter((p) => !hasSidecar(p)).length).toBe(delayedCreates);
    expect(after.filter((p) => before.has(p.metadata.name ?? '')).every(hasSidecar)).toBe(true);
    // The manager writes CloneSets through the status subresource only: no webhook can refuse it.
    expect(cloneSetWrites.every((w) => w.endsWith('clonesets/status'))).toBe(true);
    expect(manager.logs.filter((l) => typeof l.level === 'number' && l.level >= 60)).toEqual([]);
  });
});
