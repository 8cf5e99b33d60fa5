import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { KruiseResources, kruiseCrdName } from '../../packages/k8s-adapter/src/kruiseResources.js';
import { CRD_DIRECTORY, REGENERATE_COMMAND } from './generateCrds.js';
import { crdDocument, CRD_KINDS, renderCrdFiles } from './renderCrds.js';
import { structuralViolations, toStructuralSchema, type SchemaNode } from './structuralSchema.js';

type Version = {
  name: string;
  storage: boolean;
  schema: { openAPIV3Schema: SchemaNode };
  additionalPrinterColumns: { name: string; jsonPath?: string; priority?: number }[];
  subresources: Record<string, unknown>;
};
type Crd = { spec: { names: { shortNames: string[] }; conversion: { strategy: string }; versions: Version[] } };

const files = [...renderCrdFiles()];
const cloneSet = crdDocument(CRD_KINDS[0]!) as unknown as Crd;

function nodeAt(root: SchemaNode, path: string): SchemaNode {
  return path.split('.').reduce<SchemaNode>((node, key) => (node['properties'] as Record<string, SchemaNode>)[key]!, root);
}

describe('generated CRDs', () => {
  it.each(files)('deploy/crds/%s is up to date', (name, text) => {
    let onDisk: string | undefined;
    try {
      onDisk = readFileSync(join(CRD_DIRECTORY, name), 'utf8');
    } catch {
      onDisk = undefined;
    }
    expect(onDisk === text, `deploy/crds/${name} differs from the zod schemas: ${REGENERATE_COMMAND}`).toBe(true);
  });

  it.each(files)('%s has structural schemas only', (_name, text) => {
    const crd = parse(text) as Crd;
    for (const version of crd.spec.versions) {
      expect(structuralViolations(version.schema.openAPIV3Schema)).toEqual([]);
    }
  });

  it('serves CloneSet in v1alpha1 and v1beta1, storing v1beta1, with conversion None for now', () => {
    expect(cloneSet.spec.versions.map((v) => [v.name, v.storage])).toEqual([
      ['v1alpha1', false],
      ['v1beta1', true],
    ]);
    expect(cloneSet.spec.conversion).toEqual({ strategy: 'None' });
    expect(cloneSet.spec.names.shortNames).toEqual(['clone']);
  });

  it('has OpenKruise’s printer columns and the scale subresource', () => {
    const beta = cloneSet.spec.versions[1]!;
    expect(beta.additionalPrinterColumns.map((c) => c.name)).toEqual([
      'DESIRED', 'UPDATED', 'UPDATED_READY', 'UPDATED_AVAILABLE', 'READY', 'TOTAL', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR',
    ]);
    expect(beta.subresources).toEqual({
      status: {},
      scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.labelSelector' },
    });
  });

  it('keeps the pod template and volumeClaimTemplates schemaless, and partition int-or-string', () => {
    const schema = cloneSet.spec.versions[1]!.schema.openAPIV3Schema;
    expect(nodeAt(schema, 'spec.template')).toEqual({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
    expect(nodeAt(schema, 'spec.volumeClaimTemplates')).toEqual({
      type: 'array',
      items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
    });
    expect(nodeAt(schema, 'spec.updateStrategy.rollingUpdate.partition')).toEqual({
      anyOf: [{ type: 'integer' }, { type: 'string' }],
      'x-kubernetes-int-or-string': true,
    });
  });
});

describe('CRDs and the resource registry (KruiseResources)', () => {
  it.each(Object.entries(KruiseResources))('%s is served by a generated CRD with its group, kind, plural, scope and version', (_name, type) => {
    const kind = CRD_KINDS.find((k) => kruiseCrdName(k) === kruiseCrdName(type));
    expect(kind).toMatchObject({ group: type.group, kind: type.kind, plural: type.plural, scope: type.namespaced ? 'Namespaced' : 'Cluster' });
    expect(kind?.versions.map((v) => v.name)).toContain(type.version);
  });

  it('has exactly the versions the generated CRDs serve', () => {
    const served = CRD_KINDS.flatMap((k) => k.versions.map((v) => `${kruiseCrdName(k)}/${v.name}`));
    expect(Object.values(KruiseResources).map((type) => `${kruiseCrdName(type)}/${type.version}`).sort()).toEqual(served.sort());
  });
});

describe('SidecarSet CRD', () => {
  const sidecarSet = crdDocument(CRD_KINDS.find((k) => k.kind === 'SidecarSet')!) as unknown as Crd & { spec: { scope: string; names: Record<string, unknown> } };
  const schema = sidecarSet.spec.versions[1]!.schema.openAPIV3Schema;

  it('is cluster-scoped, served in v1alpha1 and v1beta1, stored as v1beta1, without short names, with OpenKruise’s columns', () => {
    expect(sidecarSet.spec.scope).toBe('Cluster');
    expect(sidecarSet.spec.versions.map((v) => [v.name, v.storage])).toEqual([
      ['v1alpha1', false],
      ['v1beta1', true],
    ]);
    expect(sidecarSet.spec.names).not.toHaveProperty('shortNames');
    expect(sidecarSet.spec.versions.map((v) => v.additionalPrinterColumns.map((c) => c.name))).toEqual([
      ['MATCHED', 'UPDATED', 'READY', 'AGE'],
      ['MATCHED', 'UPDATED', 'READY', 'AGE'],
    ]);
    expect(sidecarSet.spec.versions[1]!.subresources).toEqual({ status: {} });
  });

  it('keeps container fields and volumes unpruned, the sidecar fields typed', () => {
    const containers = nodeAt(schema, 'spec.containers');
    expect(containers['items']).toMatchObject({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { podInjectPolicy: { type: 'string' } } });
    expect(nodeAt(schema, 'spec.volumes')).toEqual({ type: 'array', items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } });
    expect(nodeAt(sidecarSet.spec.versions[0]!.schema.openAPIV3Schema, 'spec.namespace')).toEqual({ type: 'string' });
  });
});

describe('structural schema post-processing', () => {
  it.each<[string, SchemaNode, SchemaNode]>([
    ['an int32 gets its format', { type: 'integer', minimum: -2147483648, maximum: 2147483647 }, { type: 'integer', format: 'int32' }],
    ['a nullable string', { type: ['string', 'null'] }, { type: 'string', nullable: true }],
    [
      'a loose object drops additionalProperties {}',
      { type: 'object', properties: { a: { type: 'string', enum: ['x'] } }, additionalProperties: {} },
      { type: 'object', properties: { a: { type: 'string' } } },
    ],
    [
      'a record keeps its value schema',
      { type: 'object', propertyNames: { type: 'string' }, additionalProperties: { type: 'string' } },
      { type: 'object', additionalProperties: { type: 'string' } },
    ],
  ])('%s', (_story, input, expected) => {
    expect(toStructuralSchema(input)).toEqual(expected);
  });

  it.each<[string, SchemaNode, string]>([
    ['a node without type', { properties: {} }, 'every node needs a type'],
    ['a $ref', { type: 'object', $ref: '#/x' }, '$ref is not allowed'],
    ['additionalProperties false', { type: 'object', additionalProperties: false }, 'additionalProperties: false is not allowed'],
    ['a typed int-or-string', { type: 'string', 'x-kubernetes-int-or-string': true }, 'an int-or-string node may not set type'],
  ])('flags %s', (_story, node, problem) => {
    expect(structuralViolations(node).map((v) => v.problem)).toContain(problem);
  });
});

describe('schema defaults (withSchemaDefaults)', () => {
  const beta = CRD_KINDS[0]!.versions[1]!;
  const withDefaults = (defaults: ReadonlyMap<string, unknown>) =>
    crdDocument({ ...CRD_KINDS[0]!, versions: [{ ...beta, defaults }] }) as unknown as Crd;

  it('writes `default:` at a dotted path of a version, leaving the rest of the schema as it was', () => {
    const crd = withDefaults(new Map<string, unknown>([['spec.scaleStrategy.enablePVCReuse', false], ['spec.updateStrategy.rollingUpdate.maxSurge', 0]]));
    const schema = crd.spec.versions[0]!.schema.openAPIV3Schema;
    expect(nodeAt(schema, 'spec.scaleStrategy.enablePVCReuse')).toMatchObject({ type: 'boolean', default: false });
    expect(nodeAt(schema, 'spec.updateStrategy.rollingUpdate.maxSurge')).toMatchObject({ 'x-kubernetes-int-or-string': true, default: 0 });
    expect(structuralViolations(schema)).toEqual([]);
    const withoutDefaults = (node: unknown): unknown => JSON.parse(JSON.stringify(node, (key, value: unknown) => (key === 'default' ? undefined : value)));
    expect(withoutDefaults(schema)).toEqual(cloneSet.spec.versions[1]!.schema.openAPIV3Schema);
  });

  it('refuses a path the schema does not have, or a value of another type', () => {
    expect(() => withDefaults(new Map([['spec.scaleStrategy.disablePVCReuse', true]]))).toThrow('schema default spec.scaleStrategy.disablePVCReuse: the schema has no property disablePVCReuse there');
    expect(() => withDefaults(new Map([['spec.replicas', '1']]))).toThrow('schema default spec.replicas: "1" is not of the field\'s type integer');
  });

  it('sets none in the CloneSet CRDs, whose defaults are the mutating webhook’s', () => {
    const defaults = (node: unknown): number => (typeof node === 'object' && node !== null ? Object.entries(node).reduce((n, [key, child]) => n + (key === 'default' ? 1 : defaults(child)), 0) : 0);
    expect(cloneSet.spec.versions.map((v) => defaults(v.schema.openAPIV3Schema))).toEqual([0, 0]);
  });
});

describe('Advanced StatefulSet CRD', () => {
  const statefulSet = crdDocument(CRD_KINDS.find((k) => k.kind === 'StatefulSet')!) as unknown as Crd & { spec: { scope: string; names: Record<string, unknown> } };
  const [alpha, beta] = statefulSet.spec.versions;

  it('is namespaced, served in v1alpha1 and v1beta1, stored as v1beta1, short names sts and asts, conversion None until the manager switches it', () => {
    expect(statefulSet.spec.scope).toBe('Namespaced');
    expect(statefulSet.spec.names).toEqual({ kind: 'StatefulSet', listKind: 'StatefulSetList', plural: 'statefulsets', singular: 'statefulset', shortNames: ['sts', 'asts'] });
    expect(statefulSet.spec.versions.map((v) => [v.name, v.storage])).toEqual([
      ['v1alpha1', false],
      ['v1beta1', true],
    ]);
    expect(statefulSet.spec.conversion).toEqual({ strategy: 'None' });
  });

  it('has OpenKruise’s printer columns in both versions, CONTAINERS and IMAGES at priority 1, and the status and scale subresources', () => {
    for (const version of [alpha!, beta!]) {
      expect(version.additionalPrinterColumns.map((c) => c.name)).toEqual(['DESIRED', 'CURRENT', 'UPDATED', 'READY', 'AGE', 'CONTAINERS', 'IMAGES']);
      expect(version.additionalPrinterColumns.filter((c) => (c as { priority?: number }).priority === 1).map((c) => c.name)).toEqual(['CONTAINERS', 'IMAGES']);
      expect(version.subresources).toEqual({
        status: {},
        scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.labelSelector' },
      });
    }
  });

  it('keeps the template and volumeClaimTemplates schemaless, reserveOrdinals int-or-string, and the v1beta1-only fields out of v1alpha1', () => {
    const schema = beta!.schema.openAPIV3Schema;
    expect(nodeAt(schema, 'spec.template')).toMatchObject({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
    expect(nodeAt(schema, 'spec.volumeClaimTemplates')).toMatchObject({ type: 'array', items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } });
    expect(nodeAt(schema, 'spec.reserveOrdinals')).toMatchObject({ type: 'array', items: { anyOf: [{ type: 'integer' }, { type: 'string' }], 'x-kubernetes-int-or-string': true } });
    expect(Object.keys(nodeAt(schema, 'spec.updateStrategy.rollingUpdate.inPlaceUpdateStrategy')['properties'] as object)).toEqual(['gracePeriodSeconds']);
    const alphaSpec = Object.keys(nodeAt(alpha!.schema.openAPIV3Schema, 'spec')['properties'] as object);
    expect(alphaSpec.sort()).toEqual(['podManagementPolicy', 'replicas', 'revisionHistoryLimit', 'selector', 'serviceName', 'template', 'updateStrategy', 'volumeClaimTemplates']);
    expect(Object.keys(nodeAt(alpha!.schema.openAPIV3Schema, 'status')['properties'] as object)).not.toContain('updatedReadyReplicas');
  });
});

describe('Advanced DaemonSet CRD', () => {
  const daemonSet = crdDocument(CRD_KINDS.find((k) => k.kind === 'DaemonSet')!) as unknown as Crd & { spec: { scope: string; names: Record<string, unknown> } };
  const [alpha, beta] = daemonSet.spec.versions;

  it('is namespaced, served in v1alpha1 and v1beta1, stored as v1beta1, short names daemon and ads, conversion None until the manager switches it', () => {
    expect(daemonSet.spec.scope).toBe('Namespaced');
    expect(daemonSet.spec.names).toEqual({ kind: 'DaemonSet', listKind: 'DaemonSetList', plural: 'daemonsets', singular: 'daemonset', shortNames: ['daemon', 'ads'] });
    expect(daemonSet.spec.versions.map((v) => [v.name, v.storage])).toEqual([
      ['v1alpha1', false],
      ['v1beta1', true],
    ]);
    expect(daemonSet.spec.conversion).toEqual({ strategy: 'None' });
  });

  it('has OpenKruise’s printer columns in both versions, CONTAINERS and IMAGES at priority 1, and the status subresource only', () => {
    for (const version of [alpha!, beta!]) {
      expect(version.additionalPrinterColumns.map((c) => [c.name, (c as { jsonPath?: string }).jsonPath])).toEqual([
        ['DESIRED', '.status.desiredNumberScheduled'],
        ['CURRENT', '.status.currentNumberScheduled'],
        ['READY', '.status.numberReady'],
        ['UP-TO-DATE', '.status.updatedNumberScheduled'],
        ['AVAILABLE', '.status.numberAvailable'],
        ['AGE', '.metadata.creationTimestamp'],
        ['CONTAINERS', '.spec.template.spec.containers[*].name'],
        ['IMAGES', '.spec.template.spec.containers[*].image'],
      ]);
      expect(version.additionalPrinterColumns.filter((c) => (c as { priority?: number }).priority === 1).map((c) => c.name)).toEqual(['CONTAINERS', 'IMAGES']);
      expect(version.subresources).toEqual({ status: {} });
    }
  });

  it('keeps the template schemaless, budgets, partition and burstReplicas int-or-string, scaleStrategy and updateRevision in v1beta1 only, daemonSetHash in v1alpha1 only', () => {
    const schema = beta!.schema.openAPIV3Schema;
    const intOrString = { anyOf: [{ type: 'integer' }, { type: 'string' }], 'x-kubernetes-int-or-string': true };
    expect(nodeAt(schema, 'spec.template')).toMatchObject({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
    for (const path of ['spec.burstReplicas', 'spec.updateStrategy.rollingUpdate.maxUnavailable', 'spec.updateStrategy.rollingUpdate.maxSurge', 'spec.updateStrategy.rollingUpdate.partition']) {
      expect(nodeAt(schema, path)).toMatchObject(intOrString);
    }
    expect(nodeAt(schema, 'spec.scaleStrategy.partitionedScaling')).toEqual({ type: 'boolean' });
    expect(Object.keys(nodeAt(alpha!.schema.openAPIV3Schema, 'spec')['properties'] as object)).not.toContain('scaleStrategy');
    expect(Object.keys(nodeAt(schema, 'status')['properties'] as object)).toContain('updateRevision');
    expect(Object.keys(nodeAt(alpha!.schema.openAPIV3Schema, 'status')['properties'] as object)).toEqual(expect.arrayContaining(['daemonSetHash']));
    expect(Object.keys(nodeAt(alpha!.schema.openAPIV3Schema, 'status')['properties'] as object)).not.toContain('updateRevision');
  });
});

describe('UnitedDeployment CRD', () => {
  const ud = crdDocument(CRD_KINDS.find((k) => k.kind === 'UnitedDeployment')!) as unknown as Crd & { spec: { scope: string; names: Record<string, unknown> } };
  const [alpha, beta] = ud.spec.versions;

  it('is namespaced, short name ud, served in v1alpha1 and v1beta1, stored as v1beta1', () => {
    expect(ud.spec.scope).toBe('Namespaced');
    expect(ud.spec.names).toEqual({ kind: 'UnitedDeployment', listKind: 'UnitedDeploymentList', plural: 'uniteddeployments', singular: 'uniteddeployment', shortNames: ['ud'] });
    expect(ud.spec.versions.map((v) => [v.name, v.storage])).toEqual([
      ['v1alpha1', false],
      ['v1beta1', true],
    ]);
  });

  it('has OpenKruise’s printer columns and the status and scale subresources in both versions', () => {
    for (const version of [alpha!, beta!]) {
      expect(version.additionalPrinterColumns.map((c) => [c.name, (c as { jsonPath?: string }).jsonPath])).toEqual([
        ['DESIRED', '.spec.replicas'],
        ['CURRENT', '.status.replicas'],
        ['UPDATED', '.status.updatedReplicas'],
        ['READY', '.status.readyReplicas'],
        ['AGE', '.metadata.creationTimestamp'],
      ]);
      expect(version.subresources).toEqual({ status: {}, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.labelSelector' } });
    }
  });

  it('keeps the child templates and subset patches schemaless, subset replicas int-or-string, subsetReplicas and updateStatus in v1alpha1 only', () => {
    const schema = beta!.schema.openAPIV3Schema;
    expect(nodeAt(schema, 'spec.template.deploymentTemplate')).toMatchObject({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
    expect(nodeAt(schema, 'spec.template.cloneSetTemplate.spec.template')).toMatchObject({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
    const subset = (nodeAt(schema, 'spec.topology.subsets') as { items: { properties: Record<string, unknown> } }).items.properties;
    expect(subset['patch']).toMatchObject({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
    expect(subset['replicas']).toMatchObject({ 'x-kubernetes-int-or-string': true });
    expect(Object.keys(nodeAt(schema, 'status')['properties'] as object)).not.toContain('subsetReplicas');
    expect(Object.keys(nodeAt(alpha!.schema.openAPIV3Schema, 'status')['properties'] as object)).toEqual(expect.arrayContaining(['subsetReplicas', 'updateStatus']));
  });
});

describe('AdvancedCronJob CRD', () => {
  const acj = crdDocument(CRD_KINDS.find((k) => k.kind === 'AdvancedCronJob')!) as unknown as Crd & { spec: { scope: string; names: Record<string, unknown> } };
  const [alpha, beta] = acj.spec.versions;

  it('is namespaced, served in v1alpha1 and v1beta1, stored as v1beta1, short name acj', () => {
    expect(acj.spec.scope).toBe('Namespaced');
    expect(acj.spec.names).toEqual({ kind: 'AdvancedCronJob', listKind: 'AdvancedCronJobList', plural: 'advancedcronjobs', singular: 'advancedcronjob', shortNames: ['acj'] });
    expect(acj.spec.versions.map((v) => [v.name, v.storage])).toEqual([
      ['v1alpha1', false],
      ['v1beta1', true],
    ]);
  });

  it('has OpenKruise’s printer columns (Schedule, Type, LastScheduleTime, AGE) in both versions and the status subresource only', () => {
    for (const version of [alpha!, beta!]) {
      expect(version.additionalPrinterColumns.map((c) => [c.name, (c as { type?: string }).type, (c as { jsonPath?: string }).jsonPath])).toEqual([
        ['Schedule', 'string', '.spec.schedule'],
        ['Type', 'string', '.status.type'],
        ['LastScheduleTime', 'date', '.status.lastScheduleTime'],
        ['AGE', 'date', '.metadata.creationTimestamp'],
      ]);
      expect(version.subresources).toEqual({ status: {} });
    }
  });

  it('keeps the job template and the BroadcastJob pod template schemaless', () => {
    const schema = beta!.schema.openAPIV3Schema;
    expect(nodeAt(schema, 'spec.template.jobTemplate')).toEqual({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
    expect(nodeAt(schema, 'spec.template.broadcastJobTemplate.spec.template')).toEqual({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
    expect(nodeAt(schema, 'spec.concurrencyPolicy')).toEqual({ type: 'string' }); // enums are the webhook's to check, as for every kind
    expect(nodeAt(schema, 'spec.schedule')).toEqual({ type: 'string' });
    expect(Object.keys(nodeAt(schema, 'status')['properties'] as object)).toEqual(['type', 'active', 'lastScheduleTime']);
  });

  it('has a structural imageListPullJobTemplate in v1beta1 only (images and completionPolicy required), as OpenKruise', () => {
    const template = nodeAt(beta!.schema.openAPIV3Schema, 'spec.template.imageListPullJobTemplate.spec') as { required?: string[]; properties: Record<string, unknown> };
    expect(template.required).toEqual(['images', 'completionPolicy']);
    expect(template.properties['images']).toEqual({ type: 'array', items: { type: 'string' } });
    expect(Object.keys(nodeAt(alpha!.schema.openAPIV3Schema, 'spec.template')['properties'] as object)).toEqual(['jobTemplate', 'broadcastJobTemplate']);
  });
});

describe('BroadcastJob CRD', () => {
  const bcj = crdDocument(CRD_KINDS.find((k) => k.kind === 'BroadcastJob')!) as unknown as Crd & { spec: { scope: string; names: Record<string, unknown> } };
  const [alpha, beta] = bcj.spec.versions;

  it('is namespaced, served in v1alpha1 and v1beta1, stored as v1beta1, short name bcj', () => {
    expect(bcj.spec.scope).toBe('Namespaced');
    expect(bcj.spec.names).toEqual({ kind: 'BroadcastJob', listKind: 'BroadcastJobList', plural: 'broadcastjobs', singular: 'broadcastjob', shortNames: ['bcj'] });
    expect(bcj.spec.versions.map((v) => [v.name, v.storage])).toEqual([
      ['v1alpha1', false],
      ['v1beta1', true],
    ]);
  });

  it('has OpenKruise’s printer columns (Desired, Active, Succeeded, Failed, AGE) in both versions, the status subresource only, and a schemaless pod template', () => {
    for (const version of [alpha!, beta!]) {
      expect(version.additionalPrinterColumns.map((c) => [c.name, (c as { type?: string }).type, (c as { jsonPath?: string }).jsonPath])).toEqual([
        ['Desired', 'integer', '.status.desired'],
        ['Active', 'integer', '.status.active'],
        ['Succeeded', 'integer', '.status.succeeded'],
        ['Failed', 'integer', '.status.failed'],
        ['AGE', 'date', '.metadata.creationTimestamp'],
      ]);
      expect(version.subresources).toEqual({ status: {} });
    }
    expect(nodeAt(beta!.schema.openAPIV3Schema, 'spec.template')).toEqual({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
  });
});

describe('ResourceDistribution CRD', () => {
  const rd = crdDocument(CRD_KINDS.find((k) => k.kind === 'ResourceDistribution')!) as unknown as Crd & { spec: { scope: string; names: Record<string, unknown> } };
  const [alpha, beta] = rd.spec.versions;

  it('is cluster-scoped, served in v1alpha1 and v1beta1, stored as v1beta1, short name distributor', () => {
    expect(rd.spec.scope).toBe('Cluster');
    expect(rd.spec.names).toEqual({ kind: 'ResourceDistribution', listKind: 'ResourceDistributionList', plural: 'resourcedistributions', singular: 'resourcedistribution', shortNames: ['distributor'] });
    expect(rd.spec.versions.map((v) => [v.name, v.storage])).toEqual([
      ['v1alpha1', false],
      ['v1beta1', true],
    ]);
  });

  it('has OpenKruise’s printer columns (TOTAL, SUCCEED, FAILED) and keeps the resource as an embedded manifest', () => {
    for (const version of [alpha!, beta!]) {
      expect(version.additionalPrinterColumns.map((c) => [c.name, (c as { jsonPath?: string }).jsonPath])).toEqual([
        ['TOTAL', '.status.desired'],
        ['SUCCEED', '.status.succeeded'],
        ['FAILED', '.status.failed'],
      ]);
      expect(version.subresources).toEqual({ status: {} });
      expect(nodeAt(version.schema.openAPIV3Schema, 'spec.resource')).toEqual({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true, 'x-kubernetes-embedded-resource': true });
    }
  });
});

describe('PersistentPodState CRD', () => {
  const pps = crdDocument(CRD_KINDS.find((k) => k.kind === 'PersistentPodState')!) as unknown as Crd & { spec: { scope: string; names: Record<string, unknown> } };

  it('is namespaced, served in v1alpha1 and v1beta1, stored as v1beta1, with the status subresource and typed pod states', () => {
    expect(pps.spec.scope).toBe('Namespaced');
    expect(pps.spec.names).toEqual({ kind: 'PersistentPodState', listKind: 'PersistentPodStateList', plural: 'persistentpodstates', singular: 'persistentpodstate' });
    expect(pps.spec.versions.map((v) => [v.name, v.storage])).toEqual([
      ['v1alpha1', false],
      ['v1beta1', true],
    ]);
    const beta = pps.spec.versions[1]!;
    expect(beta.subresources).toEqual({ status: {} });
    expect(nodeAt(beta.schema.openAPIV3Schema, 'spec.targetRef')['required']).toEqual(['apiVersion', 'kind', 'name']);
  });
});

describe('EphemeralJob CRD', () => {
  const ejob = crdDocument(CRD_KINDS.find((k) => k.kind === 'EphemeralJob')!) as unknown as Crd & { spec: { scope: string; names: Record<string, unknown> } };

  it('is namespaced, served and stored in v1alpha1 only, short name ejob, OpenKruise’s printer columns, schemaless ephemeral containers', () => {
    expect(ejob.spec.scope).toBe('Namespaced');
    expect(ejob.spec.names).toEqual({ kind: 'EphemeralJob', listKind: 'EphemeralJobList', plural: 'ephemeraljobs', singular: 'ephemeraljob', shortNames: ['ejob'] });
    expect(ejob.spec.versions.map((v) => [v.name, v.storage])).toEqual([['v1alpha1', true]]);
    const [version] = ejob.spec.versions;
    expect(version!.additionalPrinterColumns.map((c) => c.name)).toEqual(['STATUS', 'MATCH', 'SUCCEED', 'FAILED', 'RUNNING', 'WAITING', 'AGE']);
    expect(nodeAt(version!.schema.openAPIV3Schema, 'spec.template.ephemeralContainers')).toEqual({ type: 'array', items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } });
  });
});

describe('image pre-pull CRDs (NodeImage, ImagePullJob, ImageListPullJob)', () => {
  const crdOf = (kind: string) => crdDocument(CRD_KINDS.find((k) => k.kind === kind)!) as unknown as Crd & { spec: { scope: string; names: Record<string, unknown> } };

  it.each([
    ['NodeImage', 'Cluster', ['DESIRED', 'PULLING', 'SUCCEED', 'FAILED', 'AGE'], ['DESIRED', 'PULLING', 'SUCCEED', 'FAILED', 'AGE']],
    ['ImagePullJob', 'Namespaced', ['TOTAL', 'ACTIVE', 'SUCCEED', 'FAILED', 'AGE', 'MESSAGE'], ['TOTAL', 'ACTIVE', 'SUCCEED', 'FAILED', 'AGE']],
    ['ImageListPullJob', 'Namespaced', ['TOTAL', 'SUCCEEDED', 'COMPLETED', 'AGE'], ['TOTAL', 'SUCCEEDED', 'COMPLETED', 'AGE']],
  ])('%s: %s, v1alpha1 and v1beta1 (storage) with the same schema, OpenKruise’s printer columns', (kind, scope, alphaColumns, betaColumns) => {
    const crd = crdOf(kind);
    expect(crd.spec.scope).toBe(scope);
    expect(crd.spec.conversion).toEqual({ strategy: 'None' });
    expect(crd.spec.versions.map((v) => [v.name, v.storage])).toEqual([['v1alpha1', false], ['v1beta1', true]]);
    expect(crd.spec.versions.map((v) => v.additionalPrinterColumns.map((c) => c.name))).toEqual([alphaColumns, betaColumns]);
    expect(crd.spec.versions[0]!.schema).toEqual(crd.spec.versions[1]!.schema);
    expect(crd.spec.versions[1]!.subresources).toEqual({ status: {} });
  });

  it('ImagePullJob requires image and completionPolicy (as OpenKruise’s CRD), and keeps the tag owners’ fieldPath on NodeImages', () => {
    const job = crdOf('ImagePullJob').spec.versions[1]!.schema.openAPIV3Schema;
    expect(nodeAt(job, 'spec')['required']).toEqual(['image', 'completionPolicy']);
    const images = nodeAt(crdOf('NodeImage').spec.versions[1]!.schema.openAPIV3Schema, 'spec.images');
    const tag = ((images['additionalProperties'] as SchemaNode)['properties'] as Record<string, SchemaNode>)['tags']!['items'] as SchemaNode;
    expect(Object.keys(nodeAt(tag, 'ownerReferences')['items'] as SchemaNode)).toContain('properties');
    expect(Object.keys(((nodeAt(tag, 'ownerReferences')['items'] as SchemaNode)['properties']) as object)).toContain('fieldPath');
  });
});

describe('WorkloadSpread CRD', () => {
  const ws = crdDocument(CRD_KINDS.find((k) => k.kind === 'WorkloadSpread')!) as unknown as Crd & { spec: { scope: string; names: Record<string, unknown> } };

  it('is namespaced, served in v1alpha1 and v1beta1, stored as v1beta1 (as OpenKruise), short name ws, OpenKruise’s printer columns, schemaless patch and node terms', () => {
    expect(ws.spec.scope).toBe('Namespaced');
    expect(ws.spec.names).toEqual({ kind: 'WorkloadSpread', listKind: 'WorkloadSpreadList', plural: 'workloadspreads', singular: 'workloadspread', shortNames: ['ws'] });
    expect(ws.spec.versions.map((v) => [v.name, v.storage])).toEqual([
      ['v1alpha1', false],
      ['v1beta1', true],
    ]);
    const [alpha, beta] = ws.spec.versions;
    for (const version of [alpha!, beta!]) expect(version.additionalPrinterColumns.map((c) => c.name)).toEqual(['WorkloadName', 'WorkloadKind', 'Adaptive', 'Age']);
    const alphaSubset = nodeAt(alpha!.schema.openAPIV3Schema, 'spec.subsets')['items'] as SchemaNode;
    const betaSubset = nodeAt(beta!.schema.openAPIV3Schema, 'spec.subsets')['items'] as SchemaNode;
    expect(nodeAt(alphaSubset, 'patch')).toEqual({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
    expect(Object.keys(alphaSubset['properties'] as object)).toEqual(['name', 'requiredNodeSelectorTerm', 'preferredNodeSelectorTerms', 'tolerations', 'maxReplicas', 'patch']);
    expect(Object.keys(betaSubset['properties'] as object)).toEqual(['name', 'tolerations', 'maxReplicas', 'patch', 'requiredNodeSelector', 'preferredNodeSelector']);
    expect(nodeAt(betaSubset, 'requiredNodeSelector')).toEqual({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
    for (const version of [alpha!, beta!]) {
      expect(Object.keys(nodeAt(version.schema.openAPIV3Schema, 'spec.targetFilter')['properties'] as object)).toEqual(['selector', 'replicasPathList']);
      expect(Object.keys(nodeAt(version.schema.openAPIV3Schema, 'status')['properties'] as object)).toEqual(['observedGeneration', 'subsetStatuses', 'versionedSubsetStatuses']);
    }
  });
});

describe('ContainerRecreateRequest CRD', () => {
  it('is namespaced, v1alpha1 only (storage), short name crr, with OpenKruise’s PHASE/POD/NODE/AGE columns and a status subresource', () => {
    const crd = crdDocument(CRD_KINDS.find((k) => k.kind === 'ContainerRecreateRequest')!) as unknown as Crd & { spec: { scope: string; names: { shortNames: string[] } } };
    expect(crd.spec.scope).toBe('Namespaced');
    expect(crd.spec.names.shortNames).toEqual(['crr']);
    expect(crd.spec.versions.map((v) => [v.name, v.storage])).toEqual([['v1alpha1', true]]);
    expect(crd.spec.versions[0]!.additionalPrinterColumns.map((c) => [c.name, String(c.jsonPath)])).toEqual([
      ['PHASE', '.status.phase'],
      ['POD', '.spec.podName'],
      ['NODE', '.metadata.labels.crr\\.apps\\.kruise\\.io/node-name'],
      ['AGE', '.metadata.creationTimestamp'],
    ]);
    expect(crd.spec.versions[0]!.subresources).toEqual({ status: {} });
    const schema = crd.spec.versions[0]!.schema.openAPIV3Schema;
    expect(nodeAt(schema, 'spec')['required']).toEqual(['podName', 'containers']);
  });
});

describe('PodProbeMarker and NodePodProbe CRDs', () => {
  it('PodProbeMarker is namespaced, NodePodProbe cluster-scoped, both v1alpha1 only (storage) with a status subresource and no printer columns', () => {
    const crdOf = (kind: string) => crdDocument(CRD_KINDS.find((k) => k.kind === kind)!) as unknown as Crd & { spec: { scope: string; names: { shortNames?: string[] } } };
    const ppm = crdOf('PodProbeMarker');
    const npp = crdOf('NodePodProbe');
    expect([ppm.spec.scope, npp.spec.scope]).toEqual(['Namespaced', 'Cluster']);
    expect(ppm.spec.names.shortNames).toEqual(['ppm']);
    for (const crd of [ppm, npp]) {
      expect(crd.spec.versions.map((v) => [v.name, v.storage])).toEqual([['v1alpha1', true]]);
      expect(crd.spec.versions[0]!.subresources).toEqual({ status: {} });
    }
    expect(nodeAt(ppm.spec.versions[0]!.schema.openAPIV3Schema, 'spec')['required']).toEqual(['selector', 'probes']);
    const podProbe = (nodeAt(npp.spec.versions[0]!.schema.openAPIV3Schema, 'spec.podProbes') as { items: SchemaNode }).items;
    expect(podProbe['required']).toEqual(['name', 'namespace', 'uid', 'IP']);
  });
});
