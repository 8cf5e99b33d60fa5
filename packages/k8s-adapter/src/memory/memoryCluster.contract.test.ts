import { describeKubeClientContract } from '../../test/contract/kubeClientContract.js';
import { installCrds } from '../testing/installCrds.js';
import { CONTRACT_IMAGE_DIGESTS, cloneSetCrdFile } from '../../test/contract/kubeClientContract.js';
import { createMemoryCluster } from './memoryCluster.js';

// The KubeClient contract against the memory cluster; test/e2e/contract.test.ts runs the same
// suite against a real kube-apiserver, so any difference is a bug here.
describeKubeClientContract('memory cluster', async () => {
  const cluster = await createMemoryCluster({ nodes: 2, kubelet: { imageDigests: CONTRACT_IMAGE_DIGESTS } });
  await installCrds(cluster.client, [cloneSetCrdFile]);
  return {
    client: cluster.client,
    nodeName: cluster.nodes[0] ?? '',
    settle: async () => {
      await cluster.settle();
      await cluster.clock.advance(1000);
      await cluster.settle();
    },
    cleanup: () => cluster.close(),
  };
});
