import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CRR_ACTIVE_LABEL, CRR_NODE_NAME_LABEL, CRR_POD_NAME_LABEL, CRR_POD_UID_LABEL, CRR_UNREADY_ACQUIRED_KEY, type ContainerRecreateRequest } from '../api/containerRecreateRequest.js';
import type { Pod } from '../api/pod.js';
import { aContainerRecreateRequest } from '../testing/containerRecreateRequestBuilder.js';
import { admitContainerRecreateRequest, crrUpdateProblem } from './admitContainerRecreateRequest.js';
import { parseContainerRecreateRequest } from './parseContainerRecreateRequest.js';

function runningPod(overrides: Partial<Pod['spec']> = {}, status?: Pod['status']): Pod {
  return {
    metadata: { name: 'web-0', namespace: 'default', uid: 'pod-uid-1' },
    spec: {
      nodeName: 'node-a',
      terminationGracePeriodSeconds: 45,
      containers: [
        { name: 'app', image: 'nginx', lifecycle: { preStop: { exec: { command: ['sh', '-c', 'sleep 1'] } } } },
        { name: 'web', image: 'nginx', ports: [{ containerPort: 80 }], lifecycle: { preStop: { httpGet: { port: 80, path: '/stop' } } } },
        { name: 'log', image: 'busybox' },
      ],
      ...overrides,
    },
    status: status ?? {
      phase: 'Running',
      containerStatuses: [
        { name: 'app', containerID: 'containerd://aaa', restartCount: 2 },
        { name: 'web', containerID: 'containerd://bbb', restartCount: 0 },
        { name: 'log', containerID: '', restartCount: 0 },
      ],
    },
  };
}

const found = (pod: Pod) => ({ kind: 'found' as const, pod });

describe('admitContainerRecreateRequest (OpenKruise’s CRR mutating webhook on CREATE)', () => {
  it('labels the CRR with the pod’s name, uid and node, marks it active, defaults the strategy and fills each container from the pod', () => {
    const result = admitContainerRecreateRequest(aContainerRecreateRequest({ containers: [{ name: 'app' }, { name: 'web' }] }), found(runningPod()));
    expect(result.kind).toBe('admitted');
    const crr = (result as { crr: ContainerRecreateRequest }).crr;
    expect(crr.metadata?.labels).toEqual({ [CRR_POD_NAME_LABEL]: 'web-0', [CRR_ACTIVE_LABEL]: 'true', [CRR_NODE_NAME_LABEL]: 'node-a', [CRR_POD_UID_LABEL]: 'pod-uid-1' });
    expect(crr.spec.strategy).toEqual({ failurePolicy: 'Fail', terminationGracePeriodSeconds: 45 });
    expect(crr.spec.containers).toEqual([
      { name: 'app', preStop: { exec: { command: ['sh', '-c', 'sleep 1'] } }, statusContext: { containerID: 'containerd://aaa', restartCount: 2 } },
      // An HTTP preStop brings the container's ports along (the daemon resolves named ports with them).
      { name: 'web', preStop: { httpGet: { port: 80, path: '/stop' } }, ports: [{ containerPort: 80 }], statusContext: { containerID: 'containerd://bbb', restartCount: 0 } },
    ]);
  });

  it('keeps a given failurePolicy and grace period', () => {
    const result = admitContainerRecreateRequest(aContainerRecreateRequest({ strategy: { failurePolicy: 'Ignore', terminationGracePeriodSeconds: 0 } }), found(runningPod()));
    expect(result.kind === 'admitted' && result.crr.spec.strategy).toEqual({ failurePolicy: 'Ignore', terminationGracePeriodSeconds: 0 });
  });

  it.each<[string, ContainerRecreateRequest, Pod | undefined, string, string]>([
    ['empty podName', aContainerRecreateRequest({ podName: '' }), runningPod(), 'spec.podName', 'podName can not be empty'],
    ['no containers', aContainerRecreateRequest({ containers: [] }), runningPod(), 'spec.containers', 'containers list can not be null'],
    ['deadline under 3s', aContainerRecreateRequest({ activeDeadlineSeconds: 2 }), runningPod(), 'spec.activeDeadlineSeconds', 'activeDeadlineSeconds can not be less than 3s'],
    ['negative grace period', aContainerRecreateRequest({ strategy: { terminationGracePeriodSeconds: -1 } }), runningPod(), 'spec.strategy.terminationGracePeriodSeconds', 'terminationGracePeriodSeconds must be non-negative integer'],
    ['negative unready grace period', aContainerRecreateRequest({ strategy: { unreadyGracePeriodSeconds: -1 } }), runningPod(), 'spec.strategy.unreadyGracePeriodSeconds', 'unreadyGracePeriodSeconds must be non-negative integer'],
    ['pod absent', aContainerRecreateRequest(), undefined, 'spec.podName', 'no found Pod named web-0'],
    ['pod finished', aContainerRecreateRequest(), runningPod({}, { phase: 'Succeeded' }), 'spec.podName', 'not allowed to recreate containers in an inactive Pod'],
    ['pod not scheduled', aContainerRecreateRequest(), runningPod({ nodeName: '' }), 'spec.podName', 'not allowed to recreate containers in a pending Pod'],
    ['container twice', aContainerRecreateRequest({ containers: [{ name: 'app' }, { name: 'app' }] }), runningPod(), 'spec.containers[1].name', 'can not recreate app multi times'],
    ['read-only field given', aContainerRecreateRequest({ containers: [{ name: 'app', statusContext: { containerID: 'x', restartCount: 0 } }] }), runningPod(), 'spec.containers[0]', 'preStop, ports, statusContext in container are ready-only fields'],
    ['container not in the pod', aContainerRecreateRequest({ containers: [{ name: 'nope' }] }), runningPod(), 'spec.containers[0].name', 'container nope not found in Pod'],
    ['container without id', aContainerRecreateRequest({ containers: [{ name: 'log' }] }), runningPod(), 'spec.containers[0].name', 'no containerID in log containerStatus, maybe the container has not been initialized'],
  ])('refuses with 400 and the field: %s', (_, crr, pod, path, message) => {
    expect(admitContainerRecreateRequest(crr, pod === undefined ? { kind: 'absent' } : found(pod))).toEqual({ kind: 'refused', code: 400, problem: { path, message } });
  });

  it('property: an admitted CRR names each pod container at most once, with the status context of that container', () => {
    const names = ['app', 'web', 'log'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...names), { minLength: 1, maxLength: 4 }), (picked) => {
        const result = admitContainerRecreateRequest(aContainerRecreateRequest({ containers: picked.map((name) => ({ name })) }), found(runningPod()));
        const unique = new Set(picked).size === picked.length;
        if (!unique || picked.includes('log')) return result.kind === 'refused';
        return result.kind === 'admitted' && result.crr.spec.containers.every((c) => c.statusContext?.containerID === runningPod().status?.containerStatuses?.find((s) => s.name === c.name)?.containerID);
      }),
    );
  });
});

