#!/usr/bin/env node
// kruise-ts-daemon: the node agent (image pre-pulling, container recreation over CRI).
// Its features arrive with the ImagePullJob and ContainerRecreateRequest issues; until then it
// refuses to run rather than pretend to do anything.
const args = process.argv.slice(2);
if (args.includes('--help')) {
  process.stdout.write('kruise-ts-daemon: node agent of kruise-ts (image pre-pulling, container recreation). Not functional in this build.\n');
  process.exit(0);
}
process.stderr.write('kruise-ts-daemon: this build has no daemon features yet; see --help\n');
process.exit(1);
