import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { describeRollout } from './planOnly.js';

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const cloneSetYaml = readFileSync(here('./cloneset.yaml'), 'utf8');
const podsYaml = readFileSync(here('./pods.yaml'), 'utf8');

describe('plan-only example', () => {
  it('prints the rollout of the seeds CloneSet (v1alpha1) step by step', () => {
    const out = execFileSync(here('../../node_modules/.bin/tsx'), ['--conditions=@kruise-ts/source', here('./planOnly.ts'), here('./cloneset.yaml'), here('./pods.yaml')], { encoding: 'utf8' });
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toBe('CloneSet kri-dev/cloneset-dev: replicas 1, partition 0, maxUnavailable 1, maxSurge 0, pods updated by ReCreate');
    const update = lines[1]!.split('update ')[1]!;
    expect(lines).toContain(`Step 1: update: move 1 of 1 waiting pod(s) to ${update}`);
    expect(out).toMatch(/cloneset-dev-dkbmb: recreated, cloneset-dev-7c5dd8f9b → cloneset-dev-\w+, because the update policy is ReCreate/);
    expect(out).toContain('Step 2: scale: delete 1 pod(s) because they are marked for deletion');
    expect(out).toContain('  - cloneset-dev-dkbmb and its PVC cloneset-data-cloneset-dev-dkbmb');
    expect(out).toMatch(/Step 3: scale: create 1 pod\(s\)[^\n]*\n {2}- cloneset-dev-s0300 at cloneset-dev-\w+ \(new template\), with PVC cloneset-data-cloneset-dev-s0300/);
    expect(lines.at(-1)).toBe('Done after 4 step(s): the pod count matches replicas; every pod the partition allows is updated.');
  });

  it('updates in place when the manifest asks for InPlaceIfPossible, and says which image changes', () => {
    const inPlace = cloneSetYaml.replace('spec:\n  replicas: 1', 'spec:\n  replicas: 1\n  updateStrategy:\n    type: InPlaceIfPossible');
    const lines = describeRollout(inPlace, podsYaml);
    expect(lines[0]).toContain('pods updated by InPlaceIfPossible');
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}- cloneset-dev-dkbmb: in place, cloneset-dev-7c5dd8f9b → cloneset-dev-\w+ \(net → 192\.168\.6\.77:5000\/alpine:net\); lifecycle → Updating$/));
    expect(lines).toContainEqual(expect.stringMatching(/pod cloneset-dev-dkbmb: lifecycle Updating → Normal, because its in-place update completed/));
    expect(lines.at(-1)).toMatch(/^Done after 2 step\(s\)/);
  });

  it('names every problem of an invalid manifest', () => {
    expect(() => describeRollout('apiVersion: apps.kruise.io/v1beta1\nkind: CloneSet\nspec: {}\n', podsYaml)).toThrow(/spec\.selector: Required value/);
  });
});
