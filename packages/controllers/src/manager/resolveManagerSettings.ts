import { parseGoDuration, parseVersionedStatusKinds } from '@kruise-ts/core';
import type { RateLimit } from '@kruise-ts/k8s-adapter';
import type { LogLevel } from '../runtime/logger.js';
import { CONTROLLER_NAMES, type ControllerName } from './createManager.js';
import { parseFeatureGates, type FeatureGateName, type FeatureGates } from './featureGates.js';
import { CONTROLLER_GATES } from './permissions.js';
import type { ManagerFlags } from './managerFlags.js';
import { resolveWebhookSettings, type WebhookSettings } from '../webhook/resolveWebhookSettings.js';

/** An address to listen on. */
export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

/** The manager's flags, checked and resolved into what the components take. */
export interface ManagerSettings {
  readonly kubeconfig: string;
  readonly namespace: string | undefined;
  /** The manager's own namespace (`--webhook-namespace`): webhook Service and Secret, SidecarSet revisions. */
  readonly managerNamespace: string;
  readonly controllers: readonly ControllerName[];
  readonly workers: Readonly<Record<ControllerName, number>>;
  /** `--nodeimage-creation-delay` in ms: how long after a node turns Ready its NodeImage is created. */
  readonly nodeImageCreationDelayMs: number;
  /** `--ws-enabled-versioned-status`: the workload kinds (lower case) WorkloadSpread counts per version. */
  readonly workloadSpreadVersionedKinds: ReadonlySet<string>;
  readonly featureGates: FeatureGates;
  readonly rateLimit: RateLimit | undefined;
  /** `--request-timeout` in ms: how long a request other than a watch may take. */
  readonly requestTimeoutMs: number;
  /** `--watch-idle-timeout` in ms: a watch silent this long is restarted (the informers' watchdog). */
  readonly watchIdleTimeoutMs: number;
  readonly leaderElection: { readonly namespace: string; readonly name: string; readonly identity: string } | undefined;
  readonly metricsAddress: ListenAddress;
  readonly healthAddress: ListenAddress;
  readonly logLevel: LogLevel;
  /** The webhook server and its configuration; undefined with `--enable-webhooks=false`. */
  readonly webhooks: WebhookSettings | undefined;
}

