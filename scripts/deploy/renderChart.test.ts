import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { ensureHelm, runHelm } from '../helm/helmBinary.js';
import { DEPLOY_DIRECTORY, deployFiles } from './generateDeploy.js';
import { CHART_DIRECTORY, renderChartFiles } from './renderChart.js';
import { renderDeployFiles } from './renderDeploy.js';
import { parseFeatureGates } from '../../packages/controllers/src/manager/featureGates.js';
import { parseManagerFlags } from '../../packages/controllers/src/manager/managerFlags.js';
import { builtinWebhookSpecs } from '../../packages/controllers/src/webhook/builtinWebhookSpecs.js';
import { resolveWebhookSettings } from '../../packages/controllers/src/webhook/resolveWebhookSettings.js';
import { buildWebhookConfigurations } from '../../packages/controllers/src/webhook/webhookConfigurations.js';

type Rule = { apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] };
type Webhook = { name: string; failurePolicy: string; timeoutSeconds?: number; clientConfig: { service: { path: string; namespace: string } }; namespaceSelector?: { matchExpressions?: { key: string; operator: string; values?: string[] }[] | null } };
type Doc = { kind: string; metadata: { name: string; namespace?: string }; rules?: Rule[]; webhooks?: Webhook[]; spec?: Record<string, unknown> };

const chart = join(DEPLOY_DIRECTORY, CHART_DIRECTORY);
const docs = (text: string): Doc[] => parseAllDocuments(text).map((d) => d.toJS() as Doc | null).filter((d): d is Doc => d !== null);
const deployDocs = (...paths: string[]): Doc[] => paths.flatMap((p) => docs(readFileSync(join(DEPLOY_DIRECTORY, p), 'utf8')));
const render = (...set: string[]): Doc[] => docs(runHelm(['template', 'kruise-ts', chart, '--namespace', 'kruise-system', ...set.flatMap((s) => ['--set', s])]));
const byKindName = (list: Doc[], kind: string, name: string): Doc | undefined => list.find((d) => d.kind === kind && d.metadata.name === name);
const webhookTable = (list: Doc[]): string[] => list.flatMap((d) => (d.webhooks ?? []).map((w) => `${d.kind} ${w.name} ${w.clientConfig.service.path} ${w.failurePolicy}`));
const managerArgs = (list: Doc[]): string[] => {
  const spec = byKindName(list, 'Deployment', 'kruise-ts-manager')?.spec as { template: { spec: { containers: { args: string[] }[] } } } | undefined;
  return spec?.template.spec.containers[0]?.args ?? [];
};
/** A namespaceSelector as the apiserver stores it: a null or empty `matchExpressions` (what the chart renders with no exclusions) is dropped. */
function storedSelector(selector: unknown): unknown {
  if (selector === null || typeof selector !== 'object') return {};
  const { matchExpressions, ...rest } = selector as { matchExpressions?: unknown[] | null };
  return Array.isArray(matchExpressions) && matchExpressions.length > 0 ? { ...rest, matchExpressions } : rest;
}
/** Each webhook's name, failurePolicy and namespaceSelector (as stored), sorted by name. */
const webhookSettings = (webhooks: readonly { name?: unknown; failurePolicy?: unknown; timeoutSeconds?: unknown; namespaceSelector?: unknown }[]): unknown[] =>
  webhooks.map((w) => ({ name: w.name, failurePolicy: w.failurePolicy, timeoutSeconds: w.timeoutSeconds, namespaceSelector: storedSelector(w.namespaceSelector) })).sort((a, b) => String(a.name).localeCompare(String(b.name)));
/** The webhooks the manager writes when started with the rendered Deployment's args (what it keeps in place on every sync). */
function managerWebhooks(list: Doc[]): unknown[] {
  const flags = parseManagerFlags(managerArgs(list), {});
  if (flags.kind !== 'ok') throw new Error(flags.problems.join('; '));
  const gates = parseFeatureGates(flags.flags['feature-gates']);
  if (gates.kind !== 'ok') throw new Error(gates.problems.join('; '));
  const resolved = resolveWebhookSettings(flags.flags, gates.gates);
  if (resolved.kind !== 'ok' || resolved.settings === undefined) throw new Error(resolved.kind === 'invalid' ? resolved.problems.join('; ') : 'webhooks off');
  const { settings } = resolved;
  const built = buildWebhookConfigurations(builtinWebhookSpecs({ podFailurePolicy: settings.podFailurePolicy, managerNamespace: settings.namespace }), { clientConfig: settings.clientConfig, overrides: settings.overrides });
  return webhookSettings([...built.mutating.webhooks, ...built.validating.webhooks]);
}

