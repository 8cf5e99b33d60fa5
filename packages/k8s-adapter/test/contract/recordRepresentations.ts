/**
 * Records what a real kube-apiserver (+ kwok) answers for `writeRepresentations` into
 * `fixtures/representations.json`, the expectation of the contract's representation test.
 * Run: `pnpm exec tsx --conditions=@kruise-ts/source test/contract/recordRepresentations.ts`
 * from packages/k8s-adapter.
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { startTestCluster } from '../../src/testing/index.js';
import { cloneSetCrdFile } from './contractTarget.js';
import { writeRepresentations } from './representations.js';

const cluster = await startTestCluster({ nodes: 2, crds: [cloneSetCrdFile], controllerManager: true });
try {
  const objects = await writeRepresentations({
    client: cluster.client,
    nodeName: cluster.nodes[0] ?? '',
    settle: () => new Promise((resolve) => setTimeout(resolve, 200)),
    cleanup: () => cluster.stop(),
  });
  await writeFile(fileURLToPath(new URL('fixtures/representations.json', import.meta.url)), `${JSON.stringify(objects, null, 2)}\n`);
} finally {
  await cluster.stop();
}
