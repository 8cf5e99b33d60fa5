import type { KubeEvent } from '../ports.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COMBINED_EVENT_PREFIX, createEventCorrelator, type EventVerdict } from './eventCorrelator.js';

const created = (n: number, name = 'web'): KubeEvent => ({
  subject: { apiVersion: 'apps.kruise.io/v1alpha1', kind: 'CloneSet', name, namespace: 'default', uid: `u-${name}` },
  type: 'Normal',
  reason: 'SuccessfulCreate',
  message: `succeed to create pod ${name}-${String(n)}`,
});
const T0 = Date.UTC(2025, 0, 1);
const MIN = 60_000;

/** What each verdict amounts to: the message written, or `skip`. */
const outcome = (v: EventVerdict): string => (v.kind === 'skip' ? 'skip' : v.event.message);

describe('createEventCorrelator', () => {
  it('500 creations by one CloneSet in a minute: 9 as they are, 16 combined into one, the rest skipped', () => {
    const correlator = createEventCorrelator();
    const verdicts = Array.from({ length: 500 }, (_, i) => correlator.correlate(created(i), T0 + i * 100));
    expect(verdicts.slice(0, 9).map(outcome)).toEqual(Array.from({ length: 9 }, (_, i) => `succeed to create pod web-${String(i)}`));
    expect(verdicts.slice(9, 25).map(outcome)).toEqual(Array.from({ length: 16 }, (_, i) => `${COMBINED_EVENT_PREFIX}succeed to create pod web-${String(i + 9)}`));
    expect(new Set(verdicts.slice(9).map((v) => v.key)).size).toBe(1); // every combined one is one Event
    expect(verdicts.slice(25).every((v) => v.kind === 'skip')).toBe(true);
  });

  it('the spam filter lets one more event through every 5 minutes', () => {
    const correlator = createEventCorrelator();
    for (let i = 0; i < 25; i++) correlator.correlate(created(i), T0);
    expect(correlator.correlate(created(25), T0 + 4 * MIN).kind).toBe('skip');
    expect(correlator.correlate(created(26), T0 + 5 * MIN).kind).toBe('record');
    expect(correlator.correlate(created(27), T0 + 5 * MIN).kind).toBe('skip');
  });

  it.each([
    ['another object', created(0, 'api')],
    ['a Warning about the same object', { ...created(0), type: 'Warning' as const, reason: 'FailedCreate' }],
  ])('keeps a separate budget for %s', (_story, other) => {
    const correlator = createEventCorrelator();
    for (let i = 0; i < 30; i++) correlator.correlate(created(i), T0);
    expect(outcome(correlator.correlate(other, T0))).toBe(other.message);
  });

  it('identical repeats are never combined, and share one key', () => {
    const correlator = createEventCorrelator();
    const verdicts = Array.from({ length: 20 }, () => correlator.correlate(created(1), T0));
    expect(verdicts.map(outcome)).toEqual(Array.from({ length: 20 }, () => 'succeed to create pod web-1'));
    expect(new Set(verdicts.map((v) => v.key)).size).toBe(1);
  });

  it('similar events more than 10 minutes after the last are counted afresh', () => {
    const correlator = createEventCorrelator({ spamBurst: 1000 });
    for (let i = 0; i < 12; i++) correlator.correlate(created(i), T0);
    expect(outcome(correlator.correlate(created(12), T0 + 10 * MIN))).toMatch(/^\(combined from similar events\)/);
    expect(outcome(correlator.correlate(created(13), T0 + 21 * MIN))).toBe('succeed to create pod web-13');
  });

  it('property: never more than burst + elapsed/5min events recorded for one object, and nothing skipped below that', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 120_000 }), { minLength: 1, maxLength: 200 }), (gaps) => {
        const correlator = createEventCorrelator();
        let now = T0;
        const recorded = gaps.map((gap, i) => {
          now += gap;
          return correlator.correlate(created(i), now).kind === 'record';
        });
        const allowed = 25 + (now - T0) / (5 * MIN);
        const count = recorded.filter(Boolean).length;
        expect(count).toBeLessThanOrEqual(Math.floor(allowed + 1e-9));
        expect(recorded.slice(0, 25).every(Boolean)).toBe(true);
      }),
    );
  });
});