describe('deploy/chart/kruise-ts (helm built from its Go module)', () => {
  beforeAll(() => {
    ensureHelm();
  }, 600_000);

  it('passes helm lint --strict with no warnings', () => {
    const out = runHelm(['lint', '--strict', chart]);
    expect(out).toContain('1 chart(s) linted, 0 chart(s) failed');
    expect(out).not.toMatch(/\[(WARNING|ERROR)\]/);
  });

  it('renders with default values the RBAC rules of deploy/ (manager, leader election, webhook Secret, daemon)', () => {
    const rendered = render();
    const expected = deployDocs('manager/rbac.yaml', 'daemon/rbac.yaml');
    const rbacKinds = ['ClusterRole', 'Role', 'ClusterRoleBinding', 'RoleBinding', 'ServiceAccount'];
    const summary = (list: Doc[]): string[] => list.filter((d) => rbacKinds.includes(d.kind)).map((d) => `${d.kind}/${d.metadata.name} ${JSON.stringify(d.rules ?? [])}`).sort();
    expect(summary(rendered)).toEqual(summary(expected));
    expect(summary(rendered).length).toBe(14);
  });

  it('renders with default values the webhook paths and failure policies of deploy/, through the same Service', () => {
    const rendered = render();
    const expected = deployDocs('manager/webhook.yaml');
    expect(webhookTable(rendered)).toEqual(webhookTable(expected));
    expect(webhookTable(rendered).length).toBe(31);
    expect(byKindName(rendered, 'Service', 'kruise-ts-webhook-service')?.spec).toEqual(byKindName(expected, 'Service', 'kruise-ts-webhook-service')?.spec);
  });

  it('renders with default values the manager Deployment and daemon DaemonSet of deploy/, with the default flags spelled out', () => {
    const rendered = render();
    const [deployment] = deployDocs('manager/deployment.yaml');
    const chartDeployment = byKindName(rendered, 'Deployment', 'kruise-ts-manager');
    expect((chartDeployment?.spec as { replicas: number }).replicas).toBe((deployment?.spec as { replicas: number }).replicas);
    const policies = webhookTable(rendered).map((row) => row.split(' ')).map(([, name, , policy]) => `${name ?? ''}=${policy ?? ''}`).sort();
    expect(managerArgs(rendered)).toEqual([...managerArgs(deployDocs('manager/deployment.yaml')), '--feature-gates=', '--controllers=*', `--webhook-failure-policies=${policies.join(',')},`, '--webhook-excluded-namespaces=', '--rest-config-qps=30', '--rest-config-burst=50', '--request-timeout=30s', '--watch-idle-timeout=5m', '--webhook-timeout-seconds=0']);
    const image = (list: Doc[], kind: string): string | undefined => (list.find((d) => d.kind === kind)?.spec as { template: { spec: { containers: { image: string }[] } } } | undefined)?.template.spec.containers[0]?.image;
    expect(image(rendered, 'Deployment')).toBe(image(deployDocs('manager/deployment.yaml'), 'Deployment'));
    expect(image(rendered, 'DaemonSet')).toBe(image(deployDocs('daemon/daemonset.yaml'), 'DaemonSet'));
    expect(rendered.some((d) => d.metadata.name === 'kruise-ts-manager-resourcedistribution')).toBe(false);
  });

  it('puts the values in: image, replicas, resources, feature gates (with the gated ClusterRole), controllers, client QPS', () => {
    const rendered = render('image.repository=registry.local/manager', 'image.tag=dev', 'replicas=3', 'resources.limits.memory=1Gi', 'featureGates=ResourceDistributionGate=true', 'controllers={cloneset,statefulset}', 'client.qps=100', 'client.burst=200');
    const spec = byKindName(rendered, 'Deployment', 'kruise-ts-manager')?.spec as { replicas: number; template: { spec: { containers: { image: string; resources: { limits: { memory: string } } }[] } } };
    expect(spec.replicas).toBe(3);
    expect(spec.template.spec.containers[0]?.image).toBe('registry.local/manager:dev');
    expect(spec.template.spec.containers[0]?.resources.limits.memory).toBe('1Gi');
    expect(managerArgs(rendered)).toEqual(expect.arrayContaining(['--feature-gates=ResourceDistributionGate=true', '--controllers=cloneset,statefulset', '--rest-config-qps=100', '--rest-config-burst=200']));
    expect(byKindName(rendered, 'ClusterRole', 'kruise-ts-manager-resourcedistribution')?.rules?.some((r) => r.resources.includes('secrets'))).toBe(true);
  });

  it('defaults the client and webhook timeouts to the manager\'s own defaults; puts the values in (every webhook\'s timeoutSeconds too)', () => {
    const timeouts = (args: readonly string[]): unknown => {
      const parsed = parseManagerFlags(args, {});
      if (parsed.kind !== 'ok') throw new Error(parsed.problems.join('; '));
      const { 'request-timeout': request, 'watch-idle-timeout': idle, 'webhook-timeout-seconds': webhook } = parsed.flags;
      return { request, idle, webhook };
    };
    const defaults = render();
    expect(timeouts(managerArgs(defaults))).toEqual(timeouts([]));
    expect(timeouts([])).toEqual({ request: '30s', idle: '5m', webhook: 0 });
    expect(new Set(defaults.flatMap((d) => d.webhooks ?? []).map((w) => w.timeoutSeconds))).toEqual(new Set([10]));

    const set = render('client.requestTimeout=10s', 'client.watchIdleTimeout=2m', 'webhookConfiguration.timeoutSeconds=5');
    expect(timeouts(managerArgs(set))).toEqual({ request: '10s', idle: '2m', webhook: 5 });
    const webhooks = set.flatMap((d) => d.webhooks ?? []);
    expect(webhooks).toHaveLength(31);
    expect(webhooks.every((w) => w.timeoutSeconds === 5)).toBe(true);
  });

  it.each([['ImagePullJobGate=true'], ['PreDownloadImageForInPlaceUpdate=true'], ['PreDownloadImageForDaemonSetUpdate=true']])('featureGates=%s brings the ImagePullJob ClusterRole (Secret reads); the defaults do not', (gates) => {
    const role = (list: Doc[]) => byKindName(list, 'ClusterRole', 'kruise-ts-manager-imagepulljob');
    expect(role(render())).toBeUndefined();
    expect(role(render(`featureGates=${gates}`))?.rules?.some((r) => r.resources.includes('secrets'))).toBe(true);
  });

  it('puts the values in: per-webhook failure policy, excluded namespaces on every webhook, daemon off', () => {
    const rendered = render('webhook.failurePolicy.mcloneset\\.kb\\.io=Ignore', 'webhook.failurePolicy.mpod\\.kb\\.io=Fail', 'webhook.excludedNamespaces={team-a,team-b}', 'daemon.enabled=false');
    const webhooks = rendered.flatMap((d) => d.webhooks ?? []);
    expect(webhooks.find((w) => w.name === 'mcloneset.kb.io')?.failurePolicy).toBe('Ignore');
    expect(webhooks.find((w) => w.name === 'vcloneset.kb.io')?.failurePolicy).toBe('Fail');
    expect(webhooks).toHaveLength(31);
    for (const w of webhooks) expect(w.namespaceSelector?.matchExpressions).toContainEqual({ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['team-a', 'team-b'] });
    expect(rendered.filter((d) => d.metadata.name === 'kruise-ts-daemon').map((d) => d.kind)).toEqual([]);
  });

  it.each([
    ['default values', []],
    ['per-webhook policies and excluded namespaces', ['webhook.failurePolicy.vcloneset\\.kb\\.io=Ignore', 'webhook.failurePolicy.mpod\\.kb\\.io=Fail', 'webhook.failurePolicy.vpod\\.kb\\.io=Fail', 'webhook.excludedNamespaces={team-a,team-b}']],
    ['a webhook timeout of 5 s', ['webhookConfiguration.timeoutSeconds=5']],
  ])('with %s, the manager started with the rendered args writes the very policies, timeouts and selectors the chart installed (nothing reverted)', (_story, set) => {
    const rendered = render(...set);
    expect(managerWebhooks(rendered)).toEqual(webhookSettings(rendered.flatMap((d) => d.webhooks ?? [])));
  });

  it('installs into the release namespace', () => {
    const rendered = docs(runHelm(['template', 'kruise-ts', chart, '--namespace', 'elsewhere']));
    expect(byKindName(rendered, 'Deployment', 'kruise-ts-manager')?.metadata.namespace).toBe('elsewhere');
    expect(managerArgs(rendered)).toContain('--leader-election-namespace=elsewhere');
    expect(rendered.flatMap((d) => d.webhooks ?? []).every((w) => w.clientConfig.service.namespace === 'elsewhere')).toBe(true);
  });
});

