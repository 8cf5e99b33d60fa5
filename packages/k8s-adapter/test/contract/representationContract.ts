import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { ContractTarget } from './contractTarget.js';
import { normalized } from './normalized.js';
import { writeRepresentations } from './representations.js';

/**
 * Whole objects, field for field: what a real apiserver answered (recorded in
 * fixtures/representations.json by recordRepresentations.ts), with timestamps, uids,
 * resourceVersions, IPs and container IDs normalized. Covers defaulting, Go's serialization of
 * pod status, kwok's status, and managedFields of Update, Apply and subresource writes.
 */
export function representationContract(target: () => ContractTarget): void {
  describe('object representation', () => {
    it('matches the recorded objects of a real apiserver', async () => {
      const expected = normalized(JSON.parse(await readFile(new URL('fixtures/representations.json', import.meta.url), 'utf8')) as Record<string, unknown>);
      const actual = await writeRepresentations(target());
      for (const kind of Object.keys(expected)) expect({ [kind]: actual[kind] }).toEqual({ [kind]: expected[kind] });
    });
  });
}
