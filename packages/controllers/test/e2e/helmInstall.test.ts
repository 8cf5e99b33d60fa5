import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Resources, type KubeClient } from '@kruise-ts/k8s-adapter';
import { freePort, startTestCluster, type TestCluster } from '@kruise-ts/k8s-adapter/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { ensureHelm } from '../../../../scripts/helm/helmBinary.js';
import { cloneSetManifest, createNamespace, isReady, podsOf } from './cloneSetManifest.js';
import type { ManagerProcess } from './managerProcess.js';
import { startWebhookManager } from './webhookHarness.js';

const deployPath = (relative: string): string => fileURLToPath(new URL(`../../../../deploy/${relative}`, import.meta.url));
type Rule = { apiGroups?: string[]; resources?: string[]; resourceNames?: string[]; verbs: string[] };
type Named = { kind: string; metadata: { name: string }; rules?: Rule[] };
const deployDocs = (relative: string): Named[] => parseAllDocuments(readFileSync(deployPath(relative), 'utf8')).map((d) => d.toJS() as Named);
const rulesOf = (docs: Named[], kind: string, name: string): Rule[] | undefined => docs.find((d) => d.kind === kind && d.metadata.name === name)?.rules;

/** GETs an object by its API path; undefined when it is not there. */
async function read<T>(client: KubeClient, path: string): Promise<T | undefined> {
  try {
    return (await client.request('GET', path)) as T;
  } catch {
    return undefined;
  }
}

