import { describe, expect, it } from 'vitest';
import { parseManagerFlags } from '../manager/managerFlags.js';
import { resolveManagerSettings } from '../manager/resolveManagerSettings.js';

const resolve = (argv: string[]) => {
  const parsed = parseManagerFlags(argv, {});
  if (parsed.kind !== 'ok') throw new Error(parsed.problems.join('; '));
  return resolveManagerSettings(parsed.flags, { hostname: 'host', uuid: 'u' });
};
const controllersOf = (argv: string[]) => {
  const resolved = resolve(argv);
  if (resolved.kind !== 'ok') throw new Error(resolved.problems.join('; '));
  return resolved.settings.controllers.filter((c) => c === 'nodeimage' || c === 'imagepulljob' || c === 'imagelistpulljob');
};

describe('image pre-pull controllers behind their feature gates (as OpenKruise’s Add)', () => {
  it.each([
    ['defaults: KruiseDaemon on, ImagePullJobGate off', [], ['nodeimage']],
    ['ImagePullJobGate on', ['--feature-gates=ImagePullJobGate=true'], ['nodeimage', 'imagepulljob', 'imagelistpulljob']],
    ['a PreDownload gate turns ImagePullJobGate on', ['--feature-gates=PreDownloadImageForInPlaceUpdate=true'], ['nodeimage', 'imagepulljob', 'imagelistpulljob']],
    ['KruiseDaemon off turns them all off', ['--feature-gates=KruiseDaemon=false,ImagePullJobGate=true'], []],
  ])('"*" with %s → %j', (_, argv, expected) => {
    expect(controllersOf(argv)).toEqual(expected);
  });

  it('naming imagepulljob without its gate is a problem naming the gate; workers flags are read', () => {
    const refused = resolve(['--controllers=imagepulljob']);
    expect(refused.kind === 'invalid' && refused.problems).toEqual(['--controllers: imagepulljob needs --feature-gates=ImagePullJobGate=true']);
    const resolved = resolve(['--feature-gates=ImagePullJobGate=true', '--imagepulljob-workers=7', '--nodeimage-workers=2']);
    expect(resolved.kind === 'ok' && [resolved.settings.workers.imagepulljob, resolved.settings.workers.nodeimage, resolved.settings.workers.imagelistpulljob]).toEqual([7, 2, 3]);
  });
});
