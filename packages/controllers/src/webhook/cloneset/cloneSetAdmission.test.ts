import { readFileSync } from 'node:fs';
import { withCloneSetDefaults, withPodTemplateDefaults, withVolumeClaimTemplateDefaults, type CloneSet, type PersistentVolumeClaim, type Pod } from '@kruise-ts/core';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createLogger } from '../../runtime/logger.js';
import type { AdmissionDecision, AdmissionRequest } from '../admissionTypes.js';
import { applyJsonPatch } from '../testing/webhook.testkit.js';
import { cloneSetMutatingWebhook, cloneSetValidatingWebhook } from './cloneSetAdmission.js';
import { cloneSetConverter } from './cloneSetConverter.js';

const context = { signal: new AbortController().signal, logger: createLogger({ level: 'silent' }) };
const seed = parse(readFileSync(new URL('../../../../../examples/plan-only/cloneset.yaml', import.meta.url), 'utf8')) as Record<string, unknown>;

function request(object: unknown, options: { operation?: AdmissionRequest['operation']; oldObject?: unknown; version?: string } = {}): AdmissionRequest {
  const version = options.version ?? 'v1beta1';
  return {
    uid: 'u',
    kind: { group: 'apps.kruise.io', version, kind: 'CloneSet' },
    resource: { group: 'apps.kruise.io', version, resource: 'clonesets' },
    operation: options.operation ?? 'CREATE',
    namespace: 'default',
    object,
    oldObject: options.oldObject,
  };
}

function cloneSet(spec: Partial<CloneSet['spec']> = {}, uid = 'cs-uid'): CloneSet & { apiVersion: string; kind: string } {
  return {
    apiVersion: 'apps.kruise.io/v1beta1',
    kind: 'CloneSet',
    metadata: { name: 'web', namespace: 'default', uid },
    spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx:1' }] } }, ...spec },
  };
}

type Gates = NonNullable<Parameters<typeof cloneSetMutatingWebhook>[0]>['featureGates'];
const mutate = async (req: AdmissionRequest, featureGates?: Gates) => cloneSetMutatingWebhook({ featureGates }).handle(req, context);
const validate = async (req: AdmissionRequest, lookupPod?: (ns: string, name: string) => Promise<Pod | undefined>) => cloneSetValidatingWebhook({ lookupPod }).handle(req, context);
const message = (d: AdmissionDecision): string => (d.kind === 'deny' ? d.message : '');
const patched = (object: unknown, d: AdmissionDecision): unknown => applyJsonPatch(object, d.kind === 'allow' ? (d.patch ?? []) : []);
/** The CloneSet OpenKruise stores for `object` on CREATE: its defaults and the template defaults. */
const stored = (object: CloneSet): CloneSet => withCloneSetDefaults({ ...object, spec: { ...object.spec, template: withPodTemplateDefaults(object.spec.template) } });
const withImage = (object: CloneSet, image: string): CloneSet => ({
  ...object,
  spec: { ...object.spec, template: { ...object.spec.template, spec: { ...object.spec.template.spec, containers: object.spec.template.spec.containers.map((c) => ({ ...c, image })) } } },
});

