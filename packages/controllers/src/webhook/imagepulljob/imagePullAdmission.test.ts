import { applyJsonPatch } from '@kruise-ts/core';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../runtime/logger.js';
import { kruiseAdmissionRequest } from '../testing/webhook.testkit.js';
import { imagePullAdmissionWebhooks } from './imagePullAdmission.js';

const context = { signal: new AbortController().signal, logger: createLogger({ level: 'silent' }) };
const clock = { now: () => Date.parse('2026-03-01T10:00:00Z'), sleep: () => Promise.resolve() };
const webhooks = (gates: Record<string, boolean> = { ImagePullJobGate: true }) => Object.fromEntries(imagePullAdmissionWebhooks({ featureGates: gates, clock }).map((w) => [w.name, w]));
const job = (spec: Record<string, unknown>, version = 'v1alpha1') => ({ apiVersion: `apps.kruise.io/${version}`, kind: 'ImagePullJob', metadata: { name: 'pull', namespace: 'default' }, spec: { image: 'nginx:1.25', completionPolicy: {}, ...spec } });
const call = async (name: string, object: unknown, resource: string, kind: string, gates?: Record<string, boolean>, version = 'v1alpha1') =>
  webhooks(gates)[name]!.handle(kruiseAdmissionRequest(kind, resource, object, { operation: 'CREATE', version }), context);

describe('image pre-pull webhooks', () => {
  it('mimagepulljob: OpenKruise’s defaults as a JSON patch, apiVersion kept', async () => {
    const object = job({});
    const decision = await call('mimagepulljob.kb.io', object, 'imagepulljobs', 'ImagePullJob');
    expect(decision.kind).toBe('allow');
    const patched = applyJsonPatch(object, decision.kind === 'allow' ? (decision.patch ?? []) : []) as ReturnType<typeof job>;
    expect(patched).toEqual({ ...object, spec: { ...object.spec, completionPolicy: { type: 'Always' }, pullPolicy: { timeoutSeconds: 600, backoffLimit: 3 }, imagePullPolicy: 'IfNotPresent' } });
  });

  it('vimagepulljob: 422 with the field path; 403 while ImagePullJobGate is off', async () => {
    const bad = await call('vimagepulljob.kb.io', job({ image: 'Nginx', completionPolicy: { type: 'Always' } }), 'imagepulljobs', 'ImagePullJob');
    expect(bad).toMatchObject({ kind: 'deny', code: 422 });
    expect(bad.kind === 'deny' ? bad.message : '').toContain('spec.image: Invalid value: "Nginx": invalid image Nginx: repository name must be lowercase');
    expect(await call('vimagepulljob.kb.io', job({ completionPolicy: { type: 'Always' } }), 'imagepulljobs', 'ImagePullJob')).toMatchObject({ kind: 'allow' });
    const gated = await call('vimagepulljob.kb.io', job({ completionPolicy: { type: 'Always' } }), 'imagepulljobs', 'ImagePullJob', {});
    expect(gated).toMatchObject({ kind: 'deny', code: 403, message: expect.stringContaining('feature-gate ImagePullJobGate is not enabled') as unknown });
  });

  it('mnodeimage stamps createdAt and pull policy defaults; vnodeimage wants a TTL; 403 without KruiseDaemon', async () => {
    const ni = { apiVersion: 'apps.kruise.io/v1beta1', kind: 'NodeImage', metadata: { name: 'n1' }, spec: { images: { nginx: { tags: [{ tag: '1.25' }] } } } };
    const decision = await call('mnodeimage.kb.io', ni, 'nodeimages', 'NodeImage', undefined, 'v1beta1');
    const patched = applyJsonPatch(ni, decision.kind === 'allow' ? (decision.patch ?? []) : []) as typeof ni;
    expect(patched.spec.images.nginx.tags[0]).toEqual({ tag: '1.25', createdAt: '2026-03-01T10:00:00Z', pullPolicy: { timeoutSeconds: 600, backoffLimit: 3 } });
    const denied = await call('vnodeimage.kb.io', patched, 'nodeimages', 'NodeImage', undefined, 'v1beta1');
    expect(denied.kind === 'deny' ? denied.message : '').toContain('spec.images[nginx].tags[0].pullPolicy.ttlSecondsAfterFinished: Required value');
    expect(await call('vnodeimage.kb.io', patched, 'nodeimages', 'NodeImage', { KruiseDaemon: false }, 'v1beta1')).toMatchObject({ kind: 'deny', code: 403 });
  });

  it('vimagelistpulljob: duplicates refused with the index', async () => {
    const list = { apiVersion: 'apps.kruise.io/v1alpha1', kind: 'ImageListPullJob', metadata: { name: 'l', namespace: 'default' }, spec: { images: ['a', 'a'], completionPolicy: { type: 'Always' } } };
    const denied = await call('vimagelistpulljob.kb.io', list, 'imagelistpulljobs', 'ImageListPullJob');
    expect(denied.kind === 'deny' ? denied.message : '').toContain('spec.images[1]: Duplicate value: "a"');
  });
});
