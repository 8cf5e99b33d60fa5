import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PodTemplateSpec } from '../api/pod.js';
import { buildControllerRevision, equalToRevisionHash, type ControllerRevision, type RevisionOwner } from './revision.js';
import { isRevisionCollision, liveRevisionNames, planRevisionHistoryCleanup, planUpdateRevision, sortRevisions } from './revisionHistory.js';

const owner: RevisionOwner = { apiVersion: 'apps.kruise.io/v1beta1', kind: 'CloneSet', name: 'web', namespace: 'ns', uid: 'u1' };
const template = (image: string): PodTemplateSpec => ({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image }] } });
const revision = (image: string, n: number, collisionCount = 0) => buildControllerRevision({ owner, template: template(image), revision: n, collisionCount });

describe('planUpdateRevision', () => {
  it.each([
    ['first revision is created as #1', [], 'nginx:1', { kind: 'create', number: 1 }],
    ['unchanged template uses the newest revision', [revision('nginx:1', 1)], 'nginx:1', { kind: 'existing', number: 1 }],
    ['a new image creates revision #2', [revision('nginx:1', 1)], 'nginx:2', { kind: 'create', number: 2 }],
    ['rolling back to an older template renumbers it to #3', [revision('nginx:1', 1), revision('nginx:2', 2)], 'nginx:1', { kind: 'renumber', number: 3 }],
  ] as const)('%s', (_story, revisions, image, expected) => {
    const plan = planUpdateRevision({ owner, template: template(image), collisionCount: 0, revisions });
    expect(plan.kind).toBe(expected.kind);
    expect(plan.kind === 'renumber' ? plan.revisionNumber : plan.revision.revision).toBe(expected.number);
  });

  it('a different collisionCount names a different revision for the same template', () => {
    const a = planUpdateRevision({ owner, template: template('nginx:1'), collisionCount: 0, revisions: [] });
    const b = planUpdateRevision({ owner, template: template('nginx:1'), collisionCount: 1, revisions: [] });
    expect(a.revision.metadata.name).not.toBe(b.revision.metadata.name);
  });

  it('detects a collision only when the data differs', () => {
    expect(isRevisionCollision(revision('nginx:1', 1), revision('nginx:1', 5))).toBe(false);
    expect(isRevisionCollision(revision('nginx:1', 1), revision('nginx:2', 1))).toBe(true);
  });
});

describe('planRevisionHistoryCleanup', () => {
  const history = Array.from({ length: 14 }, (_, i) => revision(`nginx:${String(i + 1)}`, i + 1));
  const name = (i: number): string => history[i]?.metadata.name ?? '';

  it('14 revisions, 2 live, limit 10 → delete the 2 oldest unused', () => {
    const live = new Set([name(0), name(13)]);
    expect(planRevisionHistoryCleanup(history, live, 10)).toEqual([name(1), name(2)]);
  });

  it('limit 0 deletes every unused revision; live ones stay', () => {
    expect(planRevisionHistoryCleanup(history, new Set([name(5)]), 0)).toHaveLength(13);
  });

  it('never deletes a live revision and leaves at most `limit` unused ones', () => {
    fc.assert(
      fc.property(fc.subarray(history.map((r) => r.metadata.name ?? '')), fc.nat(20), (liveNames, limit) => {
        const live = new Set(liveNames);
        const deleted = planRevisionHistoryCleanup(history, live, limit);
        expect(deleted.some((n) => live.has(n))).toBe(false);
        expect(history.length - live.size - deleted.length).toBe(Math.min(limit, history.length - live.size));
      }),
    );
  });

  it('sorts by revision number', () => {
    expect(sortRevisions([history[3]!, history[1]!]).map((r) => r.revision)).toEqual([2, 4]);
  });
});

describe('liveRevisionNames', () => {
  const [a, b, c] = ['nginx:1', 'nginx:2', 'nginx:3'].map((image, i) => revision(image, i + 1));
  const names = [a, b, c].map((r) => r?.metadata.name ?? '');

  it('keeps the pinned revisions and those pods name by full name or short hash', () => {
    const short = names[1]?.slice(names[1].lastIndexOf('-') + 1);
    expect([...liveRevisionNames([a!, b!, c!], [short, undefined], [names[2]!])].sort()).toEqual([names[1], names[2]].sort());
    expect([...liveRevisionNames([a!, b!, c!], [names[0]], [])]).toEqual([names[0]]);
  });

  it('reads no label when every revision is pinned, and stops once every revision is live', () => {
    const read: (string | undefined)[] = [];
    function* labels(values: (string | undefined)[]): Generator<string | undefined> {
      for (const value of values) {
        read.push(value);
        yield value;
      }
    }
    expect([...liveRevisionNames([a!, b!], labels([names[0], names[1]]), [names[0]!, names[1]!])]).toEqual([names[0], names[1]]);
    expect(read).toEqual([]);
    expect([...liveRevisionNames([a!, b!], labels([names[1], names[0], names[0], names[1]]), [])]).toEqual([names[1], names[0]]);
    expect(read).toEqual([names[1], names[0]]);
  });

  it('gives the set, in order, that reading every label gives (property)', () => {
    const frozen = (revisions: readonly ControllerRevision[], podLabels: readonly (string | undefined)[], pinned: readonly string[]): Set<string> => {
      const live = new Set(pinned);
      for (const label of podLabels) for (const r of revisions) if (r.metadata.name !== undefined && equalToRevisionHash(label, r.metadata.name)) live.add(r.metadata.name);
      return live;
    };
    const all = [a!, b!, c!, { ...a!, metadata: { ...a!.metadata, name: undefined } }];
    const shortOf = (name: string) => name.slice(name.lastIndexOf('-') + 1);
    const label = fc.constantFrom<string | undefined>(undefined, '', 'other', ...names, ...names.map(shortOf));
    fc.assert(
      fc.property(fc.subarray(all), fc.array(label, { maxLength: 6 }), fc.subarray([...names, 'gone']), (revisions, podLabels, pinned) => {
        expect([...liveRevisionNames(revisions, podLabels, pinned)]).toEqual([...frozen(revisions, podLabels, pinned)]);
      }),
      { numRuns: 500 },
    );
  });
});
