import { describe, expect, it } from 'vitest';
import { parseManagerFlags } from './managerFlags.js';
import { resolveManagerSettings } from './resolveManagerSettings.js';

const identity = { hostname: 'host', uuid: 'u' };
const resolve = (argv: string[]) => {
  const parsed = parseManagerFlags(argv, {});
  if (parsed.kind !== 'ok') throw new Error(parsed.problems.join('; '));
  return resolveManagerSettings(parsed.flags, identity);
};

describe('resolveManagerSettings: controllers behind a feature gate', () => {
  it('"*" leaves resourcedistribution out while ResourceDistributionGate is off (OpenKruise’s default)', () => {
    const resolved = resolve([]);
    expect(resolved.kind === 'ok' && resolved.settings.controllers).not.toContain('resourcedistribution');
    expect(resolved.kind === 'ok' && resolved.settings.controllers).toContain('cloneset');
  });

  it('"*" runs it with the gate on, with its workers flag', () => {
    const resolved = resolve(['--feature-gates=ResourceDistributionGate=true', '--resourcedistribution-workers=5']);
    expect(resolved.kind === 'ok' && resolved.settings.controllers).toContain('resourcedistribution');
    expect(resolved.kind === 'ok' && resolved.settings.workers.resourcedistribution).toBe(5);
  });

  it('naming it without the gate is a problem that says which gate', () => {
    expect(resolve(['--controllers=resourcedistribution'])).toEqual({ kind: 'invalid', problems: ['--controllers: resourcedistribution needs --feature-gates=ResourceDistributionGate=true'] });
  });
});

describe('resolveManagerSettings: --ws-enabled-versioned-status (OpenKruise’s flag)', () => {
  it.each([
    [[], ['deployment', 'replicaset']],
    [['--ws-enabled-versioned-status=Deployment,CloneSet'], ['cloneset', 'deployment', 'replicaset']],
    [['--ws-enabled-versioned-status='], []],
  ])('%j → %j', (argv, kinds) => {
    const resolved = resolve(argv);
    expect(resolved.kind === 'ok' && [...resolved.settings.workloadSpreadVersionedKinds].sort()).toEqual(kinds);
  });
});

describe('resolveManagerSettings: --nodeimage-creation-delay (OpenKruise’s flag, a Go duration)', () => {
  it.each([
    [[], 30_000],
    [['--nodeimage-creation-delay=0s'], 0],
    [['--nodeimage-creation-delay=1m30s'], 90_000],
    [['--nodeimage-creation-delay=250ms'], 250],
  ])('%j → %d ms', (argv, ms) => {
    const resolved = resolve(argv);
    expect(resolved.kind === 'ok' && resolved.settings.nodeImageCreationDelayMs).toBe(ms);
  });

  it('a value without a unit is refused, naming the flag', () => {
    expect(resolve(['--nodeimage-creation-delay=30'])).toEqual({ kind: 'invalid', problems: ['--nodeimage-creation-delay: time: missing unit in duration "30"'] });
  });
});

describe('resolveManagerSettings: --request-timeout and --watch-idle-timeout (Go durations, issue 20)', () => {
  it.each([
    [[], 30_000, 300_000],
    [['--request-timeout=5s', '--watch-idle-timeout=8s'], 5_000, 8_000],
    [['--request-timeout=1m', '--watch-idle-timeout=1h30m'], 60_000, 5_400_000],
  ])('%j → request %d ms, watch idle %d ms', (argv, request, idle) => {
    const resolved = resolve(argv);
    expect(resolved.kind === 'ok' && [resolved.settings.requestTimeoutMs, resolved.settings.watchIdleTimeoutMs]).toEqual([request, idle]);
  });

  it.each([
    [['--watch-idle-timeout=300'], '--watch-idle-timeout: time: missing unit in duration "300"'],
    [['--request-timeout=500ms'], '--request-timeout: must be at least 1s, got 500ms'],
    [['--watch-idle-timeout=0'], '--watch-idle-timeout: must be at least 1s, got 0'],
  ])('%j is refused, naming the flag', (argv, problem) => {
    expect(resolve(argv)).toEqual({ kind: 'invalid', problems: [problem] });
  });

  it('the environment sets them too', () => {
    const parsed = parseManagerFlags([], { KRUISE_TS_WATCH_IDLE_TIMEOUT: '45s', KRUISE_TS_REQUEST_TIMEOUT: '10s' });
    const resolved = parsed.kind === 'ok' ? resolveManagerSettings(parsed.flags, identity) : parsed;
    expect(resolved.kind === 'ok' && [resolved.settings.requestTimeoutMs, resolved.settings.watchIdleTimeoutMs]).toEqual([10_000, 45_000]);
  });
});
