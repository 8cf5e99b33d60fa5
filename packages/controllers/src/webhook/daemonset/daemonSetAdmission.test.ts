import {
  DAEMONSET_HOST_PORT_SURGE_WARNING,
  DAEMONSET_PROGRESSIVE_CREATE_POD_ANNOTATION as PROGRESSIVE,
  DAEMONSET_V1BETA1_FIELDS_ANNOTATION as FIELDS,
  convertDaemonSetToV1alpha1,
  withDaemonSetDefaults,
  type DaemonSet,
} from '@kruise-ts/core';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../runtime/logger.js';
import type { AdmissionDecision, AdmissionRequest } from '../admissionTypes.js';
import { applyJsonPatch } from '../testing/webhook.testkit.js';
import { daemonSetMutatingWebhook, daemonSetValidatingWebhook } from './daemonSetAdmission.js';
import { daemonSetConverter } from './daemonSetConverter.js';

const context = { signal: new AbortController().signal, logger: createLogger({ level: 'silent' }) };

function request(object: unknown, options: { operation?: AdmissionRequest['operation']; oldObject?: unknown; version?: string } = {}): AdmissionRequest {
  const version = options.version ?? 'v1beta1';
  return {
    uid: 'u',
    kind: { group: 'apps.kruise.io', version, kind: 'DaemonSet' },
    resource: { group: 'apps.kruise.io', version, resource: 'daemonsets' },
    operation: options.operation ?? 'CREATE',
    namespace: 'default',
    object,
    oldObject: options.oldObject,
  };
}

function ds(spec: Partial<DaemonSet['spec']> = {}, rest: Pick<DaemonSet, 'status' | 'metadata'> = {}): DaemonSet & { apiVersion: string; kind: string } {
  return {
    apiVersion: 'apps.kruise.io/v1beta1',
    kind: 'DaemonSet',
    metadata: { name: 'agent', namespace: 'default' },
    ...rest,
    spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'agent', image: 'agent:1' }] } }, ...spec },
  };
}

const alphaOf = (object: DaemonSet) => ({ ...convertDaemonSetToV1alpha1(object), apiVersion: 'apps.kruise.io/v1alpha1' });
const mutate = async (req: AdmissionRequest) => daemonSetMutatingWebhook().handle(req, context);
const validate = async (req: AdmissionRequest) => daemonSetValidatingWebhook().handle(req, context);
const message = (d: AdmissionDecision): string => (d.kind === 'deny' ? d.message : '');
const patchOf = (d: AdmissionDecision) => (d.kind === 'allow' ? d.patch : undefined);
const byPath = (d: AdmissionDecision) => [...(patchOf(d) ?? [])].sort((a, b) => a.path.localeCompare(b.path));
const patched = (object: unknown, d: AdmissionDecision): unknown => applyJsonPatch(object, patchOf(d) ?? []);

