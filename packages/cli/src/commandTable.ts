/** One flag of a command: what `util.parseArgs` reads and what `--help` prints, from one entry. */
export interface FlagSpec {
  /** Long name, without the dashes: `timeout` for `--timeout`. */
  readonly name: string;
  readonly type: 'string' | 'boolean';
  /** One-letter alias: `o` for `-o`. */
  readonly short?: string;
  /** The flag may be given more than once (its value is then a list). */
  readonly multiple?: boolean;
  /** The value when the flag is not given, as `--help` shows it. */
  readonly default?: string | boolean;
  readonly description: string;
}

/** One command: its words (`['rollout', 'status']`), its arguments and its flags. */
export interface CommandSpec {
  readonly path: readonly string[];
  /** The positional arguments, as `--help` shows them: `(TYPE NAME | TYPE/NAME)`. */
  readonly args: string;
  readonly summary: string;
  readonly flags: readonly FlagSpec[];
  readonly examples: readonly string[];
}

const HELP: FlagSpec = { name: 'help', type: 'boolean', short: 'h', default: false, description: 'Print this help and exit.' };
const OUTPUT: FlagSpec = { name: 'output', type: 'string', short: 'o', description: 'Output format: json or yaml (default: plain words).' };
const CLUSTER: readonly FlagSpec[] = [
  { name: 'namespace', type: 'string', short: 'n', default: 'default', description: 'Namespace of the workload.' },
  { name: 'kubeconfig', type: 'string', description: 'Path of the kubeconfig (default: $KUBECONFIG, in-cluster, then ~/.kube/config).' },
];
const WORKLOAD = '(TYPE NAME | TYPE/NAME), TYPE one of cloneset (clone, cs), statefulset.apps.kruise.io (asts), daemonset.apps.kruise.io (ads)';
const ROLLOUT_TARGET = `${WORKLOAD}, sidecarset (cluster-scoped: -n is not used)`;
const KRUISE_NAMESPACE: FlagSpec = { name: 'kruise-namespace', type: 'string', default: 'kruise-system', description: "SidecarSet only: the namespace of the kruise manager, where the SidecarSet's ControllerRevisions are kept." };

/**
 * Every command of `kruise-ts`. The parser (`parseCommandLine`) builds its `util.parseArgs`
 * options from this table and `--help` is printed from it (`commandHelp`), so the two cannot drift.
 */
