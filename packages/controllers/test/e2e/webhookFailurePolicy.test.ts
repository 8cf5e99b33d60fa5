import { KruiseResources, Resources, type KubeClient } from '@kruise-ts/k8s-adapter';
import { freePort, type TestCluster } from '@kruise-ts/k8s-adapter/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { cloneSetManifest, createNamespace } from './cloneSetManifest.js';
import { startCloneSetCluster } from './useCloneSetCluster.js';
import type { ManagerProcess } from './managerProcess.js';
import { rejection, startWebhookManager, waitForCloneSetConversion } from './webhookHarness.js';

const pod = (name: string, namespace: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace }, spec: { containers: [{ name: 'app', image: 'nginx:1.25' }] } });

/** Returns the pod webhook's request count from the manager's /metrics. */
async function podWebhookCalls(manager: ManagerProcess): Promise<number> {
  const started = await manager.waitForLog('kruise-ts-manager starting');
  const text = await (await fetch(`${String(started.metrics)}/metrics`)).text();
  return [...text.matchAll(/^kruise_ts_webhook_requests_total\{webhook="\/mutate-pod",outcome="\w+"\} (\d+)$/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
}

// The webhooks are configured by URL on a fixed loopback port, so a manager restarted on the same
// port is reachable again at the address the apiserver already knows.
describe('kruise-ts-manager down: failure policies as configured', () => {
  let cluster: TestCluster;
  let client: KubeClient;
  let port: number;
  const managers: ManagerProcess[] = [];
  const launch = async (args: readonly string[] = []) => {
    const manager = await startWebhookManager(cluster.kubeconfigPath, port, args);
    managers.push(manager);
    return manager;
  };

  beforeAll(async () => {
    cluster = await startCloneSetCluster();
    client = cluster.client;
    port = await freePort();
    await createNamespace(client, 'kruise-system');
  });
  // No manager outlives its test (they share the webhook port).
  afterEach(async () => {
    await Promise.all(managers.splice(0).map((m) => m.kill('SIGKILL')));
  });
  afterAll(async () => {
    await cluster.stop();
  });

  // Each test starts its own managers (the last one leaves the default configuration behind) and
  // works in a namespace of its own.
  it('default (pod webhook Ignore): pods are still created while the manager is down, CloneSets are refused (Fail); a restart resumes both', async () => {
    await createNamespace(client, 'apps');
    const first = await launch();
    await waitForCloneSetConversion(cluster);
    await client.create(Resources.Pod, pod('before', 'apps'));
    await client.create(Resources.CloneSet, cloneSetManifest('before', 'apps', { replicas: 0 }));
    expect(await podWebhookCalls(first)).toBeGreaterThan(0);
    await first.kill('SIGKILL');

    // Down: the apiserver cannot reach /mutate-pod and ignores it; pods in ordinary namespaces go on being created.
    const created = await client.create(Resources.Pod, pod('while-down', 'apps'));
    expect(created.metadata.uid).toBeDefined();
    // CloneSets need the defaulting and validating webhooks (failurePolicy Fail). (Reads in v1alpha1
    // may still succeed: the apiserver's watch cache keeps objects converted while it was up.)
    const refused = await rejection(client.create(Resources.CloneSet, cloneSetManifest('down', 'apps', { replicas: 0 })));
    expect(refused).toMatch(/failed calling webhook "mcloneset\.kb\.io"/);

    const second = await launch();
    await vi.waitFor(async () => {
      await client.create(Resources.CloneSet, cloneSetManifest('after', 'apps', { replicas: 0 }));
    }, { timeout: 30_000, interval: 500 });
    await client.create(Resources.Pod, pod('after', 'apps'));
    expect(await podWebhookCalls(second)).toBeGreaterThan(0);
    expect((await client.list(KruiseResources.CloneSetV1alpha1, { namespace: 'apps' })).items.map((c) => c.metadata.name)).toEqual(['after', 'before']);
    // Readiness includes the webhook server (the Service only routes to replicas that serve).
    const { probes } = await second.waitForLog('kruise-ts-manager starting');
    expect(await (await fetch(`${String(probes)}/readyz?verbose`)).text()).toContain('[+]webhook ok');
    expect(await second.kill('SIGTERM')).toBe(0);
  });

  it('--pod-webhook-failure-policy=Fail: pod creation is blocked while the manager is down, except in excluded namespaces', async () => {
    await createNamespace(client, 'apps-fail');
    const manager = await launch(['--pod-webhook-failure-policy=Fail']);
    await manager.kill('SIGKILL');
    expect(await rejection(client.create(Resources.Pod, pod('blocked', 'apps-fail')))).toMatch(/failed calling webhook "mpod\.kb\.io"/);
    // kube-system and the manager's namespace are never sent to the pod webhook, so the manager can always start.
    await client.create(Resources.Pod, pod('system', 'kube-system'));
    await client.create(Resources.Pod, pod('own', 'kruise-system'));
    await client.create(Resources.Namespace, { metadata: { name: 'infra', labels: { 'control-plane': 'controller-manager' } } });
    await client.create(Resources.Pod, pod('labelled', 'infra'));
    // Back to the default for whoever comes next.
    const restored = await launch();
    await restored.kill('SIGTERM');
    await client.create(Resources.Pod, pod('restored', 'apps-fail'));
  });
});
