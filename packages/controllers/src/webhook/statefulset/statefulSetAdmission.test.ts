import {
  STATEFULSET_V1BETA1_FIELDS_ANNOTATION as FIELDS,
  convertStatefulSetToV1alpha1,
  withPodTemplateDefaults,
  withStatefulSetDefaults,
  withVolumeClaimTemplateDefaults,
  type StatefulSet,
} from '@kruise-ts/core';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../runtime/logger.js';
import type { AdmissionDecision, AdmissionRequest } from '../admissionTypes.js';
import { applyJsonPatch } from '../testing/webhook.testkit.js';
import { statefulSetMutatingWebhook, statefulSetValidatingWebhook, type StatefulSetMutatingOptions } from './statefulSetAdmission.js';
import { statefulSetConverter } from './statefulSetConverter.js';

const context = { signal: new AbortController().signal, logger: createLogger({ level: 'silent' }) };

function request(object: unknown, options: { operation?: AdmissionRequest['operation']; oldObject?: unknown; version?: string } = {}): AdmissionRequest {
  const version = options.version ?? 'v1beta1';
  return {
    uid: 'u',
    kind: { group: 'apps.kruise.io', version, kind: 'StatefulSet' },
    resource: { group: 'apps.kruise.io', version, resource: 'statefulsets' },
    operation: options.operation ?? 'CREATE',
    namespace: 'default',
    object,
    oldObject: options.oldObject,
  };
}

function sts(spec: Partial<StatefulSet['spec']> = {}, rest: Pick<StatefulSet, 'status'> = {}): StatefulSet & { apiVersion: string; kind: string } {
  return {
    apiVersion: 'apps.kruise.io/v1beta1',
    kind: 'StatefulSet',
    metadata: { name: 'db', namespace: 'default' },
    ...rest,
    spec: { serviceName: 'db', selector: { matchLabels: { app: 'db' } }, template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'mysql:8' }] } }, ...spec },
  };
}

const mutate = async (req: AdmissionRequest, featureGates?: StatefulSetMutatingOptions['featureGates']) => statefulSetMutatingWebhook({ featureGates }).handle(req, context);
const validate = async (req: AdmissionRequest) => statefulSetValidatingWebhook().handle(req, context);
const message = (d: AdmissionDecision): string => (d.kind === 'deny' ? d.message : '');
const patched = (object: unknown, d: AdmissionDecision): unknown => applyJsonPatch(object, d.kind === 'allow' ? (d.patch ?? []) : []);
/** What OpenKruise stores for `object` on CREATE: its defaults and the template defaults. */
const stored = (object: StatefulSet): StatefulSet => withStatefulSetDefaults({ ...object, spec: { ...object.spec, template: withPodTemplateDefaults(object.spec.template) } });
const withImage = (object: StatefulSet, image: string): StatefulSet => ({
  ...object,
  spec: { ...object.spec, template: { ...object.spec.template, spec: { ...object.spec.template.spec, containers: object.spec.template.spec.containers.map((c) => ({ ...c, image })) } } },
});

