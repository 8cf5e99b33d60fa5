import { parseArgs } from 'node:util';

/** One command-line flag of the manager, with its environment variable and default. */
interface FlagSpec {
  readonly type: 'string' | 'boolean' | 'number';
  readonly env: string;
  readonly default: string | boolean | number;
  readonly help: string;
}

/**
 * The manager's flags. Names follow OpenKruise's kruise-manager where it has one
 * (`--metrics-addr`, `--health-probe-addr`, `--enable-leader-election`, `--rest-config-qps`...).
 */
export const MANAGER_FLAGS = {
  kubeconfig: { type: 'string', env: 'KUBECONFIG', default: '', help: 'Path to a kubeconfig. Empty: in-cluster config, then ~/.kube/config.' },
  namespace: { type: 'string', env: 'KRUISE_TS_NAMESPACE', default: '', help: 'Only watch and manage objects in this namespace. Empty: all namespaces.' },
  'enable-leader-election': { type: 'boolean', env: 'KRUISE_TS_ENABLE_LEADER_ELECTION', default: true, help: 'Elect a leader through a coordination.k8s.io Lease so only one replica acts.' },
  'leader-election-id': { type: 'string', env: 'KRUISE_TS_LEADER_ELECTION_ID', default: 'kruise-manager', help: 'Name of the leader-election Lease.' },
  'leader-election-namespace': { type: 'string', env: 'KRUISE_TS_LEADER_ELECTION_NAMESPACE', default: 'kruise-system', help: 'Namespace of the leader-election Lease.' },
  'metrics-addr': { type: 'string', env: 'KRUISE_TS_METRICS_ADDR', default: ':8080', help: 'Address of the Prometheus /metrics endpoint.' },
  'health-probe-addr': { type: 'string', env: 'KRUISE_TS_HEALTH_PROBE_ADDR', default: ':8000', help: 'Address of the /healthz and /readyz endpoints.' },
  'rest-config-qps': { type: 'number', env: 'KRUISE_TS_REST_CONFIG_QPS', default: 30, help: 'Client-side rate limit on requests to the apiserver, per second.' },
  'rest-config-burst': { type: 'number', env: 'KRUISE_TS_REST_CONFIG_BURST', default: 50, help: 'Requests allowed in a burst above the rate limit.' },
  'request-timeout': { type: 'string', env: 'KRUISE_TS_REQUEST_TIMEOUT', default: '30s', help: 'Time each request to the apiserver other than a watch may take, a Go duration: one sent on a connection that went silent fails after it and is retried, and its connection is replaced (checked with a request: destroyed if mute).' },
  'watch-idle-timeout': { type: 'string', env: 'KRUISE_TS_WATCH_IDLE_TIMEOUT', default: '5m', help: 'A watch that receives nothing (no event, no bookmark) for this long is presumed cut and started again from where it was, on a new connection, a Go duration. Each watch also asks the apiserver to end it after 50-90 % of this, so healthy watches rotate first.' },
  controllers: { type: 'string', env: 'KRUISE_TS_CONTROLLERS', default: '*', help: 'Controllers to run, comma-separated: "*" for all, or names (cloneset, statefulset, daemonset, sidecarset, advancedcronjob, broadcastjob, ephemeraljob, uniteddeployment, podunavailablebudget, resourcedistribution, persistentpodstate, containerlaunchpriority, nodeimage, imagepulljob, imagelistpulljob, workloadspread, containerrecreaterequest, podprobemarker, nodepodprobe, sidecarterminator). resourcedistribution runs only with ResourceDistributionGate=true; nodeimage with KruiseDaemon (on by default); imagepulljob and imagelistpulljob with ImagePullJobGate; workloadspread with WorkloadSpread (on by default); containerrecreaterequest with KruiseDaemon (on by default); podprobemarker and nodepodprobe with PodProbeMarkerGate (on by default; KruiseDaemon off turns it off); sidecarterminator with SidecarTerminator.' },
  'cloneset-workers': { type: 'number', env: 'KRUISE_TS_CLONESET_WORKERS', default: 3, help: 'CloneSets reconciled at once.' },
  'statefulset-workers': { type: 'number', env: 'KRUISE_TS_STATEFULSET_WORKERS', default: 3, help: 'Advanced StatefulSets reconciled at once.' },
  'daemonset-workers': { type: 'number', env: 'KRUISE_TS_DAEMONSET_WORKERS', default: 3, help: 'Advanced DaemonSets reconciled at once.' },
  'sidecarset-workers': { type: 'number', env: 'KRUISE_TS_SIDECARSET_WORKERS', default: 3, help: 'SidecarSets reconciled at once.' },
  'advancedcronjob-workers': { type: 'number', env: 'KRUISE_TS_ADVANCEDCRONJOB_WORKERS', default: 3, help: 'AdvancedCronJobs reconciled at once.' },
  'broadcastjob-workers': { type: 'number', env: 'KRUISE_TS_BROADCASTJOB_WORKERS', default: 3, help: 'BroadcastJobs reconciled at once.' },
  'ephemeraljob-workers': { type: 'number', env: 'KRUISE_TS_EPHEMERALJOB_WORKERS', default: 10, help: 'EphemeralJobs reconciled at once.' },
  'uniteddeployment-workers': { type: 'number', env: 'KRUISE_TS_UNITEDDEPLOYMENT_WORKERS', default: 3, help: 'UnitedDeployments reconciled at once.' },
  'podunavailablebudget-workers': { type: 'number', env: 'KRUISE_TS_PODUNAVAILABLEBUDGET_WORKERS', default: 3, help: 'PodUnavailableBudgets reconciled at once.' },
  'resourcedistribution-workers': { type: 'number', env: 'KRUISE_TS_RESOURCEDISTRIBUTION_WORKERS', default: 3, help: 'ResourceDistributions reconciled at once.' },
  'persistentpodstate-workers': { type: 'number', env: 'KRUISE_TS_PERSISTENTPODSTATE_WORKERS', default: 3, help: 'PersistentPodStates reconciled at once.' },
  'nodeimage-workers': { type: 'number', env: 'KRUISE_TS_NODEIMAGE_WORKERS', default: 3, help: 'NodeImages reconciled at once.' },
  'nodeimage-creation-delay': { type: 'string', env: 'KRUISE_TS_NODEIMAGE_CREATION_DELAY', default: '30s', help: 'How long after a node turns Ready its NodeImage is created, a Go duration (OpenKruise\'s --nodeimage-creation-delay, default 30s).' },
  'imagepulljob-workers': { type: 'number', env: 'KRUISE_TS_IMAGEPULLJOB_WORKERS', default: 3, help: 'ImagePullJobs reconciled at once.' },
  'imagelistpulljob-workers': { type: 'number', env: 'KRUISE_TS_IMAGELISTPULLJOB_WORKERS', default: 3, help: 'ImageListPullJobs reconciled at once.' },
  'crr-workers': { type: 'number', env: 'KRUISE_TS_CRR_WORKERS', default: 3, help: 'ContainerRecreateRequests reconciled at once.' },
  'podprobemarker-workers': { type: 'number', env: 'KRUISE_TS_PODPROBEMARKER_WORKERS', default: 3, help: 'PodProbeMarkers reconciled at once.' },
  'nodepodprobe-workers': { type: 'number', env: 'KRUISE_TS_NODEPODPROBE_WORKERS', default: 3, help: 'NodePodProbes reconciled at once.' },
  'containerlaunchpriority-workers': { type: 'number', env: 'KRUISE_TS_CONTAINERLAUNCHPRIORITY_WORKERS', default: 4, help: 'Pods with container launch priority reconciled at once.' },
  'workloadspread-workers': { type: 'number', env: 'KRUISE_TS_WORKLOADSPREAD_WORKERS', default: 3, help: 'WorkloadSpreads reconciled at once.' },
  'ws-enabled-versioned-status': { type: 'string', env: 'KRUISE_TS_WS_ENABLED_VERSIONED_STATUS', default: 'deployment,replicaset', help: 'Workload kinds whose pods WorkloadSpread counts per version (versionedSubsetStatuses), comma-separated, case-insensitive; deployment implies replicaset (OpenKruise\'s --ws-enabled-versioned-status).' },
  'sidecarterminator-workers': { type: 'number', env: 'KRUISE_TS_SIDECARTERMINATOR_WORKERS', default: 3, help: 'Job pods whose sidecars the SidecarTerminator stops, reconciled at once.' },
  'log-level': { type: 'string', env: 'KRUISE_TS_LOG_LEVEL', default: 'info', help: 'Log level: fatal, error, warn, info, debug, trace or silent.' },
  'feature-gates': { type: 'string', env: 'KRUISE_TS_FEATURE_GATES', default: '', help: 'OpenKruise feature gates, e.g. "InPlaceWorkloadVerticalScaling=true,CloneSetShortHash=false".' },
  'enable-webhooks': { type: 'boolean', env: 'KRUISE_TS_ENABLE_WEBHOOKS', default: true, help: 'Serve the admission and conversion webhooks (every replica) and keep their configurations, certificates and the CRDs\' conversion in place.' },
  'webhook-host': { type: 'string', env: 'KRUISE_TS_WEBHOOK_HOST', default: '0.0.0.0', help: 'Address the HTTPS webhook server listens on.' },
  'webhook-port': { type: 'number', env: 'KRUISE_TS_WEBHOOK_PORT', default: 9876, help: 'Port of the HTTPS webhook server (OpenKruise\'s WEBHOOK_PORT).' },
  'webhook-url': { type: 'string', env: 'KRUISE_TS_WEBHOOK_URL', default: '', help: 'Base URL the apiserver calls the webhooks at, for out-of-cluster runs and tests, e.g. https://127.0.0.1:9876. Empty: through the Service.' },
  'webhook-namespace': { type: 'string', env: 'KRUISE_TS_WEBHOOK_NAMESPACE', default: 'kruise-system', help: 'The manager\'s namespace: holds the webhook Service and certificate Secret; the pod webhook skips it.' },
  'webhook-service-name': { type: 'string', env: 'KRUISE_TS_WEBHOOK_SERVICE_NAME', default: 'kruise-ts-webhook-service', help: 'Service in front of the webhook servers.' },
  'webhook-secret-name': { type: 'string', env: 'KRUISE_TS_WEBHOOK_SECRET_NAME', default: 'kruise-ts-webhook-certs', help: 'Secret holding the self-provisioned CA and serving certificate, shared by the replicas.' },
  'webhook-cert-dir': { type: 'string', env: 'KRUISE_TS_WEBHOOK_CERT_DIR', default: '', help: 'With the EnableExternalCerts gate: directory with tls.crt, tls.key and ca.crt (cert-manager), watched for changes.' },
  'pod-webhook-failure-policy': { type: 'string', env: 'KRUISE_TS_POD_WEBHOOK_FAILURE_POLICY', default: 'Ignore', help: 'failurePolicy of the pod webhook: Ignore (pods are created while the manager is down, without sidecars) or Fail (pod creation blocked meanwhile).' },
  'webhook-failure-policies': { type: 'string', env: 'KRUISE_TS_WEBHOOK_FAILURE_POLICIES', default: '', help: 'failurePolicy per webhook, overriding the built-in one, e.g. "vcloneset.kb.io=Ignore,mpod.kb.io=Fail" (the Helm chart\'s webhook.failurePolicy).' },
  'webhook-timeout-seconds': { type: 'number', env: 'KRUISE_TS_WEBHOOK_TIMEOUT_SECONDS', default: 0, help: 'timeoutSeconds of every admission webhook, 1-30: how long the apiserver waits for an answer before it applies the failurePolicy (OpenKruise\'s Helm chart: webhookConfiguration.timeoutSeconds, 30 there). 0: each webhook\'s own, 10.' },
  'webhook-excluded-namespaces': { type: 'string', env: 'KRUISE_TS_WEBHOOK_EXCLUDED_NAMESPACES', default: '', help: 'Namespaces no webhook is called for, comma-separated (the Helm chart\'s webhook.excludedNamespaces).' },
  help: { type: 'boolean', env: '', default: false, help: 'Print this help and exit.' },
  version: { type: 'boolean', env: '', default: false, help: 'Print the version and exit.' },
} as const satisfies Record<string, FlagSpec>;

