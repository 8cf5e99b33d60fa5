/** The settings {@link containerdConfig} writes into containerd's config.toml. */
export interface ContainerdConfigInput {
  /** Temp directory of the instance: root, state, socket, CNI conf and registry hosts live below. */
  readonly dir: string;
  /** The image the CRI plugin starts pod sandboxes from, e.g. `kruise-ts.local/pause:3`. */
  readonly sandboxImage: string;
  /** Name of the instance's CNI bridge (at most 15 characters). */
  readonly bridge: string;
  /** The pod subnet of the bridge's host-local IPAM, e.g. `10.137.4.0/24`. */
  readonly subnet: string;
  /** Extra top-level settings of the CRI plugin, e.g. `{ restrict_oom_score_adj: true }`. */
  readonly cri?: Readonly<Record<string, string | boolean | number>>;
  /** Extra runc runtime options, e.g. `{ BinaryName: '/tmp/runc-debug' }`. */
  readonly runc?: Readonly<Record<string, string | boolean | number>>;
}

/** The files of one containerd instance, by path → content. */
export interface ContainerdFiles {
  readonly configPath: string;
  readonly socket: string;
  /** The CRI registry `config_path`: `<hostsDir>/<host>/hosts.toml` per registry. */
  readonly hostsDir: string;
  readonly files: ReadonlyMap<string, string>;
}

const toml = (value: string | boolean | number): string => (typeof value === 'string' ? JSON.stringify(value) : String(value));

function table(entries: Readonly<Record<string, string | boolean | number>>, indent: string): string[] {
  return Object.entries(entries).map(([key, value]) => `${indent}${key} = ${toml(value)}`);
}

/**
 * containerd 1.6 config (`version = 2`) for a private instance under `dir`: its own root, state,
 * gRPC socket (`<dir>/containerd.sock`) and opt dir, no TCP/metrics/ttrpc listeners, the CRI
 * plugin with `SystemdCgroup = false` (cgroupfs), `restrict_oom_score_adj` (pod sandboxes run without
 * CAP_SYS_RESOURCE), the runc state under `<dir>/runc`, network
 * namespaces under the state dir, a random stream-server port, CNI plugins from `/usr/lib/cni`
 * with a bridge + host-local conflist under `<dir>/cni`, and registries configured per host in
 * `<dir>/certs.d` (`config_path`), re-read at every pull. Pure: returns the files to write.
 */
export function containerdConfig(input: ContainerdConfigInput): ContainerdFiles {
  const { dir } = input;
  const socket = `${dir}/containerd.sock`;
  const hostsDir = `${dir}/certs.d`;
  const cri = 'plugins."io.containerd.grpc.v1.cri"';
  const config = [
    'version = 2',
    `root = ${toml(`${dir}/root`)}`,
    `state = ${toml(`${dir}/state`)}`,
    'disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.tracing.processor.v1.otlp", "io.containerd.internal.v1.tracing"]',
    '[grpc]',
    `  address = ${toml(socket)}`,
    '[ttrpc]',
    '  address = ""',
    '[metrics]',
    '  address = ""',
    '[plugins."io.containerd.internal.v1.opt"]',
    `  path = ${toml(`${dir}/opt`)}`,
    `[${cri}]`,
    `  sandbox_image = ${toml(input.sandboxImage)}`,
    '  stream_server_address = "127.0.0.1"',
    '  stream_server_port = "0"',
    '  netns_mounts_under_state_dir = true',
    // The sandbox sets oom_score_adj -998, which needs CAP_SYS_RESOURCE; without it (in a container,
    // as here) runc init fails with "can't get final child's PID from pipe: EOF". Restricting clamps
    // the value to containerd's own score (docs/notes/real-runtime.md).
    ...table({ restrict_oom_score_adj: true, ...input.cri }, '  '),
    `[${cri}.containerd]`,
    '  snapshotter = "overlayfs"',
    '  default_runtime_name = "runc"',
    `[${cri}.containerd.runtimes.runc]`,
    '  runtime_type = "io.containerd.runc.v2"',
    `[${cri}.containerd.runtimes.runc.options]`,
    ...table({ SystemdCgroup: false, Root: `${dir}/runc`, ...input.runc }, '  '),
    `[${cri}.cni]`,
    '  bin_dir = "/usr/lib/cni"',
    `  conf_dir = ${toml(`${dir}/cni`)}`,
    `[${cri}.registry]`,
    `  config_path = ${toml(hostsDir)}`,
  ];
  const conflist = {
    cniVersion: '1.0.0',
    name: 'kruise-ts',
    plugins: [
      {
        type: 'bridge',
        bridge: input.bridge,
        isGateway: true,
        ipMasq: false,
        ipam: { type: 'host-local', dataDir: `${dir}/cni-ipam`, ranges: [[{ subnet: input.subnet }]], routes: [{ dst: '0.0.0.0/0' }] },
      },
    ],
  };
  return {
    configPath: `${dir}/config.toml`,
    socket,
    hostsDir,
    files: new Map([
      [`${dir}/config.toml`, `${config.join('\n')}\n`],
      [`${dir}/cni/10-kruise-ts.conflist`, `${JSON.stringify(conflist, null, 2)}\n`],
    ]),
  };
}

/**
 * `hosts.toml` telling containerd's CRI plugin to pull `host` over plain http, e.g. for
 * `127.0.0.1:40123`: `server = "http://127.0.0.1:40123"` plus a `[host."http://127.0.0.1:40123"]`
 * that may pull and resolve.
 */
export function plainHttpHostsToml(host: string): string {
  return [`server = "http://${host}"`, '', `[host."http://${host}"]`, '  capabilities = ["pull", "resolve"]', ''].join('\n');
}
