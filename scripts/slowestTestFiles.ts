// Prints the slowest test files of a vitest JSON report (`--reporter=json --outputFile.json=FILE`),
// so a CI log says where the time of a test phase went, and then every failed test and failed file
// with the first lines of its error: CI keeps only the tail of the log, and vitest's own failure
// list comes long before it. A file's time runs from its first test's
// start to its last test's end (the report has nothing else): its beforeAll/afterAll are not in it,
// and for an e2e file that is the test cluster's and the manager's start (measured 2026-12-02 at
// load 23: 48-54 s for startCloneSetCluster, as much again for useManagerCluster's manager).
// Usage: pnpm exec tsx scripts/slowestTestFiles.ts <report.json> [count=12]
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

const [file, count = '12'] = process.argv.slice(2);
if (file === undefined) {
  console.error('usage: pnpm exec tsx scripts/slowestTestFiles.ts <report.json> [count]');
  process.exit(2);
}
interface AssertionResult {
  readonly fullName: string;
  readonly status: string;
  readonly failureMessages?: readonly string[];
}
interface Report {
  readonly testResults: readonly {
    readonly name: string;
    readonly startTime: number;
    readonly endTime: number;
    readonly status: string;
    readonly message?: string;
    readonly assertionResults: readonly AssertionResult[];
  }[];
}
const report = JSON.parse(readFileSync(file, 'utf8')) as Report;
const files = report.testResults
  .map((result) => ({ name: relative(process.cwd(), result.name), seconds: (result.endTime - result.startTime) / 1000, tests: result.assertionResults.length }))
  .sort((a, b) => b.seconds - a.seconds);
const total = files.reduce((sum, f) => sum + f.seconds, 0);
console.log(`\nslowest of ${String(files.length)} files (first test's start to last test's end, beforeAll/afterAll not included; their times sum to ${total.toFixed(0)} s; files run side by side):`);
for (const f of files.slice(0, Number(count))) console.log(`${f.seconds.toFixed(1).padStart(8)} s  ${String(f.tests).padStart(4)} tests  ${f.name}`);

/** The first `lines` non-empty lines of an error, indented, without ANSI colours. */
function head(message: string, lines = 6): string {
  return message
    // eslint-disable-next-line no-control-regex
    .replace(/\u001b\[[0-9;]*m/g, '')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .slice(0, lines)
    .map((line) => `      ${line}`)
    .join('\n');
}
const failed = report.testResults.filter((result) => result.status === 'failed');
if (failed.length > 0) {
  console.log(`\nfailed: ${String(failed.length)} of ${String(report.testResults.length)} files`);
  for (const result of failed) {
    console.log(`  ${relative(process.cwd(), result.name)}`);
    const tests = result.assertionResults.filter((test) => test.status === 'failed');
    // A file fails with no failed test when its beforeAll/afterAll or its import throws.
    if (tests.length === 0 && result.message) console.log(head(result.message));
    for (const test of tests) {
      console.log(`    ✗ ${test.fullName}`);
      const message = test.failureMessages?.[0];
      if (message !== undefined) console.log(head(message));
    }
  }
}
