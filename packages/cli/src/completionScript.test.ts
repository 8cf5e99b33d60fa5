import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from './commandTable.js';
import { completionScript } from './completionScript.js';
import { capture } from './cliCapture.testkit.js';
import { EXIT, runCli } from './runCli.js';

// Runs the bash script with a command line typed so far and returns what bash offers for the last word.
function bashOffers(line: readonly string[]): string[] {
  const script = `${completionScript('bash', COMMANDS)}
COMP_WORDS=(${line.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${String(line.length - 1)}
_kruise_ts; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const result = spawnSync('bash', ['--norc', '-c', script], { encoding: 'utf8' });
  expect(result.stderr).toBe('');
  return result.stdout.split('\n').filter((w) => w !== '').sort();
}

describe('completion scripts (generated from the command table)', () => {
  it.each([
    { story: 'the first word', line: ['kruise-ts', ''], want: ['completion', 'explain', 'migrate', 'plan', 'preview', 'rollout', 'scaledown'] },
    { story: 'rollout sub-commands', line: ['kruise-ts', 'rollout', ''], want: ['approve', 'history', 'pause', 'restart', 'resume', 'status', 'undo'] },
    { story: 'a prefix', line: ['kruise-ts', 'rollout', 'st'], want: ['status'] },
    { story: 'undo flags', line: ['kruise-ts', 'rollout', 'undo', '--to'], want: ['--to-revision'] },
    { story: 'workload types', line: ['kruise-ts', 'scaledown', 'a'], want: ['ads', 'asts'] },
    { story: 'flags after the workload', line: ['kruise-ts', 'rollout', 'history', 'cs/web', '--rev'], want: ['--revision'] },
    { story: 'sidecarset where the command takes one', line: ['kruise-ts', 'rollout', 'pause', 'si'], want: ['sidecarset'] },
    { story: 'no sidecarset where it does not', line: ['kruise-ts', 'scaledown', 'si'], want: [] },
    { story: 'status --revision and --kruise-namespace', line: ['kruise-ts', 'rollout', 'status', 'sidecarset/log', '--r'], want: ['--revision'] },
  ])('bash offers $story', ({ line, want }) => {
    expect(bashOffers(line)).toEqual(want);
  });

  it('every command and every flag is in each script', () => {
    for (const shell of ['bash', 'zsh', 'fish'] as const) {
      const script = completionScript(shell, COMMANDS);
      for (const command of COMMANDS) {
        for (const word of command.path) expect(script, `${shell}: ${word}`).toContain(word);
        for (const flag of command.flags) expect(script, `${shell}: --${flag.name}`).toMatch(shell === 'fish' ? new RegExp(`-l ${flag.name}\\b`) : new RegExp(`--${flag.name}\\b`));
      }
    }
  });

  it('the bash and zsh scripts parse (bash -n)', () => {
    for (const shell of ['bash', 'zsh'] as const) expect(spawnSync('bash', ['-n'], { input: completionScript(shell, COMMANDS), encoding: 'utf8' }).status).toBe(0);
  });

  it('kruise-ts completion SHELL prints the script; anything else is a usage error', async () => {
    const fish = capture(undefined);
    expect(await runCli(['completion', 'fish'], fish.io)).toBe(EXIT.ok);
    expect(fish.out()).toBe(completionScript('fish', COMMANDS));
    const bad = capture(undefined);
    expect(await runCli(['completion', 'tcsh'], bad.io)).toBe(EXIT.usage);
    expect(bad.err()).toBe('error: completion: SHELL must be one of bash, zsh, fish (got tcsh)\n');
  });
});
