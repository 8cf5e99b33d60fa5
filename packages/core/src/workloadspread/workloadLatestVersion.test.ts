import { describe, expect, it } from 'vitest';
import { workloadLatestVersion, type VersionedWorkload, type WorkloadLatestVersion } from './workloadLatestVersion.js';
import { DEFAULT_VERSIONED_STATUS_KINDS } from './workloadSpreadPodVersion.js';

const template = (image: string, hash?: string) => ({ metadata: { labels: { app: 'web', ...(hash === undefined ? {} : { 'pod-template-hash': hash }) } }, spec: { containers: [{ name: 'app', image }] } });
const deployment: VersionedWorkload = { kind: 'Deployment', metadata: { uid: 'd1' }, spec: { template: template('nginx:2') } };
const rs = (hash: string, image: string, extra: Partial<VersionedWorkload['metadata']> = {}): VersionedWorkload => ({
  kind: 'ReplicaSet',
  metadata: { uid: hash, labels: { app: 'web', 'pod-template-hash': hash }, ownerReferences: [{ uid: 'd1', controller: true }], ...extra },
  spec: { template: template(image, hash) },
});
const cloneSet = (generation: number, observed: number): VersionedWorkload => ({ kind: 'CloneSet', metadata: { generation }, status: { observedGeneration: observed, updateRevision: 'web-5d4c' } });

describe('workloadLatestVersion', () => {
  it.each<[string, VersionedWorkload, readonly VersionedWorkload[], ReadonlySet<string>, WorkloadLatestVersion]>([
    ['a Deployment: the ReplicaSet with its template', deployment, [rs('6b7f', 'nginx:1'), rs('9c1d', 'nginx:2')], DEFAULT_VERSIONED_STATUS_KINDS, { kind: 'version', version: '9c1d' }],
    ['a Deployment whose new ReplicaSet is not there yet', deployment, [rs('6b7f', 'nginx:1')], DEFAULT_VERSIONED_STATUS_KINDS, { kind: 'unknown', reason: 'no-current-replicaset' }],
    ['a deleting or foreign ReplicaSet does not count', deployment, [rs('9c1d', 'nginx:2', { deletionTimestamp: '2025-01-01T00:00:00Z' }), rs('aa', 'nginx:2', { ownerReferences: [{ uid: 'other', controller: true }] })], DEFAULT_VERSIONED_STATUS_KINDS, { kind: 'unknown', reason: 'no-current-replicaset' }],
    ['a ReplicaSet target: its own hash', rs('6b7f', 'nginx:1'), [], DEFAULT_VERSIONED_STATUS_KINDS, { kind: 'version', version: '6b7f' }],
    ['a CloneSet not enabled: versionIgnored', cloneSet(2, 2), [], DEFAULT_VERSIONED_STATUS_KINDS, { kind: 'version', version: 'versionIgnored' }],
    ['a CloneSet enabled: the short updateRevision', cloneSet(2, 2), [], new Set(['cloneset']), { kind: 'version', version: '5d4c' }],
    ['a CloneSet whose status is behind its spec', cloneSet(3, 2), [], new Set(['cloneset']), { kind: 'unknown', reason: 'status-stale' }],
    ['a Job: versionIgnored', { kind: 'Job', metadata: {} }, [], new Set(['job']), { kind: 'version', version: 'versionIgnored' }],
  ])('%s', (_story, workload, replicaSets, kinds, expected) => {
    expect(workloadLatestVersion(workload, replicaSets, kinds)).toEqual(expected);
  });
});