describe('crrUpdateProblem (OpenKruise’s CRR mutating webhook on UPDATE)', () => {
  const old = aContainerRecreateRequest({ activeDeadlineSeconds: 10, labels: { [CRR_POD_UID_LABEL]: 'u1', [CRR_NODE_NAME_LABEL]: 'n1', [CRR_POD_NAME_LABEL]: 'web-0' }, annotations: { [CRR_UNREADY_ACQUIRED_KEY]: '2026-01-01T00:00:00Z' } });
  it.each<[string, ContainerRecreateRequest, string | undefined]>([
    ['status-only change', { ...old, status: { phase: 'Recreating' } }, undefined],
    ['containers changed (the daemon fills statusContext)', { ...old, spec: { ...old.spec, containers: [{ name: 'app', statusContext: { containerID: 'c', restartCount: 0 } }] } }, undefined],
    ['deadline changed', { ...old, spec: { ...old.spec, activeDeadlineSeconds: 20 } }, 'spec'],
    ['node label changed', { ...old, metadata: { ...old.metadata, labels: { ...old.metadata?.labels, [CRR_NODE_NAME_LABEL]: 'n2' } } }, `metadata.labels[${CRR_NODE_NAME_LABEL}]`],
    ['uid label removed', { ...old, metadata: { ...old.metadata, labels: { [CRR_NODE_NAME_LABEL]: 'n1', [CRR_POD_NAME_LABEL]: 'web-0' } } }, `metadata.labels[${CRR_POD_UID_LABEL}]`],
    ['unready-acquired changed', { ...old, metadata: { ...old.metadata, annotations: { [CRR_UNREADY_ACQUIRED_KEY]: 'later' } } }, `metadata.annotations[${CRR_UNREADY_ACQUIRED_KEY}]`],
  ])('%s', (_, next, path) => {
    expect(crrUpdateProblem(next, old)?.path).toBe(path);
  });
});

describe('parseContainerRecreateRequest', () => {
  it('names the missing and mistyped fields', () => {
    const parsed = parseContainerRecreateRequest({ spec: { podName: 'web-0', strategy: { failurePolicy: 'Sometimes' } } });
    expect(parsed.kind === 'invalid' && parsed.problems.map((p) => p.path)).toEqual(['spec.containers', 'spec.strategy.failurePolicy']);
  });
});
