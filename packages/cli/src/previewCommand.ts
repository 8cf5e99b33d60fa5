import { parseCloneSet, parseDaemonSet, parseStatefulSet, withCloneSetDefaults, withDaemonSetDefaults, withStatefulSetDefaults, type ControllerRevision, type Pod } from '@kruise-ts/core';
import { parseFeatureGates } from '@kruise-ts/controllers';
import { Resources, type KubeObject } from '@kruise-ts/k8s-adapter';
import { EXIT, fail, print, str, type CliIo } from './cliIo.js';
import { parseDuration, type FlagValues } from './parseCommandLine.js';
import { readObjects } from './planRollout.js';
import { previewLines, previewRollout, type PreviewInput, type PreviewNode, type PreviewWorkload } from './previewRollout.js';
import type { RolloutKind } from './rolloutStatus.js';
import { parseTemplateSets } from './templateChanges.js';
import { workloadRef } from './workloadRef.js';

type State = Pick<PreviewInput, 'kind' | 'workload' | 'pods' | 'revisions' | 'nodes'>;

/**
 * Returns the workload with OpenKruise's defaults, or throws naming the fields that are wrong.
 *
 * @example withDefaults('StatefulSet', { spec: { replicas: 3, ... } }) → podManagementPolicy OrderedReady, partition 0, ...
 */
function withDefaults(kind: RolloutKind, object: unknown): PreviewWorkload {
  const parsed = kind === 'CloneSet' ? parseCloneSet(object) : kind === 'StatefulSet' ? parseStatefulSet(object) : parseDaemonSet(object);
  if (parsed.kind === 'invalid') throw new Error(`invalid ${kind}:\n${parsed.problems.map((p) => `  ${p.path}: ${p.message}`).join('\n')}`);
  if (kind === 'CloneSet') return withCloneSetDefaults(parsed.value);
  return kind === 'StatefulSet' ? withStatefulSetDefaults(parsed.value as never) : withDaemonSetDefaults(parsed.value);
}

const nodeOf = (node: KubeObject): PreviewNode => ({ name: node.metadata.name ?? '', ...(node.metadata.labels === undefined ? {} : { labels: node.metadata.labels }) });

async function readLive(io: CliIo, positionals: readonly string[], flags: FlagValues): Promise<State | number> {
  const ref = workloadRef(positionals);
  if (!('type' in ref)) return fail(io, ref.message, EXIT.usage);
  const namespace = str(flags, 'namespace') ?? 'default';
  const client = await io.client(str(flags, 'kubeconfig'));
  const workload = await client.get(ref.type, { namespace, name: ref.name });
  const ownedBy = (object: KubeObject) => (object.metadata.ownerReferences ?? []).some((r) => r.controller === true && r.uid === workload.metadata.uid);
  const pods = (await client.list(Resources.Pod, { namespace })).items.filter(ownedBy) as Pod[];
  const revisions = (await client.list(Resources.ControllerRevision, { namespace })).items.filter(ownedBy) as ControllerRevision[];
  // A DaemonSet's pods follow the nodes' labels: copy those of the nodes its pods run on.
  const onNodes = new Set(pods.map((p) => p.spec.nodeName));
  const nodes = ref.kind === 'DaemonSet' ? (await client.list(Resources.Node, {})).items.filter((n) => onNodes.has(n.metadata.name)).map(nodeOf) : [];
  return { kind: ref.kind, workload: withDefaults(ref.kind, workload), pods, revisions, nodes };
}

function readFiles(io: CliIo, file: string, positionals: readonly string[], flags: FlagValues): State | number {
  if (positionals.length > 0) return fail(io, `preview: -f and a workload (${positionals.join(' ')}) cannot both be given`, EXIT.usage);
  const [object] = readObjects(io.readFile(file));
  const kind = object?.kind;
  if (kind !== 'CloneSet' && kind !== 'StatefulSet' && kind !== 'DaemonSet') return fail(io, `-f: ${file} holds a ${String(kind)}, not a CloneSet, StatefulSet or DaemonSet`, EXIT.usage);
  const podsFile = str(flags, 'pods');
  const objects = podsFile === undefined ? [] : readObjects(io.readFile(podsFile));
  const of = (k: string) => objects.filter((o) => o.kind === k) as unknown[];
  return { kind, workload: withDefaults(kind, object), pods: of('Pod') as Pod[], revisions: of('ControllerRevision') as ControllerRevision[], nodes: (of('Node') as KubeObject[]).map(nodeOf) };
}

/**
 * Runs `kruise-ts preview`: reads the workload and its pods (live, or from -f/--pods), predicts the
 * rollout of the `--set` changes with {@link previewRollout}, prints it. Returns the exit code.
 *
 * @example preview cs/web --set image=main=nginx:2 → "Preview of CloneSet "web" with image=main=nginx:2:", "Batch 1 at +0.0s:", ... returns 0
 */
export async function previewCommand(io: CliIo, positionals: readonly string[], flags: FlagValues): Promise<number> {
  const sets = flags.set;
  const changes = parseTemplateSets(Array.isArray(sets) ? sets : typeof sets === 'string' ? [sets] : []);
  if ('kind' in changes) return fail(io, changes.message, EXIT.usage);
  const given = str(flags, 'ready-after');
  const readyAfter = parseDuration(given ?? '1s');
  if (readyAfter.kind === 'invalid') return fail(io, `--ready-after: ${readyAfter.message}`, EXIT.usage);
  const gates = parseFeatureGates(str(flags, 'feature-gates') ?? '');
  if (gates.kind !== 'ok') return fail(io, `--feature-gates: ${gates.problems.join('; ')}`, EXIT.usage);
  const file = str(flags, 'filename');
  if (file === undefined && str(flags, 'pods') !== undefined) return fail(io, '--pods: goes with -f (the live pods are read from the cluster)', EXIT.usage);
  const state = file === undefined ? await readLive(io, positionals, flags) : readFiles(io, file, positionals, flags);
  if (typeof state === 'number') return state;
  const preview = await previewRollout({ ...state, changes, readyAfterMs: readyAfter.ms, observed: given === undefined, featureGates: gates.gates });
  const output = str(flags, 'output');
  if (output === undefined) io.stdout(`${previewLines(preview).join('\n')}\n`);
  else print(io, output, preview);
  return EXIT.ok;
}
