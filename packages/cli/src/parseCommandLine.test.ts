import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COMMANDS, commandHelp, topHelp } from './commandTable.js';
import { parseCommandLine, parseDuration } from './parseCommandLine.js';

// A value each string flag accepts, to check that every flag `--help` lists is one the parser takes.
const SAMPLE: Readonly<Record<string, string>> = { timeout: '30s', output: 'yaml', namespace: 'prod', kubeconfig: '/tmp/kc', filename: 'cs.yaml', pods: 'pods.yaml', 'max-steps': '3', revision: '2', 'to-revision': '1', 'dry-run': 'client', set: 'image=main=nginx:2', 'ready-after': '5s', to: 'cloneset', 'dst-name': 'web2', replicas: '3', 'max-surge': '2', 'kruise-namespace': 'kruise-system', 'feature-gates': 'InPlaceWorkloadVerticalScaling=true' };

describe('--help of every command is generated from the table the parser reads', () => {
  for (const command of COMMANDS) {
    const name = command.path.join(' ');
    const help = commandHelp(command);
    const listed = [...help.matchAll(/^ {2}(?:-(\w), )? *--([\w-]+)/gm)].map(([, short, long]) => ({ short, long: long ?? '' }));

    it(`${name}: --help and -h print it`, () => {
      expect(parseCommandLine([...command.path, '--help'])).toEqual({ kind: 'help', text: help });
      expect(parseCommandLine([...command.path, '-h'])).toEqual({ kind: 'help', text: help });
      expect(help).toContain(`kruise-ts ${name}`);
    });

    it(`${name}: lists exactly the flags the parser takes, and each one parses`, () => {
      expect(listed.map((f) => f.long).sort()).toEqual(command.flags.map((f) => f.name).sort());
      for (const { short, long } of listed.filter((f) => f.long !== 'help')) {
        const flag = command.flags.find((f) => f.name === long);
        const value = flag?.type === 'string' ? SAMPLE[long] : undefined;
        expect(value !== undefined || flag?.type === 'boolean', `a sample value for --${long}`).toBe(true);
        const args = value === undefined ? [`--${long}`] : [`--${long}=${value}`];
        const line = parseCommandLine([...command.path, ...(command.args === '' ? [] : ['cs/web']), ...args]);
        expect(line.kind, `--${long}`).toBe('run');
        const parsed = (v: string | undefined) => (flag?.multiple === true ? [v] : (v ?? true));
        if (line.kind === 'run') expect(line.flags[long]).toEqual(parsed(value));
        if (short !== undefined) {
          const viaShort = parseCommandLine([...command.path, `-${short}`, ...(value === undefined ? [] : [value])]);
          expect(viaShort.kind === 'run' ? viaShort.flags[long] : viaShort, `-${short}`).toEqual(parsed(value));
        }
      }
    });

    it(`${name}: an unknown flag is refused, naming it`, () => {
      const line = parseCommandLine([...command.path, '--no-such-flag']);
      expect(line.kind).toBe('invalid');
      expect(line.kind === 'invalid' ? line.message : '').toContain('--no-such-flag');
    });
  }

  it('no command (or help) prints every command', () => {
    expect(parseCommandLine([])).toEqual({ kind: 'help', text: topHelp() });
    for (const command of COMMANDS) expect(topHelp()).toContain(command.path.join(' '));
  });
});

describe('parseCommandLine', () => {
  interface Row {
    readonly argv: readonly string[];
    readonly positionals?: readonly string[];
    readonly flags?: Readonly<Record<string, string | boolean>>;
    readonly error?: string;
  }
  const table: readonly Row[] = [
    { argv: ['rollout', 'status', 'cs/web'], positionals: ['cs/web'], flags: { watch: true, timeout: '0s', namespace: 'default' } },
    { argv: ['rollout', 'status', 'cs', 'web', '--watch=false'], positionals: ['cs', 'web'], flags: { watch: false } },
    { argv: ['rollout', 'status', '--watch=true', 'cs/web'], positionals: ['cs/web'], flags: { watch: true } },
    { argv: ['rollout', 'status', 'cs/web', '--no-watch'], flags: { watch: false } },
    { argv: ['rollout', 'status', 'cs/web', '--watch=maybe'], error: '--watch: "maybe" is not a boolean (true or false)' },
    { argv: ['rollout', 'pause', 'cs/web', '-o', 'xml'], error: '--output: "xml" is not json or yaml' },
    { argv: ['rollout', 'rewind', 'cs/web'], error: 'unknown command "rollout rewind cs/web"' },
    { argv: ['rollout', 'undo', 'cs/web', '--to-revision=2'], positionals: ['cs/web'], flags: { 'to-revision': '2', namespace: 'default' } },
    { argv: ['rollout', 'history', 'cs', 'web', '--revision', '3', '-o', 'json'], positionals: ['cs', 'web'], flags: { revision: '3', output: 'json' } },
    { argv: ['scaledown', 'cs/web', '--pods', 'web-a,web-b'], positionals: ['cs/web'], flags: { pods: 'web-a,web-b' } },
    { argv: ['explain', 'pod/web-a', '-n', 'prod'], positionals: ['pod/web-a'], flags: { namespace: 'prod' } },
    { argv: ['completion', 'fish'], positionals: ['fish'], flags: {} },
    { argv: ['completion', 'bash', '-n', 'x'], error: "Unknown option '-n'" },
    { argv: ['plan', '-f', 'a.yaml', '--pods', 'p.yaml'], positionals: [], flags: { filename: 'a.yaml', pods: 'p.yaml', 'max-steps': '20' } },
  ];
  for (const row of table) {
    it(row.argv.join(' '), () => {
      const line = parseCommandLine(row.argv);
      if (row.error !== undefined) {
        expect(line.kind).toBe('invalid');
        expect(line.kind === 'invalid' ? line.message : '').toContain(row.error);
        return;
      }
      expect(line.kind).toBe('run');
      if (line.kind !== 'run') return;
      if (row.positionals !== undefined) expect(line.positionals).toEqual(row.positionals);
      for (const [name, value] of Object.entries(row.flags ?? {})) expect(line.flags[name], name).toBe(value);
    });
  }
});

describe('parseDuration', () => {
  const table: ReadonlyArray<readonly [string, number | undefined]> = [
    ['0', 0],
    ['0s', 0],
    ['30s', 30_000],
    ['1m30s', 90_000],
    ['2h', 7_200_000],
    ['250ms', 250],
    ['1.5s', 1500],
    ['10', undefined],
    ['5 m', undefined],
    ['', undefined],
  ];
  for (const [text, ms] of table) {
    it(`"${text}" → ${ms ?? 'invalid'}`, () => {
      const parsed = parseDuration(text);
      expect(parsed.kind === 'ok' ? parsed.ms : undefined).toBe(ms);
    });
  }

  it('h, m, s and ms add up', () => {
    fc.assert(
      fc.property(fc.nat(99), fc.nat(59), fc.nat(59), fc.nat(999), (h, m, s, ms) => {
        expect(parseDuration(`${h}h${m}m${s}s${ms}ms`)).toEqual({ kind: 'ok', ms: ((h * 60 + m) * 60 + s) * 1000 + ms });
      }),
    );
  });
});
