import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SERVER_TIME_GRANULARITY_MS, estimateClockOffset, type ServerTimeSample } from './estimateClockOffset.js';

/** A write sent at local `sentAtMs`, stamped `stampAfterMs` later by a server `offsetMs` off, answered `latencyMs` after sending. */
const sample = (offsetMs: number, sentAtMs: number, stampAfterMs: number, latencyMs: number, fresh: boolean): ServerTimeSample => ({
  serverTimeMs: Math.floor((sentAtMs + stampAfterMs + offsetMs) / SERVER_TIME_GRANULARITY_MS) * SERVER_TIME_GRANULARITY_MS,
  sentAtMs,
  receivedAtMs: sentAtMs + latencyMs,
  fresh,
});

describe('estimateClockOffset', () => {
  it.each([
    { story: 'nothing written yet → local clock', samples: [], expected: { kind: 'no-samples', offsetMs: 0 } },
    { story: 'in sync, stamped 700 ms into a second', samples: [{ serverTimeMs: 5_000_000, sentAtMs: 5_000_700, receivedAtMs: 5_000_720, fresh: true }], expected: { kind: 'in-sync', offsetMs: 0, lowerMs: -720, upperMs: 300 } },
    { story: 'in sync, stamped 1 ms into a second', samples: [{ serverTimeMs: 5_000_000, sentAtMs: 4_999_995, receivedAtMs: 5_000_010, fresh: true }], expected: { kind: 'in-sync', offsetMs: 0, lowerMs: -10, upperMs: 1005 } },
    {
      story: 'manager 120 s ahead: the lower bound, 420 ms behind the truth',
      samples: [{ serverTimeMs: 1_000_000_000, sentAtMs: 1_000_120_400, receivedAtMs: 1_000_120_420, fresh: true }],
      expected: { kind: 'skewed', offsetMs: -120_420, lowerMs: -120_420, upperMs: -119_400 },
    },
    {
      story: 'manager 120 s ahead, a second write stamped just after a second → 20 ms behind',
      samples: [
        { serverTimeMs: 1_000_000_000, sentAtMs: 1_000_120_400, receivedAtMs: 1_000_120_420, fresh: true },
        { serverTimeMs: 1_000_003_000, sentAtMs: 1_000_123_000, receivedAtMs: 1_000_123_020, fresh: false },
      ],
      expected: { kind: 'skewed', offsetMs: -120_020, lowerMs: -120_020, upperMs: -119_400 },
    },
    {
      story: 'manager 30 s behind: now moved forward by the lower bound',
      samples: [{ serverTimeMs: 1_000_030_000, sentAtMs: 1_000_000_200, receivedAtMs: 1_000_000_230, fresh: true }],
      expected: { kind: 'skewed', offsetMs: 29_770, lowerMs: 29_770, upperMs: 30_800 },
    },
    {
      story: 'only patches (lower bounds): 120 s ahead cannot be told from stale stamps → in-sync',
      samples: [{ serverTimeMs: 1_000_000_000, sentAtMs: 1_000_120_400, receivedAtMs: 1_000_120_420, fresh: false }],
      expected: { kind: 'in-sync', offsetMs: 0, lowerMs: -120_420, upperMs: Infinity },
    },
    {
      story: 'in sync, a patch answered with a stamp of 60 s ago (it changed nothing) → still in-sync',
      samples: [
        { serverTimeMs: 5_000_000, sentAtMs: 5_000_700, receivedAtMs: 5_000_720, fresh: true },
        { serverTimeMs: 4_941_000, sentAtMs: 5_001_100, receivedAtMs: 5_001_120, fresh: false },
      ],
      expected: { kind: 'in-sync', offsetMs: 0, lowerMs: -720, upperMs: 300 },
    },
    {
      story: 'local clock stepped 1 h forward after a sample: the older sample contradicts the newer and is left out',
      samples: [
        { serverTimeMs: 5_000_000, sentAtMs: 5_000_700, receivedAtMs: 5_000_720, fresh: true },
        { serverTimeMs: 5_002_000, sentAtMs: 8_602_100, receivedAtMs: 8_602_120, fresh: true },
      ],
      expected: { kind: 'skewed', offsetMs: -3_600_120, lowerMs: -3_600_120, upperMs: -3_599_100 },
    },
  ])('$story', ({ samples, expected }) => {
    expect(estimateClockOffset(samples)).toEqual(expected);
  });

  type Write = { gapMs: number; stampAfterMs: number; extraLatencyMs: number; fresh: boolean };
  const write = fc.record({ gapMs: fc.integer({ min: 0, max: 5_000 }), stampAfterMs: fc.integer({ min: 0, max: 50 }), extraLatencyMs: fc.integer({ min: 0, max: 50 }), fresh: fc.boolean() });
  // At least one create or update (a fresh stamp) among them.
  const writes = fc.tuple(fc.array(write, { maxLength: 40 }), write, fc.array(write, { maxLength: 40 })).map(([a, w, b]) => [...a, { ...w, fresh: true }, ...b]);
  const samplesOf = (offsetMs: number, startMs: number, ws: readonly Write[]): ServerTimeSample[] => {
    let at = startMs;
    return ws.map((w) => {
      at += w.gapMs;
      return sample(offsetMs, at, w.stampAfterMs, w.stampAfterMs + w.extraLatencyMs, w.fresh);
    });
  };

  it('property: a skew of S is estimated within the stamps granularity (plus the round trip) below S, never above', () => {
    fc.assert(
      fc.property(fc.integer({ min: -600_000, max: 600_000 }), fc.integer({ min: 1_700_000_000_000, max: 1_800_000_000_000 }), writes, (skewMs, startMs, ws) => {
        const estimate = estimateClockOffset(samplesOf(skewMs, startMs, ws));
        // The round trip is at most 100 ms here.
        if (estimate.kind === 'in-sync') expect(Math.abs(skewMs)).toBeLessThan(SERVER_TIME_GRANULARITY_MS + 100);
        else {
          expect(estimate.offsetMs).toBeLessThanOrEqual(skewMs);
          expect(estimate.offsetMs).toBeGreaterThan(skewMs - SERVER_TIME_GRANULARITY_MS - 100);
        }
      }),
    );
  });

  it('property: clocks in sync are always in-sync (offset 0, OpenKruise behaviour), beyond 1.1 s of skew always skewed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1_700_000_000_000, max: 1_800_000_000_000 }), writes, fc.integer({ min: 1_101, max: 600_000 }), fc.boolean(), (startMs, ws, skewMs, ahead) => {
        expect(estimateClockOffset(samplesOf(0, startMs, ws))).toMatchObject({ kind: 'in-sync', offsetMs: 0 });
        expect(estimateClockOffset(samplesOf(ahead ? -skewMs : skewMs, startMs, ws)).kind).toBe('skewed');
      }),
    );
  });

  it('property: after the local clock is stepped by X (beyond 2.2 s: twice the stamps granularity and round trips), one fresh sample is enough to leave the older ones out', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1_700_000_000_000, max: 1_800_000_000_000 }), writes, fc.integer({ min: 2_200, max: 3_600_000 }), fc.boolean(), write, (startMs, before, stepMs, forward, after) => {
        const older = samplesOf(0, startMs, before);
        const last = older.at(-1)?.receivedAtMs ?? startMs;
        const stepped = samplesOf(forward ? -stepMs : stepMs, last + (forward ? stepMs : -stepMs), [{ ...after, fresh: true }]);
        const estimate = estimateClockOffset([...older, ...stepped]);
        const truth = forward ? -stepMs : stepMs;
        expect(estimate.offsetMs).toBeLessThanOrEqual(truth);
        expect(estimate.offsetMs).toBeGreaterThan(truth - SERVER_TIME_GRANULARITY_MS - 100);
      }),
    );
  });
});
