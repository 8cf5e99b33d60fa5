import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CloneSet } from '../api/cloneSet.js';
import { aCloneSet, type CloneSetOptions } from '../testing/cloneSetBuilder.js';
import { aDaemonSet } from '../testing/daemonSetBuilder.js';
import { aRevision } from '../testing/revisionBuilder.js';
import type { ControllerRevision } from '../shared/revision.js';
import { diffRevisionImages, planCloneSetImagePreDownload, planDaemonSetImagePreDownload } from './planImagePreDownload.js';

const current = aRevision({ name: 'web-1', containers: [{ name: 'app', image: 'nginx:1' }, { name: 'log', image: 'fluent:1' }] });
const update = aRevision({ name: 'web-2', revision: 2, containers: [{ name: 'app', image: 'nginx:2' }, { name: 'log', image: 'fluent:1' }] });
const labelled = (r: ControllerRevision, labels: Record<string, string>): ControllerRevision => ({ ...r, metadata: { ...r.metadata, labels } });
const cs = (options: CloneSetOptions = {}, annotations: Record<string, string> = {}): CloneSet => {
  const c = aCloneSet({ replicas: 10, maxUnavailable: 1, ...options });
  return { ...c, metadata: { ...c.metadata, annotations } };
};

describe('planCloneSetImagePreDownload', () => {
  it('creates one job per changed container as OpenKruise’s CreateJobForWorkload', () => {
    const plan = planCloneSetImagePreDownload(cs(), current, update);
    expect(plan.kind).toBe('create');
    if (plan.kind !== 'create') return;
    expect(plan.jobs).toHaveLength(1);
    expect(plan.jobs[0]).toMatchObject({
      metadata: { name: 'web-2-app', namespace: 'default', labels: { app: 'web' }, ownerReferences: [{ kind: 'CloneSet', name: 'web', uid: 'uid-web', controller: true }] },
      spec: {
        image: 'nginx:2',
        parallelism: 1,
        pullPolicy: { backoffLimit: 1, timeoutSeconds: 300 },
        completionPolicy: { type: 'Always', ttlSecondsAfterFinished: 600 },
        podSelector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'controller-revision-hash', operator: 'NotIn', values: ['web-2'] }] },
        sandboxConfig: { labels: { app: 'web' }, annotations: {} },
      },
    });
  });

  it('parallelism and timeout from the annotations, or from the v1beta1 fields', () => {
    const fromAnnotations = planCloneSetImagePreDownload(cs({}, { 'apps.kruise.io/image-predownload-parallelism': '5', 'apps.kruise.io/image-predownload-timeout-seconds': '60' }), current, update);
    expect(fromAnnotations.kind === 'create' && fromAnnotations.jobs[0]?.spec).toMatchObject({ parallelism: 5, pullPolicy: { timeoutSeconds: 60 } });
    const base = cs();
    const withFields: CloneSet = { ...base, spec: { ...base.spec, updateStrategy: { ...base.spec.updateStrategy, rollingUpdate: { ...base.spec.updateStrategy?.rollingUpdate, inPlaceUpdateStrategy: { imagePreDownloadParallelism: 3, imagePreDownloadTimeoutSeconds: 90 } } } } };
    const fromFields = planCloneSetImagePreDownload(withFields, current, update);
    expect(fromFields.kind === 'create' && fromFields.jobs[0]?.spec).toMatchObject({ parallelism: 3, pullPolicy: { timeoutSeconds: 90 } });
  });

  it.each<[string, CloneSet, ControllerRevision, ControllerRevision, unknown]>([
    ['one revision: delete the jobs', cs(), current, current, { kind: 'delete-jobs', reason: 'revisions-consistent' }],
    ['already created', cs(), current, labelled(update, { 'apps.kruise.io/pre-predownload-created': 'true' }), { kind: 'none', reason: 'already-created' }],
    ['already ignored', cs(), current, labelled(update, { 'apps.kruise.io/image-predownload-ignored': 'true' }), { kind: 'none', reason: 'already-ignored' }],
    ['ReCreate', cs({ podUpdatePolicy: 'ReCreate' }), current, update, { kind: 'ignore', reason: 'recreate-strategy', revision: 'web-2' }],
    ['3 replicas', cs({ replicas: 3 }), current, update, { kind: 'ignore', reason: 'few-replicas', revision: 'web-2' }],
    ['maxUnavailable 100%: one batch', cs({ maxUnavailable: '100%' }), current, update, { kind: 'ignore', reason: 'one-batch', revision: 'web-2' }],
    ['a change that cannot be in place', cs(), current, aRevision({ name: 'web-3', containers: [{ name: 'app', image: 'nginx:2', command: ['x'] }, { name: 'log', image: 'fluent:1' }] }), { kind: 'ignore', reason: 'not-in-place', revision: 'web-3' }],
    ['min updated ready pods 2 of 0 ready', cs({}, { 'apps.kruise.io/image-predownload-min-updated-ready-pods': '2' }), current, update, { kind: 'none', reason: 'waiting-for-updated-ready-pods' }],
  ])('%s', (_, cloneSet, from, to, expected) => {
    expect(planCloneSetImagePreDownload(cloneSet, from, to)).toEqual(expected);
  });

  it('min updated ready pods 20% of 10 = 2, met once 2 pods of the update revision are ready', () => {
    const waiting = cs({ status: { replicas: 10, updateRevision: 'web-2', updatedReadyReplicas: 1 } }, { 'apps.kruise.io/image-predownload-min-updated-ready-pods': '20%' });
    expect(planCloneSetImagePreDownload(waiting, current, update).kind).toBe('none');
    const met = cs({ status: { replicas: 10, updateRevision: 'web-2', updatedReadyReplicas: 2 } }, { 'apps.kruise.io/image-predownload-min-updated-ready-pods': '20%' });
    expect(planCloneSetImagePreDownload(met, current, update).kind).toBe('create');
  });
});