describe('Advanced DaemonSet mutating webhook', () => {
  it('patches a v1beta1 set on CREATE to OpenKruise’s defaults, template and status untouched', async () => {
    const object = ds({}, { status: { numberReady: 1, updateRevision: 'agent-1' } });
    const decision = await mutate(request(object));
    expect(byPath(decision)).toEqual([
      { op: 'add', path: '/spec/burstReplicas', value: 250 },
      { op: 'add', path: '/spec/revisionHistoryLimit', value: 10 },
      { op: 'add', path: '/spec/updateStrategy', value: { type: 'RollingUpdate', rollingUpdate: { rollingUpdateType: 'Standard', maxUnavailable: 1, maxSurge: 0 } } },
    ]);
    expect(patched(object, decision)).toEqual(withDaemonSetDefaults(object));
  });

  it.each<[string, Partial<DaemonSet['spec']>, unknown]>([
    ['maxSurge alone keeps maxUnavailable unset', { updateStrategy: { rollingUpdate: { maxSurge: '10%' } } }, { type: 'RollingUpdate', rollingUpdate: { maxSurge: '10%', rollingUpdateType: 'Standard' } }],
    ['OnDelete gets no rollingUpdate', { updateStrategy: { type: 'OnDelete' } }, { type: 'OnDelete' }],
  ])('defaults the update strategy: %s', async (_story, spec, expected) => {
    const object = ds(spec);
    expect((patched(object, await mutate(request(object))) as DaemonSet).spec.updateStrategy).toEqual(expected);
  });

  it('returns no patch for a set already defaulted, on UPDATE as on CREATE', async () => {
    const stored = withDaemonSetDefaults(ds());
    expect(await mutate(request(stored))).toEqual({ kind: 'allow' });
    expect(await mutate(request({ ...stored, spec: { ...stored.spec, minReadySeconds: 5 } }, { operation: 'UPDATE', oldObject: stored }))).toEqual({ kind: 'allow' });
  });

  it('defaults a v1alpha1 set in v1alpha1 terms: the progressive annotation and the v1beta1-fields one as sent, daemonSetHash kept', async () => {
    const object = alphaOf(ds({ scaleStrategy: { partitionedScaling: true, future: 1 } }, { metadata: { name: 'agent' }, status: { updateRevision: 'agent-1' } }));
    expect(object.metadata?.annotations).toEqual({ [PROGRESSIVE]: 'true', [FIELDS]: '{"spec":{"scaleStrategy":{"future":1}}}' });
    const decision = await mutate(request(object, { version: 'v1alpha1' }));
    expect(byPath(decision)).toEqual([
      { op: 'add', path: '/spec/burstReplicas', value: 250 },
      { op: 'add', path: '/spec/revisionHistoryLimit', value: 10 },
      { op: 'add', path: '/spec/updateStrategy', value: { type: 'RollingUpdate', rollingUpdate: { rollingUpdateType: 'Standard', maxUnavailable: 1, maxSurge: 0 } } },
    ]);
  });

  it('turns a v1alpha1 Surging into Standard that keeps surging (maxSurge 1, maxUnavailable 0), as OpenKruise’s v1alpha1 defaulting', async () => {
    const object = { ...ds({ updateStrategy: { rollingUpdate: { rollingUpdateType: 'Surging' } } } as unknown as Partial<DaemonSet['spec']>), apiVersion: 'apps.kruise.io/v1alpha1' };
    const after = patched(object, await mutate(request(object, { version: 'v1alpha1' }))) as DaemonSet;
    expect(after.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { rollingUpdateType: 'Standard', maxSurge: 1, maxUnavailable: 0 } });
  });

  it('denies an object that cannot be read, with code 400 and the fields', async () => {
    const decision = await mutate(request({ apiVersion: 'apps.kruise.io/v1beta1', kind: 'DaemonSet', spec: { burstReplicas: true } }));
    expect(decision).toMatchObject({ kind: 'deny', code: 400, reason: 'BadRequest' });
    expect(message(decision)).toBe('cannot read the DaemonSet: spec.selector: Required value; spec.template: Required value; spec.burstReplicas: Invalid input');
  });
});

