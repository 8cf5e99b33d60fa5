import { withAdvancedCronJobDefaults, type AdvancedCronJob } from '@kruise-ts/core';
import { anAdvancedCronJob } from '@kruise-ts/core/testing';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../runtime/logger.js';
import type { AdmissionDecision, AdmissionRequest } from '../admissionTypes.js';
import { applyJsonPatch, kruiseAdmissionRequest, type KruiseAdmissionRequestOptions } from '../testing/webhook.testkit.js';
import { advancedCronJobMutatingWebhook, advancedCronJobValidatingWebhook } from './advancedCronJobAdmission.js';
import { advancedCronJobConverter } from './advancedCronJobConverter.js';

const context = { signal: new AbortController().signal, logger: createLogger({ level: 'silent' }) };

const request = (object: unknown, options: KruiseAdmissionRequestOptions = {}): AdmissionRequest => kruiseAdmissionRequest('AdvancedCronJob', 'advancedcronjobs', object, options);

const alphaOf = (object: AdvancedCronJob) => ({ ...object, apiVersion: 'apps.kruise.io/v1alpha1' });
const mutate = async (req: AdmissionRequest, gates = {}) => advancedCronJobMutatingWebhook({ featureGates: gates }).handle(req, context);
const validate = async (req: AdmissionRequest) => advancedCronJobValidatingWebhook().handle(req, context);
const message = (d: AdmissionDecision): string => (d.kind === 'deny' ? d.message : '');
const patchOf = (d: AdmissionDecision) => (d.kind === 'allow' ? d.patch : undefined);
const patched = (object: unknown, d: AdmissionDecision): unknown => applyJsonPatch(object, patchOf(d) ?? []);

describe('AdvancedCronJob mutating webhook', () => {
  it('patches a v1beta1 job on CREATE to OpenKruise’s defaults, pod template defaults included', async () => {
    const object = anAdvancedCronJob();
    const decision = await mutate(request(object));
    expect(patched(object, decision)).toEqual(withAdvancedCronJobDefaults(object, { templateDefaults: true }));
    expect(patched(object, decision)).toMatchObject({ spec: { concurrencyPolicy: 'Allow', paused: false, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1 } });
  });

  it('an imageListPullJobTemplate on CREATE: concurrencyPolicy Replace and the template’s pull defaults', async () => {
    const object = anAdvancedCronJob({ templateKind: 'ImageListPullJob', imageListPullJobSpec: { completionPolicy: {} } });
    const decision = await mutate(request(object));
    expect(patched(object, decision)).toEqual(withAdvancedCronJobDefaults(object, { templateDefaults: true }));
    expect(patched(object, decision)).toMatchObject({
      spec: { concurrencyPolicy: 'Replace', template: { imageListPullJobTemplate: { spec: { completionPolicy: { type: 'Always' }, pullPolicy: { timeoutSeconds: 600, backoffLimit: 3 }, imagePullPolicy: 'IfNotPresent' } } } },
    });
  });

  it('leaves the pod template alone with TemplateNoDefaults, and on an UPDATE that keeps the template', async () => {
    const object = anAdvancedCronJob();
    expect(patched(object, await mutate(request(object), { TemplateNoDefaults: true }))).toEqual(withAdvancedCronJobDefaults(object));
    const update = await mutate(request(object, { operation: 'UPDATE', oldObject: object }));
    expect(patched(object, update)).toEqual(withAdvancedCronJobDefaults(object));
  });

  it('answers a v1alpha1 request in v1alpha1', async () => {
    const object = alphaOf(anAdvancedCronJob({ concurrencyPolicy: 'Forbid' }));
    const result = patched(object, await mutate(request(object, { version: 'v1alpha1' }), { TemplateNoDefaults: true }));
    expect(result).toMatchObject({ apiVersion: 'apps.kruise.io/v1alpha1', spec: { concurrencyPolicy: 'Forbid', successfulJobsHistoryLimit: 3 } });
  });

  it('denies an object that does not parse with code 400 naming the field', async () => {
    const decision = await mutate(request({ ...anAdvancedCronJob(), spec: { schedule: 1 } }));
    expect(decision).toMatchObject({ kind: 'deny', code: 400 });
    expect(message(decision)).toContain('spec.schedule');
  });
});

describe('AdvancedCronJob validating webhook', () => {
  it('admits a valid job and denies a bad schedule with code 422 and the path', async () => {
    expect(await validate(request(anAdvancedCronJob()))).toMatchObject({ kind: 'allow' });
    const denied = await validate(request(anAdvancedCronJob({ schedule: '0 0 * * 7' })));
    expect(denied).toMatchObject({ kind: 'deny', code: 422 });
    expect(message(denied)).toContain('spec.schedule: Invalid value: "0 0 * * 7": end of range (7) above maximum (6): 7');
  });

  it('on UPDATE allows a new schedule and refuses a new template', async () => {
    const old = anAdvancedCronJob();
    expect(await validate(request(anAdvancedCronJob({ schedule: '@hourly', paused: true }), { operation: 'UPDATE', oldObject: old }))).toMatchObject({ kind: 'allow' });
    const denied = await validate(request(anAdvancedCronJob({ containers: [{ name: 'main', image: 'busybox:2' }] }), { operation: 'UPDATE', oldObject: old }));
    expect(message(denied)).toContain("spec: Forbidden: updates to advancedcronjob spec for fields other than 'schedule'");
  });

  it('admits an imageListPullJobTemplate and denies one with no image, naming the field under the template', async () => {
    expect(await validate(request(anAdvancedCronJob({ templateKind: 'ImageListPullJob' })))).toMatchObject({ kind: 'allow' });
    const denied = await validate(request(anAdvancedCronJob({ templateKind: 'ImageListPullJob', imageListPullJobSpec: { images: [] } })));
    expect(denied).toMatchObject({ kind: 'deny', code: 422 });
    expect(message(denied)).toContain('spec.template.imageListPullJobTemplate.spec.images: Required value: image can not be empty');
  });

  it('admits DELETE', async () => {
    expect(await validate(request(undefined, { operation: 'DELETE', oldObject: anAdvancedCronJob() }))).toMatchObject({ kind: 'allow' });
  });
});

describe('AdvancedCronJob conversion webhook', () => {
  it('refuses to serve a v1beta1 imageListPullJobTemplate as v1alpha1, with OpenKruise’s message; v1beta1 to v1beta1 is untouched', () => {
    const beta = anAdvancedCronJob({ templateKind: 'ImageListPullJob' }) as unknown as Record<string, unknown>;
    expect(advancedCronJobConverter.convert(beta, 'apps.kruise.io/v1alpha1')).toEqual({ kind: 'failed', message: 'imageListPullJobTemplate is not supported in v1alpha1' });
    expect(advancedCronJobConverter.convert(beta, 'apps.kruise.io/v1beta1')).toEqual({ kind: 'converted', object: beta });
  });

  it('converts both ways, changing only the apiVersion', () => {
    const beta = anAdvancedCronJob({ schedule: 'TZ=Europe/Berlin 0 6 * * *' }) as unknown as Record<string, unknown>;
    const down = advancedCronJobConverter.convert(beta, 'apps.kruise.io/v1alpha1');
    expect(down).toEqual({ kind: 'converted', object: { ...beta, apiVersion: 'apps.kruise.io/v1alpha1' } });
    const up = down.kind === 'converted' ? advancedCronJobConverter.convert(down.object, 'apps.kruise.io/v1beta1') : down;
    expect(up).toEqual({ kind: 'converted', object: beta });
  });
});