const LOG_LEVELS: readonly string[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * Returns the address of `host:port` (`:8080` means every interface, as Go's net.Listen).
 *
 * @example parseListenAddress(':8080') → { host: '0.0.0.0', port: 8080 }; parseListenAddress('127.0.0.1:0') → { host: '127.0.0.1', port: 0 }
 */
export function parseListenAddress(value: string): ListenAddress | undefined {
  const match = /^(.*):(\d{1,5})$/.exec(value);
  if (match === null) return undefined;
  const port = Number(match[2]);
  if (port > 65535) return undefined;
  const host = (match[1] ?? '').replace(/^\[(.*)\]$/, '$1');
  return { host: host === '' ? '0.0.0.0' : host, port };
}

/**
 * Returns the Go duration of flag `name` in ms when it is at least 1 s, else records the problem.
 *
 * @example --watch-idle-timeout=1m30s → 90000; --request-timeout=500ms → undefined, "--request-timeout: must be at least 1s, got 500ms"
 */
function positiveDuration(flags: ManagerFlags, name: 'request-timeout' | 'watch-idle-timeout', problems: string[]): number | undefined {
  const parsed = parseGoDuration(flags[name]);
  if (parsed.kind === 'invalid') problems.push(`--${name}: ${parsed.message}`);
  else if (parsed.ms < 1000) problems.push(`--${name}: must be at least 1s, got ${flags[name]}`);
  else return parsed.ms;
  return undefined;
}

/** Returns the settings from the flags, or every problem with the flag it concerns. */
export function resolveManagerSettings(
  flags: ManagerFlags,
  identity: { readonly hostname: string; readonly uuid: string },
): { readonly kind: 'ok'; readonly settings: ManagerSettings } | { readonly kind: 'invalid'; readonly problems: readonly string[] } {
  const problems: string[] = [];
  const gates = parseFeatureGates(flags['feature-gates']);
  if (gates.kind === 'invalid') problems.push(...gates.problems);
  const all = flags.controllers.trim() === '*';
  const named = all ? [...CONTROLLER_NAMES] : flags.controllers.split(',').map((c) => c.trim()).filter((c) => c !== '');
  for (const c of named) if (!(CONTROLLER_NAMES as readonly string[]).includes(c)) problems.push(`--controllers: unknown controller "${c}" (known: ${CONTROLLER_NAMES.join(', ')})`);
  // A controller behind a gate that is off: left out of "*" (as OpenKruise's Add returns early), refused by name.
  const gatedOff = (c: string): boolean => gates.kind === 'ok' && CONTROLLER_GATES[c] !== undefined && !gates.gates[CONTROLLER_GATES[c] as FeatureGateName];
  if (!all) for (const c of named) if (gatedOff(c)) problems.push(`--controllers: ${c} needs --feature-gates=${CONTROLLER_GATES[c] ?? ''}=true`);
  const controllers = named.filter((c) => !gatedOff(c));
  const metricsAddress = parseListenAddress(flags['metrics-addr']);
  if (metricsAddress === undefined) problems.push(`--metrics-addr: must be host:port, got "${flags['metrics-addr']}"`);
  const healthAddress = parseListenAddress(flags['health-probe-addr']);
  if (healthAddress === undefined) problems.push(`--health-probe-addr: must be host:port, got "${flags['health-probe-addr']}"`);
  if (!LOG_LEVELS.includes(flags['log-level'])) problems.push(`--log-level: must be one of ${LOG_LEVELS.join(', ')}, got "${flags['log-level']}"`);
  for (const flag of ['cloneset-workers', 'statefulset-workers', 'daemonset-workers', 'sidecarset-workers', 'advancedcronjob-workers', 'broadcastjob-workers', 'ephemeraljob-workers', 'uniteddeployment-workers', 'podunavailablebudget-workers', 'resourcedistribution-workers', 'persistentpodstate-workers', 'containerlaunchpriority-workers', 'nodeimage-workers', 'imagepulljob-workers', 'imagelistpulljob-workers', 'workloadspread-workers', 'crr-workers', 'podprobemarker-workers', 'nodepodprobe-workers', 'sidecarterminator-workers'] as const) {
    if (flags[flag] < 1 || !Number.isInteger(flags[flag])) problems.push(`--${flag}: must be a whole number >= 1, got ${String(flags[flag])}`);
  }
  const creationDelay = parseGoDuration(flags['nodeimage-creation-delay']);
  if (creationDelay.kind === 'invalid') problems.push(`--nodeimage-creation-delay: ${creationDelay.message}`);
  const requestTimeout = positiveDuration(flags, 'request-timeout', problems);
  const watchIdleTimeout = positiveDuration(flags, 'watch-idle-timeout', problems);
  const webhooks = gates.kind === 'ok' ? resolveWebhookSettings(flags, gates.gates) : undefined;
  if (webhooks?.kind === 'invalid') problems.push(...webhooks.problems);
  if (problems.length > 0 || gates.kind === 'invalid' || creationDelay.kind === 'invalid' || requestTimeout === undefined || watchIdleTimeout === undefined || metricsAddress === undefined || healthAddress === undefined || webhooks?.kind !== 'ok') return { kind: 'invalid', problems };
  const qps = flags['rest-config-qps'];
  return {
    kind: 'ok',
    settings: {
      kubeconfig: flags.kubeconfig,
      namespace: flags.namespace === '' ? undefined : flags.namespace,
      managerNamespace: flags['webhook-namespace'],
      controllers: controllers as ControllerName[],
      workers: { cloneset: flags['cloneset-workers'], statefulset: flags['statefulset-workers'], daemonset: flags['daemonset-workers'], sidecarset: flags['sidecarset-workers'], advancedcronjob: flags['advancedcronjob-workers'], broadcastjob: flags['broadcastjob-workers'], ephemeraljob: flags['ephemeraljob-workers'], uniteddeployment: flags['uniteddeployment-workers'], podunavailablebudget: flags['podunavailablebudget-workers'], resourcedistribution: flags['resourcedistribution-workers'], persistentpodstate: flags['persistentpodstate-workers'], containerlaunchpriority: flags['containerlaunchpriority-workers'], nodeimage: flags['nodeimage-workers'], imagepulljob: flags['imagepulljob-workers'], imagelistpulljob: flags['imagelistpulljob-workers'], workloadspread: flags['workloadspread-workers'], containerrecreaterequest: flags['crr-workers'], podprobemarker: flags['podprobemarker-workers'], nodepodprobe: flags['nodepodprobe-workers'], sidecarterminator: flags['sidecarterminator-workers'] },
      nodeImageCreationDelayMs: creationDelay.ms,
      workloadSpreadVersionedKinds: parseVersionedStatusKinds(flags['ws-enabled-versioned-status']),
      featureGates: gates.gates,
      rateLimit: qps > 0 ? { qps, burst: Math.max(flags['rest-config-burst'], 1) } : undefined,
      requestTimeoutMs: requestTimeout,
      watchIdleTimeoutMs: watchIdleTimeout,
      leaderElection: flags['enable-leader-election']
        ? { namespace: flags['leader-election-namespace'], name: flags['leader-election-id'], identity: `${identity.hostname}_${identity.uuid}` }
        : undefined,
      metricsAddress,
      healthAddress,
      logLevel: flags['log-level'] as LogLevel,
      webhooks: webhooks.settings,
    },
  };
}