describe('Advanced StatefulSet mutating webhook', () => {
  it('patches a v1beta1 set on CREATE to OpenKruise’s defaults with the pod template defaults', async () => {
    const object = sts();
    const decision = await mutate(request(object));
    const after = patched(object, decision) as StatefulSet;
    expect(after).toEqual(stored(object));
    expect(after.spec).toMatchObject({
      replicas: 1,
      revisionHistoryLimit: 10,
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0, maxUnavailable: 1, podUpdatePolicy: 'ReCreate', minReadySeconds: 0 } },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
    });
    expect(after.spec.template.spec).toMatchObject({ restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', securityContext: {}, containers: [{ imagePullPolicy: 'Always' }] });
  });

  it('defaults volumeClaimTemplates with the template, and drops a status sent with the object', async () => {
    const claim = { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'] } };
    const object = sts({ volumeClaimTemplates: [claim] }, { status: { replicas: 3 } });
    const after = patched(object, await mutate(request(object))) as StatefulSet;
    expect(after.spec.volumeClaimTemplates).toEqual([withVolumeClaimTemplateDefaults(claim)]);
    expect(after.status).toBeUndefined();
  });

  it('returns no patch for a set already defaulted, template included', async () => {
    expect(await mutate(request(stored(sts())))).toEqual({ kind: 'allow' });
  });

  it('on UPDATE defaults a changed template only', async () => {
    const old = stored(sts());
    const changed = withImage(old, 'mysql:8.4');
    expect(patched(changed, await mutate(request(changed, { operation: 'UPDATE', oldObject: old })))).toEqual(changed);
    const undefaulted = withStatefulSetDefaults(sts());
    const scaled = { ...undefaulted, spec: { ...undefaulted.spec, replicas: 3 } };
    expect(await mutate(request(scaled, { operation: 'UPDATE', oldObject: undefaulted }))).toEqual({ kind: 'allow' });
  });

  it.each<[string, StatefulSetMutatingOptions['featureGates'], Partial<StatefulSet['spec']>]>([
    ['TemplateNoDefaults leaves the template as written', { TemplateNoDefaults: true }, { template: sts().spec.template }],
    ['StatefulSetAutoDeletePVC off adds no retention policy', { StatefulSetAutoDeletePVC: false }, { persistentVolumeClaimRetentionPolicy: undefined }],
    ['StatefulSetAutoResizePVCGate on defaults volumeClaimUpdateStrategy OnDelete', { StatefulSetAutoResizePVCGate: true }, { volumeClaimUpdateStrategy: { type: 'OnDelete' } }],
  ])('with gates: %s', async (_story, gates, expected) => {
    const object = sts();
    const after = patched(object, await mutate(request(object), gates)) as StatefulSet;
    for (const [key, value] of Object.entries(expected)) expect(after.spec[key]).toEqual(value);
  });

  it('defaults a v1alpha1 set in v1alpha1 terms: no v1beta1-only default, the annotation as sent', async () => {
    const object = { ...convertStatefulSetToV1alpha1(sts({ reserveOrdinals: [1] })), apiVersion: 'apps.kruise.io/v1alpha1' };
    const decision = await mutate(request(object, { version: 'v1alpha1' }), { TemplateNoDefaults: true });
    expect(decision.kind === 'allow' ? decision.patch : undefined).toEqual([
      { op: 'add', path: '/spec/podManagementPolicy', value: 'OrderedReady' },
      { op: 'add', path: '/spec/replicas', value: 1 },
      { op: 'add', path: '/spec/revisionHistoryLimit', value: 10 },
      { op: 'add', path: '/spec/updateStrategy', value: { type: 'RollingUpdate', rollingUpdate: { partition: 0, maxUnavailable: 1, podUpdatePolicy: 'ReCreate', minReadySeconds: 0 } } },
    ]);
    expect((patched(object, decision) as StatefulSet).metadata?.annotations).toEqual({ [FIELDS]: '{"spec":{"reserveOrdinals":[1]}}' });
  });

  it('denies an object that cannot be read, with code 400 and the fields', async () => {
    const decision = await mutate(request({ apiVersion: 'apps.kruise.io/v1beta1', kind: 'StatefulSet', spec: { replicas: 'three' } }));
    expect(decision).toMatchObject({ kind: 'deny', code: 400, reason: 'BadRequest' });
    expect(message(decision)).toMatch(/^cannot read the StatefulSet: spec\.replicas: .*; spec\.selector: Required value; spec\.template: Required value$/);
  });
});

describe('Advanced StatefulSet validating webhook', () => {
  it.each([
    ['negative replicas', sts({ replicas: -1 }), 'spec.replicas: must be greater than or equal to 0'],
    ['a selector that does not match the template', sts({ selector: { matchLabels: { app: 'other' } } }), 'spec.template.metadata.labels: `selector` does not match template `labels`'],
    ['maxUnavailable 2 with OrderedReady', sts({ updateStrategy: { rollingUpdate: { maxUnavailable: 2 } } }), 'spec.updateStrategy.rollingUpdate.maxUnavailable: can only work with Parallel PodManagementPolicyType'],
    ['a backwards reserved range', sts({ reserveOrdinals: ['5-2'] }), 'spec.reserveOrdinals[0]: '],
    ['minReadySeconds 301', sts({ updateStrategy: { rollingUpdate: { minReadySeconds: 301 } } }), 'spec.updateStrategy.rollingUpdate.minReadySeconds: must be no more than 300 seconds'],
  ])('refuses %s on CREATE, naming the field', async (_story, object, expected) => {
    const decision = await validate(request(object));
    expect(decision).toMatchObject({ kind: 'deny', code: 422, reason: 'Invalid' });
    expect(message(decision)).toContain(expected);
  });

  it('admits a valid set, and a v1alpha1 one validated in its v1beta1 form', async () => {
    expect(await validate(request(stored(sts())))).toEqual({ kind: 'allow' });
    const alpha = convertStatefulSetToV1alpha1(sts({ reserveOrdinals: [-1] }));
    expect(message(await validate(request(alpha, { version: 'v1alpha1' })))).toBe('spec.reserveOrdinals[0]: reserve ordinal -1 is negative');
  });

  it('refuses a serviceName change on UPDATE, and with InPlaceOnly a template change other than an image', async () => {
    const old = stored(sts());
    expect(message(await validate(request({ ...old, spec: { ...old.spec, serviceName: 'other' } }, { operation: 'UPDATE', oldObject: old })))).toMatch(/^spec\.serviceName: Forbidden: updates to statefulset spec for fields other than 'replicas'/);
    const inPlaceOnly = stored(sts({ updateStrategy: { rollingUpdate: { podUpdatePolicy: 'InPlaceOnly' } }, template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'mysql:8' }], readinessGates: [{ conditionType: 'InPlaceUpdateReady' }] } } }));
    expect(await validate(request(withImage(inPlaceOnly, 'mysql:8.4'), { operation: 'UPDATE', oldObject: inPlaceOnly }))).toEqual({ kind: 'allow' });
    const withEnv = { ...inPlaceOnly, spec: { ...inPlaceOnly.spec, template: { ...inPlaceOnly.spec.template, spec: { ...inPlaceOnly.spec.template.spec, containers: [{ ...inPlaceOnly.spec.template.spec.containers[0]!, env: [{ name: 'A', value: '1' }] }] } } } };
    expect(message(await validate(request(withEnv, { operation: 'UPDATE', oldObject: inPlaceOnly })))).toContain('spec.template.spec.containers[0].env: only container images may change with podUpdatePolicy InPlaceOnly');
  });

  it('admits DELETE', async () => {
    expect(await validate(request(undefined, { operation: 'DELETE', oldObject: sts() }))).toEqual({ kind: 'allow' });
  });
});