/** The manager's options, parsed from flags and the environment. */
export type ManagerFlags = {
  -readonly [K in keyof typeof MANAGER_FLAGS]: (typeof MANAGER_FLAGS)[K]['type'] extends 'boolean' ? boolean : (typeof MANAGER_FLAGS)[K]['type'] extends 'number' ? number : string;
};

/** Result of {@link parseManagerFlags}: the options, or every problem with the flag it concerns. */
export type ParsedManagerFlags = { readonly kind: 'ok'; readonly flags: ManagerFlags } | { readonly kind: 'invalid'; readonly problems: readonly string[] };

/**
 * Returns the manager's options from `argv`, falling back to each flag's environment variable,
 * then its default. Flags win over the environment: `--rest-config-qps=100` with
 * `KRUISE_TS_REST_CONFIG_QPS=5` gives 100.
 */
export function parseManagerFlags(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): ParsedManagerFlags {
  const problems: string[] = [];
  let values: Record<string, string | boolean | undefined>;
  try {
    const options = Object.fromEntries(Object.entries(MANAGER_FLAGS).map(([name, spec]) => [name, { type: spec.type === 'boolean' ? 'boolean' : 'string' } as const]));
    values = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false, allowNegative: true }).values;
  } catch (error) {
    return { kind: 'invalid', problems: [error instanceof Error ? error.message : String(error)] };
  }
  const flags: Record<string, string | boolean | number> = {};
  for (const [name, spec] of Object.entries(MANAGER_FLAGS) as [string, FlagSpec][]) {
    const raw = values[name] ?? (spec.env === '' ? undefined : env[spec.env]);
    flags[name] = raw === undefined ? spec.default : coerce(name, spec, raw, problems);
  }
  return problems.length > 0 ? { kind: 'invalid', problems } : { kind: 'ok', flags: flags as ManagerFlags };
}

