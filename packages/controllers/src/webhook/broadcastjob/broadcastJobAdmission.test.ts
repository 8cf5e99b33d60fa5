import { withBroadcastJobDefaults, type BroadcastJob } from '@kruise-ts/core';
import { aBroadcastJob } from '@kruise-ts/core/testing';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../runtime/logger.js';
import type { AdmissionDecision, AdmissionRequest } from '../admissionTypes.js';
import { applyJsonPatch, kruiseAdmissionRequest, type KruiseAdmissionRequestOptions } from '../testing/webhook.testkit.js';
import { broadcastJobMutatingWebhook, broadcastJobValidatingWebhook } from './broadcastJobAdmission.js';
import { broadcastJobConverter } from './broadcastJobConverter.js';

const context = { signal: new AbortController().signal, logger: createLogger({ level: 'silent' }) };

const request = (object: unknown, options: KruiseAdmissionRequestOptions = {}): AdmissionRequest => kruiseAdmissionRequest('BroadcastJob', 'broadcastjobs', object, options);
const alphaOf = (object: BroadcastJob) => ({ ...object, apiVersion: 'apps.kruise.io/v1alpha1' });
const mutate = async (req: AdmissionRequest, gates = {}) => broadcastJobMutatingWebhook({ featureGates: gates }).handle(req, context);
const validate = async (req: AdmissionRequest) => broadcastJobValidatingWebhook().handle(req, context);
const message = (d: AdmissionDecision): string => (d.kind === 'deny' ? d.message : '');
const patched = (object: unknown, d: AdmissionDecision): unknown => applyJsonPatch(object, (d.kind === 'allow' ? d.patch : undefined) ?? []);

describe('BroadcastJob mutating webhook', () => {
  it('patches a v1beta1 job on CREATE to OpenKruise’s defaults, pod template defaults included', async () => {
    const object = aBroadcastJob();
    const result = patched(object, await mutate(request(object)));
    expect(result).toEqual(withBroadcastJobDefaults(object, { templateDefaults: true }));
    expect(result).toMatchObject({ spec: { parallelism: 2147483647, completionPolicy: { type: 'Always' }, failurePolicy: { type: 'FailFast' } } });
  });

  it('leaves the pod template alone with TemplateNoDefaults and on an UPDATE that keeps it; answers v1alpha1 in v1alpha1', async () => {
    const object = aBroadcastJob({ parallelism: 2 });
    expect(patched(object, await mutate(request(object), { TemplateNoDefaults: true }))).toEqual(withBroadcastJobDefaults(object));
    expect(patched(object, await mutate(request(object, { operation: 'UPDATE', oldObject: object })))).toEqual(withBroadcastJobDefaults(object));
    const alpha = alphaOf(object);
    expect(patched(alpha, await mutate(request(alpha, { version: 'v1alpha1' }), { TemplateNoDefaults: true }))).toMatchObject({ apiVersion: 'apps.kruise.io/v1alpha1', spec: { parallelism: 2 } });
  });

  it('denies an object that does not parse with code 400 naming the field', async () => {
    const decision = await mutate(request({ ...aBroadcastJob(), spec: { template: { spec: { containers: [] } }, paused: 'yes' } }));
    expect(decision).toMatchObject({ kind: 'deny', code: 400 });
    expect(message(decision)).toContain('spec.paused');
  });
});

describe('BroadcastJob validating webhook', () => {
  it('admits a valid job, denies restartPolicy Always with code 422 and the path, admits DELETE', async () => {
    expect(await validate(request(aBroadcastJob()))).toMatchObject({ kind: 'allow' });
    const denied = await validate(request(aBroadcastJob({ restartPolicy: 'Always' }), { operation: 'UPDATE', oldObject: aBroadcastJob() }));
    expect(denied).toMatchObject({ kind: 'deny', code: 422 });
    expect(message(denied)).toContain('spec.template.spec.restartPolicy: Invalid value: "Always": pod restartPolicy can only be Never or OnFailure');
    expect(await validate(request(undefined, { operation: 'DELETE', oldObject: aBroadcastJob() }))).toMatchObject({ kind: 'allow' });
  });
});

describe('BroadcastJob conversion webhook', () => {
  it('converts both ways, changing only the apiVersion', () => {
    const beta = aBroadcastJob({ parallelism: '50%' }) as unknown as Record<string, unknown>;
    const down = broadcastJobConverter.convert(beta, 'apps.kruise.io/v1alpha1');
    expect(down).toEqual({ kind: 'converted', object: { ...beta, apiVersion: 'apps.kruise.io/v1alpha1' } });
    const up = down.kind === 'converted' ? broadcastJobConverter.convert(down.object, 'apps.kruise.io/v1beta1') : down;
    expect(up).toEqual({ kind: 'converted', object: beta });
  });
});
