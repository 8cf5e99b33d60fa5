/**
 * Times the CloneSet pass the controller runs, `planCloneSetPass`, for a CloneSet of 10,000 pods
 * in the middle of an in-place rollout (the update stage: refresh checks of every pod, then the
 * pods to update, their effects, the status and the clean-ups), and its pieces: one plan —
 * calculateReplicaDiffs + planUpdate + computeCloneSetStatus — and planScale for a scale-down and
 * a scale-up of the same CloneSet; and `explainCloneSetPods` (the CLI's `explain`: a reason for each
 * of the 10,000 pods). Prints median and p95; never asserts a time.
 *
 *   pnpm --filter @kruise-ts/bench plan
 */
import {
  calculateReplicaDiffs,
  computeCloneSetStatus,
  explainCloneSetPods,
  planCloneSetPass,
  planScale,
  planUpdate,
  type CloneSet,
  type Pod,
} from '@kruise-ts/core';
import { aCloneSet, aRevision, somePods, T0 } from '@kruise-ts/core/testing';
import { measurePass } from './measurePass.js';

const PODS = 10_000;
const WARMUP = 5;
const RUNS = 30;

const current = aRevision({ name: 'web-1', image: 'nginx:1' });
const update = aRevision({ name: 'web-2', image: 'nginx:2' });

// Mid-rollout: 40% updated, 2% of the pods not ready, spread over 200 nodes.
const pods: Pod[] = somePods(PODS, 'web', (i) => ({
  revision: i < PODS * 0.4 ? 'web-2' : 'web-1',
  lifecycle: 'Normal',
  phase: i % 50 === 7 ? 'not-ready' : 'ready',
  readySince: T0 - 60_000 - i,
  node: `node-${i % 200}`,
  containers: [{ name: 'main', image: i < PODS * 0.4 ? 'nginx:2' : 'nginx:1' }],
}));

function cloneSetWith(replicas: number): CloneSet {
  return aCloneSet({ replicas, partition: '10%', maxUnavailable: '10%', maxSurge: '5%', podUpdatePolicy: 'InPlaceIfPossible', containers: [{ name: 'main', image: 'nginx:2' }] });
}

function fullPlan(cloneSet: CloneSet): number {
  const diffs = calculateReplicaDiffs({ cloneSet, pods, currentRevision: 'web-1', updateRevision: 'web-2', now: T0 });
  const plan = planUpdate({ cloneSet, pods, currentRevision: current, updateRevision: update, now: T0 });
  const status = computeCloneSetStatus({ cloneSet, pods, currentRevision: 'web-1', updateRevision: 'web-2', now: T0 });
  return diffs.updateNum + (plan.kind === 'update' ? plan.decisions.length : 0) + (status.replicas ?? 0);
}

const suffixes = Array.from({ length: 2_000 }, (_, i) => `s${i.toString(36).padStart(4, '0')}`);
function scale(cloneSet: CloneSet): number {
  const plan = planScale({ cloneSet, pods, currentRevision: 'web-1', updateRevision: 'web-2', now: T0, instanceIdSuffixes: suffixes });
  return plan.kind === 'create' ? plan.creations.length : plan.kind === 'delete' ? plan.deletions.length : 0;
}


// The pass computes its revisions from the template: pods carry those names and the selector's label.
const template = (image: string): CloneSet => cloneSetWith(PODS).spec.template.spec.containers[0]?.image === image ? cloneSetWith(PODS) : aCloneSet({ replicas: PODS, partition: '10%', maxUnavailable: '10%', maxSurge: '5%', podUpdatePolicy: 'InPlaceIfPossible', containers: [{ name: 'main', image }] });
const passOf = (cloneSet: CloneSet, revisions: Parameters<typeof planCloneSetPass>[0]['revisions']) => planCloneSetPass({ cloneSet, pods: [], pvcs: [], revisions, now: T0, instanceIdSuffixes: [] });
const oldRevision = { ...passOf(template('nginx:1'), []).updateRevision, metadata: { ...passOf(template('nginx:1'), []).updateRevision.metadata, uid: 'uid-r1' } };
const newRevision = { ...passOf(template('nginx:2'), [oldRevision]).updateRevision, metadata: { ...passOf(template('nginx:2'), [oldRevision]).updateRevision.metadata, uid: 'uid-r2' } };
const passPods: Pod[] = somePods(PODS, 'web', (i) => ({
  revision: (i < PODS * 0.4 ? newRevision : oldRevision).metadata.name ?? '',
  lifecycle: 'Normal',
  phase: i % 50 === 7 ? 'not-ready' : 'ready',
  readySince: T0 - 60_000 - i,
  node: `node-${i % 200}`,
  labels: { app: 'web' },
  containers: [{ name: 'main', image: i < PODS * 0.4 ? 'nginx:2' : 'nginx:1' }],
}));
function pass(): number {
  const cloneSet = { ...template('nginx:2'), status: { currentRevision: oldRevision.metadata.name ?? '', updateRevision: newRevision.metadata.name ?? '' } };
  const plan = planCloneSetPass({ cloneSet, pods: passPods, pvcs: [], revisions: [oldRevision, newRevision], now: T0, instanceIdSuffixes: suffixes });
  return plan.effects.flat().length + (plan.status.updatedReplicas ?? 0) + (plan.step.stage === 'update' ? 1 : 0);
}

process.stdout.write(`CloneSet of ${PODS} pods mid-rollout, ${RUNS} runs after ${WARMUP} warm-ups\n`);
measurePass('planCloneSetPass (update stage, effects, status, clean-ups)', pass, { warmup: WARMUP, runs: RUNS });
measurePass('calculateReplicaDiffs + planUpdate + computeCloneSetStatus', () => fullPlan(cloneSetWith(PODS)), { warmup: WARMUP, runs: RUNS });
measurePass('planScale, scale down 10000 → 9000', () => scale(cloneSetWith(9_000)), { warmup: WARMUP, runs: RUNS });
measurePass('planScale, scale up 10000 → 11000', () => scale(cloneSetWith(11_000)), { warmup: WARMUP, runs: RUNS });
measurePass('explainCloneSetPods (a reason for every pod)', () => explainCloneSetPods({ cloneSet: cloneSetWith(PODS), pods, currentRevision: current, updateRevision: update, now: T0 }).pods.length, { warmup: WARMUP, runs: RUNS });
