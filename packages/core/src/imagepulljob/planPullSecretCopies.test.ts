import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { withImagePullJobDefaults } from '../api/withImagePullJobDefaults.js';
import { anImagePullJob } from '../testing/imagePullJobBuilder.js';
import {
  planPullSecretCopies,
  pullSecretCopy,
  pullSecretCopyReferences,
  PULL_SECRET_REFERENCES_ANNOTATION,
  PULL_SECRET_SOURCE_KEY_ANNOTATION,
  PULL_SECRET_SOURCE_UID_LABEL,
  type PullSecretObject,
} from './planPullSecretCopies.js';

const DOCKER = 'kubernetes.io/dockerconfigjson';
const jobWith = (pullSecrets: string[], extra: { completed?: boolean; deleting?: boolean; namespace?: string } = {}) => {
  const job = withImagePullJobDefaults(anImagePullJob({}));
  return {
    ...job,
    metadata: { ...job.metadata, name: 'warm', namespace: extra.namespace ?? 'default', ...(extra.deleting === true ? { deletionTimestamp: '2026-03-01T10:00:00Z' } : {}) },
    spec: { ...job.spec, pullSecrets },
    ...(extra.completed === true ? { status: { desired: 1, completionTime: '2026-03-01T10:00:00Z' } } : {}),
  };
};
const source = (name: string, data: Record<string, string> = { '.dockerconfigjson': 'e30=' }): PullSecretObject => ({
  metadata: { name, namespace: 'default', uid: `uid-${name}`, labels: { team: 'a' }, annotations: { note: 'x' } },
  type: DOCKER,
  data,
});
const copy = (name: string, sourceName: string, references: string, data: Record<string, string> = { '.dockerconfigjson': 'e30=' }): PullSecretObject => ({
  metadata: {
    name,
    namespace: 'kruise-daemon-config',
    uid: `uid-${name}`,
    resourceVersion: '7',
    labels: { [PULL_SECRET_SOURCE_UID_LABEL]: `uid-${sourceName}` },
    annotations: { [PULL_SECRET_SOURCE_KEY_ANNOTATION]: `default/${sourceName}`, [PULL_SECRET_REFERENCES_ANNOTATION]: references },
  },
  type: DOCKER,
  data,
});

describe('pullSecretCopy', () => {
  it('copies type, data, labels and annotations, named after the source, with the source uid, key and references', () => {
    expect(pullSecretCopy(source('registry'), 'default/warm')).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        namespace: 'kruise-daemon-config',
        generateName: 'registry-',
        labels: { team: 'a', [PULL_SECRET_SOURCE_UID_LABEL]: 'uid-registry' },
        annotations: { note: 'x', [PULL_SECRET_SOURCE_KEY_ANNOTATION]: 'default/registry', [PULL_SECRET_REFERENCES_ANNOTATION]: 'default/warm' },
      },
      type: DOCKER,
      data: { '.dockerconfigjson': 'e30=' },
    });
  });
});

