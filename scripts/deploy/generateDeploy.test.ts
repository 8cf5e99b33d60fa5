import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { deployFiles, staleDeployFiles } from './generateDeploy.js';

describe('deploy/', () => {
  it('is up to date with the sources (run pnpm exec tsx scripts/deploy/generateDeploy.ts)', () => {
    expect(staleDeployFiles()).toEqual([]);
  });

  it('grants the manager no wildcard and no secrets', () => {
    const rbac = deployFiles().get('manager/rbac.yaml') ?? '';
    const rules = parseAllDocuments(rbac).flatMap((d) => ((d.toJS() as { rules?: { resources: string[]; verbs: string[] }[] }).rules ?? []));
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) {
      expect(rule.verbs).not.toContain('*');
      expect(rule.resources).not.toContain('*');
      expect(rule.resources).not.toContain('secrets');
    }
  });
});
