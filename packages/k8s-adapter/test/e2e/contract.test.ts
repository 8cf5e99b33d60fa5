import { Resources } from '../../src/resourceType.js';
import { startTestCluster } from '../../src/testing/index.js';
import { CONTRACT_IMAGE_DIGESTS, cloneSetCrdFile, describeKubeClientContract } from '../contract/kubeClientContract.js';

// The KubeClient contract against a real etcd + kube-apiserver + kwok: what the memory cluster
// (src/memory/memoryCluster.contract.test.ts) must match.
describeKubeClientContract('real kube-apiserver', async () => {
  const cluster = await startTestCluster({ nodes: 2, crds: [cloneSetCrdFile], controllerManager: true, scheduler: true, imageDigests: CONTRACT_IMAGE_DIGESTS });
  // The harness runs kube-controller-manager without the node lifecycle controller, so the
  // `not-ready` taint the apiserver puts on new nodes stays and kube-scheduler places nothing.
  // Remove it, as that controller does once kwok reports the node Ready.
  for (const name of cluster.nodes) await cluster.client.patch(Resources.Node, { name }, { type: 'merge', body: { spec: { taints: null } } });
  return {
    client: cluster.client,
    nodeName: cluster.nodes[0] ?? '',
    // The real cluster's kwok, scheduler and controllers give no signal of being done: `settle` is
    // the pause between two tries of the contract's `eventually` (a poll, not a proof by itself).
    settle: () => new Promise((resolve) => setTimeout(resolve, 200)),
    cleanup: () => cluster.stop(),
  };
});