export const COMMANDS: readonly CommandSpec[] = [
  {
    path: ['rollout', 'status'],
    args: ROLLOUT_TARGET,
    summary:
      "Show the status of the rollout. By default it watches until the rollout is done, as kubectl's: exit 0 when done, 1 when the progress deadline is exceeded (CloneSet progressDeadlineSeconds), --timeout passes, or the --revision pinned is rolled over. A SidecarSet is done when matchedPods − partition pods have the new sidecars (updatedPods) and are ready (updatedReadyPods); updateStrategy.type NotUpdate fails at once.",
    flags: [
      { name: 'watch', type: 'boolean', short: 'w', default: true, description: 'Watch the status until the rollout ends; --watch=false prints it once and exits 0.' },
      { name: 'revision', type: 'string', default: '0', description: 'Pin to this revision (its ControllerRevision number, as rollout history lists it): exit 1 with "desired revision (N) is different from the running revision (M)" when the status runs another one, also when a newer rollout starts while watching; 0 follows the latest.' },
      { name: 'timeout', type: 'string', default: '0s', description: 'How long to watch before giving up (e.g. 30s, 5m, 1h); 0 waits forever.' },
      ...CLUSTER,
      KRUISE_NAMESPACE,
      OUTPUT,
      HELP,
    ],
    examples: ['kruise-ts rollout status cloneset/web', 'kruise-ts rollout status asts db -n prod --timeout=10m', 'kruise-ts rollout status cs/web --watch=false -o json', 'kruise-ts rollout status cs/web --revision=3', 'kruise-ts rollout status sidecarset/log-agent'],
  },
  {
    path: ['rollout', 'pause'],
    args: ROLLOUT_TARGET,
    summary: "Pause the rollout: sets spec.updateStrategy.rollingUpdate.paused (a SidecarSet's spec.updateStrategy.paused) with a merge patch. Pods stop being updated; scaling (a SidecarSet's injection into new pods) goes on.",
    flags: [...CLUSTER, OUTPUT, HELP],
    examples: ['kruise-ts rollout pause cloneset/web', 'kruise-ts rollout pause sidecarset/log-agent'],
  },
  {
    path: ['rollout', 'resume'],
    args: ROLLOUT_TARGET,
    summary: "Resume a paused rollout: clears spec.updateStrategy.rollingUpdate.paused (a SidecarSet's spec.updateStrategy.paused) with a merge patch.",
    flags: [...CLUSTER, OUTPUT, HELP],
    examples: ['kruise-ts rollout resume cloneset/web', 'kruise-ts rollout resume sidecarset/log-agent'],
  },
  {
    path: ['rollout', 'history'],
    args: ROLLOUT_TARGET,
    summary: "List the revisions (the ControllerRevisions it controls, as kubectl-kruise lists a workload's; a SidecarSet's are in --kruise-namespace) with their change-cause; --revision prints one revision's pod template (a SidecarSet's: its recorded sidecar containers, init containers and volumes).",
    flags: [{ name: 'revision', type: 'string', default: '0', description: 'Print this revision number; 0 lists every revision.' }, ...CLUSTER, KRUISE_NAMESPACE, OUTPUT, HELP],
    examples: ['kruise-ts rollout history cloneset/web', 'kruise-ts rollout history cs/web --revision=2', 'kruise-ts rollout history asts/db -o json', 'kruise-ts rollout history sidecarset/log-agent --revision=1'],
  },
  {
    path: ['rollout', 'undo'],
    args: WORKLOAD,
    summary: "Roll the pod template back to a previous revision (the one before the newest, or --to-revision). The controller moves the pods as for any template change: in place when only images differ under InPlaceIfPossible.",
    flags: [
      { name: 'to-revision', type: 'string', default: '0', description: 'The revision to roll back to; 0 is the one before the newest.' },
      { name: 'dry-run', type: 'string', default: 'none', description: 'none; client (print the template it would restore, write nothing); server (send the patch as a dry run).' },
      ...CLUSTER,
      OUTPUT,
      HELP,
    ],
    examples: ['kruise-ts rollout undo cloneset/web', 'kruise-ts rollout undo cs/web --to-revision=1', 'kruise-ts rollout undo cs/web --dry-run=client'],
  },
  {
    path: ['rollout', 'restart'],
    args: WORKLOAD,
    summary: "Restart the pods: sets the pod template annotation kubectl.kruise.io/restartedAt to now, as kubectl-kruise does. In place (no container restart) under InPlaceIfPossible, recreated under ReCreate; partition, maxUnavailable and pause apply.",
    flags: [...CLUSTER, OUTPUT, HELP],
    examples: ['kruise-ts rollout restart cloneset/web'],
  },
  {
    path: ['rollout', 'approve'],
    args: WORKLOAD,
    summary: 'Approve a paused rollout step. As kubectl-kruise, only Kruise Rollout (rollouts.kruise.io) steps can be approved; for these workloads it fails with "approving is not supported" (use rollout resume, or lower the partition).',
    flags: [...CLUSTER, OUTPUT, HELP],
    examples: ['kruise-ts rollout approve cloneset/web'],
  },
  {
    path: ['scaledown'],
    args: WORKLOAD,
    summary: 'Scale a workload down by deleting the named pods: a CloneSet gets them in scaleStrategy.podsToDelete (as kubectl-kruise), an Advanced StatefulSet their ordinals in reserveOrdinals; replicas drop by their count.',
    flags: [{ name: 'pods', type: 'string', description: 'The pods to delete, comma separated (a,b). Required.' }, ...CLUSTER, OUTPUT, HELP],
    examples: ['kruise-ts scaledown cloneset/web --pods web-abcde,web-fghij', 'kruise-ts scaledown asts/db --pods db-3'],
  },
  {
    path: ['explain'],
    args: `${WORKLOAD}, or pod/NAME`,
    summary: "For each pod of a CloneSet, Advanced StatefulSet or Advanced DaemonSet, say why it is or is not being updated now (partition, maxUnavailable, paused, lifecycle hook, PodUnavailableBudget, in place or recreate and the field that forced it, grace period), from the controller's own update decisions.",
    flags: [...CLUSTER, OUTPUT, HELP],
    examples: ['kruise-ts explain cloneset/web', 'kruise-ts explain pod/web-abcde -n prod', 'kruise-ts explain cs web -o json'],
  },
  {
    path: ['preview'],
    args: `${WORKLOAD}, or none with -f`,
    summary:
      "Predict a rollout before making it: copies the live CloneSet, Advanced StatefulSet or Advanced DaemonSet and its pods (or -f/--pods files) into an in-memory cluster, applies the --set changes to the pod template, runs the kind's real controller on a fake clock with each pod's observed time to Ready, and prints the batches, the order pods are updated (in place, or recreated when the change needs it), how long each is unavailable, and the total. Writes nothing to the cluster.",
    flags: [
      { name: 'set', type: 'string', multiple: true, description: 'A change to the pod template: image=<container>=<image>, env=<container>:<NAME>=<VALUE>, or resources=<container>:<limits|requests>.<resource>=<quantity>[,...]; repeat for several. Required.' },
      { name: 'ready-after', type: 'string', description: "Assume this time to Ready (after a start or an in-place restart) for every pod. Default: each pod's own, from its Ready condition (1s when it cannot be read, and for new pods)." },
      { name: 'feature-gates', type: 'string', description: "The controller's feature gates, as kruise-ts-manager's --feature-gates (e.g. InPlaceWorkloadVerticalScaling=true,InPlacePodVerticalScaling=true to resize in place). Default: OpenKruise's defaults." },
      { name: 'filename', type: 'string', short: 'f', description: 'Preview offline: the workload manifest (instead of TYPE/NAME).' },
      { name: 'pods', type: 'string', description: 'With -f: its pods, with their status (a List or YAML documents; ControllerRevisions and Nodes are used too).' },
      ...CLUSTER,
      OUTPUT,
      HELP,
    ],
    examples: ['kruise-ts preview cloneset/web --set image=main=nginx:1.27', 'kruise-ts preview asts/db --set env=main:LOG_LEVEL=debug -o yaml', 'kruise-ts preview ads/agent --set image=agent=agent:2 --set resources=agent:limits.cpu=500m', 'kruise-ts preview -f web.yaml --pods pods.yaml --set image=main=nginx:1.27 --ready-after=5s'],
  },
  {
    path: ['migrate'],
    args: '(deployment NAME | deployment/NAME)',
    summary:
      "Migrate a Deployment's replicas to a CloneSet, as kruise-tools' migrate: creates the CloneSet from the Deployment (same selector and template, 0 replicas, adopting none of its pods) unless it exists, then grows the CloneSet by at most --max-surge ahead of the Deployment and shrinks the Deployment once every CloneSet pod is available, until --replicas have moved.",
    flags: [
      { name: 'to', type: 'string', description: 'The kind to migrate to: cloneset. Required.' },
      { name: 'dst-name', type: 'string', description: "The CloneSet's name (default: the Deployment's)." },
      { name: 'replicas', type: 'string', description: "How many replicas to move (default: all of the Deployment's)." },
      { name: 'max-surge', type: 'string', default: '1', description: 'How many more CloneSet pods than Deployment pods removed may exist at once (at least 1).' },
      { name: 'timeout', type: 'string', default: '0s', description: 'Give up (exit 1) after this long waiting (e.g. 10m); 0 waits forever.' },
      { name: 'dry-run', type: 'boolean', default: false, description: 'Print the CloneSet it would create and the plan; write nothing.' },
      ...CLUSTER,
      OUTPUT,
      HELP,
    ],
    examples: ['kruise-ts migrate deployment/web --to cloneset', 'kruise-ts migrate deploy web --to cloneset --max-surge=2 --replicas=10 -n prod', 'kruise-ts migrate deployment/web --to cloneset --dry-run -o yaml'],
  },
  {
    path: ['completion'],
    args: 'SHELL, one of bash, zsh, fish',
    summary: 'Print a completion script for bash, zsh or fish, generated from this command table.',
    flags: [HELP],
    examples: ['source <(kruise-ts completion bash)', 'kruise-ts completion fish > ~/.config/fish/completions/kruise-ts.fish'],
  },
  {
    path: ['plan'],
    args: '',
    summary: "Print the next passes of the CloneSet controller offline, step by step, from a manifest and its pods (the controller's own planCloneSetPass, every pod becoming ready between passes).",
    flags: [
      { name: 'filename', type: 'string', short: 'f', description: 'The CloneSet manifest (v1alpha1 or v1beta1). Required.' },
      { name: 'pods', type: 'string', description: 'The pods it owns (a List or YAML documents; PVCs and ControllerRevisions are used too). Default: no pods.' },
      { name: 'max-steps', type: 'string', default: '20', description: 'Stop after this many passes.' },
      OUTPUT,
      HELP,
    ],
    examples: ['kruise-ts plan -f cloneset.yaml --pods pods.yaml', 'kruise-ts plan -f cloneset.yaml -o yaml'],
  },
];

