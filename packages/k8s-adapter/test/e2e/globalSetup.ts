import { ensureEnvtestBinaries } from '../../src/testing/envtestBinaries.js';

/**
 * Makes sure the envtest binaries exist before any end-to-end test runs, building them with Go
 * when missing (minutes when cold; progress goes to stderr). Never skips: a binary that cannot be
 * built fails the run with its name and the command to build it.
 */
export default async function setup(): Promise<void> {
  await ensureEnvtestBinaries();
}
