import { describe, expect, it } from 'vitest';
import { daemonHelp, parseDaemonFlags } from './daemonFlags.js';

describe('parseDaemonFlags', () => {
  it('defaults: loopback :10221, containerd socket, 5 workers', () => {
    expect(parseDaemonFlags([], { NODE_NAME: 'node-a' })).toEqual({
      kind: 'ok',
      settings: { nodeName: 'node-a', kubeconfig: '', runtimeEndpoint: 'unix:///run/containerd/containerd.sock', addr: { host: '127.0.0.1', port: 10221 }, maxWorkersForPullImage: 5, logLevel: 'info', featureGates: {}, help: false, version: false },
    });
  });

  it('flags win over the environment', () => {
    const parsed = parseDaemonFlags(['--max-workers-for-pull-image=-1', '--addr', ':0', '--runtime-endpoint=/tmp/cri.sock'], { NODE_NAME: 'n', KRUISE_TS_MAX_WORKERS_FOR_PULL_IMAGE: '3', KUBECONFIG: '/k' });
    expect(parsed).toMatchObject({ kind: 'ok', settings: { maxWorkersForPullImage: -1, addr: { host: '0.0.0.0', port: 0 }, runtimeEndpoint: '/tmp/cri.sock', kubeconfig: '/k' } });
  });

  it.each([
    [[], {}, 'NODE_NAME is not set: the daemon acts for one node; set it from spec.nodeName through the downward API'],
    [['--addr=nope'], { NODE_NAME: 'n' }, '--addr: must be host:port, got "nope"'],
    [['--max-workers-for-pull-image=0'], { NODE_NAME: 'n' }, '--max-workers-for-pull-image: must be a whole number ≥ 1, or -1 for no bound, got "0"'],
    [['--log-level=loud'], { NODE_NAME: 'n' }, '--log-level: must be one of fatal, error, warn, info, debug, trace, silent, got "loud"'],
    [['--runtime-endpoint=tcp://x:1'], { NODE_NAME: 'n' }, '--runtime-endpoint: must be a unix socket (unix:///path or /path), got "tcp://x:1"'],
    [['--feature-gates=InPlaceUpdateEnvFromMetadata'], { NODE_NAME: 'n' }, '--feature-gates: each gate must be Name=true or Name=false, got "InPlaceUpdateEnvFromMetadata"'],
  ])('%j %j → %s', (argv, env, problem) => {
    expect(parseDaemonFlags(argv, env)).toEqual({ kind: 'invalid', problems: [problem] });
  });

  it('feature gates from the flag or KRUISE_TS_FEATURE_GATES; any gate name is kept (the chart passes the manager\'s gates too)', () => {
    expect(parseDaemonFlags(['--feature-gates=InPlaceUpdateEnvFromMetadata=false, SidecarTerminator=TRUE'], { NODE_NAME: 'n' })).toMatchObject({ kind: 'ok', settings: { featureGates: { InPlaceUpdateEnvFromMetadata: false, SidecarTerminator: true } } });
    expect(parseDaemonFlags([], { NODE_NAME: 'n', KRUISE_TS_FEATURE_GATES: 'InPlaceUpdateEnvFromMetadata=true' })).toMatchObject({ kind: 'ok', settings: { featureGates: { InPlaceUpdateEnvFromMetadata: true } } });
  });

  it('an unknown flag is refused; --help needs no NODE_NAME', () => {
    expect(parseDaemonFlags(['--nope'], { NODE_NAME: 'n' })).toMatchObject({ kind: 'invalid' });
    expect(parseDaemonFlags(['--help'], {})).toMatchObject({ kind: 'ok', settings: { help: true } });
    expect(daemonHelp()).toContain('--max-workers-for-pull-image');
  });
});