describe('CloneSet mutating webhook', () => {
  it('patches a v1beta1 CloneSet on CREATE to withCloneSetDefaults with the pod template defaults', async () => {
    const object = cloneSet();
    const decision = await mutate(request(object));
    expect(decision.kind).toBe('allow');
    expect(patched(object, decision)).toEqual(stored(object));
    expect((patched(object, decision) as CloneSet).spec.template.spec).toEqual({
      containers: [{ name: 'app', image: 'nginx:1', imagePullPolicy: 'Always', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' }],
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      securityContext: {},
      schedulerName: 'default-scheduler',
    });
  });

  it('writes the empty defaults too: securityContext {} and emptyDir {} for a volume without a source', async () => {
    const object = cloneSet({ template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx:1' }], volumes: [{ name: 'scratch' }] } } });
    const decision = await mutate(request(object));
    const ops = decision.kind === 'allow' ? (decision.patch ?? []) : [];
    expect(ops).toContainEqual({ op: 'add', path: '/spec/template/spec/securityContext', value: {} });
    expect(ops).toContainEqual({ op: 'add', path: '/spec/template/spec/volumes/0/emptyDir', value: {} });
    expect((patched(object, decision) as CloneSet).spec.template.spec.volumes).toEqual([{ name: 'scratch', emptyDir: {} }]);
  });

  it('defaults volumeClaimTemplates with the template: status.phase Pending', async () => {
    const claim: PersistentVolumeClaim = { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'] } };
    const object = cloneSet({ volumeClaimTemplates: [claim] });
    expect((patched(object, await mutate(request(object))) as CloneSet).spec.volumeClaimTemplates).toEqual([withVolumeClaimTemplateDefaults(claim)]);
    expect(withVolumeClaimTemplateDefaults(claim).status).toEqual({ phase: 'Pending' });
  });

  it('defaults the seed v1alpha1 CloneSet in v1alpha1 terms: its defaults, the template and claim defaults, nothing else', async () => {
    const decision = await mutate(request(seed, { version: 'v1alpha1' }));
    const ops = decision.kind === 'allow' ? (decision.patch ?? []) : [];
    expect(ops.filter((op) => !op.path.startsWith('/spec/template/') && !op.path.startsWith('/spec/volumeClaimTemplates/'))).toEqual([
      { op: 'add', path: '/spec/revisionHistoryLimit', value: 10 },
      { op: 'add', path: '/spec/updateStrategy', value: { partition: 0, maxUnavailable: '20%', maxSurge: 0, type: 'ReCreate' } },
    ]);
    const after = patched(seed, decision) as CloneSet;
    expect(after.spec.template).toEqual(withPodTemplateDefaults((seed as unknown as CloneSet).spec.template));
    expect(after.spec.template.spec.containers.map((c) => c.imagePullPolicy)).toEqual(['Always', 'Always']);
    expect(after.spec.volumeClaimTemplates?.map((c) => c.status)).toEqual([{ phase: 'Pending' }]);
  });

  it('returns no patch for a CloneSet already defaulted, template included', async () => {
    expect(await mutate(request(stored(cloneSet())))).toEqual({ kind: 'allow' });
  });

  it('on UPDATE defaults a changed template, and leaves an unchanged one (even undefaulted) alone', async () => {
    const old = stored(cloneSet());
    const changed = withImage(old, 'nginx:2');
    expect(patched(changed, await mutate(request(changed, { operation: 'UPDATE', oldObject: old })))).toEqual(changed);
    // A template replaced by one without defaults gets them again.
    const bare = withImage(cloneSet(), 'nginx:2');
    expect(patched(bare, await mutate(request(bare, { operation: 'UPDATE', oldObject: old })))).toEqual(stored(bare));
    // An old CloneSet stored without template defaults, updated elsewhere: the template stays as it is.
    const undefaulted = withCloneSetDefaults(cloneSet());
    const scaled = { ...undefaulted, spec: { ...undefaulted.spec, replicas: 3 } };
    expect(await mutate(request(scaled, { operation: 'UPDATE', oldObject: undefaulted }))).toEqual({ kind: 'allow' });
  });

  it('with TemplateNoDefaults leaves the template and claims as written, on CREATE and UPDATE', async () => {
    const object = cloneSet({ volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: {} }] });
    const gates = { TemplateNoDefaults: true };
    expect(patched(object, await mutate(request(object), gates))).toEqual(withCloneSetDefaults(object));
    const changed = withImage(withCloneSetDefaults(object), 'nginx:2');
    expect(await mutate(request(changed, { operation: 'UPDATE', oldObject: withCloneSetDefaults(object) }), gates)).toEqual({ kind: 'allow' });
  });

  it('with DefaultHostNetworkHostPortsInPodTemplates gives a hostNetwork template hostPorts', async () => {
    const spec = { hostNetwork: true, containers: [{ name: 'app', image: 'nginx:1', ports: [{ containerPort: 80 }] }] };
    const object = cloneSet({ template: { metadata: { labels: { app: 'web' } }, spec } });
    const portsOf = (d: AdmissionDecision) => (patched(object, d) as CloneSet).spec.template.spec.containers[0]?.ports;
    expect(portsOf(await mutate(request(object)))).toEqual([{ containerPort: 80, protocol: 'TCP' }]);
    expect(portsOf(await mutate(request(object), { DefaultHostNetworkHostPortsInPodTemplates: true }))).toEqual([{ containerPort: 80, protocol: 'TCP', hostPort: 80 }]);
  });

  it('denies an object that cannot be read, with code 400 and the fields', async () => {
    const decision = await mutate(request({ apiVersion: 'apps.kruise.io/v1beta1', kind: 'CloneSet', spec: { replicas: 'three' } }));
    expect(decision).toMatchObject({ kind: 'deny', code: 400, reason: 'BadRequest' });
    expect(message(decision)).toMatch(/^cannot read the CloneSet: spec\.replicas: .*; spec\.selector: Required value; spec\.template: Required value$/);
  });

  it('denies an UPDATE whose old object cannot be read, with code 400', async () => {
    const decision = await mutate(request(cloneSet(), { operation: 'UPDATE', oldObject: { apiVersion: 'apps.kruise.io/v1beta1', kind: 'CloneSet', spec: {} } }));
    expect(decision).toMatchObject({ kind: 'deny', code: 400 });
  });
});

describe('CloneSet validating webhook', () => {
  it.each([
    ['negative replicas', cloneSet({ replicas: -1 }), 'spec.replicas'],
    ['selector not matching the template', cloneSet({ selector: { matchLabels: { app: 'other' } } }), 'spec.template.metadata.labels: `selector` does not match template `labels`'],
    ['a numeric string maxUnavailable', cloneSet({ updateStrategy: { rollingUpdate: { maxUnavailable: '5' } } }), 'spec.updateStrategy.rollingUpdate.maxUnavailable'],
    ['activeDeadlineSeconds in the template', cloneSet({ template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx' }], activeDeadlineSeconds: 5 } } }), 'spec.template.spec.activeDeadlineSeconds'],
  ])('refuses %s on CREATE, naming the field', async (_story, object, field) => {
    const decision = await validate(request(object));
    expect(decision).toMatchObject({ kind: 'deny', code: 422, reason: 'Invalid' });
    expect(message(decision)).toContain(field);
    expect(decision.kind === 'deny' && decision.causes?.length).toBeGreaterThan(0);
  });

  it('names fields as a v1alpha1 user wrote them', async () => {
    const object = { ...seed, spec: { ...(seed.spec as object), updateStrategy: { type: 'InPlaceOnly', partition: -1 } } };
    const decision = await validate(request(object, { version: 'v1alpha1' }));
    expect(message(decision)).toContain('spec.updateStrategy.partition: ');
    expect(message(decision)).not.toContain('rollingUpdate');
  });

  it('admits the seed v1alpha1 CloneSet (its podsToDelete names a pod that does not exist)', async () => {
    expect(await validate(request(seed, { version: 'v1alpha1' }), () => Promise.resolve(undefined))).toEqual({ kind: 'allow' });
  });

  it('refuses a selector change on UPDATE', async () => {
    const old = cloneSet();
    const next = cloneSet({ selector: { matchLabels: { app: 'web', tier: 'x' } }, template: { metadata: { labels: { app: 'web', tier: 'x' } }, spec: old.spec.template.spec } });
    expect(message(await validate(request(next, { operation: 'UPDATE', oldObject: old })))).toMatch(/^spec\.selector: field is immutable/);
  });

  it('refuses with InPlaceOnly a template change that cannot be done in place, but admits an image change', async () => {
    const inPlaceOnly = { type: 'RollingUpdate' as const, rollingUpdate: { podUpdatePolicy: 'InPlaceOnly' as const } };
    const old = cloneSet({ updateStrategy: inPlaceOnly });
    const withEnv = cloneSet({ updateStrategy: inPlaceOnly, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx:1', env: [{ name: 'A', value: '1' }] }] } } });
    expect(message(await validate(request(withEnv, { operation: 'UPDATE', oldObject: old })))).toContain('spec.template.spec.containers[0].env: only container images may change with podUpdatePolicy InPlaceOnly');
    const newImage = cloneSet({ updateStrategy: inPlaceOnly, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx:2' }] } } });
    expect(await validate(request(newImage, { operation: 'UPDATE', oldObject: old }))).toEqual({ kind: 'allow' });
  });

  it('checks names added to podsToDelete against the cluster', async () => {
    const pods: Record<string, Pod> = {
      mine: { metadata: { name: 'mine', ownerReferences: [{ apiVersion: 'apps.kruise.io/v1beta1', kind: 'CloneSet', name: 'web', uid: 'cs-uid', controller: true }] }, spec: { containers: [] } },
      foreign: { metadata: { name: 'foreign', ownerReferences: [{ apiVersion: 'apps.kruise.io/v1beta1', kind: 'CloneSet', name: 'x', uid: 'other', controller: true }] }, spec: { containers: [] } },
      leaving: { metadata: { name: 'leaving', deletionTimestamp: '2026-01-01T00:00:00Z' }, spec: { containers: [] } },
    };
    const lookup = (_ns: string, name: string) => Promise.resolve(pods[name]);
    const withDeletes = (names: string[]) => cloneSet({ scaleStrategy: { podsToDelete: names } });
    expect(await validate(request(withDeletes(['mine', 'gone'])), lookup)).toEqual({ kind: 'allow' });
    expect(message(await validate(request(withDeletes(['foreign', 'leaving'])), lookup))).toBe('spec.scaleStrategy.podsToDelete: pod foreign is not owned by this CloneSet; spec.scaleStrategy.podsToDelete: pod leaving is already terminating');
    // Names already there before the update are not checked again.
    expect(await validate(request(withDeletes(['foreign']), { operation: 'UPDATE', oldObject: withDeletes(['foreign']) }), lookup)).toEqual({ kind: 'allow' });
  });

  it('admits DELETE', async () => {
    expect(await validate(request(undefined, { operation: 'DELETE', oldObject: cloneSet() }))).toEqual({ kind: 'allow' });
  });
});

describe('CloneSet converter', () => {
  it('round-trips the seed v1alpha1 CloneSet through v1beta1 unchanged', () => {
    const up = cloneSetConverter.convert(seed, 'apps.kruise.io/v1beta1');
    expect(up).toMatchObject({ kind: 'converted', object: { apiVersion: 'apps.kruise.io/v1beta1', spec: { scaleStrategy: { podsToDelete: ['cloneset-dev-r25n8'], enablePVCReuse: true } } } });
    const down = up.kind === 'converted' ? cloneSetConverter.convert(up.object, 'apps.kruise.io/v1alpha1') : up;
    expect(down).toEqual({ kind: 'converted', object: seed });
  });

  it('fails with the field when the object cannot be read, and refuses unknown versions', () => {
    expect(cloneSetConverter.convert({ apiVersion: 'apps.kruise.io/v1beta1', kind: 'CloneSet', spec: { replicas: 'x' } }, 'apps.kruise.io/v1alpha1')).toMatchObject({ kind: 'failed', message: expect.stringMatching(/^cannot read the CloneSet: spec\.replicas/) as unknown });
    expect(cloneSetConverter.convert({ apiVersion: 'apps.kruise.io/v2', kind: 'CloneSet' }, 'apps.kruise.io/v1alpha1')).toEqual({ kind: 'failed', message: 'cannot convert a CloneSet from apps.kruise.io/v2 to apps.kruise.io/v1alpha1' });
  });
});
