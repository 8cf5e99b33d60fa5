import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Node } from '../api/node.js';
import type { ImageTagSpec, NodeImage } from '../api/nodeImage.js';
import { aNodeImage } from '../testing/imagePullJobBuilder.js';
import { formatTime } from '../shared/podState.js';
import { planNodeImage, type NodeImageSnapshot } from './planNodeImage.js';

const NOW = Date.parse('2026-03-01T10:00:00Z');
const ago = (ms: number) => formatTime(NOW - ms);
const JOB = { apiVersion: 'apps.kruise.io/v1beta1', kind: 'ImagePullJob', namespace: 'default', name: 'pull', uid: 'uid-pull' };

function aNode(name: string, ready: 'True' | 'False', since: number, labels: Record<string, string> = {}): Node {
  return { metadata: { name, labels }, status: { conditions: [{ type: 'Ready', status: ready, lastTransitionTime: ago(since) }] } };
}
const snapshot = (node: Node | undefined, nodeImage: NodeImage | undefined, jobs: Record<string, string> = { 'default/pull': 'uid-pull' }): NodeImageSnapshot => ({
  name: 'n1',
  node,
  nodeImage,
  jobUid: (ns, name) => jobs[`${ns}/${name}`] ?? null,
  now: NOW,
});
const tag = (over: Partial<ImageTagSpec> = {}): ImageTagSpec => ({ tag: '1.25', version: 0, createdAt: ago(60_000), ownerReferences: [JOB], pullPolicy: { ttlSecondsAfterFinished: 600 }, ...over });

