/**
 * Plan-only: read a CloneSet manifest (v1alpha1 or v1beta1) and the pods it owns, and print the
 * next steps of its rollout in plain words, without a cluster.
 *
 *   pnpm exec tsx --conditions=@kruise-ts/source examples/plan-only/planOnly.ts <cloneset.yaml> <pods.yaml>
 *
 * The logic is `kruise-ts plan -f <cloneset.yaml> --pods <pods.yaml>`'s (`@kruise-ts/cli`); this
 * example shows it called as a library. (`--conditions=@kruise-ts/source` runs the workspace
 * packages from their sources; in a project that installed `@kruise-ts/cli` from npm, plain
 * `tsx planOnly.ts ...` works.)
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { describeRollout } from '@kruise-ts/cli';

export { describeRollout };

function main(argv: readonly string[]): void {
  const [cloneSetPath, podsPath] = argv;
  if (cloneSetPath === undefined || podsPath === undefined) {
    process.stderr.write('usage: pnpm exec tsx examples/plan-only/planOnly.ts <cloneset.yaml> <pods.yaml>\n');
    process.exitCode = 2;
    return;
  }
  const lines = describeRollout(readFileSync(cloneSetPath, 'utf8'), readFileSync(podsPath, 'utf8'));
  process.stdout.write(`${lines.join('\n')}\n`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main(process.argv.slice(2));
