/**
 * Plan-only: read a CloneSet manifest (v1alpha1 or v1beta1) and the pods it owns, and print the
 * next steps of its rollout in plain words, without a cluster.
 *
 *   pnpm exec tsx --conditions=@kruise-ts/source examples/plan-only/planOnly.ts <cloneset.yaml> <pods.yaml>
 *
 * (`--conditions=@kruise-ts/source` runs the workspace packages from their sources; in a project
 * that installed `@kruise-ts/core` from npm, plain `tsx planOnly.ts ...` works.)
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseAllDocuments } from 'yaml';
import {
  buildControllerRevision,
  parseCloneSet,
  resolveCloneSetSettings,
  revisionData,
  withCloneSetDefaults,
  type CloneSet,
  type ControllerRevision,
  type PersistentVolumeClaim,
  type Pod,
} from '@kruise-ts/core';
import { becomeReady, simulateCloneSetPass, type CloneSetSimulation } from '@kruise-ts/core/testing';
import { describeStep, words } from './describePlans.js';

type KubeObject = { readonly kind?: string; readonly items?: readonly unknown[] } & Record<string, unknown>;

/** Returns every object of a YAML stream, with `kind: List` flattened. */
export function readObjects(text: string): KubeObject[] {
  const docs = parseAllDocuments(text).map((doc) => doc.toJS() as unknown);
  const objects = docs.filter((doc): doc is KubeObject => typeof doc === 'object' && doc !== null);
  return objects.flatMap((object) => (object.kind === 'List' ? ((object.items ?? []) as KubeObject[]) : [object]));
}

/** Returns the CloneSet of a manifest in v1beta1 form with OpenKruise's defaults, or throws with every problem. */
export function loadCloneSet(text: string): CloneSet {
  const [object] = readObjects(text);
  const parsed = parseCloneSet(object);
  if (parsed.kind === 'invalid') throw new Error(`invalid CloneSet:\n${parsed.problems.map((p) => `  ${p.path}: ${p.message}`).join('\n')}`);
  return withCloneSetDefaults(parsed.value);
}

// An old revision the pods file does not carry: the CloneSet's template with the pod's images.
// The pods only tell which images an old revision ran; any other template change is unknown.
function revisionFromPod(cloneSet: CloneSet, name: string, pod: Pod): ControllerRevision {
  const images = new Map(pod.spec.containers.map((c) => [c.name, c.image]));
  const template = cloneSet.spec.template;
  const containers = template.spec.containers.map((c) => ({ ...c, ...(images.get(c.name) === undefined ? {} : { image: images.get(c.name) }) }));
  return { apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name }, data: revisionData({ ...template, spec: { ...template.spec, containers } }), revision: 0 };
}

interface Revisions {
  readonly update: ControllerRevision;
  readonly all: readonly ControllerRevision[];
  readonly byName: (name: string) => ControllerRevision;
}

function knownRevisions(cloneSet: CloneSet, pods: readonly Pod[], given: readonly ControllerRevision[]): Revisions {
  const owner = { apiVersion: cloneSet.apiVersion ?? 'apps.kruise.io/v1beta1', kind: 'CloneSet', name: cloneSet.metadata?.name ?? '', uid: cloneSet.metadata?.uid ?? '', ...(cloneSet.metadata?.namespace === undefined ? {} : { namespace: cloneSet.metadata.namespace }) };
  const update = buildControllerRevision({ owner, template: cloneSet.spec.template, revision: given.length + 1, collisionCount: cloneSet.status?.collisionCount ?? 0, volumeClaimTemplates: cloneSet.spec.volumeClaimTemplates ?? [] });
  const all = new Map<string, ControllerRevision>([...given.map((r) => [r.metadata.name ?? '', r] as const), [update.metadata.name ?? '', update]]);
  for (const pod of pods) {
    const name = pod.metadata.labels?.['controller-revision-hash'];
    if (name !== undefined && !all.has(name)) all.set(name, revisionFromPod(cloneSet, name, pod));
  }
  return { update, all: [...all.values()], byName: (name) => all.get(name) ?? update };
}