function coerce(name: string, spec: FlagSpec, raw: string | boolean, problems: string[]): string | boolean | number {
  if (spec.type === 'string' || typeof raw === 'boolean') return raw;
  if (spec.type === 'boolean') {
    if (raw === 'true' || raw === 'false') return raw === 'true';
    problems.push(`--${name}: must be true or false, got "${raw}"`);
    return spec.default;
  }
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n < 0) {
    problems.push(`--${name}: must be a non-negative number, got "${raw}"`);
    return spec.default;
  }
  return n;
}

/** Returns the `--help` text: usage, then each flag with its environment variable and default. */
export function managerHelp(): string {
  const rows = Object.entries(MANAGER_FLAGS).map(([name, spec]: [string, FlagSpec]) => {
    const left = `  --${name}${spec.type === 'boolean' ? '' : ` <${spec.type}>`}`;
    const meta = [spec.env && `env ${spec.env}`, spec.type !== 'boolean' || spec.default ? `default ${JSON.stringify(spec.default)}` : ''].filter(Boolean).join(', ');
    return `${left.padEnd(40)} ${spec.help}${meta ? ` (${meta})` : ''}`;
  });
  return [
    'kruise-ts-manager: OpenKruise-compatible controllers and admission webhooks for apps.kruise.io workloads.',
    '',
    'Usage: kruise-ts-manager [flags]',
    '',
    'Flags (each can also be set through its environment variable; flags win):',
    ...rows,
    '',
  ].join('\n');
}
