import type { ContainerProbeSpec } from '@kruise-ts/core';
import type { ContainerInfo } from '../cri/containerRuntime.js';

/** The outcome of one probe run (`Succeeded` or `Failed`) with its message. */
export interface ProbeOutcome {
  readonly state: 'Succeeded' | 'Failed';
  readonly message: string;
}

/** What a probe worker remembers between runs (OpenKruise's worker fields). */
export interface ProbeWorkerState {
  /** The container the results are about ('' before the first one is seen). */
  readonly containerId: string;
  /** The last outcome, and how many runs in a row gave it. */
  readonly lastResult: 'Succeeded' | 'Failed' | undefined;
  readonly resultRun: number;
}

/** The initial state of a worker. */
export const NEW_PROBE_WORKER: ProbeWorkerState = { containerId: '', lastResult: undefined, resultRun: 0 };

/** A write to the worker's result (the results manager keeps one per container). */
export type ProbeResultWrite =
  | { readonly kind: 'forget'; readonly containerId: string }
  | { readonly kind: 'set'; readonly containerId: string; readonly state: 'Succeeded' | 'Failed' | 'Unknown'; readonly message: string };

/** What a worker does before probing: skip this tick, or probe (after the writes). */
export interface ProbeWorkerPrepare {
  readonly state: ProbeWorkerState;
  readonly writes: readonly ProbeResultWrite[];
  readonly probe: boolean;
}

/** The timing fields as OpenKruise's worker reads them: every value below 1 counts as 1 (periodSeconds, initialDelaySeconds, timeoutSeconds, both thresholds). */
export function probeTiming(spec: ContainerProbeSpec): { readonly periodSeconds: number; readonly initialDelaySeconds: number; readonly timeoutSeconds: number; readonly successThreshold: number; readonly failureThreshold: number } {
  const atLeastOne = (value: number | undefined): number => Math.max(1, value ?? 0);
  return {
    periodSeconds: atLeastOne(spec.periodSeconds),
    initialDelaySeconds: atLeastOne(spec.initialDelaySeconds),
    timeoutSeconds: atLeastOne(spec.timeoutSeconds),
    successThreshold: atLeastOne(spec.successThreshold),
    failureThreshold: atLeastOne(spec.failureThreshold),
  };
}

/**
 * Returns what a probe worker does at a tick before running the probe (OpenKruise's
 * `doProbe` up to the probe): nothing while the container does not exist; on a new container id,
 * the old result forgotten and the new one set Unknown; a container not running is reported Failed
 * ("Container(<name>) is Non-running") and probed anyway; no probe while the container started less
 * than `initialDelaySeconds` (at least 1) ago.
 *
 * @example container started 3 s ago, initialDelaySeconds 5 → { probe: false }; 6 s ago → { probe: true }
 */
export function prepareProbe(state: ProbeWorkerState, container: ContainerInfo | undefined, containerName: string, spec: ContainerProbeSpec, now: number): ProbeWorkerPrepare {
  if (container === undefined) return { state, writes: [], probe: false };
  const writes: ProbeResultWrite[] = [];
  let next = state;
  if (state.containerId !== container.id) {
    if (state.containerId !== '') writes.push({ kind: 'forget', containerId: state.containerId });
    next = { ...state, containerId: container.id };
    writes.push({ kind: 'set', containerId: container.id, state: 'Unknown', message: '' });
  }
  if (container.state !== 'CONTAINER_RUNNING') writes.push({ kind: 'set', containerId: container.id, state: 'Failed', message: `Container(${containerName}) is Non-running` });
  // CRI's ListContainers gives created_at, not started_at: the kubelet starts a container right after creating it.
  const sinceStart = Math.trunc((now - container.createdAt) / 1000);
  return { state: next, writes, probe: sinceStart >= probeTiming(spec).initialDelaySeconds };
}

/**
 * Returns the worker's state after a probe outcome and the result to set, if any: the outcome is
 * counted in a run of equal outcomes and reported only once the run reaches `successThreshold`
 * (Succeeded) or `failureThreshold` (Failed); below it the result stays as it was.
 *
 * @example failureThreshold 3, lastResult Succeeded, outcome Failed → run 1, no write; the third Failed in a row → set Failed
 */
export function recordProbeOutcome(state: ProbeWorkerState, outcome: ProbeOutcome, spec: ContainerProbeSpec): { readonly state: ProbeWorkerState; readonly write: ProbeResultWrite | undefined } {
  const resultRun = state.lastResult === outcome.state ? state.resultRun + 1 : 1;
  const next: ProbeWorkerState = { ...state, lastResult: outcome.state, resultRun };
  const timing = probeTiming(spec);
  const threshold = outcome.state === 'Failed' ? timing.failureThreshold : timing.successThreshold;
  return { state: next, write: resultRun < threshold ? undefined : { kind: 'set', containerId: state.containerId, state: outcome.state, message: outcome.message } };
}