// helm installs the chart (CRDs, RBAC, webhook configurations, the manager Deployment, the
// daemon) into a test cluster. The manager pod cannot run on kwok, so the manager runs outside,
// as the chart's service account, with its webhooks by URL, and reconciles a CloneSet.
describe('helm install deploy/chart/kruise-ts into the test cluster', () => {
  let cluster: TestCluster;
  let manager: ManagerProcess | undefined;
  let helmOutput = '';
  beforeAll(async () => {
    const helm = ensureHelm();
    cluster = await startTestCluster({ nodes: 1, scheduler: true });
    // Two chart values the manager must keep: one webhook's failure policy, and a namespace no webhook is called for.
    const values = ['--set', 'webhook.failurePolicy.vcloneset\\.kb\\.io=Ignore', '--set', 'webhook.excludedNamespaces={team-x}'];
    const { stdout } = await promisify(execFile)(helm, ['install', 'kruise-ts', deployPath('chart/kruise-ts'), '--namespace', 'kruise-system', '--create-namespace', '--kubeconfig', cluster.kubeconfigPath, ...values], { env: { ...process.env, HELM_CACHE_HOME: `${cluster.dir}/helm-cache`, HELM_CONFIG_HOME: `${cluster.dir}/helm-config`, HELM_DATA_HOME: `${cluster.dir}/helm-data` } });
    helmOutput = stdout;
  });
  afterAll(async () => {
    await manager?.kill('SIGKILL');
    await cluster.stop();
  });

  it('deploys the release: CRDs, manager Deployment, Service, webhook configurations, daemon DaemonSet', async () => {
    expect(helmOutput).toMatch(/STATUS: deployed/);
    const { client } = cluster;
    const crds = await client.list(Resources.CustomResourceDefinition);
    const expectedCrds = readdirSync(deployPath('crds')).filter((f) => f.endsWith('.yaml'));
    expect(expectedCrds.length).toBeGreaterThan(10);
    expect(crds.items.filter((c) => c.spec.group.endsWith('kruise.io'))).toHaveLength(expectedCrds.length);
    const present = await Promise.all(
      [
        '/apis/apps/v1/namespaces/kruise-system/deployments/kruise-ts-manager',
        '/api/v1/namespaces/kruise-system/services/kruise-ts-webhook-service',
        '/api/v1/namespaces/kruise-system/serviceaccounts/kruise-ts-manager',
        '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/kruise-ts-mutating-webhook-configuration',
        '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/kruise-ts-validating-webhook-configuration',
        '/apis/apps/v1/namespaces/kruise-system/daemonsets/kruise-ts-daemon',
      ].map(async (path) => [path, (await read(client, path)) !== undefined] as const),
    );
    expect(present.filter(([, found]) => !found).map(([path]) => path)).toEqual([]);
  });

  it('grants the ClusterRoles and Roles of deploy/, rule for rule', async () => {
    const { client } = cluster;
    const expected = [...deployDocs('manager/rbac.yaml'), ...deployDocs('daemon/rbac.yaml')];
    const roles = expected.filter((d) => d.kind === 'ClusterRole' || d.kind === 'Role');
    // Manager and daemon ClusterRoles; leader election and webhook Roles in kruise-system; the
    // manager's and the daemon's Roles in kruise-daemon-config (ImagePullJob pull secret copies).
    expect(roles.length).toBe(6);
    for (const role of roles) {
      const namespace = (role.metadata as { namespace?: string }).namespace ?? 'kruise-system';
      const path = role.kind === 'ClusterRole' ? `/apis/rbac.authorization.k8s.io/v1/clusterroles/${role.metadata.name}` : `/apis/rbac.authorization.k8s.io/v1/namespaces/${namespace}/roles/${role.metadata.name}`;
      const installed = await read<Named>(client, path);
      expect(installed?.rules, path).toEqual(rulesOf(expected, role.kind, role.metadata.name));
    }
  });

  it('lets the manager, run outside as the chart’s service account with --webhook-url and the chart’s webhook flags, reconcile a CloneSet and keep the chart’s webhook settings', async () => {
    const { client } = cluster;
    const kubeconfig = await cluster.kubeconfigFor('system:serviceaccount:kruise-system:kruise-ts-manager', ['system:serviceaccounts', 'system:serviceaccounts:kruise-system']);
    const deployment = await read<{ spec: { template: { spec: { containers: { args: string[] }[] } } } }>(client, '/apis/apps/v1/namespaces/kruise-system/deployments/kruise-ts-manager');
    const webhookFlags = (deployment?.spec.template.spec.containers[0]?.args ?? []).filter((a) => a.startsWith('--webhook-failure-policies=') || a.startsWith('--webhook-excluded-namespaces='));
    expect(webhookFlags).toHaveLength(2);
    manager = await startWebhookManager(kubeconfig, await freePort(), ['--leader-election-namespace=kruise-system', '--controllers=cloneset', ...webhookFlags]);
    await createNamespace(client, 'helm');
    await client.create(Resources.CloneSet, cloneSetManifest('web', 'helm', { replicas: 2 }));
    await vi.waitFor(async () => {
      expect((await podsOf(client, 'helm', 'web')).filter(isReady)).toHaveLength(2);
      const cs = await client.get(Resources.CloneSet, { name: 'web', namespace: 'helm' });
      expect(cs.status?.observedGeneration).toBe(cs.metadata.generation);
      expect(cs.status?.readyReplicas).toBe(2);
    }, { timeout: 60_000, interval: 250 });
    expect(manager.logs.filter((l) => JSON.stringify(l).includes('Forbidden'))).toEqual([]);
    // The manager has rewritten the configurations (its URL is in them) and kept the chart's choices.
    type Stored = { webhooks: { name: string; failurePolicy: string; clientConfig: { url?: string }; namespaceSelector?: { matchExpressions?: unknown[] } }[] };
    const stored = await Promise.all(['mutating', 'validating'].map((kind) => read<Stored>(client, `/apis/admissionregistration.k8s.io/v1/${kind}webhookconfigurations/kruise-ts-${kind}-webhook-configuration`)));
    const webhooks = stored.flatMap((c) => c?.webhooks ?? []);
    expect(webhooks.every((w) => w.clientConfig.url?.startsWith('https://127.0.0.1:') === true)).toBe(true);
    expect(webhooks.find((w) => w.name === 'vcloneset.kb.io')?.failurePolicy).toBe('Ignore');
    expect(webhooks.find((w) => w.name === 'mcloneset.kb.io')?.failurePolicy).toBe('Fail');
    const excluded = webhooks.filter((w) => (w.namespaceSelector?.matchExpressions ?? []).some((e) => JSON.stringify(e) === JSON.stringify({ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['team-x'] })));
    expect(excluded.map((w) => w.name)).toEqual(webhooks.map((w) => w.name));
  });
});
