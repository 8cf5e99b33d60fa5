#!/usr/bin/env node
import process from 'node:process';
// The `kruise-ts-manager` command. It lives outside dist/ so that package managers can link it
// before the package is built (a workspace checkout); it runs the built manager.
//
// V8's young generation: by default each of its two semi-spaces grows to 64 MiB (node 24, 64-bit),
// so a busy manager holds up to 128 MiB of short-lived garbage; OpenKruise's whole manager is
// ~111 MiB. Unless --max-semi-space-size is already given (on node's command line or in
// NODE_OPTIONS), this process replaces itself (same pid, same arguments and environment) with
// one started with the manager's own value, 4 MiB semi-spaces (ADR 0024 and its addendum 2).
const SEMI_SPACE_FLAG = '--max-semi-space-size=4';
const given = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].some((arg) => arg.startsWith('--max-semi-space-size'));
if (!given && typeof process.execve === 'function') {
  process.execve(process.execPath, [process.execPath, SEMI_SPACE_FLAG, ...process.execArgv, process.argv[1] ?? '', ...process.argv.slice(2)], process.env);
}
import('../dist/main.js').catch((error) => {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('/dist/')) {
    process.stderr.write(
      `kruise-ts-manager: this checkout of @kruise-ts/controllers is not built (${error.message.split(' imported from')[0]}).\n` +
        "Run `pnpm --filter '@kruise-ts/controllers...' run build` (or `make build`) first.\n",
    );
    process.exit(1);
  }
  throw error;
});