describe('diffRevisionImages', () => {
  it('a container new or changed against every old revision', () => {
    const olds = [aRevision({ containers: [{ name: 'app', image: 'a:1' }] }), aRevision({ containers: [{ name: 'app', image: 'a:2' }, { name: 'log', image: 'l:1' }] })];
    expect(diffRevisionImages(olds, aRevision({ containers: [{ name: 'app', image: 'a:2' }, { name: 'log', image: 'l:1' }, { name: 'side', image: 's:1' }] }))).toEqual({ app: 'a:2', side: 's:1' });
  });

  it('property: a container whose image is unchanged in every old revision is never pre-downloaded', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c'), fc.constantFrom('x:1', 'x:2')), { maxLength: 3 }), fc.constantFrom('x:1', 'x:2'), (olds, image) => {
        const oldRevisions = olds.map(([name, img]) => aRevision({ containers: [{ name, image: img }] }));
        const diff = diffRevisionImages(oldRevisions, aRevision({ containers: [{ name: 'a', image }] }));
        const unchanged = olds.some(([n]) => n === 'a') && olds.filter(([n]) => n === 'a').every(([, img]) => img === image);
        expect(diff['a'] === undefined).toBe(unchanged);
      }),
    );
  });
});

describe('planDaemonSetImagePreDownload', () => {
  const ds = (status: Record<string, unknown>, maxUnavailable: number | string = 1) => ({ ...aDaemonSet({ maxUnavailable }), status } as ReturnType<typeof aDaemonSet>);
  it.each<[string, ReturnType<typeof aDaemonSet>, string]>([
    ['all updated at the update hash: delete', ds({ desiredNumberScheduled: 5, updatedNumberScheduled: 5, updateRevision: 'h2' }), 'delete-jobs'],
    ['rolling with maxUnavailable 1 of 5: create', ds({ desiredNumberScheduled: 5, updatedNumberScheduled: 0, updateRevision: 'h1' }), 'create'],
    ['maxUnavailable 100%: one batch, ignored', ds({ desiredNumberScheduled: 5, updatedNumberScheduled: 0, updateRevision: 'h1' }, '100%'), 'ignore'],
  ])('%s', (_, daemonSet, kind) => {
    expect(planDaemonSetImagePreDownload(daemonSet, [current], update, 'h2').kind).toBe(kind);
  });
});
