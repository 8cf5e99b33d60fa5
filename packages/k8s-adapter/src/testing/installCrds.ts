import { readFile } from 'node:fs/promises';
import { parseAllDocuments } from 'yaml';
import { AlreadyExistsError } from '../errors.js';
import type { KubeClient } from '../ports.js';
import { Resources, type CustomResourceDefinition } from '../resourceType.js';
import { pollUntil } from './pollUntil.js';

/**
 * Applies the CustomResourceDefinitions in the given YAML files (server-side apply, so re-running
 * updates them) and resolves once each is Established; returns their names.
 */
export async function installCrds(client: KubeClient, files: readonly string[], timeoutMs = 30_000): Promise<string[]> {
  const crds: CustomResourceDefinition[] = [];
  for (const file of files) {
    for (const doc of parseAllDocuments(await readFile(file, 'utf8'))) {
      const crd = doc.toJS() as CustomResourceDefinition | null;
      if (crd?.kind === 'CustomResourceDefinition') crds.push(crd);
    }
  }
  for (const crd of crds) {
    const key = { name: crd.metadata.name ?? '' };
    try {
      await client.patch(Resources.CustomResourceDefinition, key, { type: 'apply', body: crd, force: true }, { fieldManager: 'kruise-ts-test' });
    } catch (error) {
      if (!(error instanceof AlreadyExistsError)) throw error;
    }
  }
  await Promise.all(
    crds.map((crd) =>
      pollUntil(
        async () => {
          const current = await client.get(Resources.CustomResourceDefinition, { name: crd.metadata.name ?? '' });
          return current.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') === true ? true : undefined;
        },
        { timeoutMs, what: `CRD ${crd.metadata.name ?? ''} Established` },
      ),
    ),
  );
  return crds.map((c) => c.metadata.name ?? '');
}
