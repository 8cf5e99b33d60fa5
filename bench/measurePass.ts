import { performance } from 'node:perf_hooks';

/** How many times {@link measurePass} runs a pass. */
export interface MeasureOptions {
  /** Runs first, not timed (JIT warm-up). */
  readonly warmup: number;
  /** Timed runs. */
  readonly runs: number;
}

/**
 * Runs `run` `warmup` times, then times `runs` runs and prints one line: `name`, the median, p95
 * and fastest time in ms, and a checksum of what the runs returned (so the work is not optimised
 * away). On a loaded machine the fastest run is the closest to the pass's own cost.
 *
 * @example measurePass('planCloneSetPass, 10000 pods', () => plan().effects.length, { warmup: 5, runs: 30 })
 *   // planCloneSetPass, 10000 pods     median    9.80 ms   p95   12.10 ms   min    9.20 ms   (checksum 350)
 */
export function measurePass(name: string, run: () => number, options: MeasureOptions): void {
  let sink = 0;
  for (let i = 0; i < options.warmup; i++) sink += run();
  const times: number[] = [];
  for (let i = 0; i < options.runs; i++) {
    const start = performance.now();
    sink += run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? Number.NaN;
  const ms = (value: number) => value.toFixed(2).padStart(7);
  process.stdout.write(`${name.padEnd(58)} median ${ms(at(0.5))} ms   p95 ${ms(at(0.95))} ms   min ${ms(at(0))} ms   (checksum ${String(sink)})\n`);
}
