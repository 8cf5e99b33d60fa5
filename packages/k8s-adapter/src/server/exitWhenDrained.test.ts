import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { exitWhenDrained } from './exitWhenDrained.js';

describe('exitWhenDrained', () => {
  const exitCode = process.exitCode;
  afterEach(() => {
    vi.useRealTimers();
    process.exitCode = exitCode;
  });

  it('sets the exit code, and after the grace exits with it and reports what held the loop', () => {
    vi.useFakeTimers();
    const exits: number[] = [];
    const reports: [readonly string[], number][] = [];
    exitWhenDrained(3, { graceMs: 500, exit: (c) => exits.push(c), activeResources: () => ['TCPSocketWrap', 'Timeout'], report: (r, ms) => reports.push([r, ms]) });
    vi.advanceTimersByTime(499);
    expect(exits).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(exits).toEqual([3]);
    expect(reports).toEqual([[['TCPSocketWrap', 'Timeout'], 500]]);
    expect(process.exitCode).toBe(3);
  });

  // Real processes: the grace timer never keeps one alive, and a handle left open costs only the grace.
  const run = (body: string) => {
    const started = Date.now();
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', body], { encoding: 'utf8', timeout: 20_000 });
    return { status: child.status, stderr: child.stderr, ms: Date.now() - started };
  };
  const source = exitWhenDrained.toString();

  it('a process with nothing left on its loop exits at once with the code', () => {
    const { status, stderr, ms } = run(`${source}\nexitWhenDrained(4, { graceMs: 10_000 });`);
    expect(status).toBe(4);
    expect(stderr).toBe('');
    expect(ms).toBeLessThan(9_000);
  });

  it('a process with a listening socket left open exits after the grace, naming the socket', () => {
    const { status, stderr } = run(`import { createServer } from 'node:net';\ncreateServer().listen(0, '127.0.0.1');\n${source}\nexitWhenDrained(5, { graceMs: 300 });`);
    expect(status).toBe(5);
    expect(stderr).toContain('TCPServerWrap');
  });
});
