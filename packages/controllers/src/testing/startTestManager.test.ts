import { readdirSync, readFileSync } from 'node:fs';
import { aCloneSet } from '@kruise-ts/core/testing';
import { KruiseResources, Resources, type KubeObject } from '@kruise-ts/k8s-adapter';
import type { CloneSet } from '@kruise-ts/core';
import { describe, expect, it } from 'vitest';
import { AdmissionDeniedError } from './admitAsWebhooks.js';
import { SCALABLE_KINDS, kruiseStorageResources, startTestManager } from './startTestManager.js';

const web = { namespace: 'default', name: 'web' };
const cloneSet = (options: Parameters<typeof aCloneSet>[0] = {}) => aCloneSet({ name: 'web', ...options }) as CloneSet & KubeObject;

describe('startTestManager', () => {
  it('rolls out a CloneSet, then a new image, waiting on observedGeneration', async () => {
    await using manager = await startTestManager({ controllers: ['cloneset'] });
    await manager.create(KruiseResources.CloneSet, cloneSet({ replicas: 3 }));
    const first = await manager.waitForRollout(KruiseResources.CloneSet, web);
    expect([first.status?.replicas, first.status?.updatedReplicas, first.status?.observedGeneration]).toEqual([3, 3, 1]);
    await manager.update(KruiseResources.CloneSet, web, (cs) => ({ ...cs, spec: { ...cs.spec, template: { ...cs.spec.template, spec: { ...cs.spec.template.spec, containers: [{ name: 'main', image: 'nginx:1.27' }] } } } }));
    const second = await manager.waitForRollout(KruiseResources.CloneSet, web);
    expect(second.status?.observedGeneration).toBe(2);
    const images = (await manager.cluster.client.list(Resources.Pod, { namespace: 'default' })).items.filter((p) => p.metadata.deletionTimestamp === undefined).map((p) => p.spec.containers[0]?.image);
    expect(images).toEqual(['nginx:1.27', 'nginx:1.27', 'nginx:1.27']);
  });

  it('defaults a CloneSet as the mutating webhook does', async () => {
    await using manager = await startTestManager({ controllers: [] });
    const { updateStrategy: _omitted, ...spec } = cloneSet({ replicas: 1 }).spec;
    const stored = await manager.create(KruiseResources.CloneSet, { ...cloneSet(), spec: spec });
    expect(stored.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { partition: 0, maxUnavailable: '20%', maxSurge: 0, podUpdatePolicy: 'ReCreate' } });
  });

  it('refuses an invalid spec with the validating webhook message naming the field', async () => {
    await using manager = await startTestManager({ controllers: ['cloneset'] });
    const error = await manager.create(KruiseResources.CloneSet, cloneSet({ replicas: -1 })).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(AdmissionDeniedError);
    expect((error as AdmissionDeniedError).webhook).toBe('vcloneset.kb.io');
    expect((error as AdmissionDeniedError).message).toContain('spec.replicas');
  });

  it('a rollout that cannot finish fails with its state and the controller events', async () => {
    await using manager = await startTestManager({ controllers: ['cloneset'] });
    await manager.create(KruiseResources.CloneSet, cloneSet({ replicas: 2 }));
    await manager.waitForRollout(KruiseResources.CloneSet, web);
    await manager.update(KruiseResources.CloneSet, web, (cs) => ({ ...cs, spec: { ...cs.spec, updateStrategy: { ...cs.spec.updateStrategy, rollingUpdate: { ...cs.spec.updateStrategy?.rollingUpdate, partition: 2 } }, template: { ...cs.spec.template, metadata: { ...cs.spec.template.metadata, labels: { ...cs.spec.template.metadata?.labels, v: '2' } } } } }));
    const error = await manager.waitForRollout(KruiseResources.CloneSet, web, { timeoutMs: 5_000 }).then(() => undefined, (e: unknown) => e as Error);
    expect(error?.message).toMatch(/^rollout of CloneSet web not reached in 5000 ms of cluster time\nCloneSet default\/web: \{"kind":"rolling","want":2,"replicas":2,"updated":0,"updatedAvailable":0\}/);
    expect(error?.message).toContain('Normal SuccessfulCreate');
  });

  it('serves every storage version of the kruise-ts kinds, with the scale subresource of deploy/crds', () => {
    const crds = new URL('../../../../deploy/crds/', import.meta.url);
    const scalable = readdirSync(crds)
      .map((file) => readFileSync(new URL(file, crds), 'utf8'))
      .filter((text) => text.includes('specReplicasPath'))
      .map((text) => /\n {4}kind: (\w+)/.exec(text)?.[1]);
    expect([...scalable].sort()).toEqual([...SCALABLE_KINDS].sort());
    // One served version per CRD (the storage one; the memory cluster does not convert), every CRD served.
    const served = kruiseStorageResources().map((t) => `${t.group}_${t.plural}.yaml`);
    expect([...served].sort()).toEqual(readdirSync(crds).filter((f) => f.includes('kruise.io_')).sort());
  });
});
