import type { NodeImageStatus } from '@kruise-ts/core';
import { createFakeClock } from '@kruise-ts/k8s-adapter';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { createStatusWriter, statusRefreshMs } from './createStatusWriter.js';

const status = (succeeded: number): NodeImageStatus => ({ desired: 10, succeeded, failed: 0, pulling: 10 - succeeded });

describe('statusRefreshMs', () => {
  it.each([
    [0, 12 * 3600_000],
    [0.5, 12 * 3600_000 + 1800_000],
    [0.9999, 12 * 3600_000 + 3599_000],
  ])('draw %d → %d ms (12 h + 0–60 min in whole seconds)', (draw, expected) => {
    expect(statusRefreshMs(draw)).toBe(expected);
  });

  it('property: always within [12 h, 13 h)', () => {
    fc.assert(fc.property(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (draw) => statusRefreshMs(draw) >= 12 * 3600_000 && statusRefreshMs(draw) < 13 * 3600_000));
  });
});

describe('createStatusWriter', () => {
  it('writes an unchanged status again once 12 h + the drawn jitter have passed since the last write (OpenKruise refresh), and not before', async () => {
    const clock = createFakeClock({ mode: 'manual' });
    const written: number[] = [];
    const writer = createStatusWriter({ clock, random: () => 0.5, read: () => status(4), write: () => { written.push(clock.now()); return Promise.resolve(); } });
    const start = clock.now();
    writer.notify();
    await writer.idle();
    expect(written).toEqual([start]);
    await clock.advance(statusRefreshMs(0.5) - 1000);
    writer.notify();
    await writer.idle();
    expect(written).toHaveLength(1);
    await clock.advance(1000);
    await writer.idle();
    expect(written).toEqual([start, start + statusRefreshMs(0.5)]);
    // The next refresh is counted from that write.
    await clock.advance(statusRefreshMs(0.5));
    await writer.idle();
    expect(written).toHaveLength(3);
    writer.stop();
    expect(clock.pending).toBe(0);
  });

  it('writes a changed status, skips an unchanged one, and retries a failed write', async () => {
    const clock = createFakeClock({ mode: 'auto' });
    let current = status(0);
    const written: NodeImageStatus[] = [];
    let failNext = true;
    const writer = createStatusWriter({
      clock,
      read: () => current,
      write: (s) => {
        if (failNext) {
          failNext = false;
          return Promise.reject(new Error('409 conflict'));
        }
        written.push(s);
        return Promise.resolve();
      },
    });
    writer.notify();
    await writer.idle();
    expect(written).toEqual([status(0)]);
    writer.notify();
    await writer.idle();
    expect(writer.writes()).toBe(1);
    current = status(3);
    writer.notify();
    await writer.idle();
    expect(written).toEqual([status(0), status(3)]);
    writer.stop();
    clock.dispose();
  });

  it('property: n changes over t seconds cost at most burst + t × qps writes, and the last status is always written', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 3000 }), { minLength: 1, maxLength: 60 }), async (gaps) => {
        const clock = createFakeClock();
        let current = status(0);
        const written: NodeImageStatus[] = [];
        const writer = createStatusWriter({ clock, read: () => current, write: (s) => { written.push(s); return Promise.resolve(); } });
        const start = clock.now();
        for (const [i, gap] of gaps.entries()) {
          current = status(i + 1);
          writer.notify();
          await clock.advance(gap);
        }
        while (writer.writes() === 0 || written.at(-1) !== current) await clock.advance(1000);
        const seconds = (clock.now() - start) / 1000;
        expect(written.length).toBeLessThanOrEqual(5 + Math.ceil(seconds * 0.5));
        expect(written.at(-1)).toEqual(status(gaps.length));
        writer.stop();
        clock.dispose();
      }),
      { numRuns: 30 },
    );
  });

  it('a large burst of notifications is folded into few writes', async () => {
    const clock = createFakeClock({ mode: 'auto' });
    let n = 0;
    const writes = vi.fn(() => Promise.resolve());
    const writer = createStatusWriter({ clock, read: () => status(n), write: writes });
    for (n = 0; n < 1000; n += 1) writer.notify();
    await writer.idle();
    expect(writes.mock.calls.length).toBeLessThanOrEqual(2);
    writer.stop();
    clock.dispose();
  });
});
