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
});
