import { describe, expect, it } from 'vitest';
import { buildSidecarSetRevision } from '../api/sidecarSetRevision.js';
import { planSidecarSetHistoryCleanup } from './planSidecarSetHistoryCleanup.js';
import { serializePodSidecarSetHashes } from './podSidecarSetHashes.js';
import { sidecarSet, webPod } from './sidecarset.testkit.js';

const log = (image: string, spec = {}) => sidecarSet('log', { containers: [{ name: 'fluentd', image }], ...spec });
const history = Array.from({ length: 12 }, (_, i) => buildSidecarSetRevision({ sidecarSet: log(`fluentd:${String(i + 1)}`), namespace: 'kruise-system', revision: i + 1, collisionCount: 0 }));
const nameOf = (i: number) => history[i - 1]?.metadata.name ?? '';
const onRevision = (i: number) => {
  const record = { updateTimestamp: null, hash: 'h', sidecarSetName: 'log', sidecarList: ['fluentd'], controllerRevision: nameOf(i) };
  return webPod(`pod-${String(i)}`, [{ name: 'app', image: 'nginx' }], { annotations: { 'kruise.io/sidecarset-hash': serializePodSidecarSetHashes({ log: record }) } });
};

describe('planSidecarSetHistoryCleanup', () => {
  it('12 revisions, limit 10, latest r12 → deletes the 2 oldest', () => {
    expect(planSidecarSetHistoryCleanup({ ...log('fluentd:12'), status: { latestRevision: nameOf(12) } }, [], history)).toEqual([nameOf(1), nameOf(2)]);
  });

  it('keeps what pods and the pinned injection revision still use: r1 used by a pod, r2 pinned → deletes r3 and r4', () => {
    const pinned = { ...log('fluentd:12', { injectionStrategy: { revision: { revisionName: nameOf(2) } } }), status: { latestRevision: nameOf(12) } };
    expect(planSidecarSetHistoryCleanup(pinned, [onRevision(1)], history)).toEqual([nameOf(3), nameOf(4)]);
  });

  it('revisionHistoryLimit 3 counts every revision, the latest included → keeps r10..r12', () => {
    const limited = { ...log('fluentd:12', { revisionHistoryLimit: 3 }), status: { latestRevision: nameOf(12) } };
    expect(planSidecarSetHistoryCleanup(limited, [], history)).toEqual(history.slice(0, 9).map((r) => r.metadata.name));
  });

  it('revisionHistoryLimit 0 still keeps the latest; nothing to delete within the limit', () => {
    const none = { ...log('fluentd:12', { revisionHistoryLimit: 0 }), status: { latestRevision: nameOf(12) } };
    expect(planSidecarSetHistoryCleanup(none, [], history)).toHaveLength(11);
    expect(planSidecarSetHistoryCleanup({ ...log('fluentd:2'), status: { latestRevision: nameOf(2) } }, [], history.slice(0, 2))).toEqual([]);
  });
});
