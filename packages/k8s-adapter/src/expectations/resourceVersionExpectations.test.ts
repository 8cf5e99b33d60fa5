import { checkResourceVersion, expectResourceVersion, observeResourceVersion, type ResourceVersionExpectations } from '@kruise-ts/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createFakeClock } from '../memory/fakeClock.js';
import type { KubeObject } from '../resourceType.js';
import { DEFAULT_INDEXES } from '../watch/indexes.js';
import { createObjectStore } from '../watch/objectStore.js';
import { createResourceVersionExpectations } from './resourceVersionExpectations.js';

const version = (uid: string, resourceVersion: string): KubeObject => ({ metadata: { name: uid, namespace: 'default', uid, resourceVersion } });

describe('createResourceVersionExpectations', () => {
  it.each([
    ['cache older than our write', '12', '11', false],
    ['cache at our write', '12', '12', true],
    ['cache newer than our write', '12', '13', true],
    ['numeric, not lexical: 9 < 10', '10', '9', false],
    ['numeric, not lexical: 100 > 99', '99', '100', true],
    ['non-numeric version written: any cached version supersedes', 'abc', '1', true],
  ])('%s (written %s, seen %s → satisfied %s)', (_story, written, seen, expected) => {
    const tracker = createResourceVersionExpectations({ clock: createFakeClock({ mode: 'manual', start: 1_700_000_000_000 }) });
    tracker.expect(version('u', written));
    tracker.observeEvent({ type: 'updated', object: version('u', seen), previous: version('u', '1') });
    expect(tracker.satisfied('u')).toBe(expected);
  });

  it('recognises a watch event that arrived before expect() through the cache', () => {
    const cache = createObjectStore<KubeObject>(DEFAULT_INDEXES);
    const tracker = createResourceVersionExpectations({ clock: createFakeClock({ mode: 'manual', start: 1_700_000_000_000 }), cache });
    cache.apply({ type: 'MODIFIED', object: version('u', '12') });
    tracker.expect(version('u', '12'));
    expect(tracker.size).toBe(0);
    tracker.expect(version('u', '14'));
    expect(tracker.check('u')).toMatchObject({ kind: 'unsatisfied', expected: '14' });
    cache.apply({ type: 'MODIFIED', object: version('u', '14') });
    expect(tracker.satisfied('u')).toBe(true);
  });

  it('expires after the timeout and forgets deleted objects (fake clock)', async () => {
    const clock = createFakeClock({ mode: 'manual', start: 1_700_000_000_000 });
    const tracker = createResourceVersionExpectations({ clock, timeoutMs: 300_000 });
    tracker.expect(version('u', '5'));
    await clock.advance(1_000);
    expect(tracker.check('u')).toEqual({ kind: 'unsatisfied', expected: '5', requeueAfterMs: 299_000 });
    await clock.advance(299_000);
    expect(tracker.check('u')).toMatchObject({ kind: 'timed-out' });
    expect(tracker.satisfied('u')).toBe(true);
    expect(tracker.size).toBe(0);
    tracker.expect(version('v', '5'));
    tracker.observeEvent({ type: 'deleted', object: version('v', '4') });
    expect(tracker.satisfied('v')).toBe(true);
  });

  it('answers as core\'s functions over the whole record of expectations do, for any sequence of writes, events, deletions and time (property)', () => {
    const uid = fc.constantFrom('a', 'b', 'c');
    const rv = fc.constantFrom('', '1', '2', '3', '10', 'x');
    const step = fc.oneof(
      fc.record({ op: fc.constant('expect' as const), uid, rv }),
      fc.record({ op: fc.constant('observe' as const), uid, rv }),
      fc.record({ op: fc.constant('forget' as const), uid, rv }),
      fc.record({ op: fc.constant('advance' as const), uid, rv, ms: fc.integer({ min: 0, max: 200_000 }) }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        let now = 1_700_000_000_000;
        const tracker = createResourceVersionExpectations({ clock: { now: () => now, sleep: () => Promise.resolve() }, timeoutMs: 300_000 });
        // The model: one immutable record of every pending uid, through core's functions.
        let model: ResourceVersionExpectations = {};
        for (const s of steps) {
          const object = { metadata: { uid: s.uid, resourceVersion: s.rv } };
          if (s.op === 'expect') {
            tracker.expect(object);
            model = expectResourceVersion(model, object, now);
          } else if (s.op === 'observe') {
            tracker.observe(object);
            model = observeResourceVersion(model, object);
          } else if (s.op === 'forget') {
            tracker.forget(s.uid);
            model = Object.fromEntries(Object.entries(model).filter(([key]) => key !== s.uid));
          } else now += s.ms;
          for (const u of ['a', 'b', 'c']) {
            const unseen = { metadata: { uid: u, resourceVersion: '' } };
            expect(tracker.check(u)).toEqual(u in model ? checkResourceVersion(model, unseen, now, 300_000) : { kind: 'satisfied' });
          }
          expect(tracker.size).toBe(Object.keys(model).length);
        }
      }),
    );
  });
});

