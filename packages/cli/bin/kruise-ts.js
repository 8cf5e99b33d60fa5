#!/usr/bin/env node
import process from 'node:process';
// The `kruise-ts` command. It lives outside dist/ so that package managers can link it before the
// package is built (a workspace checkout); it runs the built CLI.
import('../dist/main.js').catch((error) => {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('/dist/')) {
    process.stderr.write(
      `kruise-ts: this checkout of @kruise-ts/cli is not built (${error.message.split(' imported from')[0]}).\n` +
        "Run `pnpm --filter '@kruise-ts/cli...' run build` first.\n",
    );
    process.exit(1);
  }
  throw error;
});
