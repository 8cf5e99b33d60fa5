import { afterAll, beforeAll, describe } from 'vitest';
import type { ContractFactory, ContractTarget } from './contractTarget.js';
import { crudContract } from './crudContract.js';
import { deletionContract } from './deletionContract.js';
import { kubeletContract } from './kubeletContract.js';
import { moreContract } from './moreContract.js';
import { patchContract } from './patchContract.js';
import { representationContract } from './representationContract.js';
import { selectorContract } from './selectorContract.js';
import { subresourceContract } from './subresourceContract.js';
import { watchContract } from './watchContract.js';

export { CloneSets, Jobs, cloneSetCrdFile, type ContractFactory, type ContractTarget } from './contractTarget.js';
export { CONTRACT_IMAGE_DIGESTS } from './kubeletContract.js';

/**
 * Defines the KubeClient contract suite against the cluster `factory` builds: the behaviour the
 * memory cluster must share with a real kube-apiserver (+ kwok). The target needs the CloneSet
 * CRD (status and scale subresources), a simulated node whose kubelet maps images to
 * {@link CONTRACT_IMAGE_DIGESTS}, a scheduler, and garbage collection.
 * Each part works in its own namespace.
 */
export function describeKubeClientContract(name: string, factory: ContractFactory): void {
  describe(`KubeClient contract: ${name}`, () => {
    let target: ContractTarget | undefined;
    beforeAll(async () => {
      target = await factory();
    });
    afterAll(async () => {
      await target?.cleanup();
    });
    const get = (): ContractTarget => {
      if (target === undefined) throw new Error('the contract target did not start');
      return target;
    };
    crudContract(get);
    subresourceContract(get);
    patchContract(get);
    selectorContract(get);
    watchContract(get);
    deletionContract(get);
    kubeletContract(get);
    representationContract(get);
    moreContract(get);
  });
}
