import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { containerdConfig, plainHttpHostsToml } from './containerdConfig.js';
import { kubeletConfig } from './startKubelet.js';

const base = { dir: '/tmp/kruise-ts-containerd-x', sandboxImage: 'kruise-ts.local/pause:3.9', bridge: 'kts0a1b2c3d', subnet: '10.140.7.0/24' };
const configOf = (input: Parameters<typeof containerdConfig>[0]): string => containerdConfig(input).files.get(`${input.dir}/config.toml`) ?? '';

/** `key = value` lines of the table `[name]` (up to the next table header). */
function tableLines(toml: string, name: string): string[] {
  const lines = toml.split('\n');
  const start = lines.indexOf(`[${name}]`);
  if (start < 0) return [];
  const end = lines.findIndex((line, i) => i > start && line.startsWith('['));
  return lines
    .slice(start + 1, end < 0 ? undefined : end)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

const CRI = 'plugins."io.containerd.grpc.v1.cri"';

describe('containerdConfig', () => {
  it('keeps every path of the instance under its dir and the socket private', () => {
    const files = containerdConfig(base);
    expect(files.socket).toBe('/tmp/kruise-ts-containerd-x/containerd.sock');
    expect(files.hostsDir).toBe('/tmp/kruise-ts-containerd-x/certs.d');
    const toml = configOf(base);
    for (const line of ['version = 2', 'root = "/tmp/kruise-ts-containerd-x/root"', 'state = "/tmp/kruise-ts-containerd-x/state"']) expect(toml.split('\n')).toContain(line);
    expect(tableLines(toml, 'grpc')).toEqual(['address = "/tmp/kruise-ts-containerd-x/containerd.sock"']);
    expect(tableLines(toml, `${CRI}.containerd.runtimes.runc.options`)).toEqual(['SystemdCgroup = false', 'Root = "/tmp/kruise-ts-containerd-x/runc"']);
    expect(tableLines(toml, `${CRI}.registry`)).toEqual(['config_path = "/tmp/kruise-ts-containerd-x/certs.d"']);
  });

  it.each([
    ['default', undefined, ['restrict_oom_score_adj = true']],
    ['override', { restrict_oom_score_adj: false }, ['restrict_oom_score_adj = false']],
    ['extra keys', { disable_apparmor: true, max_concurrent_downloads: 5 }, ['restrict_oom_score_adj = true', 'disable_apparmor = true', 'max_concurrent_downloads = 5']],
  ] as const)('CRI plugin settings: %s', (_, cri, expected) => {
    const lines = tableLines(configOf({ ...base, ...(cri === undefined ? {} : { cri }) }), CRI);
    for (const line of expected) expect(lines).toContain(line);
    expect(lines).toContain('sandbox_image = "kruise-ts.local/pause:3.9"');
  });

  it('writes each CRI or runc setting once, whatever the overrides (a duplicate key is a TOML error)', () => {
    const key = fc.constantFrom('restrict_oom_score_adj', 'disable_cgroup', 'disable_apparmor', 'SystemdCgroup', 'BinaryName', 'enable_unprivileged_ports');
    const value = fc.oneof(fc.boolean(), fc.integer({ min: 0, max: 9 }), fc.string({ maxLength: 8 }));
    fc.assert(
      fc.property(fc.dictionary(key, value), fc.dictionary(key, value), (cri, runc) => {
        const toml = configOf({ ...base, cri, runc });
        for (const table of [CRI, `${CRI}.containerd.runtimes.runc.options`]) {
          const keys = tableLines(toml, table).map((line) => line.split(' = ')[0]);
          expect(new Set(keys).size).toBe(keys.length);
        }
      }),
    );
  });

  it('writes a bridge + host-local conflist with IPAM state under the dir', () => {
    const conflist = JSON.parse(containerdConfig(base).files.get('/tmp/kruise-ts-containerd-x/cni/10-kruise-ts.conflist') ?? '{}') as { plugins: { type: string; bridge: string; ipMasq: boolean; ipam: { type: string; dataDir: string; ranges: { subnet: string }[][] } }[] };
    expect(conflist.plugins).toHaveLength(1);
    expect(conflist.plugins[0]).toMatchObject({ type: 'bridge', bridge: 'kts0a1b2c3d', ipMasq: false, ipam: { type: 'host-local', dataDir: '/tmp/kruise-ts-containerd-x/cni-ipam', ranges: [[{ subnet: '10.140.7.0/24' }]] } });
  });
});

describe('plainHttpHostsToml', () => {
  it('points the registry host at http for pull and resolve', () => {
    expect(plainHttpHostsToml('127.0.0.1:40123')).toBe('server = "http://127.0.0.1:40123"\n\n[host."http://127.0.0.1:40123"]\n  capabilities = ["pull", "resolve"]\n');
  });
});

describe('kubeletConfig', () => {
  it('runs on cgroupfs over cgroup v1 without touching what needs capabilities this sandbox lacks', () => {
    const config = JSON.parse(kubeletConfig({ dir: '/tmp/k', endpoint: 'unix:///tmp/c/containerd.sock', port: 10250, healthzPort: 10248 })) as Record<string, unknown>;
    expect(config).toMatchObject({
      kind: 'KubeletConfiguration',
      cgroupDriver: 'cgroupfs',
      failCgroupV1: false,
      cgroupsPerQOS: false,
      oomScoreAdj: 0,
      readOnlyPort: 0,
      address: '127.0.0.1',
      containerRuntimeEndpoint: 'unix:///tmp/c/containerd.sock',
      imageServiceEndpoint: 'unix:///tmp/c/containerd.sock',
      podLogsDir: '/tmp/k/pod-logs',
      authorization: { mode: 'AlwaysAllow' },
    });
  });
});
