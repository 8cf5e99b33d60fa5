#!/usr/bin/env node
// kruise-ts-manager: the composition root of the controller manager.
import { managerHelp, parseManagerFlags } from './manager/managerFlags.js';

declare const __KRUISE_TS_VERSION__: string | undefined;
const version = typeof __KRUISE_TS_VERSION__ === 'undefined' ? 'dev' : __KRUISE_TS_VERSION__;

const parsed = parseManagerFlags(process.argv.slice(2), process.env);
if (parsed.kind === 'invalid') {
  process.stderr.write(`kruise-ts-manager: ${parsed.problems.join('\n')}\n\n${managerHelp()}`);
  process.exit(2);
}
if (parsed.flags.help) {
  process.stdout.write(managerHelp());
  process.exit(0);
}
if (parsed.flags.version) {
  process.stdout.write(`kruise-ts-manager ${version}\n`);
  process.exit(0);
}
// The controllers themselves arrive with the CloneSet issue; until then the manager refuses to run
// rather than pretend to manage anything.
process.stderr.write('kruise-ts-manager: this build has no controllers yet; see --help\n');
process.exit(1);
