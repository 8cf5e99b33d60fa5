import { withCloneSetDefaults, type CloneSet, type ControllerRevision, type Pod } from '@kruise-ts/core';
import { KruiseResources, Resources } from '@kruise-ts/k8s-adapter';
import { EXIT, fail, print, str, type CliIo } from './cliIo.js';
import { parseDuration, type FlagValues } from './parseCommandLine.js';
import { loadCloneSet, readObjects } from './planRollout.js';
import { parseImageSets, previewLines, previewRollout, type PreviewInput } from './previewRollout.js';
import { workloadRef } from './workloadRef.js';

type LiveState = Pick<PreviewInput, 'cloneSet' | 'pods' | 'revisions'>;

async function readLive(io: CliIo, positionals: readonly string[], flags: FlagValues): Promise<LiveState | number> {
  const ref = workloadRef(positionals);
  if (!('type' in ref)) return fail(io, ref.message, EXIT.usage);
  if (ref.kind !== 'CloneSet') return fail(io, `preview: only CloneSets can be previewed (got ${ref.kind})`, EXIT.usage);
  const namespace = str(flags, 'namespace') ?? 'default';
  const client = await io.client(str(flags, 'kubeconfig'));
  const cloneSet = await client.get(KruiseResources.CloneSet, { namespace, name: ref.name });
  const ownedBy = (object: Pod | ControllerRevision) => (object.metadata.ownerReferences ?? []).some((r) => r.controller === true && r.uid === cloneSet.metadata.uid);
  const pods = ((await client.list(Resources.Pod, { namespace })).items as Pod[]).filter(ownedBy);
  const revisions = ((await client.list(Resources.ControllerRevision, { namespace })).items as ControllerRevision[]).filter(ownedBy);
  return { cloneSet: withCloneSetDefaults(cloneSet), pods, revisions };
}

function readFiles(io: CliIo, file: string, positionals: readonly string[], flags: FlagValues): LiveState | number {
  if (positionals.length > 0) return fail(io, `preview: -f and a workload (${positionals.join(' ')}) cannot both be given`, EXIT.usage);
  const cloneSet: CloneSet = loadCloneSet(io.readFile(file));
  const podsFile = str(flags, 'pods');
  const objects = podsFile === undefined ? [] : readObjects(io.readFile(podsFile));
  return { cloneSet, pods: objects.filter((o) => o.kind === 'Pod') as unknown as Pod[], revisions: objects.filter((o) => o.kind === 'ControllerRevision') as unknown as ControllerRevision[] };
}

/**
 * Runs `kruise-ts preview`: reads the CloneSet and its pods (live, or from -f/--pods), predicts the
 * rollout of the `--set` changes with {@link previewRollout}, prints it. Returns the exit code.
 *
 * @example preview cs/web --set image=main=nginx:2 → "Preview of CloneSet "web" with main=nginx:2:", "Batch 1 at +0.0s:", ... returns 0
 */
export async function previewCommand(io: CliIo, positionals: readonly string[], flags: FlagValues): Promise<number> {
  const sets = flags.set;
  const images = parseImageSets(Array.isArray(sets) ? sets : typeof sets === 'string' ? [sets] : []);
  if ('kind' in images) return fail(io, images.message, EXIT.usage);
  const given = str(flags, 'ready-after');
  const readyAfter = parseDuration(given ?? '1s');
  if (readyAfter.kind === 'invalid') return fail(io, `--ready-after: ${readyAfter.message}`, EXIT.usage);
  const file = str(flags, 'filename');
  if (file === undefined && str(flags, 'pods') !== undefined) return fail(io, '--pods: goes with -f (the live pods are read from the cluster)', EXIT.usage);
  const state = file === undefined ? await readLive(io, positionals, flags) : readFiles(io, file, positionals, flags);
  if (typeof state === 'number') return state;
  const preview = await previewRollout({ ...state, images, readyAfterMs: readyAfter.ms, observed: given === undefined });
  const output = str(flags, 'output');
  if (output === undefined) io.stdout(`${previewLines(preview).join('\n')}\n`);
  else print(io, output, preview);
  return EXIT.ok;
}