const START = Date.parse('2025-01-01T00:10:00Z');
// The controller draws random 5-character ids; here they are made up and predictable.
const suffixes = (step: number) => Array.from({ length: 50 }, (_, i) => `s${String(step).padStart(2, '0')}${String(i).padStart(2, '0')}`);

/**
 * Returns the rollout of a CloneSet in plain words, pass after pass, assuming every pod becomes
 * ready before the next pass, until nothing is left to do (or `maxSteps`). Each step is one pass
 * of `planCloneSetPass`, the function the controller runs, with its effects applied to the pods.
 */
export function describeRollout(cloneSetYaml: string, podsYaml: string, maxSteps = 20): string[] {
  const loaded = loadCloneSet(cloneSetYaml);
  const objects = readObjects(podsYaml);
  const pods = objects.filter((o) => o.kind === 'Pod') as unknown as Pod[];
  const pvcs = objects.filter((o) => o.kind === 'PersistentVolumeClaim') as unknown as PersistentVolumeClaim[];
  const revisions = knownRevisions(loaded, pods, objects.filter((o) => o.kind === 'ControllerRevision') as unknown as ControllerRevision[]);
  const updateName = revisions.update.metadata.name ?? '';
  const firstOld = pods.find((p) => p.metadata.labels?.['controller-revision-hash'] !== updateName)?.metadata.labels?.['controller-revision-hash'];
  const current = revisions.byName(loaded.status?.currentRevision ?? firstOld ?? updateName);
  const cloneSet: CloneSet = { ...loaded, status: { ...loaded.status, currentRevision: current.metadata.name ?? '' } };
  // The revisions the pods are at exist already; the update revision is the pass's to register.
  const existing = revisions.all.filter((r) => r !== revisions.update).map((r, i) => ({ ...r, revision: r.revision === 0 ? i + 1 : r.revision }));
  let simulation: CloneSetSimulation = { cloneSet, world: { pods, pvcs, revisions: existing } };
  const lines = header(cloneSet, pods, current, revisions.update);
  for (let step = 1; step <= maxSteps; step++) {
    const now = START + step * 1000;
    const { plan, next } = simulateCloneSetPass(simulation, { now, instanceIdSuffixes: suffixes(step) });
    if (plan.step.stage === 'idle') {
      lines.push(`Done after ${step - 1} step(s): ${words(plan.step.scale.reason)}; ${words(plan.step.update.reason)}.`);
      return lines;
    }
    const said = describeStep(plan.step);
    lines.push(`Step ${step}: ${said[0] ?? ''}`, ...said.slice(1));
    simulation = { ...next, world: { ...next.world, pods: becomeReady(next.world.pods, now) } };
  }
  lines.push(`Stopped after ${maxSteps} steps.`);
  return lines;
}

function header(cloneSet: CloneSet, pods: readonly Pod[], current: ControllerRevision, update: ControllerRevision): string[] {
  const s = resolveCloneSetSettings(cloneSet);
  const name = `${cloneSet.metadata?.namespace ?? 'default'}/${cloneSet.metadata?.name ?? ''}`;
  const atUpdate = pods.filter((p) => p.metadata.labels?.['controller-revision-hash'] === update.metadata.name).length;
  return [
    `CloneSet ${name}: replicas ${s.replicas}, partition ${s.partition}, maxUnavailable ${s.maxUnavailable}, maxSurge ${s.maxSurge}, pods updated by ${s.podUpdatePolicy}${s.paused ? ' (paused)' : ''}`,
    `Revisions: current ${current.metadata.name ?? ''}, update ${update.metadata.name ?? ''}`,
    `Pods: ${pods.length}, ${atUpdate} at the update revision`,
    '',
  ];
}

function main(argv: readonly string[]): void {
  const [cloneSetPath, podsPath] = argv;
  if (cloneSetPath === undefined || podsPath === undefined) {
    process.stderr.write('usage: pnpm exec tsx examples/plan-only/planOnly.ts <cloneset.yaml> <pods.yaml>\n');
    process.exitCode = 2;
    return;
  }
  const lines = describeRollout(readFileSync(cloneSetPath, 'utf8'), readFileSync(podsPath, 'utf8'));
  process.stdout.write(`${lines.join('\n')}\n`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main(process.argv.slice(2));
