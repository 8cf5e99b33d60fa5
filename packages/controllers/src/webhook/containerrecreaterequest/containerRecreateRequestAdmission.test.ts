import { applyJsonPatch, type ContainerRecreateRequest, type Pod } from '@kruise-ts/core';
import { aContainerRecreateRequest } from '@kruise-ts/core/testing';
import { KruiseResources, Resources, createMemoryCluster, type MemoryCluster } from '@kruise-ts/k8s-adapter';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../runtime/logger.js';
import type { AdmissionDecision } from '../admissionTypes.js';
import { kruiseAdmissionRequest } from '../testing/webhook.testkit.js';
import { crrMutatingWebhook, crrValidatingWebhook } from './containerRecreateRequestAdmission.js';

const context = { signal: new AbortController().signal, logger: createLogger({ level: 'silent' }) };
const request = (object: unknown, options: { operation?: 'CREATE' | 'UPDATE'; oldObject?: unknown } = {}) => kruiseAdmissionRequest('ContainerRecreateRequest', 'containerrecreaterequests', object, { version: 'v1alpha1', ...options });
const message = (d: AdmissionDecision): string => (d.kind === 'deny' ? d.message : '');

let cluster: MemoryCluster | undefined;
afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

const pod: Pod = {
  metadata: { name: 'web-0', namespace: 'default' },
  spec: {
    terminationGracePeriodSeconds: 20,
    containers: [{ name: 'app', image: 'nginx', lifecycle: { preStop: { exec: { command: ['/bin/stop'] } } } }, { name: 'sidecar', image: 'busybox' }],
  },
};

async function setUp() {
  cluster = await createMemoryCluster({ nodes: 1, kubelet: { startDelayMs: 0 } });
  cluster.registerResource(KruiseResources.ContainerRecreateRequest);
  await cluster.client.create(Resources.Pod, { ...pod, apiVersion: 'v1', kind: 'Pod', spec: { ...pod.spec, nodeName: cluster.nodes[0] ?? '' } });
  await cluster.clock.advance(1000);
  await cluster.settle();
  const running = await cluster.client.get(Resources.Pod, { namespace: 'default', name: 'web-0' });
  return { hook: crrMutatingWebhook({ client: cluster.client }), running };
}

describe('crrMutatingWebhook', () => {
  it('patches a new CRR with the pod’s labels, the defaulted strategy and each container’s preStop and status context', async () => {
    const { hook, running } = await setUp();
    const app = running.status?.containerStatuses?.find((c) => c.name === 'app');
    expect(app?.containerID).toMatch(/.+:\/\/.+/);
    const crr = aContainerRecreateRequest({ containers: [{ name: 'app' }] });
    const decision = await hook.handle(request(crr), context);
    expect(decision.kind).toBe('allow');
    const patched = applyJsonPatch(crr, decision.kind === 'allow' ? (decision.patch ?? []) : []) as ContainerRecreateRequest;
    expect(patched.metadata?.labels).toEqual({ 'crr.apps.kruise.io/pod-name': 'web-0', 'crr.apps.kruise.io/active': 'true', 'crr.apps.kruise.io/node-name': running.spec.nodeName, 'crr.apps.kruise.io/pod-uid': running.metadata.uid });
    expect(patched.spec.strategy).toEqual({ failurePolicy: 'Fail', terminationGracePeriodSeconds: 20 });
    expect(patched.spec.containers).toEqual([{ name: 'app', preStop: { exec: { command: ['/bin/stop'] } }, statusContext: { containerID: app?.containerID, restartCount: 0 } }]);
  });

  it('refuses with 400 and the field a missing pod, an unknown container and a container named twice', async () => {
    const { hook } = await setUp();
    const missing = await hook.handle(request(aContainerRecreateRequest({ podName: 'gone' })), context);
    expect(missing).toMatchObject({ kind: 'deny', code: 400 });
    expect(message(missing)).toBe('spec.podName: no found Pod named gone');
    expect(message(await hook.handle(request(aContainerRecreateRequest({ containers: [{ name: 'db' }] })), context))).toBe('spec.containers[0].name: container db not found in Pod');
    expect(message(await hook.handle(request(aContainerRecreateRequest({ containers: [{ name: 'app' }, { name: 'app' }] })), context))).toBe('spec.containers[1].name: can not recreate app multi times');
  });

  it('refuses (403) an UPDATE of the spec or of the node label, and lets status updates through', async () => {
    const { hook } = await setUp();
    const old = aContainerRecreateRequest({ labels: { 'crr.apps.kruise.io/node-name': 'node-a' } });
    expect(await hook.handle(request({ ...old, status: { phase: 'Recreating' } }, { operation: 'UPDATE', oldObject: old }), context)).toEqual({ kind: 'allow' });
    const spec = await hook.handle(request({ ...old, spec: { ...old.spec, ttlSecondsAfterFinished: 5 } }, { operation: 'UPDATE', oldObject: old }), context);
    expect(spec).toMatchObject({ kind: 'deny', code: 403 });
    expect(message(spec)).toBe('spec: spec of ContainerRecreateRequest is immutable, except spec.containers');
    const label = await hook.handle(request({ ...old, metadata: { ...old.metadata, labels: { 'crr.apps.kruise.io/node-name': 'node-b' } } }, { operation: 'UPDATE', oldObject: old }), context);
    expect(message(label)).toBe('metadata.labels[crr.apps.kruise.io/node-name]: not allowed to update immutable label crr.apps.kruise.io/node-name');
  });

  it('refuses everything (403) while KruiseDaemon is off', async () => {
    cluster = await createMemoryCluster({ nodes: 0 });
    const decision = await crrMutatingWebhook({ client: cluster.client, kruiseDaemon: false }).handle(request(aContainerRecreateRequest()), context);
    expect(decision).toMatchObject({ kind: 'deny', code: 403, message: 'feature-gate KruiseDaemon is not enabled' });
  });
});

describe('crrValidatingWebhook', () => {
  it('refuses a schema problem (400) and a short deadline (422) with the field path', async () => {
    const hook = crrValidatingWebhook();
    const bad = await hook.handle(request({ spec: { podName: 'web-0', containers: 'app' } }), context);
    expect(bad).toMatchObject({ kind: 'deny', code: 400 });
    expect(message(bad)).toContain('spec.containers');
    const short = await hook.handle(request(aContainerRecreateRequest({ activeDeadlineSeconds: 1 })), context);
    expect(short).toMatchObject({ kind: 'deny', code: 422 });
    expect(message(short)).toBe('spec.activeDeadlineSeconds: activeDeadlineSeconds can not be less than 3s');
    expect(await hook.handle(request(aContainerRecreateRequest()), context)).toEqual({ kind: 'allow' });
  });
});
