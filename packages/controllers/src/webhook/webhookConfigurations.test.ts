import type { KubeClient } from '@kruise-ts/k8s-adapter';
import { describe, expect, it } from 'vitest';
import { CONVERTED_CRDS } from '../manager/permissions.js';
import { builtinWebhookSpecs } from './builtinWebhookSpecs.js';
import { createBuiltinWebhooks } from './createBuiltinWebhooks.js';
import { buildCrdConversion, buildWebhookConfigurations, webhookHosts } from './webhookConfigurations.js';

const specs = builtinWebhookSpecs({ podFailurePolicy: 'Ignore', managerNamespace: 'kruise-system' });
const service = { kind: 'service', namespace: 'kruise-system', name: 'kruise-ts-webhook-service' } as const;

describe('buildWebhookConfigurations', () => {
  const { mutating, validating } = buildWebhookConfigurations(specs, { clientConfig: service, caBundlePem: 'PEM' });

  it('configures CloneSet defaulting and validation with failurePolicy Fail, for both versions', () => {
    expect(mutating.metadata.name).toBe('kruise-ts-mutating-webhook-configuration');
    expect(mutating.webhooks.find((w) => w.name === 'mcloneset.kb.io')).toEqual({
      name: 'mcloneset.kb.io',
      admissionReviewVersions: ['v1'],
      sideEffects: 'None',
      failurePolicy: 'Fail',
      matchPolicy: 'Equivalent',
      timeoutSeconds: 10,
      clientConfig: { service: { namespace: 'kruise-system', name: 'kruise-ts-webhook-service', path: '/mutate-apps-kruise-io-cloneset', port: 443 }, caBundle: Buffer.from('PEM').toString('base64') },
      rules: [{ apiGroups: ['apps.kruise.io'], apiVersions: ['v1alpha1', 'v1beta1'], operations: ['CREATE', 'UPDATE'], resources: ['clonesets'], scope: '*' }],
      namespaceSelector: {},
      objectSelector: {},
      reinvocationPolicy: 'Never',
    });
    expect(validating.webhooks.map((w) => [w.name, w.failurePolicy, (w.clientConfig as { service: { path: string } }).service.path])).toEqual([
      ['vdeletionprotection.kb.io', 'Fail', '/validate-deletion-protection'],
      ['vpodunavailablebudget.kb.io', 'Fail', '/validate-policy-kruise-io-podunavailablebudget'],
      ['vpod.kb.io', 'Ignore', '/validate-pod'],
      ['vcloneset.kb.io', 'Fail', '/validate-apps-kruise-io-cloneset'],
      ['vsidecarset.kb.io', 'Fail', '/validate-apps-kruise-io-sidecarset'],
      ['vstatefulset.kb.io', 'Fail', '/validate-apps-kruise-io-statefulset'],
      ['vadvancedcronjob.kb.io', 'Fail', '/validate-apps-kruise-io-advancedcronjob'],
      ['vbroadcastjob.kb.io', 'Fail', '/validate-apps-kruise-io-broadcastjob'],
      ['vephemeraljob.kb.io', 'Fail', '/validate-apps-kruise-io-v1alpha1-ephemeraljob'],
      ['vdaemonset.kb.io', 'Fail', '/validate-apps-kruise-io-daemonset'],
      ['vuniteddeployment.kb.io', 'Fail', '/validate-apps-kruise-io-uniteddeployment'],
      ['vresourcedistribution.kb.io', 'Fail', '/validate-apps-kruise-io-v1alpha1-resourcedistribution'],
      ['vpersistentpodstate.kb.io', 'Fail', '/validate-apps-kruise-io-v1alpha1-persistentpodstate'],
      ['vworkloadspread.kb.io', 'Fail', '/validate-apps-kruise-io-v1alpha1-workloadspread'],
      ['vnodeimage.kb.io', 'Fail', '/validate-apps-kruise-io-v1alpha1-nodeimage'],
      ['vimagepulljob.kb.io', 'Fail', '/validate-apps-kruise-io-v1alpha1-imagepulljob'],
      ['vimagelistpulljob.kb.io', 'Fail', '/validate-apps-kruise-io-v1alpha1-imagelistpulljob'],
      ['vcontainerrecreaterequest.kb.io', 'Fail', '/validate-apps-kruise-io-v1alpha1-containerrecreaterequest'],
      ['vpodprobemarker.kb.io', 'Fail', '/validate-apps-kruise-io-podprobemarker'],
    ]);
  });

  it('configures UnitedDeployment defaulting and validation with failurePolicy Fail, for both versions (OpenKruise muniteddeployment/vuniteddeployment.kb.io)', () => {
    const rules = [{ apiGroups: ['apps.kruise.io'], apiVersions: ['v1alpha1', 'v1beta1'], operations: ['CREATE', 'UPDATE'], resources: ['uniteddeployments'], scope: '*' }];
    expect(mutating.webhooks.find((w) => w.name === 'muniteddeployment.kb.io')).toMatchObject({ failurePolicy: 'Fail', rules, clientConfig: { service: { path: '/mutate-apps-kruise-io-uniteddeployment' } } });
    expect(validating.webhooks.find((w) => w.name === 'vuniteddeployment.kb.io')).toMatchObject({ failurePolicy: 'Fail', rules, clientConfig: { service: { path: '/validate-apps-kruise-io-uniteddeployment' } } });
  });

  it('configures BroadcastJob defaulting and validation with failurePolicy Fail, for both versions (OpenKruise mbroadcastjob/vbroadcastjob.kb.io)', () => {
    const rules = [{ apiGroups: ['apps.kruise.io'], apiVersions: ['v1alpha1', 'v1beta1'], operations: ['CREATE', 'UPDATE'], resources: ['broadcastjobs'], scope: '*' }];
    expect(mutating.webhooks.find((w) => w.name === 'mbroadcastjob.kb.io')).toMatchObject({ failurePolicy: 'Fail', rules, clientConfig: { service: { path: '/mutate-apps-kruise-io-broadcastjob' } } });
    expect(validating.webhooks.find((w) => w.name === 'vbroadcastjob.kb.io')).toMatchObject({ failurePolicy: 'Fail', rules, clientConfig: { service: { path: '/validate-apps-kruise-io-broadcastjob' } } });
  });

  it('configures AdvancedCronJob defaulting and validation with failurePolicy Fail, for both versions (OpenKruise madvancedcronjob/vadvancedcronjob.kb.io)', () => {
    const rules = [{ apiGroups: ['apps.kruise.io'], apiVersions: ['v1alpha1', 'v1beta1'], operations: ['CREATE', 'UPDATE'], resources: ['advancedcronjobs'], scope: '*' }];
    expect(mutating.webhooks.find((w) => w.name === 'madvancedcronjob.kb.io')).toMatchObject({ failurePolicy: 'Fail', rules, clientConfig: { service: { path: '/mutate-apps-kruise-io-advancedcronjob' } } });
    expect(validating.webhooks.find((w) => w.name === 'vadvancedcronjob.kb.io')).toMatchObject({ failurePolicy: 'Fail', rules, clientConfig: { service: { path: '/validate-apps-kruise-io-advancedcronjob' } } });
  });

  it('configures Advanced DaemonSet defaulting and validation with failurePolicy Fail, for both versions (OpenKruise mdaemonset/vdaemonset.kb.io)', () => {
    const rules = [{ apiGroups: ['apps.kruise.io'], apiVersions: ['v1alpha1', 'v1beta1'], operations: ['CREATE', 'UPDATE'], resources: ['daemonsets'], scope: '*' }];
    expect(mutating.webhooks.find((w) => w.name === 'mdaemonset.kb.io')).toMatchObject({ failurePolicy: 'Fail', rules, clientConfig: { service: { path: '/mutate-apps-kruise-io-daemonset' } } });
    expect(validating.webhooks.find((w) => w.name === 'vdaemonset.kb.io')).toMatchObject({ failurePolicy: 'Fail', rules, clientConfig: { service: { path: '/validate-apps-kruise-io-daemonset' } } });
  });

  it('configures Advanced StatefulSet defaulting and validation with failurePolicy Fail, for both versions (OpenKruise mstatefulset/vstatefulset.kb.io)', () => {
    const rules = [{ apiGroups: ['apps.kruise.io'], apiVersions: ['v1alpha1', 'v1beta1'], operations: ['CREATE', 'UPDATE'], resources: ['statefulsets'], scope: '*' }];
    expect(mutating.webhooks.find((w) => w.name === 'mstatefulset.kb.io')).toMatchObject({ failurePolicy: 'Fail', rules, clientConfig: { service: { path: '/mutate-apps-kruise-io-statefulset' } } });
    expect(validating.webhooks.find((w) => w.name === 'vstatefulset.kb.io')).toMatchObject({ failurePolicy: 'Fail', rules, clientConfig: { service: { path: '/validate-apps-kruise-io-statefulset' } } });
  });

  it('sends pods with failurePolicy Ignore, skipping kube-system, the manager namespace and control-plane namespaces', () => {
    const pod = mutating.webhooks.find((w) => w.name === 'mpod.kb.io');
    expect(pod).toMatchObject({
      failurePolicy: 'Ignore',
      rules: [{ apiGroups: [''], apiVersions: ['v1'], resources: ['pods'], operations: ['CREATE'] }],
      namespaceSelector: {
        matchExpressions: [
          { key: 'control-plane', operator: 'DoesNotExist' },
          { key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system', 'kruise-system'] },
        ],
      },
    });
    const fail = buildWebhookConfigurations(builtinWebhookSpecs({ podFailurePolicy: 'Fail', managerNamespace: 'kruise-system' }), { clientConfig: service });
    expect(fail.mutating.webhooks.find((w) => w.name === 'mpod.kb.io')?.failurePolicy).toBe('Fail');
  });

  it('configures SidecarSet defaulting and validation with failurePolicy Fail, for both versions', () => {
    const rules = [{ apiGroups: ['apps.kruise.io'], apiVersions: ['v1alpha1', 'v1beta1'], operations: ['CREATE', 'UPDATE'], resources: ['sidecarsets'], scope: '*' }];
    expect(mutating.webhooks.find((w) => w.name === 'msidecarset.kb.io')).toMatchObject({ failurePolicy: 'Fail', rules, clientConfig: { service: { path: '/mutate-apps-kruise-io-sidecarset' } } });
    expect(validating.webhooks.find((w) => w.name === 'vsidecarset.kb.io')).toMatchObject({ failurePolicy: 'Fail', rules, clientConfig: { service: { path: '/validate-apps-kruise-io-sidecarset' } } });
  });

  it('takes the installer\'s overrides: a failurePolicy by webhook name, excluded namespaces on every webhook', () => {
    const all = builtinWebhookSpecs({ podFailurePolicy: 'Ignore', managerNamespace: 'kruise-system' });
    const built = buildWebhookConfigurations(all, { clientConfig: service, overrides: { failurePolicies: { 'vcloneset.kb.io': 'Ignore', 'mpod.kb.io': 'Fail' }, excludedNamespaces: ['team-a'] } });
    const webhooks = [...built.mutating.webhooks, ...built.validating.webhooks];
    expect(webhooks.find((w) => w.name === 'vcloneset.kb.io')?.failurePolicy).toBe('Ignore');
    expect(webhooks.find((w) => w.name === 'mpod.kb.io')?.failurePolicy).toBe('Fail');
    // Every other webhook keeps its spec's policy.
    const plain = buildWebhookConfigurations(all, { clientConfig: service });
    const policies = (list: typeof webhooks): Record<string, unknown> => Object.fromEntries(list.map((w): [string, unknown] => [String(w.name), w.failurePolicy]));
    expect(policies(webhooks)).toEqual({ ...policies([...plain.mutating.webhooks, ...plain.validating.webhooks]), 'vcloneset.kb.io': 'Ignore', 'mpod.kb.io': 'Fail' });
    const exclusion = { key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['team-a'] };
    for (const webhook of webhooks) expect((webhook.namespaceSelector as { matchExpressions: unknown[] }).matchExpressions.at(-1), String(webhook.name)).toEqual(exclusion);
    // The pod webhook keeps its own exclusions before the installer's.
    expect((webhooks.find((w) => w.name === 'mpod.kb.io')?.namespaceSelector as { matchExpressions: unknown[] }).matchExpressions).toHaveLength(3);
    // No override: selectors as the specs say (an empty one stays empty).
    expect(plain.validating.webhooks.find((w) => w.name === 'vcloneset.kb.io')?.namespaceSelector).toEqual({});
  });

  it('takes the installer\'s timeoutSeconds for every admission webhook; without it each keeps its spec\'s (10)', () => {
    const all = builtinWebhookSpecs({ podFailurePolicy: 'Ignore', managerNamespace: 'kruise-system' });
    const timeouts = (built: ReturnType<typeof buildWebhookConfigurations>): unknown[] => [...built.mutating.webhooks, ...built.validating.webhooks].map((w) => w.timeoutSeconds);
    expect(new Set(timeouts(buildWebhookConfigurations(all, { clientConfig: service, overrides: { timeoutSeconds: 2 } })))).toEqual(new Set([2]));
    expect(new Set(timeouts(buildWebhookConfigurations(all, { clientConfig: service })))).toEqual(new Set([10]));
  });

  it('points at a URL instead of the Service when told', () => {
    const byUrl = buildWebhookConfigurations(specs, { clientConfig: { kind: 'url', baseUrl: 'https://127.0.0.1:9876/' } });
    expect(byUrl.validating.webhooks.find((w) => w.name === 'vcloneset.kb.io')?.clientConfig).toEqual({ url: 'https://127.0.0.1:9876/validate-apps-kruise-io-cloneset' });
  });
});

describe('buildCrdConversion and webhookHosts', () => {
  it('switches a CRD to the /convert webhook with ConversionReview v1', () => {
    expect(buildCrdConversion(service, 'PEM')).toEqual({
      strategy: 'Webhook',
      webhook: { clientConfig: { service: { namespace: 'kruise-system', name: 'kruise-ts-webhook-service', path: '/convert', port: 443 }, caBundle: 'UEVN' }, conversionReviewVersions: ['v1'] },
    });
  });

  it('names the Service and the URL host in the serving certificate', () => {
    expect(webhookHosts(service, service)).toEqual(['kruise-ts-webhook-service.kruise-system.svc', 'kruise-ts-webhook-service.kruise-system.svc.cluster.local', 'kruise-ts-webhook-service.kruise-system', 'kruise-ts-webhook-service']);
    expect(webhookHosts({ kind: 'url', baseUrl: 'https://[::1]:9876' }, service).at(-1)).toBe('::1');
  });
});

describe('the built-in registry', () => {
  it('serves exactly the configured webhooks, and RBAC covers every CRD it converts', () => {
    const registry = createBuiltinWebhooks({ client: {} as KubeClient, managerNamespace: 'kruise-system' });
    const strip = ({ handle: _handle, ...spec }: (typeof registry.webhooks)[number]) => spec;
    expect(registry.webhooks.map(strip)).toEqual(specs);
    expect(registry.converters.map((c) => `${c.plural}.${c.group}`)).toEqual([...CONVERTED_CRDS]);
  });
});
