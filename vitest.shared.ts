import type { ViteUserConfig } from 'vitest/config';

/**
 * Settings every vitest project shares: workspace packages resolve to their TypeScript sources
 * (the `@kruise-ts/source` export condition) and are transformed by vitest rather than loaded by
 * Node, so tests never run against a stale or missing `dist/`. A test may take 30 s before it is
 * failed as stuck (vitest's 5 s default failed a simulated day of the cron controller on a loaded
 * 2-core machine with two files at a time; the tests assert outcomes, never durations).
 */
export const sourceResolution = {
  resolve: { conditions: ['@kruise-ts/source'] },
  ssr: { resolve: { conditions: ['@kruise-ts/source'] } },
  test: { server: { deps: { inline: [/@kruise-ts\//] } }, testTimeout: 30_000, hookTimeout: 30_000 },
} satisfies ViteUserConfig;

/**
 * What the unit projects add: test files share their worker's module graph (`isolate: false`)
 * instead of importing every source module afresh per file. Import was over half of each unit
 * project's time (core: 2,977 tests in 92 s isolated, 24 s shared, measured side by side under
 * the same load); the unit tests keep no module state between files (no `vi.mock`, fake timers
 * restored in `finally`). The end-to-end projects stay isolated.
 */
export const unitProject = { test: { isolate: false } } satisfies ViteUserConfig;

/** `KRUISE_TS_E2E_WORKERS` as a worker count (3 when unset); anything but a positive integer is refused by name. */
function e2eWorkers(value: string | undefined): number {
  if (value === undefined || value === '') return 3;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`KRUISE_TS_E2E_WORKERS=${value}: must be a positive integer (end-to-end files run at a time)`);
  return n;
}

/**
 * How the end-to-end projects that start their own test cluster per file run their files: three at
 * a time by default, `KRUISE_TS_E2E_WORKERS` to change it (each file's etcd + kube-apiserver + kwok
 * + manager mostly wait on the cluster: with two at a time a 2-core machine was idle part of the
 * time; three took the 65 files from ~1,200 s to 950 s, CPU busy 75 % of it, and the suite is
 * green at load 13), after the unit projects (a group of their own, so their `maxWorkers` may
 * differ). daemon:e2e stays one file at a time: its real kubelet changes host settings that two at
 * once would fight over.
 */
export const clusterFilesInParallel = {
  fileParallelism: true,
  maxWorkers: e2eWorkers(process.env.KRUISE_TS_E2E_WORKERS),
  sequence: { groupOrder: 1 },
} as const;
