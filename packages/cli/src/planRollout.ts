import { parseAllDocuments } from 'yaml';
import {
  buildControllerRevision,
  parseCloneSet,
  resolveCloneSetSettings,
  revisionData,
  withCloneSetDefaults,
  type CloneSet,
  type CloneSetPassStep,
  type ControllerRevision,
  type PersistentVolumeClaim,
  type Pod,
} from '@kruise-ts/core';
import { becomeReady, simulateCloneSetPass, type CloneSetSimulation } from '@kruise-ts/core/testing';
import { describeStep, words } from './describePlans.js';

/** An object of a YAML manifest as read, before any schema parses it (a `List` holds others in `items`). */
export type ManifestObject = { readonly kind?: string; readonly items?: readonly unknown[] } & Record<string, unknown>;

/** Returns every object of a YAML stream, with `kind: List` flattened. */
export function readObjects(text: string): ManifestObject[] {
  const docs = parseAllDocuments(text).map((doc) => doc.toJS() as unknown);
  const objects = docs.filter((doc): doc is ManifestObject => typeof doc === 'object' && doc !== null);
  return objects.flatMap((object) => (object.kind === 'List' ? ((object.items ?? []) as ManifestObject[]) : [object]));
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

/** One pass of the plan: its stage and what it does, in plain words. */
export interface PlannedStep {
  readonly step: number;
  readonly stage: CloneSetPassStep['stage'];
  readonly lines: readonly string[];
}

/** The rollout of a CloneSet pass after pass: a header, the steps, and how it ended. */
export interface RolloutPlan {
  readonly header: readonly string[];
  readonly steps: readonly PlannedStep[];
  readonly end: { readonly kind: 'done' | 'stopped'; readonly message: string };
}

/**
 * Returns the rollout of a CloneSet, pass after pass, assuming every pod becomes ready before the
 * next pass, until nothing is left to do (or `maxSteps`). Each step is one pass of
 * `planCloneSetPass`, the function the controller runs, with its effects applied to the pods.
 *
 * @example the seeds' CloneSet (1 replica, ReCreate, a new image) with its 1 pod → 4 steps:
 *   recreate-mark the pod, delete it, create its replacement, refresh its lifecycle; then done.
 */
export function planRollout(cloneSetYaml: string, podsYaml: string, maxSteps = 20): RolloutPlan {
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
  const steps: PlannedStep[] = [];
  const plan = (end: RolloutPlan['end']): RolloutPlan => ({ header: header(cloneSet, pods, current, revisions.update), steps, end });
  for (let step = 1; step <= maxSteps; step++) {
    const now = START + step * 1000;
    const { plan: pass, next } = simulateCloneSetPass(simulation, { now, instanceIdSuffixes: suffixes(step) });
    if (pass.step.stage === 'idle') return plan({ kind: 'done', message: `Done after ${step - 1} step(s): ${words(pass.step.scale.reason)}; ${words(pass.step.update.reason)}.` });
    steps.push({ step, stage: pass.step.stage, lines: describeStep(pass.step) });
    simulation = { ...next, world: { ...next.world, pods: becomeReady(next.world.pods, now) } };
  }
  return plan({ kind: 'stopped', message: `Stopped after ${maxSteps} steps.` });
}

/**
 * Returns {@link planRollout}'s plan as lines of plain words: the header, `Step N: ...` with the
 * step's effects indented below, and the end.
 */
export function describeRollout(cloneSetYaml: string, podsYaml: string, maxSteps = 20): string[] {
  const { header: head, steps, end } = planRollout(cloneSetYaml, podsYaml, maxSteps);
  return [...head, ...steps.flatMap(({ step, lines }) => [`Step ${step}: ${lines[0] ?? ''}`, ...lines.slice(1)]), end.message];
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

