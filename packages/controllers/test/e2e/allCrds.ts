import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const crdDir = fileURLToPath(new URL('../../../../deploy/crds/', import.meta.url));

/**
 * Every CRD of `deploy/crds/`, as the install applies them. A test cluster the manager runs on
 * installs them all: the manager's default `--controllers=*` starts a controller per kind, and one
 * whose kind is not served never syncs (readiness stays false).
 */
export const ALL_CRDS: readonly string[] = readdirSync(crdDir)
  .filter((name) => name.endsWith('.yaml'))
  .sort()
  .map((name) => `${crdDir}${name}`);