describe('planNodeImage', () => {
  it.each<[string, Node | undefined, NodeImage | undefined, unknown]>([
    ['node and NodeImage gone', undefined, undefined, { kind: 'nothing', reason: 'all-gone' }],
    ['node gone: the NodeImage goes', undefined, aNodeImage('n1'), { kind: 'delete', reason: 'node-gone' }],
    ['node not Ready: no NodeImage yet', aNode('n1', 'False', 0), undefined, { kind: 'nothing', reason: 'node-not-ready' }],
    ['Ready 10 s ago: wait 20 s more', aNode('n1', 'True', 10_000), undefined, { kind: 'wait', reason: 'node-ready-delay', afterMs: 20_000 }],
    ['Ready 31 s ago: create', aNode('n1', 'True', 31_000), undefined, { kind: 'create', reason: 'node-ready' }],
  ])('%s', (_, node, nodeImage, expected) => {
    expect(planNodeImage(snapshot(node, nodeImage))).toEqual(expected);
  });

  it('a fake NodeImage (apps.kruise.io/fake-nodeimage) outlives a missing node', () => {
    expect(planNodeImage(snapshot(undefined, aNodeImage('n1', { labels: { 'apps.kruise.io/fake-nodeimage': 'true' } }))).kind).toBe('status');
  });

  it('labels follow the node', () => {
    const plan = planNodeImage(snapshot(aNode('n1', 'True', 60_000, { pool: 'b' }), aNodeImage('n1', { labels: { pool: 'a' } })));
    expect(plan).toMatchObject({ kind: 'update-spec', messages: ['node labels changed'], labels: { pool: 'b' } });
  });

  it.each<[string, ImageTagSpec, Record<string, string>, string | undefined]>([
    ['no createdAt', tag({ createdAt: undefined }), { 'default/pull': 'uid-pull' }, 'image nginx:1.25 has no createAt field'],
    ['owner job deleted', tag(), {}, 'image nginx:1.25 owners changed from 1 to 0'],
    ['owner job recreated with another uid', tag(), { 'default/pull': 'uid-new' }, 'image nginx:1.25 owners changed from 1 to 0'],
    ['a non-job owner keeps it', tag({ ownerReferences: [{ kind: 'CloneSet', name: 'x', uid: 'u' }] }), {}, undefined],
  ])('tag dropped or kept: %s', (_, t, jobs, message) => {
    const plan = planNodeImage(snapshot(aNode('n1', 'True', 60_000), aNodeImage('n1', { images: { nginx: { tags: [t] } } }), jobs));
    if (message === undefined) expect(plan.kind).toBe('status');
    else expect(plan).toMatchObject({ kind: 'update-spec', messages: [message, 'no longer has nginx image spec'], images: {} });
  });

  it('a tag past its TTL since the daemon finished it is dropped; before, the pass waits for it', () => {
    const ni = (completedAgo: number) => aNodeImage('n1', { images: { nginx: { tags: [tag(), tag({ tag: '1.26' })] } }, imageStatuses: { nginx: { tags: [{ tag: '1.25', phase: 'Succeeded', version: 0, completionTime: ago(completedAgo) }] } } });
    expect(planNodeImage(snapshot(aNode('n1', 'True', 60_000), ni(601_000)))).toMatchObject({ kind: 'update-spec', images: { nginx: { tags: [{ tag: '1.26' }] } } });
    const waiting = planNodeImage(snapshot(aNode('n1', 'True', 60_000), ni(500_000)));
    expect(waiting).toMatchObject({ kind: 'status', requeueAfterMs: 100_000 });
  });

  it('no answer from the daemon within 10 min: Failed "node has not responded for a long time", counted', () => {
    const plan = planNodeImage(snapshot(aNode('n1', 'True', 60_000), aNodeImage('n1', { images: { nginx: { tags: [tag({ createdAt: ago(601_000) })] } } })));
    expect(plan).toMatchObject({
      kind: 'status',
      status: { desired: 1, failed: 1, succeeded: 0, pulling: 0, imageStatuses: { nginx: { tags: [{ tag: '1.25', phase: 'Failed', message: 'node has not responded for a long time', completionTime: formatTime(NOW) }] } } },
      failedTags: [{ image: 'nginx:1.25', message: 'node has not responded for a long time', owners: [JOB] }],
    });
  });

  it('unfinished past activeDeadlineSeconds + 10 min: Failed "pulling exceeds the activeDeadlineSeconds"', () => {
    const t = tag({ createdAt: ago(1_300_000), pullPolicy: { ttlSecondsAfterFinished: 600, activeDeadlineSeconds: 600 } });
    const plan = planNodeImage(snapshot(aNode('n1', 'True', 60_000), aNodeImage('n1', { images: { nginx: { tags: [t] } }, imageStatuses: { nginx: { tags: [{ tag: '1.25', phase: 'Pulling', version: 0 }] } } })));
    expect(plan).toMatchObject({ kind: 'status', status: { failed: 1, imageStatuses: { nginx: { tags: [{ phase: 'Failed', message: 'pulling exceeds the activeDeadlineSeconds' }] } } } });
  });

  it('a status already right is left as it is (same object), waiting at least 3 s', () => {
    const ni = aNodeImage('n1', { images: { nginx: { tags: [tag({ createdAt: ago(599_000) })] } } });
    const plan = planNodeImage(snapshot(aNode('n1', 'True', 60_000), ni));
    expect(plan).toEqual({ kind: 'status', status: ni.status, failedTags: [], requeueAfterMs: 3000 });
  });

  it('property: a NodeImage of a living node is never deleted, and cleaned specs keep only tags with createdAt and a living owner', () => {
    const arbTag = fc.record({ tag: fc.constantFrom('a', 'b', 'c'), created: fc.boolean(), owner: fc.constantFrom('uid-pull', 'uid-gone') });
    fc.assert(
      fc.property(fc.uniqueArray(arbTag, { selector: (t) => t.tag, maxLength: 3 }), (tags) => {
        const ni = aNodeImage('n1', { images: { nginx: { tags: tags.map((t) => tag({ tag: t.tag, ...(t.created ? {} : { createdAt: undefined }), ownerReferences: [{ ...JOB, uid: t.owner }] })) } } });
        const plan = planNodeImage(snapshot(aNode('n1', 'True', 60_000), ni));
        expect(plan.kind).not.toBe('delete');
        const kept = plan.kind === 'update-spec' ? (plan.images['nginx']?.tags ?? []) : (ni.spec?.images?.['nginx']?.tags ?? []);
        const expected = tags.filter((t) => t.created && t.owner === 'uid-pull').map((t) => t.tag);
        // A rewritten spec lists its tags sorted by tag, as OpenKruise's SortSpecImageTags; an untouched one keeps its order.
        expect(kept.map((t) => t.tag)).toEqual(plan.kind === 'update-spec' ? expected.sort() : expected);
      }),
    );
  });
});
