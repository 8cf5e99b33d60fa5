import { parseArgs } from 'node:util';

/** The daemon's settings, from flags, the environment and defaults. */
export interface DaemonSettings {
  /** This node (`NODE_NAME`, from the pod's `spec.nodeName` through the downward API). */
  readonly nodeName: string;
  /** Path to a kubeconfig; empty = in-cluster config, then ~/.kube/config. */
  readonly kubeconfig: string;
  /** CRI socket, e.g. `unix:///run/containerd/containerd.sock`. */
  readonly runtimeEndpoint: string;
  /** Where `/healthz` and `/metrics` listen (OpenKruise's `--addr`; loopback by default). */
  readonly addr: { readonly host: string; readonly port: number };
  /** Pulls at once at most; -1 = no bound. */
  readonly maxWorkersForPullImage: number;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** OpenKruise feature gates as given (`InPlaceUpdateEnvFromMetadata=false`); gates not named keep their defaults. */
  readonly featureGates: Readonly<Record<string, boolean>>;
  readonly help: boolean;
  readonly version: boolean;
}

/** Result of {@link parseDaemonFlags}: the settings, or every problem naming its flag or variable. */
export type ParsedDaemonFlags = { readonly kind: 'ok'; readonly settings: DaemonSettings } | { readonly kind: 'invalid'; readonly problems: readonly string[] };

const FLAGS = {
  kubeconfig: { env: 'KUBECONFIG', default: '', help: 'Path to a kubeconfig. Empty: in-cluster config, then ~/.kube/config.' },
  'runtime-endpoint': { env: 'KRUISE_TS_RUNTIME_ENDPOINT', default: 'unix:///run/containerd/containerd.sock', help: 'The container runtime\'s CRI socket (unix:///path or /path).' },
  addr: { env: 'KRUISE_TS_DAEMON_ADDR', default: '127.0.0.1:10221', help: 'Address of /healthz and the Prometheus /metrics (OpenKruise\'s --addr).' },
  'max-workers-for-pull-image': { env: 'KRUISE_TS_MAX_WORKERS_FOR_PULL_IMAGE', default: '5', help: 'Images pulled at once at most; -1 for no bound (OpenKruise\'s default).' },
  'log-level': { env: 'KRUISE_TS_LOG_LEVEL', default: 'info', help: 'fatal, error, warn, info, debug, trace or silent.' },
  'feature-gates': { env: 'KRUISE_TS_FEATURE_GATES', default: '', help: 'OpenKruise feature gates, e.g. "InPlaceUpdateEnvFromMetadata=false" (the daemon reads InPlaceUpdateEnvFromMetadata, on by default).' },
} as const;

/** Parses `A=true,B=false` into gates, or the problem (a pair without a boolean). */
function parseFeatureGates(text: string): Record<string, boolean> | string {
  const gates: Record<string, boolean> = {};
  for (const pair of text.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const match = /^([A-Za-z0-9]+)=(true|false)$/i.exec(pair);
    if (match === null) return `--feature-gates: each gate must be Name=true or Name=false, got "${pair}"`;
    gates[match[1] ?? ''] = (match[2] ?? '').toLowerCase() === 'true';
  }
  return gates;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * Returns the daemon's settings from `argv` and `env` (flags win over their environment variable,
 * which wins over the default), or every problem: `NODE_NAME` missing, an address that is not
 * `host:port`, a worker count that is not a whole number ≥ 1 or -1, an unknown log level.
 *
 * @example parseDaemonFlags(['--max-workers-for-pull-image=2'], { NODE_NAME: 'node-a' }) // settings with maxWorkersForPullImage 2, addr 127.0.0.1:10221
 */
export function parseDaemonFlags(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): ParsedDaemonFlags {
  let values: Record<string, string | boolean | undefined>;
  try {
    const options = { ...Object.fromEntries(Object.keys(FLAGS).map((name) => [name, { type: 'string' } as const])), help: { type: 'boolean' } as const, version: { type: 'boolean' } as const };
    values = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    return { kind: 'invalid', problems: [error instanceof Error ? error.message : String(error)] };
  }
  const read = (name: keyof typeof FLAGS): string => {
    const value = values[name];
    return typeof value === 'string' ? value : (env[FLAGS[name].env] ?? FLAGS[name].default);
  };
  const help = values.help === true;
  const version = values.version === true;
  const problems: string[] = [];
  const nodeName = env.NODE_NAME ?? '';
  if (nodeName === '' && !help && !version) problems.push('NODE_NAME is not set: the daemon acts for one node; set it from spec.nodeName through the downward API');
  const addrMatch = /^(.*):(\d{1,5})$/.exec(read('addr'));
  const port = Number(addrMatch?.[2] ?? NaN);
  if (addrMatch === null || port > 65535) problems.push(`--addr: must be host:port, got "${read('addr')}"`);
  const workers = Number(read('max-workers-for-pull-image'));
  if (!Number.isInteger(workers) || (workers < 1 && workers !== -1)) problems.push(`--max-workers-for-pull-image: must be a whole number ≥ 1, or -1 for no bound, got "${read('max-workers-for-pull-image')}"`);
  const logLevel = read('log-level');
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) problems.push(`--log-level: must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  const endpoint = read('runtime-endpoint');
  if (!endpoint.startsWith('/') && !endpoint.startsWith('unix:///')) problems.push(`--runtime-endpoint: must be a unix socket (unix:///path or /path), got "${endpoint}"`);
  const featureGates = parseFeatureGates(read('feature-gates'));
  if (typeof featureGates === 'string') problems.push(featureGates);
  if (problems.length > 0 || typeof featureGates === 'string') return { kind: 'invalid', problems };
  const host = (addrMatch?.[1] ?? '').replace(/^\[(.*)\]$/, '$1');
  return {
    kind: 'ok',
    settings: { nodeName, kubeconfig: read('kubeconfig'), runtimeEndpoint: endpoint, addr: { host: host === '' ? '0.0.0.0' : host, port }, maxWorkersForPullImage: workers, logLevel: logLevel as DaemonSettings['logLevel'], featureGates, help, version },
  };
}

/** Returns the `--help` text: usage, `NODE_NAME`, then each flag with its variable and default. */
export function daemonHelp(): string {
  const rows = Object.entries(FLAGS).map(([name, spec]) => `  --${name} <value>`.padEnd(40) + ` ${spec.help} (env ${spec.env}, default ${JSON.stringify(spec.default)})`);
  return [
    'kruise-ts-daemon: the node agent of kruise-ts (OpenKruise\'s kruise-daemon): pulls the images of its node\'s NodeImage through CRI.',
    '',
    'Usage: NODE_NAME=<node> kruise-ts-daemon [flags]',
    '',
    'Flags (each can also be set through its environment variable; flags win):',
    ...rows,
    '  --help'.padEnd(40) + ' Print this help and exit.',
    '  --version'.padEnd(40) + ' Print the version and exit.',
    '',
  ].join('\n');
}
