// Builds the envtest binaries into the cache when missing and prints where they are.
// `pnpm run envtest` runs this; the e2e tests do the same in their global setup.
import { ensureEnvtestBinaries, envtestCacheDir } from '../src/testing/envtestBinaries.js';

const paths = await ensureEnvtestBinaries();
process.stdout.write(`envtest binaries (cache ${envtestCacheDir()}):\n`);
for (const [name, path] of Object.entries(paths)) process.stdout.write(`  ${name.padEnd(24)} ${path}\n`);
