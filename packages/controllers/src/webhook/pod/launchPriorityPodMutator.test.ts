import type { Pod } from '@kruise-ts/core';
import { aPod } from '@kruise-ts/core/testing';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../runtime/logger.js';
import type { AdmissionContext, AdmissionRequest } from '../admissionTypes.js';
import { launchPriorityPodMutator } from './launchPriorityPodMutator.js';
import { createPodMutatingWebhook } from './podMutatingWebhook.js';

const context: AdmissionContext = { signal: new AbortController().signal, logger: createLogger({ level: 'silent' }) };
const request = (pod: Pod, extra: Partial<AdmissionRequest> = {}): AdmissionRequest => ({ uid: 'u', kind: { group: '', version: 'v1', kind: 'Pod' }, resource: { group: '', version: 'v1', resource: 'pods' }, namespace: 'apps', operation: 'CREATE', object: pod, ...extra });
const two = [{ name: 'app', image: 'nginx' }, { name: 'log', image: 'busybox' }];
const ordered = aPod({ name: 'web-0', namespace: 'apps', containers: two, annotations: { 'apps.kruise.io/container-launch-priority': 'Ordered' } });
const webhook = createPodMutatingWebhook({ managerNamespace: 'kruise-system', mutators: [launchPriorityPodMutator({ nameSuffix: () => 'x7k2p' })] });

describe('launchPriorityPodMutator through /mutate-pod', () => {
  it('Ordered: one JSON patch appending the barrier env to each container', async () => {
    const decision = await webhook.handle(request(ordered), context);
    expect(decision).toMatchObject({ kind: 'allow' });
    expect('patch' in decision && decision.patch).toEqual([
      { op: 'add', path: '/spec/containers/0/env', value: [{ name: 'KRUISE_CONTAINER_BARRIER', valueFrom: { configMapKeyRef: { name: 'web-0-barrier', key: 'p_0' } } }] },
      { op: 'add', path: '/spec/containers/1/env', value: [{ name: 'KRUISE_CONTAINER_BARRIER', valueFrom: { configMapKeyRef: { name: 'web-0-barrier', key: 'p_-1' } } }] },
    ]);
  });

  it('a pod with only generateName gets its name in the same patch', async () => {
    const unnamed: Pod = { ...ordered, metadata: { ...ordered.metadata, name: undefined, generateName: 'web-' } };
    const decision = await webhook.handle(request(unnamed), context);
    expect('patch' in decision && decision.patch).toContainEqual({ op: 'add', path: '/metadata/name', value: 'web-x7k2p' });
  });

  it.each([
    { story: 'no priority: no patch at all', pod: aPod({ containers: two }) },
    { story: 'one container', pod: aPod({ containers: [{ name: 'app', image: 'nginx' }], annotations: { 'apps.kruise.io/container-launch-priority': 'Ordered' } }) },
  ])('$story', async ({ pod }) => {
    const decision = await webhook.handle(request(pod), context);
    expect(decision).toEqual({ kind: 'allow' });
  });

  it('a priority that is not an integer: refused with 400 naming the field', async () => {
    const pod = aPod({ containers: [{ name: 'app', image: 'nginx', env: [{ name: 'KRUISE_CONTAINER_PRIORITY', value: 'first' }] }, { name: 'log', image: 'busybox' }] });
    const decision = await webhook.handle(request(pod), context);
    expect(decision).toMatchObject({ kind: 'deny', code: 400, message: 'spec.containers[0].env[0].value: Invalid value: KRUISE_CONTAINER_PRIORITY must be an integer, got "first"' });
  });

  it('only CREATE of the pod itself', async () => {
    const mutator = launchPriorityPodMutator();
    expect(await mutator.mutate(ordered, request(ordered, { operation: 'UPDATE' }), context)).toEqual({ kind: 'unchanged' });
    expect(await mutator.mutate(ordered, request(ordered, { subResource: 'status' }), context)).toEqual({ kind: 'unchanged' });
  });
});
