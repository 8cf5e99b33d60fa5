/**
 * Writes deploy/ (namespace, RBAC, the manager Deployment, a kustomization for one-command
 * install, and the Helm chart deploy/chart/kruise-ts from the same objects), or with `--check` fails when the checked-in files differ from what the sources give.
 *
 *   pnpm exec tsx scripts/deploy/generateDeploy.ts [--check]
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderChartFiles } from './renderChart.js';
import { renderDeployFiles } from './renderDeploy.js';

/** The deploy/ directory. */
export const DEPLOY_DIRECTORY = resolve(dirname(fileURLToPath(import.meta.url)), '../../deploy');

/** Returns the generated files (deploy/ and its Helm chart), given the CRD files present. */
export function deployFiles(directory = DEPLOY_DIRECTORY): Map<string, string> {
  const crdFiles = readdirSync(join(directory, 'crds')).filter((f) => f.endsWith('.yaml')).sort();
  const files = renderDeployFiles(crdFiles);
  const crds = new Map(crdFiles.map((f) => [f, readFileSync(join(directory, 'crds', f), 'utf8')]));
  return new Map([...files, ...renderChartFiles(files, crds)]);
}

/** Returns the paths under deploy/ whose content differs from the generator's output. */
export function staleDeployFiles(directory = DEPLOY_DIRECTORY): string[] {
  const read = (path: string): string | undefined => {
    try {
      return readFileSync(join(directory, path), 'utf8');
    } catch {
      return undefined;
    }
  };
  return [...deployFiles(directory)].filter(([path, text]) => read(path) !== text).map(([path]) => path);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--check')) {
    const stale = staleDeployFiles();
    if (stale.length > 0) {
      process.stderr.write(`deploy/ out of date: ${stale.join(', ')}; run pnpm exec tsx scripts/deploy/generateDeploy.ts\n`);
      process.exitCode = 1;
    }
  } else {
    for (const [path, text] of deployFiles()) {
      mkdirSync(dirname(join(DEPLOY_DIRECTORY, path)), { recursive: true });
      writeFileSync(join(DEPLOY_DIRECTORY, path), text);
    }
  }
}
