import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/pod.js';
import { planSidecarSetUpgradableCondition } from './planSidecarSetUpgradableCondition.js';
import { NOW, webPod } from './sidecarset.testkit.js';

const withCondition = (pod: Pod, message: string, status: 'True' | 'False'): Pod => ({
  ...pod,
  status: { ...pod.status, conditions: [{ type: 'SidecarSetUpgradable', status, message, reason: status === 'True' ? 'AllSidecarsetUpgradable' : 'UpdateImmutableField', lastTransitionTime: '2024-12-01T00:00:00Z' }] },
});

describe('planSidecarSetUpgradableCondition', () => {
  const pod = webPod('a', [{ name: 'app' }]);

  it('records each SidecarSet’s verdict and is True only when all are', () => {
    expect(planSidecarSetUpgradableCondition(pod, 'log', false, NOW)).toEqual({
      kind: 'set',
      condition: { type: 'SidecarSetUpgradable', status: 'False', reason: 'UpdateImmutableField', message: '{"log":false}', lastTransitionTime: '2025-01-01T00:00:00Z' },
    });
    const mixed = withCondition(pod, '{"log":false}', 'False');
    expect(planSidecarSetUpgradableCondition(mixed, 'mesh', true, NOW)).toMatchObject({ kind: 'set', condition: { status: 'False', message: '{"log":false,"mesh":true}', lastTransitionTime: '2024-12-01T00:00:00Z' } });
    expect(planSidecarSetUpgradableCondition(mixed, 'log', true, NOW)).toMatchObject({ kind: 'set', condition: { status: 'True', reason: 'AllSidecarsetUpgradable', lastTransitionTime: '2025-01-01T00:00:00Z' } });
  });

  it('changes nothing when the verdict is already recorded', () => {
    expect(planSidecarSetUpgradableCondition(withCondition(pod, '{"log":true}', 'True'), 'log', true, NOW)).toEqual({ kind: 'unchanged' });
  });
});