describe('renderChartFiles', () => {
  it('leaves no placeholder behind in any chart file', () => {
    const leftovers = [...deployFiles()].filter(([path]) => path.startsWith(CHART_DIRECTORY)).flatMap(([path, text]) => [...text.matchAll(/\b(P_[A-Z_]+|[FT]_\d+|B_[A-Z_]+|X_EXCLUDE)\b/g)].map((m) => `${path}: ${m[0]}`));
    expect(leftovers).toEqual([]);
  });

  it.each([['manager/deployment.yaml'], ['manager/webhook.yaml'], ['daemon/daemonset.yaml'], ['manager/rbac.yaml']])('names the deploy file it misses: %s', (missing) => {
    const files = new Map(renderDeployFiles([]));
    files.delete(missing);
    expect(() => renderChartFiles(files, new Map())).toThrow(missing);
  });

  it('ships exactly the CRDs it is given under crds/, unchanged (property)', () => {
    const files = renderDeployFiles([]);
    fc.assert(
      fc.property(fc.dictionary(fc.stringMatching(/^[a-z]{1,12}\.yaml$/), fc.string()), (crds) => {
        const chart = renderChartFiles(files, new Map(Object.entries(crds)));
        const shipped = [...chart].filter(([path]) => path.startsWith(`${CHART_DIRECTORY}/crds/`)).map(([path, text]) => [path.slice(`${CHART_DIRECTORY}/crds/`.length), text]);
        expect(Object.fromEntries(shipped)).toEqual(crds);
      }),
      { numRuns: 10 },
    );
  }, 60_000);
});
