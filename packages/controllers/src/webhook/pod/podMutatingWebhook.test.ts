import { describe, expect, it } from 'vitest';
import { createLogger } from '../../runtime/logger.js';
import type { AdmissionRequest } from '../admissionTypes.js';
import { applyJsonPatch } from '../testing/webhook.testkit.js';
import { createPodMutatingWebhook, type PodMutator } from './podMutatingWebhook.js';

const context = { signal: new AbortController().signal, logger: createLogger({ level: 'silent' }) };
const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'apps', labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } };
const request = (object: unknown, namespace = 'apps'): AdmissionRequest => ({ uid: 'u', kind: { group: '', version: 'v1', kind: 'Pod' }, resource: { group: '', version: 'v1', resource: 'pods' }, operation: 'CREATE', namespace, object });

const sidecar: PodMutator = { name: 'sidecar', mutate: (p) => ({ kind: 'mutated', pod: { ...p, spec: { ...p.spec, containers: [{ name: 'proxy', image: 'envoy' }, ...p.spec.containers] } }, warnings: ['injected proxy'] }) };
const label: PodMutator = { name: 'label', mutate: (p) => ({ kind: 'mutated', pod: { ...p, metadata: { ...p.metadata, labels: { ...p.metadata.labels, injected: 'true' } } } }) };
const nothing: PodMutator = { name: 'nothing', mutate: () => ({ kind: 'unchanged' }) };
const refuse: PodMutator = { name: 'refuse', mutate: () => ({ kind: 'deny', message: 'sidecars conflict: a and b both inject proxy' }) };

describe('createPodMutatingWebhook', () => {
  const handle = (mutators: PodMutator[], req: AdmissionRequest) => createPodMutatingWebhook({ managerNamespace: 'kruise-system', mutators }).handle(req, context);

  it('admits pods unchanged without mutators, and defaults to failurePolicy Ignore', async () => {
    expect(await handle([], request(pod))).toEqual({ kind: 'allow' });
    expect(createPodMutatingWebhook({ managerNamespace: 'kruise-system' }).failurePolicy).toBe('Ignore');
  });

  it('chains mutators, each seeing the previous result, into one patch with their warnings', async () => {
    const decision = await handle([sidecar, nothing, label], request(pod));
    expect(decision.kind === 'allow' && decision.warnings).toEqual(['injected proxy']);
    const patched = applyJsonPatch(pod, decision.kind === 'allow' ? (decision.patch ?? []) : []);
    expect(patched).toEqual({ ...pod, metadata: { ...pod.metadata, labels: { app: 'web', injected: 'true' } }, spec: { containers: [{ name: 'proxy', image: 'envoy' }, { name: 'app', image: 'nginx' }] } });
  });

  it('returns no patch when every mutator leaves the pod alone, and refuses when one refuses', async () => {
    expect(await handle([nothing], request(pod))).toEqual({ kind: 'allow' });
    expect(await handle([sidecar, refuse], request(pod))).toEqual({ kind: 'deny', message: 'sidecars conflict: a and b both inject proxy', code: 403, reason: 'Forbidden' });
  });

  it('never blocks a pod it cannot read, and leaves the manager namespace alone', async () => {
    expect(await handle([sidecar], request({ spec: 'not a pod spec' }))).toEqual({ kind: 'allow' });
    expect(await handle([sidecar], request(pod, 'kruise-system'))).toEqual({ kind: 'allow' });
  });
});
