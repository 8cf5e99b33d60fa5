/**
 * Writes the CRDs of every kind defined so far to deploy/crds/, or with `--check` fails when the
 * checked-in files differ from what the zod schemas give.
 *
 *   pnpm exec tsx scripts/crds/generateCrds.ts [--check]
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderCrdFiles } from './renderCrds.js';

/** The directory the CRD files are written to. */
export const CRD_DIRECTORY = resolve(dirname(fileURLToPath(import.meta.url)), '../../deploy/crds');

/** The command that regenerates the files, for messages. */
export const REGENERATE_COMMAND = 'run pnpm exec tsx scripts/crds/generateCrds.ts';

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Returns the names of the CRD files whose content on disk differs from the generator's output. */
export function staleCrdFiles(directory = CRD_DIRECTORY): string[] {
  return [...renderCrdFiles()].filter(([name, text]) => readOrUndefined(join(directory, name)) !== text).map(([name]) => name);
}

function main(args: readonly string[]): number {
  if (args.includes('--check')) {
    const stale = staleCrdFiles();
    if (stale.length === 0) return 0;
    console.error(`CRDs out of date: ${stale.join(', ')}; ${REGENERATE_COMMAND}`);
    return 1;
  }
  mkdirSync(CRD_DIRECTORY, { recursive: true });
  for (const [name, text] of renderCrdFiles()) {
    writeFileSync(join(CRD_DIRECTORY, name), text);
    console.log(`wrote deploy/crds/${name}`);
  }
  return 0;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