function flagLine(flag: FlagSpec): string {
  const names = `${flag.short === undefined ? '    ' : `-${flag.short}, `}--${flag.name}${flag.type === 'string' ? '=VALUE' : ''}`;
  const fallback = flag.default === undefined ? '' : ` (default ${String(flag.default)})`;
  return `  ${names.padEnd(26)} ${flag.description}${fallback}`;
}

/**
 * Returns the `--help` text of a command, from its table entry.
 *
 * @example commandHelp(rollout pause) starts with
 *   "Pause the rollout: ...\n\nUsage:\n  kruise-ts rollout pause (TYPE NAME | TYPE/NAME), ..."
 */
export function commandHelp(command: CommandSpec): string {
  return [
    command.summary,
    '',
    'Usage:',
    `  kruise-ts ${command.path.join(' ')}${command.args === '' ? '' : ` ${command.args}`} [flags]`,
    '',
    'Flags:',
    ...command.flags.map(flagLine),
    '',
    'Examples:',
    ...command.examples.map((e) => `  ${e}`),
    '',
  ].join('\n');
}

/** Returns the top-level help: every command with its summary's first sentence. */
export function topHelp(): string {
  const lines = COMMANDS.map((c) => `  ${c.path.join(' ').padEnd(16)} ${c.summary.split('. ')[0] ?? ''}`);
  return ['kruise-ts: rollouts of OpenKruise workloads, live and offline.', '', 'Commands:', ...lines, '', 'Run `kruise-ts <command> --help` for its flags.', ''].join('\n');
}