describe('planPullSecretCopies', () => {
  it.each<[string, Parameters<typeof planPullSecretCopies>[0], ReturnType<typeof planPullSecretCopies>]>([
    ['a new job: one copy created per existing source, a missing source skipped', { job: jobWith(['registry', 'gone']), sources: [source('registry')], copies: [] }, { kind: 'sync', actions: [{ kind: 'create', source: 'registry', secret: pullSecretCopy(source('registry'), 'default/warm') }], secrets: [{ kind: 'created', source: 'registry' }] }],
    ['the copy is up to date: kept, named', { job: jobWith(['registry']), sources: [source('registry')], copies: [copy('registry-abcde', 'registry', 'default/warm')] }, { kind: 'sync', actions: [], secrets: [{ kind: 'existing', ref: { namespace: 'kruise-daemon-config', name: 'registry-abcde' } }] }],
    [
      'the source data changed: the copy updated (references kept, sorted)',
      { job: jobWith(['registry']), sources: [source('registry', { '.dockerconfigjson': 'bmV3' })], copies: [copy('registry-abcde', 'registry', 'other/job,default/warm')] },
      { kind: 'sync', actions: [{ kind: 'update', name: 'registry-abcde', resourceVersion: '7', data: { '.dockerconfigjson': 'bmV3' }, references: 'default/warm,other/job' }], secrets: [{ kind: 'existing', ref: { namespace: 'kruise-daemon-config', name: 'registry-abcde' } }] },
    ],
    ['a copy used by another job only: not this job’s, a new one created', { job: jobWith(['registry']), sources: [source('registry')], copies: [copy('registry-zzzzz', 'registry', 'other/job')] }, { kind: 'sync', actions: [{ kind: 'create', source: 'registry', secret: pullSecretCopy(source('registry'), 'default/warm') }], secrets: [{ kind: 'created', source: 'registry' }] }],
    ['the job no longer names the source: its copy deleted', { job: jobWith([]), sources: [], copies: [copy('registry-abcde', 'registry', 'default/warm')] }, { kind: 'sync', actions: [{ kind: 'delete', name: 'registry-abcde', uid: 'uid-registry-abcde' }], secrets: [] }],
    ['completed: copies released (another job keeps one) or deleted', { job: jobWith(['registry', 'mirror'], { completed: true }), sources: [source('registry'), source('mirror')], copies: [copy('registry-abcde', 'registry', 'default/warm,other/job'), copy('mirror-fghij', 'mirror', 'default/warm')] }, { kind: 'release', actions: [{ kind: 'release', name: 'registry-abcde', resourceVersion: '7', references: 'other/job' }, { kind: 'delete', name: 'mirror-fghij', uid: 'uid-mirror-fghij' }], secrets: [] }],
    ['deleted: copies released', { job: jobWith(['registry'], { deleting: true }), sources: [source('registry')], copies: [copy('registry-abcde', 'registry', 'default/warm')] }, { kind: 'release', actions: [{ kind: 'delete', name: 'registry-abcde', uid: 'uid-registry-abcde' }], secrets: [] }],
    ['a job in the daemon namespace: its secrets used in place', { job: jobWith(['registry'], { namespace: 'kruise-daemon-config' }), sources: [], copies: [] }, { kind: 'in-place', actions: [], secrets: [{ kind: 'existing', ref: { namespace: 'kruise-daemon-config', name: 'registry' } }] }],
  ])('%s', (_, snapshot, expected) => {
    expect(planPullSecretCopies(snapshot)).toEqual(expected);
  });

  it('a custom daemon namespace', () => {
    const plan = planPullSecretCopies({ job: jobWith(['registry']), sources: [source('registry')], copies: [], daemonNamespace: 'pull-config' });
    expect(plan.actions[0]).toMatchObject({ kind: 'create', secret: { metadata: { namespace: 'pull-config' } } });
  });

  it('property: a finished job keeps no reference on any copy; a running one ends with one secret per existing source', () => {
    const names = ['a', 'b', 'c', 'd'];
    fc.assert(
      fc.property(fc.subarray(names), fc.subarray(names), fc.subarray(names), fc.subarray(names), fc.boolean(), (named, existing, copied, shared, completed) => {
        const job = jobWith(named, { completed });
        const copies = copied.map((n) => copy(`${n}-x`, n, shared.includes(n) ? 'default/warm,other/job' : 'default/warm'));
        const plan = planPullSecretCopies({ job, sources: existing.map((n) => source(n)), copies });
        // Every copy this job dropped is released or deleted, never left referencing it.
        const touched = new Set(plan.actions.filter((a) => a.kind === 'release' || a.kind === 'delete').map((a) => a.name));
        for (const c of copies) {
          const sourceName = (c.metadata.name ?? '').slice(0, -2);
          if (completed || !named.includes(sourceName)) expect(touched.has(c.metadata.name ?? '')).toBe(true);
        }
        for (const action of plan.actions) if (action.kind === 'release') expect(pullSecretCopyReferences({ metadata: { annotations: { [PULL_SECRET_REFERENCES_ANNOTATION]: action.references } } }).has('default/warm')).toBe(false);
        expect(plan.secrets.length).toBe(completed ? 0 : named.filter((n) => existing.includes(n)).length);
      }),
    );
  });
});
