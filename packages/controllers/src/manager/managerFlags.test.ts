import { describe, expect, it } from 'vitest';
import { MANAGER_FLAGS, managerHelp, parseManagerFlags } from './managerFlags.js';

describe('parseManagerFlags', () => {
  it('uses the defaults of OpenKruise when nothing is given', () => {
    const parsed = parseManagerFlags([], {});
    expect(parsed).toMatchObject({ kind: 'ok', flags: { 'enable-leader-election': true, 'leader-election-namespace': 'kruise-system', 'metrics-addr': ':8080', 'health-probe-addr': ':8000', 'rest-config-qps': 30, 'rest-config-burst': 50 } });
  });

  it.each([
    ['a flag wins over its environment variable', ['--rest-config-qps=100'], { KRUISE_TS_REST_CONFIG_QPS: '5' }, { 'rest-config-qps': 100 }],
    ['the environment variable wins over the default', [], { KRUISE_TS_REST_CONFIG_QPS: '5' }, { 'rest-config-qps': 5 }],
    ['a boolean flag can be negated', ['--no-enable-leader-election'], {}, { 'enable-leader-election': false }],
    ['a boolean comes from the environment', [], { KRUISE_TS_ENABLE_LEADER_ELECTION: 'false' }, { 'enable-leader-election': false }],
    ['KUBECONFIG is honoured', [], { KUBECONFIG: '/tmp/kc' }, { kubeconfig: '/tmp/kc' }],
  ])('%s', (_story, argv, env, expected) => {
    const parsed = parseManagerFlags(argv, env);
    expect(parsed.kind).toBe('ok');
    expect(parsed.kind === 'ok' && parsed.flags).toMatchObject(expected);
  });

  it.each([
    [['--rest-config-qps=fast'], {}, '--rest-config-qps: must be a non-negative number, got "fast"'],
    [[], { KRUISE_TS_ENABLE_LEADER_ELECTION: 'yes' }, '--enable-leader-election: must be true or false, got "yes"'],
    [['--no-such-flag'], {}, "Unknown option '--no-such-flag'"],
  ])('rejects %j %j', (argv, env, message) => {
    const parsed = parseManagerFlags(argv, env);
    expect(parsed.kind).toBe('invalid');
    expect(parsed.kind === 'invalid' && parsed.problems.join('\n')).toContain(message);
  });
});

describe('managerHelp', () => {
  it('lists every flag with its environment variable', () => {
    const help = managerHelp();
    for (const [name, spec] of Object.entries(MANAGER_FLAGS)) {
      expect(help).toContain(`--${name}`);
      if (spec.env !== '') expect(help).toContain(`env ${spec.env}`);
    }
  });
});
