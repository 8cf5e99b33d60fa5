import { describe, expect, it } from 'vitest';
import type { ClusterPki } from './clusterPki.js';
import { controllerManagerArgs, kwokConfig } from './componentArgs.js';

const A = `sha256:${'a'.repeat(64)}`;
const stage = (config: string, name: string): string => config.split('---\n').find((doc) => doc.includes(`name: ${name}\n`)) ?? '';

describe('kwokConfig', () => {
  it('leaves the stages an empty digest map by default', async () => {
    const config = await kwokConfig();
    for (const name of ['pod-ready', 'pod-inplace-update']) expect(stage(config, name)).toContain('{{ $imageDigests := dict }}');
  });

  it('renders imageDigests as a dict literal into every stage that reports an imageID', async () => {
    const config = await kwokConfig({ imageDigests: { 'nginx:1.25': A, 'nginx:stable': A } });
    const literal = `{{ $imageDigests := dict "nginx:1.25" "${A}" "nginx:stable" "${A}" }}`;
    for (const name of ['pod-ready', 'pod-inplace-update']) {
      const text = stage(config, name);
      expect(text).toContain(literal);
      expect(text).not.toContain('{{ $imageDigests := dict }}');
      // Every imageID the stage writes looks the reference up in the map.
      const imageIds = text.split('\n').filter((line) => line.trim().startsWith('imageID:'));
      expect(imageIds.length).toBeGreaterThan(0);
      for (const line of imageIds) expect(line).toMatch(/get \$imageDigests \$?\S*image\)/);
    }
    expect(config).not.toContain('{{ $imageDigests := dict }}');
  });

  it('quotes references as Go string literals', async () => {
    const config = await kwokConfig({ imageDigests: { 'registry.example.com:5000/team/app"x:v1': A } });
    expect(config).toContain(`dict "registry.example.com:5000/team/app\\"x:v1" "${A}"`);
  });

  it('rejects a malformed digest', async () => {
    await expect(kwokConfig({ imageDigests: { 'nginx:1.25': 'aaaa' } })).rejects.toThrow(/is not a digest/);
  });
});

describe('controllerManagerArgs', () => {
  const pki = { caFile: '/pki/ca.crt', serviceAccountKeyFile: '/pki/sa.key' } as ClusterPki;
  const controllers = (args: readonly string[]): string[] => (args.find((a) => a.startsWith('--controllers='))?.slice('--controllers='.length) ?? '').split(',');
  it('runs garbage collection, namespace deletion and PVC/PV protection only by default', () => {
    expect(controllers(controllerManagerArgs('/k', pki))).toEqual(['garbage-collector-controller', 'namespace-controller', 'persistentvolumeclaim-protection-controller', 'persistentvolume-protection-controller']);
  });
  it('adds the controllers a test asks for (job-controller for batch/v1 Jobs)', () => {
    expect(controllers(controllerManagerArgs('/k', pki, ['job-controller']))).toContain('job-controller');
  });
});
