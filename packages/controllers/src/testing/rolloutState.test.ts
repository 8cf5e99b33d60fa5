import type { KubeObject } from '@kruise-ts/k8s-adapter';
import { describe, expect, it } from 'vitest';
import { rolloutState } from './rolloutState.js';

const workload = (generation: number, replicas: number | undefined, status: Record<string, unknown> | undefined): KubeObject =>
  ({ metadata: { name: 'web', generation }, spec: replicas === undefined ? {} : { replicas }, ...(status === undefined ? {} : { status }) });

describe('rolloutState', () => {
  it.each([
    ['no status yet', workload(1, 3, undefined), { kind: 'not-observed', generation: 1, observedGeneration: undefined }],
    ['status of the previous spec (generation 3, observed 2)', workload(3, 3, { observedGeneration: 2, replicas: 3, updatedReplicas: 3, updatedAvailableReplicas: 3 }), { kind: 'not-observed', generation: 3, observedGeneration: 2 }],
    ['5 wanted, 4 updated', workload(3, 5, { observedGeneration: 3, replicas: 5, updatedReplicas: 4, updatedAvailableReplicas: 4 }), { kind: 'rolling', want: 5, replicas: 5, updated: 4, updatedAvailable: 4 }],
    ['all updated, one not available yet', workload(2, 2, { observedGeneration: 2, replicas: 2, updatedReplicas: 2, updatedAvailableReplicas: 1 }), { kind: 'rolling', want: 2, replicas: 2, updated: 2, updatedAvailable: 1 }],
    ['a surge pod still there (3 of 2)', workload(2, 2, { observedGeneration: 2, replicas: 3, updatedReplicas: 2, updatedAvailableReplicas: 2 }), { kind: 'rolling', want: 2, replicas: 3, updated: 2, updatedAvailable: 2 }],
    ['rolled out (Advanced StatefulSet counts availableReplicas)', workload(4, 3, { observedGeneration: 4, replicas: 3, updatedReplicas: 3, availableReplicas: 3 }), { kind: 'rolled-out', replicas: 3 }],
    ['replicas defaults to 1', workload(1, undefined, { observedGeneration: 1, replicas: 1, updatedReplicas: 1, readyReplicas: 1 }), { kind: 'rolled-out', replicas: 1 }],
    ['a DaemonSet: 4 nodes desired, 3 updated', workload(2, undefined, { observedGeneration: 2, desiredNumberScheduled: 4, currentNumberScheduled: 4, updatedNumberScheduled: 3, numberAvailable: 4 }), { kind: 'rolling', want: 4, replicas: 4, updated: 3, updatedAvailable: 4 }],
  ])('%s', (_story, object, expected) => {
    expect(rolloutState(object)).toEqual(expected);
  });
});
