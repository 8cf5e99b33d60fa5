import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ControllerRevision } from '../shared/revision.js';
import { liveRevisionNames, sortRevisions } from '../shared/revisionHistory.js';
import { aRevision } from '../testing/index.js';
import { historyCleanupEffects, revisionStep } from './revisionEffects.js';

/** Revision `web-<n>` (#n, image nginx:<n>), stored (with a uid) unless `stored` is false. */
function rev(n: number, stored = true): ControllerRevision {
  const revision = aRevision({ name: `web-${String(n)}`, revision: n, image: `nginx:${String(n)}` });
  return stored ? { ...revision, metadata: { ...revision.metadata, namespace: 'default', uid: `uid-web-${String(n)}` } } : revision;
}
const history = (count: number) => Array.from({ length: count }, (_, i) => rev(i + 1));
const deleted = (effects: ReturnType<typeof historyCleanupEffects>) => effects.map((e) => (e.kind === 'delete-revision' ? e.target.name : `unexpected ${e.kind}`));

describe('revisionStep', () => {
  const owned = [rev(1), rev(2)];

  it('the newest revision already records the template: used as is, nothing to write', () => {
    expect(revisionStep({ kind: 'existing', revision: rev(2) }, owned)).toEqual({ update: rev(2), revisions: owned, effects: [] });
  });

  it('an older revision records it (a rollback): renumbered to the top, the write guarded by its old number', () => {
    const step = revisionStep({ kind: 'renumber', revision: rev(1), revisionNumber: 3 }, owned);
    expect(step.update).toEqual({ ...rev(1), revision: 3 });
    expect(step.revisions).toEqual([rev(2), { ...rev(1), revision: 3 }]);
    expect(step.effects).toEqual([{ kind: 'renumber-revision', target: { namespace: 'default', name: 'web-1', uid: 'uid-web-1' }, from: 1, to: 3, reason: 'template-rolled-back' }]);
  });

  it('no revision records it: created, and the pass goes on with it', () => {
    const created = rev(3, false);
    const step = revisionStep({ kind: 'create', revision: created }, owned);
    expect(step).toEqual({ update: created, revisions: [...owned, created], effects: [{ kind: 'create-revision', revision: created, reason: 'template-changed' }] });
  });
});

describe('historyCleanupEffects', () => {
  const podsAt = (...numbers: number[]) => numbers.map((n) => `web-${String(n)}`);

  it.each([
    { story: '12 revisions, pods at 2 of them, 1 more pinned, limit 5 → the 4 oldest unused go', revisions: history(12), pods: podsAt(3, 7), pinned: ['web-12'], limit: 5, gone: ['web-1', 'web-2', 'web-4', 'web-5'] },
    { story: 'within the limit → nothing', revisions: history(4), pods: [], pinned: ['web-4'], limit: 3, gone: [] },
    { story: 'limit 0 → every unused revision', revisions: history(4), pods: podsAt(2), pinned: ['web-4'], limit: 0, gone: ['web-1', 'web-3'] },
    { story: 'a pod naming its revision by the short hash (pod-template-hash) keeps it', revisions: history(3), pods: ['1'], pinned: ['web-3'], limit: 0, gone: ['web-2'] },
    { story: 'a revision not created yet (no uid) is never deleted', revisions: [rev(1), rev(2), rev(3, false)], pods: [], pinned: [], limit: 0, gone: ['web-1', 'web-2'] },
  ])('$story', ({ revisions, pods, pinned, limit, gone }) => {
    const effects = historyCleanupEffects(revisions, pods, pinned, limit);
    expect(deleted(effects)).toEqual(gone);
    expect(effects.every((e) => e.reason === 'revision-history-limit')).toBe(true);
  });

  it('targets each revision by namespace, name and uid', () => {
    expect(historyCleanupEffects(history(2), [], ['web-2'], 0)).toEqual([{ kind: 'delete-revision', target: { namespace: 'default', name: 'web-1', uid: 'uid-web-1' }, reason: 'revision-history-limit' }]);
  });

  it('never deletes a live revision, and leaves at most `limit` unused ones (the newest)', () => {
    const scenario = fc.record({
      count: fc.integer({ min: 0, max: 15 }),
      pods: fc.array(fc.integer({ min: 1, max: 18 }), { maxLength: 6 }),
      pinned: fc.array(fc.integer({ min: 1, max: 18 }), { maxLength: 2 }),
      limit: fc.integer({ min: 0, max: 12 }),
    });
    fc.assert(
      fc.property(scenario, ({ count, pods, pinned, limit }) => {
        const revisions = history(count);
        const labels = pods.map((n) => `web-${String(n)}`);
        const pins = pinned.map((n) => `web-${String(n)}`);
        const gone = new Set(deleted(historyCleanupEffects(revisions, labels, pins, limit)));
        const live = liveRevisionNames(revisions, labels, pins);
        expect([...gone].filter((name) => live.has(name))).toEqual([]);
        const unusedLeft = sortRevisions(revisions).filter((r) => !live.has(r.metadata.name ?? '') && !gone.has(r.metadata.name ?? ''));
        expect(unusedLeft.length).toBeLessThanOrEqual(limit);
        // Only the oldest go: every unused revision kept is newer than every one deleted.
        const newestGone = Math.max(0, ...revisions.filter((r) => gone.has(r.metadata.name ?? '')).map((r) => r.revision));
        expect(unusedLeft.every((r) => r.revision > newestGone)).toBe(true);
      }),
    );
  });
});