describe('Advanced StatefulSet converter', () => {
  it('converts v1beta1 down with the v1beta1-only fields in the annotation, and back unchanged', () => {
    const beta = sts({ replicas: 3, reserveOrdinals: [1, '3-4'], lifecycle: { preDelete: { labelsHandler: { hold: 'true' } } } }, { status: { replicas: 3, updatedReadyReplicas: 3 } });
    const down = statefulSetConverter.convert(beta, 'apps.kruise.io/v1alpha1');
    expect(down).toMatchObject({
      kind: 'converted',
      object: {
        apiVersion: 'apps.kruise.io/v1alpha1',
        metadata: { annotations: { [FIELDS]: '{"spec":{"reserveOrdinals":[1,"3-4"],"lifecycle":{"preDelete":{"labelsHandler":{"hold":"true"}}}},"status":{"updatedReadyReplicas":3}}' } },
        status: { replicas: 3 },
      },
    });
    const up = down.kind === 'converted' ? statefulSetConverter.convert(down.object, 'apps.kruise.io/v1beta1') : down;
    expect(up).toEqual({ kind: 'converted', object: beta });
  });

  it('fails with the field when the object cannot be read, and refuses unknown versions', () => {
    expect(statefulSetConverter.convert({ apiVersion: 'apps.kruise.io/v1beta1', kind: 'StatefulSet', spec: { replicas: 'x' } }, 'apps.kruise.io/v1alpha1')).toMatchObject({ kind: 'failed', message: expect.stringMatching(/^cannot read the StatefulSet: spec\.replicas/) as unknown });
    expect(statefulSetConverter.convert({ apiVersion: 'apps.kruise.io/v2', kind: 'StatefulSet' }, 'apps.kruise.io/v1alpha1')).toEqual({ kind: 'failed', message: 'cannot convert a StatefulSet from apps.kruise.io/v2 to apps.kruise.io/v1alpha1' });
    expect(statefulSetConverter.convert(sts(), 'apps.kruise.io/v1beta1')).toEqual({ kind: 'converted', object: sts() });
  });
});
