import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { deployFiles, staleDeployFiles } from './generateDeploy.js';

describe('deploy/', () => {
  it('is up to date with the sources (run pnpm exec tsx scripts/deploy/generateDeploy.ts)', () => {
    expect(staleDeployFiles()).toEqual([]);
  });

  it('grants the manager no wildcard, and of Secrets only its webhook certificate Secret, in its namespace, and pull Secret copies in kruise-daemon-config', () => {
    const rbac = deployFiles().get('manager/rbac.yaml') ?? '';
    type Rule = { resources: string[]; verbs: string[]; resourceNames?: string[] };
    const docs = parseAllDocuments(rbac).map((d) => d.toJS() as { kind: string; metadata: { name: string }; rules?: Rule[] });
    const rules = docs.flatMap((d) => d.rules ?? []);
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) {
      expect(rule.verbs).not.toContain('*');
      expect(rule.resources).not.toContain('*');
    }
    const clusterRules = docs.filter((d) => d.kind === 'ClusterRole').flatMap((d) => d.rules ?? []);
    expect(clusterRules.some((r) => r.resources.includes('secrets'))).toBe(false);
    const secretRules = docs.filter((d) => d.kind === 'Role').flatMap((d) => (d.rules ?? []).filter((r) => r.resources.includes('secrets')));
    expect(secretRules).toEqual([
      { apiGroups: [''], resources: ['secrets'], verbs: ['create'] },
      { apiGroups: [''], resources: ['secrets'], resourceNames: ['kruise-ts-webhook-certs'], verbs: ['get', 'update'] },
      { apiGroups: [''], resources: ['secrets'], verbs: ['create', 'patch', 'delete'] },
    ]);
    const secretRoles = docs.filter((d) => d.kind === 'Role' && (d.rules ?? []).some((r) => r.resources.includes('secrets'))).map((d) => `${(d.metadata as { namespace?: string }).namespace ?? ''}/${d.metadata.name}`);
    expect(secretRoles).toEqual(['kruise-system/kruise-ts-manager-webhook', 'kruise-daemon-config/kruise-ts-manager-daemon-config']);
  });

  it('grants the Advanced DaemonSet controller its sets, their status and finalizers, and nodes to read', () => {
    type Rule = { apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] };
    const docs = parseAllDocuments(deployFiles().get('manager/rbac.yaml') ?? '').map((d) => d.toJS() as { kind: string; rules?: Rule[] });
    const rules = docs.filter((d) => d.kind === 'ClusterRole').flatMap((d) => d.rules ?? []);
    const verbs = (group: string, resource: string) => rules.filter((r) => r.apiGroups.includes(group) && r.resources.includes(resource) && r.resourceNames === undefined).flatMap((r) => r.verbs);
    expect(verbs('apps.kruise.io', 'daemonsets')).toEqual(expect.arrayContaining(['get', 'list', 'watch', 'update', 'patch']));
    expect(verbs('apps.kruise.io', 'daemonsets/status')).toEqual(expect.arrayContaining(['get', 'update', 'patch']));
    expect(verbs('apps.kruise.io', 'daemonsets/finalizers')).toContain('update');
    expect(verbs('', 'nodes')).toEqual(expect.arrayContaining(['get', 'list', 'watch']));
    expect(rules.find((r) => r.resources.includes('customresourcedefinitions'))?.resourceNames).toContain('daemonsets.apps.kruise.io');
  });

  it('grants the AdvancedCronJob controller its cron jobs and their status, and Jobs, BroadcastJobs and ImageListPullJobs to create and delete', () => {
    type Rule = { apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] };
    const docs = parseAllDocuments(deployFiles().get('manager/rbac.yaml') ?? '').map((d) => d.toJS() as { kind: string; rules?: Rule[] });
    const rules = docs.filter((d) => d.kind === 'ClusterRole').flatMap((d) => d.rules ?? []);
    const verbs = (group: string, resource: string) => rules.filter((r) => r.apiGroups.includes(group) && r.resources.includes(resource) && r.resourceNames === undefined).flatMap((r) => r.verbs);
    expect(verbs('apps.kruise.io', 'advancedcronjobs')).toEqual(expect.arrayContaining(['get', 'list', 'watch']));
    expect(verbs('apps.kruise.io', 'advancedcronjobs/status')).toEqual(expect.arrayContaining(['get', 'update', 'patch']));
    expect(verbs('apps.kruise.io', 'advancedcronjobs/finalizers')).toContain('update');
    expect(verbs('batch', 'jobs')).toEqual(expect.arrayContaining(['get', 'list', 'watch', 'create', 'delete']));
    expect(verbs('apps.kruise.io', 'broadcastjobs')).toEqual(expect.arrayContaining(['get', 'list', 'watch', 'create', 'delete']));
    expect(verbs('apps.kruise.io', 'imagelistpulljobs')).toEqual(expect.arrayContaining(['get', 'list', 'watch', 'create', 'delete']));
    expect(rules.find((r) => r.resources.includes('customresourcedefinitions'))?.resourceNames).toContain('advancedcronjobs.apps.kruise.io');
  });

  it('grants the ResourceDistribution controller Secrets only in a ClusterRole of its own, outside the default install', () => {
    type Rule = { apiGroups: string[]; resources: string[]; verbs: string[] };
    const files = deployFiles();
    const docs = parseAllDocuments(files.get('manager/rbac-resourcedistribution.yaml') ?? '').map((d) => d.toJS() as { kind: string; metadata: { name: string; labels: Record<string, string> }; rules?: Rule[] });
    expect(docs.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual(['ClusterRole/kruise-ts-manager-resourcedistribution', 'ClusterRoleBinding/kruise-ts-manager-resourcedistribution']);
    expect(docs[0]?.metadata.labels['kruise.io/feature-gate']).toBe('ResourceDistributionGate');
    const secrets = (docs[0]?.rules ?? []).find((r) => r.resources.includes('secrets'));
    expect(secrets?.verbs).toEqual(['get', 'list', 'watch', 'create', 'patch', 'delete']);
    expect(files.get('kustomization.yaml')).not.toContain('rbac-resourcedistribution');
    expect(files.get('manager/rbac.yaml')).not.toContain('resourcedistributions/status');
  });

  it('grants the ImagePullJob controller Secret reads (its jobs’ pull secrets) only in a ClusterRole of its own behind ImagePullJobGate', () => {
    type Rule = { apiGroups: string[]; resources: string[]; verbs: string[] };
    const files = deployFiles();
    const docs = parseAllDocuments(files.get('manager/rbac-imagepulljob.yaml') ?? '').map((d) => d.toJS() as { kind: string; metadata: { name: string; labels: Record<string, string> }; rules?: Rule[] });
    expect(docs.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual(['ClusterRole/kruise-ts-manager-imagepulljob', 'ClusterRoleBinding/kruise-ts-manager-imagepulljob']);
    expect(docs[0]?.metadata.labels['kruise.io/feature-gate']).toBe('ImagePullJobGate');
    expect((docs[0]?.rules ?? []).find((r) => r.resources.includes('secrets'))?.verbs).toEqual(['get', 'list', 'watch']);
    expect(files.get('kustomization.yaml')).not.toContain('rbac-imagepulljob');
    expect(files.get('manager/rbac.yaml')).not.toContain('imagepulljobs/status');
  });

  it('ships the webhook Service and configurations with the failure policies of the manager', () => {
    const docs = parseAllDocuments(deployFiles().get('manager/webhook.yaml') ?? '').map((d) => d.toJS() as { kind: string; webhooks?: { name: string; failurePolicy: string }[] });
    expect(docs.map((d) => d.kind)).toEqual(['Service', 'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration']);
    expect(docs.flatMap((d) => (d.webhooks ?? []).map((w) => `${w.name}=${w.failurePolicy}`))).toEqual([
      'mcloneset.kb.io=Fail',
      'mpod.kb.io=Ignore',
      'msidecarset.kb.io=Fail',
      'mstatefulset.kb.io=Fail',
      'madvancedcronjob.kb.io=Fail',
      'mbroadcastjob.kb.io=Fail',
      'mdaemonset.kb.io=Fail',
      'muniteddeployment.kb.io=Fail',
      'mnodeimage.kb.io=Fail',
      'mimagepulljob.kb.io=Fail',
      'mimagelistpulljob.kb.io=Fail',
      'mcontainerrecreaterequest.kb.io=Fail',
      'vdeletionprotection.kb.io=Fail',
      'vpodunavailablebudget.kb.io=Fail',
      'vpod.kb.io=Ignore',
      'vcloneset.kb.io=Fail',
      'vsidecarset.kb.io=Fail',
      'vstatefulset.kb.io=Fail',
      'vadvancedcronjob.kb.io=Fail',
      'vbroadcastjob.kb.io=Fail',
      'vephemeraljob.kb.io=Fail',
      'vdaemonset.kb.io=Fail',
      'vuniteddeployment.kb.io=Fail',
      'vresourcedistribution.kb.io=Fail',
      'vpersistentpodstate.kb.io=Fail',
      'vworkloadspread.kb.io=Fail',
      'vnodeimage.kb.io=Fail',
      'vimagepulljob.kb.io=Fail',
      'vimagelistpulljob.kb.io=Fail',
      'vcontainerrecreaterequest.kb.io=Fail',
      'vpodprobemarker.kb.io=Fail',
    ]);
  });
});
