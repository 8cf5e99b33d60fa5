import { describe, expect, it } from 'vitest';
import { Subject } from 'rxjs';
import { createFakeClock } from '../memory/fakeClock.js';
import type { KubeObject } from '../resourceType.js';
import type { InformerEvent } from '../watch/informer.js';
import { connectObserver, controllerKeyOf } from './controllerKey.js';
import { createScaleExpectations } from './scaleExpectations.js';

const pod = (name: string, extra: Partial<KubeObject['metadata']> = {}): KubeObject => ({
  metadata: {
    name,
    namespace: 'default',
    ownerReferences: [{ apiVersion: 'apps.kruise.io/v1beta1', kind: 'CloneSet', name: 'web', uid: 'cs-uid', controller: true }],
    ...extra,
  },
});

describe('controllerKeyOf', () => {
  it.each([
    ['controller owner', pod('p'), 'default/web'],
    ['no controller owner', { metadata: { name: 'p', namespace: 'default', ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'x', uid: 'u' }] } }, undefined],
    ['cluster-scoped object', { metadata: { name: 'n', ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'x', uid: 'u', controller: true }] } }, 'x'],
  ])('%s', (_story, object, expected) => {
    expect(controllerKeyOf(object as KubeObject)).toBe(expected);
  });
});

describe('createScaleExpectations', () => {
  it('is satisfied once informer events show every creation and deletion', () => {
    const clock = createFakeClock({ mode: 'manual', start: 1_700_000_000_000 });
    const tracker = createScaleExpectations({ clock });
    const events = new Subject<InformerEvent<KubeObject>>();
    const subscription = connectObserver(tracker, events);
    expect(tracker.satisfied('default/web')).toBe(true);
    tracker.expect('default/web', 'create', ['web-a', 'web-b']);
    tracker.expect('default/web', 'delete', ['web-old']);
    expect(tracker.satisfied('default/web')).toBe(false);
    events.next({ type: 'added', object: pod('web-a') });
    events.next({ type: 'added', object: pod('web-b') });
    expect(tracker.pending('default/web')).toMatchObject({ create: [], delete: ['web-old'] });
    events.next({ type: 'updated', object: pod('web-old', { deletionTimestamp: '2026-11-02T10:00:00Z' }), previous: pod('web-old') });
    expect(tracker.satisfied('default/web')).toBe(true);
    subscription.unsubscribe();
  });

  it('clears a pending create when the object is deleted before the cache saw it', () => {
    const clock = createFakeClock({ mode: 'manual', start: 1_700_000_000_000 });
    const tracker = createScaleExpectations({ clock });
    const events = new Subject<InformerEvent<KubeObject>>();
    const subscription = connectObserver(tracker, events);
    tracker.expect('default/web', 'create', ['web-a']);
    events.next({ type: 'deleted', object: pod('web-a') });
    expect(tracker.satisfied('default/web')).toBe(true);
    subscription.unsubscribe();
  });

  it('reports time left, then expires after the timeout (fake clock)', async () => {
    const clock = createFakeClock({ mode: 'manual', start: 1_700_000_000_000 });
    const tracker = createScaleExpectations({ clock, timeoutMs: 300_000 });
    tracker.expect('default/web', 'create', ['web-a']);
    await clock.advance(60_000);
    expect(tracker.check('default/web')).toMatchObject({ kind: 'unsatisfied', unsatisfiedForMs: 60_000, requeueAfterMs: 240_000 });
    tracker.expect('default/web', 'create', ['web-b']); // a later expectation does not restart the clock
    await clock.advance(240_000);
    expect(tracker.check('default/web')).toMatchObject({ kind: 'timed-out', pending: { create: ['web-a', 'web-b'] } });
    expect(tracker.satisfied('default/web')).toBe(true);
    expect(tracker.pending('default/web')).toEqual({ create: [], delete: [] });
  });

  it('observes failed writes, cache contents, and forgets a deleted controller', () => {
    const tracker = createScaleExpectations({ clock: createFakeClock({ mode: 'manual', start: 1_700_000_000_000 }) });
    tracker.expect('default/web', 'create', ['web-a', 'web-b']);
    tracker.observe('default/web', 'create', ['web-b']); // the create failed: never coming
    tracker.observeCache('default/web', ['web-a']);
    expect(tracker.satisfied('default/web')).toBe(true);
    tracker.expect('default/web', 'delete', ['web-a']);
    tracker.observeEvent({ type: 'added', object: pod('web-a', { ownerReferences: [] }) }); // not ours: ignored
    tracker.forget('default/web');
    expect(tracker.satisfied('default/web')).toBe(true);
  });
});