describe('Advanced DaemonSet validating webhook', () => {
  const RU = 'spec.updateStrategy.rollingUpdate';
  it.each<[string, DaemonSet, string]>([
    ['maxUnavailable and maxSurge both 0', ds({ updateStrategy: { rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } } }), `${RU}.maxUnavailable: Required value: cannot be 0 when maxSurge is 0`],
    ['maxUnavailable and maxSurge both set', ds({ updateStrategy: { rollingUpdate: { maxUnavailable: 1, maxSurge: '10%' } } }), `${RU}.maxSurge: may not be set when maxUnavailable is non-zero`],
    ['a surge in place', ds({ updateStrategy: { rollingUpdate: { rollingUpdateType: 'InPlaceIfPossible', maxSurge: 1 } } }), `${RU}.maxSurge: Required value: must be 0 for InPlaceIfPossible type`],
    ['a selector that does not match the template', ds({ selector: { matchLabels: { app: 'other' } } }), 'spec.template.metadata.labels: `selector` does not match template `labels`'],
    ['an inPlaceUpdate hook', ds({ lifecycle: { inPlaceUpdate: {} } }), 'spec.lifecycle.inPlaceUpdate: Forbidden: inPlaceUpdate hook has not supported yet'],
  ])('refuses %s on CREATE, naming the field', async (_story, object, expected) => {
    const decision = await validate(request(object));
    expect(decision).toMatchObject({ kind: 'deny', code: 422, reason: 'Invalid' });
    expect(message(decision)).toContain(expected);
  });

  it('admits a valid set, and a v1alpha1 one validated in its v1beta1 form', async () => {
    expect(await validate(request(withDaemonSetDefaults(ds())))).toEqual({ kind: 'allow' });
    const alpha = alphaOf(ds({ minReadySeconds: -1 }));
    expect(message(await validate(request(alpha, { version: 'v1alpha1' })))).toBe('spec.minReadySeconds: must be greater than or equal to 0');
  });

  it('warns of a surge with host ports, as OpenKruise’s GetDaemonSetWarnings', async () => {
    const object = ds({
      updateStrategy: { rollingUpdate: { maxSurge: 1 } },
      template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'agent', image: 'agent:1', ports: [{ containerPort: 9100, hostPort: 9100 }] }] } },
    });
    expect(await validate(request(object))).toEqual({ kind: 'allow', warnings: [DAEMONSET_HOST_PORT_SURGE_WARNING] });
  });

  it('refuses a selector change on UPDATE, and allows a new image, strategy, burst, scale strategy and hooks', async () => {
    const old = withDaemonSetDefaults(ds());
    const selector = { matchLabels: { app: 'agent', tier: 'x' } };
    const reselected = { ...old, spec: { ...old.spec, selector, template: { ...old.spec.template, metadata: { labels: selector.matchLabels } } } };
    expect(message(await validate(request(reselected, { operation: 'UPDATE', oldObject: old })))).toMatch(/^spec\.selector: Forbidden: updates to daemonset spec for fields other than 'BurstReplicas', 'template'/);
    const changed = {
      ...old,
      spec: {
        ...old.spec,
        burstReplicas: '10%',
        template: { ...old.spec.template, spec: { containers: [{ name: 'agent', image: 'agent:2' }] } },
        updateStrategy: { type: 'RollingUpdate' as const, rollingUpdate: { rollingUpdateType: 'InPlaceIfPossible' as const, maxUnavailable: '20%', partition: 2 } },
        scaleStrategy: { partitionedScaling: true },
        lifecycle: { preDelete: { finalizersHandler: ['example.com/drain'] } },
      },
    };
    expect(await validate(request(changed, { operation: 'UPDATE', oldObject: old }))).toEqual({ kind: 'allow' });
  });

  it('admits DELETE', async () => {
    expect(await validate(request(undefined, { operation: 'DELETE', oldObject: ds() }))).toEqual({ kind: 'allow' });
  });
});

describe('Advanced DaemonSet converter', () => {
  it('converts v1beta1 down with partitionedScaling as the progressive annotation and updateRevision as daemonSetHash, and back unchanged', () => {
    const beta = ds({ scaleStrategy: { partitionedScaling: true }, burstReplicas: 10 }, { metadata: { name: 'agent' }, status: { updateRevision: 'agent-1', numberReady: 3 } });
    const down = daemonSetConverter.convert(beta, 'apps.kruise.io/v1alpha1');
    expect(down).toEqual({
      kind: 'converted',
      object: { ...beta, apiVersion: 'apps.kruise.io/v1alpha1', metadata: { name: 'agent', annotations: { [PROGRESSIVE]: 'true' } }, spec: { ...beta.spec, scaleStrategy: undefined }, status: { daemonSetHash: 'agent-1', numberReady: 3 } },
    });
    const up = down.kind === 'converted' ? daemonSetConverter.convert(down.object, 'apps.kruise.io/v1beta1') : down;
    expect(up).toEqual({ kind: 'converted', object: beta });
  });

  it('fails with the field when the object cannot be read, and refuses unknown versions', () => {
    expect(daemonSetConverter.convert({ apiVersion: 'apps.kruise.io/v1beta1', kind: 'DaemonSet', spec: { burstReplicas: true } }, 'apps.kruise.io/v1alpha1')).toMatchObject({
      kind: 'failed',
      message: expect.stringMatching(/^cannot read the DaemonSet: spec\.selector: Required value/) as unknown,
    });
    expect(daemonSetConverter.convert({ apiVersion: 'apps.kruise.io/v2', kind: 'DaemonSet' }, 'apps.kruise.io/v1alpha1')).toEqual({ kind: 'failed', message: 'cannot convert a DaemonSet from apps.kruise.io/v2 to apps.kruise.io/v1alpha1' });
    expect(daemonSetConverter.convert(ds(), 'apps.kruise.io/v1beta1')).toEqual({ kind: 'converted', object: ds() });
  });
});
