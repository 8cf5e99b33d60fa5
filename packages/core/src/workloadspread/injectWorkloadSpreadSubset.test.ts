import { describe, expect, it } from 'vitest';
import { MATCHED_WORKLOADSPREAD_ANNOTATION } from '../api/workloadSpread.js';
import { aPod, aWorkloadSpread, aZoneSubset } from '../testing/index.js';
import { injectWorkloadSpreadSubset } from './injectWorkloadSpreadSubset.js';
import { readMatchedWorkloadSpread } from './matchedWorkloadSpread.js';

const zoneA = { key: 'topology.kubernetes.io/zone', operator: 'In', values: ['zone-a'] };

describe('injectWorkloadSpreadSubset', () => {
  it('gives a pod without affinity the subset term and the annotation', () => {
    const result = injectWorkloadSpreadSubset(aPod({ phase: 'unscheduled' }), aWorkloadSpread(), 'zone-a', '');
    expect(result.kind === 'injected' && result.pod.spec.affinity).toEqual({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [zoneA] }] } } });
    expect(result.kind === 'injected' && result.pod.metadata.annotations?.[MATCHED_WORKLOADSPREAD_ANNOTATION]).toBe('{"name":"web-ws","subset":"zone-a"}');
  });

  it('ANDs the subset term into each existing term, appends preferred terms and tolerations, keeps the uid', () => {
    const pod = aPod({ phase: 'unscheduled' });
    const withAffinity = {
      ...pod,
      spec: {
        ...pod.spec,
        tolerations: [{ key: 'a', operator: 'Exists' }],
        affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] }, { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }] } } },
      },
    };
    const subset = { ...aZoneSubset('zone-a', 2), preferredNodeSelectorTerms: [{ weight: 10, preference: { matchExpressions: [{ key: 'fast', operator: 'Exists' }] } }], tolerations: [{ key: 'zone-a', operator: 'Exists', effect: 'NoSchedule' }] };
    const result = injectWorkloadSpreadSubset(withAffinity, aWorkloadSpread({ subsets: [subset] }), 'zone-a', 'g-1');
    if (result.kind !== 'injected') throw new Error('not injected');
    expect(result.pod.spec.affinity).toEqual({
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }, zoneA] },
            { matchExpressions: [zoneA], matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] },
          ],
        },
        preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, preference: { matchExpressions: [{ key: 'fast', operator: 'Exists' }] } }],
      },
    });
    expect(result.pod.spec.tolerations).toEqual([{ key: 'a', operator: 'Exists' }, { key: 'zone-a', operator: 'Exists', effect: 'NoSchedule' }]);
    expect(readMatchedWorkloadSpread(result.pod)).toEqual({ name: 'web-ws', subset: 'zone-a', uid: 'g-1' });
  });

  it('applies the patch as a strategic merge patch and drops priority when the class changes', () => {
    const pod = aPod({ phase: 'unscheduled' });
    const withPriority = { ...pod, spec: { ...pod.spec, priorityClassName: 'low', priority: 10 } };
    const subset = { ...aZoneSubset('zone-a'), patch: { metadata: { labels: { zone: 'a' } }, spec: { priorityClassName: 'high', containers: [{ name: 'main', env: [{ name: 'ZONE', value: 'a' }] }] } } };
    const result = injectWorkloadSpreadSubset(withPriority, aWorkloadSpread({ subsets: [subset] }), 'zone-a', '');
    if (result.kind !== 'injected') throw new Error('not injected');
    expect(result.pod.metadata.labels?.zone).toBe('a');
    expect(result.pod.spec.priorityClassName).toBe('high');
    expect(result.pod.spec.priority).toBeUndefined();
    expect(result.pod.spec.containers[0]).toMatchObject({ name: 'main', image: 'nginx:1', env: [{ name: 'ZONE', value: 'a' }] });
  });

  it('skips a subset the spec no longer has', () => {
    expect(injectWorkloadSpreadSubset(aPod(), aWorkloadSpread(), 'zone-z', '')).toEqual({ kind: 'skip', reason: 'unknown-subset' });
  });
});
