import type { ControllerRevision } from '@kruise-ts/core';
import { describe, expect, it } from 'vitest';
import { pinnedRevisionStatus, revisionNumberOf, runningRevisionKey } from './pinnedRevision.js';
import type { RolloutStatus } from './rolloutStatus.js';

const revision = (name: string, number: number, hash?: string): ControllerRevision => ({
  apiVersion: 'apps/v1',
  kind: 'ControllerRevision',
  metadata: { name, ...(hash === undefined ? {} : { labels: { 'controller-revision-hash': hash } }) },
  data: {},
  revision: number,
});

const updating: RolloutStatus = { kind: 'waiting', reason: 'updating', message: 'Waiting for CloneSet "web" rollout to finish: 1 out of 3 new replicas have been updated...' };
const observing: RolloutStatus = { kind: 'waiting', reason: 'not-observed', message: 'Waiting for CloneSet "web" spec update to be observed...' };
const done: RolloutStatus = { kind: 'done', message: 'CloneSet "web" successfully rolled out' };

describe('runningRevisionKey and revisionNumberOf', () => {
  it.each([
    { kind: 'CloneSet', status: { updateRevision: 'web-b' }, want: 'web-b' },
    { kind: 'StatefulSet', status: { updateRevision: 'db-7f' }, want: 'db-7f' },
    { kind: 'DaemonSet', status: { updateRevision: '6d8c' }, want: '6d8c' },
    { kind: 'SidecarSet', status: { latestRevision: 'log-5c', updateRevision: 'ignored' }, want: 'log-5c' },
    { kind: 'CloneSet', status: {}, want: undefined },
    { kind: 'CloneSet', status: { updateRevision: '' }, want: undefined },
  ] as const)('$kind with status $status → $want', ({ kind, status, want }) => {
    expect(runningRevisionKey(kind, { status })).toBe(want);
  });

  it('finds a revision by name, or by its controller-revision-hash label (an Advanced DaemonSet status holds the hash)', () => {
    const revisions = [revision('web-a', 1, 'a'), revision('web-b', 2, 'b')];
    expect(revisionNumberOf('web-b', revisions)).toBe(2);
    expect(revisionNumberOf('a', revisions)).toBe(1);
    expect(revisionNumberOf('web-z', revisions)).toBeUndefined();
  });
});

describe('pinnedRevisionStatus (rollout status --revision)', () => {
  it.each([
    { story: 'nothing pinned', status: updating, desired: 0, running: { key: 'web-a', number: 1 }, want: updating },
    { story: 'pinned to the running revision: the status as it is', status: updating, desired: 2, running: { key: 'web-b', number: 2 }, want: updating },
    { story: 'pinned to the running revision, done', status: done, desired: 2, running: { key: 'web-b', number: 2 }, want: done },
    { story: 'spec not observed yet: wait before judging', status: observing, desired: 1, running: { key: 'web-b', number: 2 }, want: observing },
    {
      story: 'another revision runs (an older pin, or a newer rollout rolled it over)',
      status: updating,
      desired: 1,
      running: { key: 'web-b', number: 2 },
      want: { kind: 'failed', reason: 'revision-mismatch', message: 'desired revision (1) is different from the running revision (2)' },
    },
    {
      story: 'a revision that does not exist',
      status: done,
      desired: 7,
      running: { key: 'web-b', number: 2 },
      want: { kind: 'failed', reason: 'revision-mismatch', message: 'desired revision (7) is different from the running revision (2)' },
    },
    {
      story: 'the status names a revision no ControllerRevision has',
      status: updating,
      desired: 1,
      running: { key: 'web-z', number: undefined },
      want: { kind: 'failed', reason: 'revision-unknown', message: 'cannot get the revision of CloneSet "web": no ControllerRevision for "web-z"' },
    },
    {
      story: 'the status names no revision',
      status: done,
      desired: 1,
      running: { key: undefined, number: undefined },
      want: { kind: 'failed', reason: 'revision-unknown', message: 'cannot get the revision of CloneSet "web": its status names no revision' },
    },
  ] as const)('$story', ({ status, desired, running, want }) => {
    expect(pinnedRevisionStatus(status, 'CloneSet', 'web', { desired, running })).toEqual(want);
  });

  it('a mismatch wins over a failed progress deadline, as kubectl checks the revision first', () => {
    const deadline: RolloutStatus = { kind: 'failed', reason: 'progress-deadline-exceeded', message: 'CloneSet "web" exceeded its progress deadline' };
    expect(pinnedRevisionStatus(deadline, 'CloneSet', 'web', { desired: 1, running: { key: 'web-b', number: 2 } })).toMatchObject({ reason: 'revision-mismatch' });
  });
});
