// The example of README.md, run by CI (the `examples` vitest project): keep the two the same.
import type { CloneSet } from '@kruise-ts/core';
import { aCloneSet } from '@kruise-ts/core/testing';
import { KruiseResources, type KubeObject } from '@kruise-ts/k8s-adapter';
import { AdmissionDeniedError, startTestManager } from '@kruise-ts/controllers/testing';
import { expect, it } from 'vitest';

const web = { namespace: 'default', name: 'web' };

it('rolls out a new image to every pod of the CloneSet', async () => {
  await using manager = await startTestManager();
  await manager.create(KruiseResources.CloneSet, aCloneSet({ name: 'web', replicas: 3 }) as CloneSet & KubeObject);
  await manager.waitForRollout(KruiseResources.CloneSet, web);

  await manager.update(KruiseResources.CloneSet, web, (cs) => {
    const [main] = cs.spec.template.spec.containers;
    return { ...cs, spec: { ...cs.spec, template: { ...cs.spec.template, spec: { ...cs.spec.template.spec, containers: [{ ...main, name: 'main', image: 'nginx:1.27' }] } } } };
  });
  const rolled = await manager.waitForRollout(KruiseResources.CloneSet, web);

  expect(rolled.status).toMatchObject({ observedGeneration: 2, updatedReplicas: 3, updatedAvailableReplicas: 3 });
});

it('an invalid CloneSet is an error in the test, naming the field', async () => {
  await using manager = await startTestManager();
  const invalid = aCloneSet({ name: 'web', replicas: -1 }) as CloneSet & KubeObject;
  await expect(manager.create(KruiseResources.CloneSet, invalid)).rejects.toThrow(AdmissionDeniedError);
  await expect(manager.create(KruiseResources.CloneSet, invalid)).rejects.toThrow(/spec\.replicas/);
});
