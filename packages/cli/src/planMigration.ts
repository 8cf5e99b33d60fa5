import type { CloneSet } from '@kruise-ts/core';

/** A Deployment as migrate reads it. */
export interface DeploymentLike {
  readonly metadata: { readonly name?: string | undefined; readonly namespace?: string | undefined; readonly generation?: number | undefined; readonly labels?: Readonly<Record<string, string>> | undefined };
  readonly spec: {
    readonly replicas?: number | undefined;
    readonly selector: CloneSet['spec']['selector'];
    readonly template: CloneSet['spec']['template'];
    readonly minReadySeconds?: number | undefined;
    readonly revisionHistoryLimit?: number | undefined;
    readonly strategy?: { readonly type?: string | undefined; readonly rollingUpdate?: { readonly maxUnavailable?: number | string | undefined; readonly maxSurge?: number | string | undefined } | undefined } | undefined;
  };
  readonly status?: { readonly observedGeneration?: number | undefined; readonly availableReplicas?: number | undefined } | undefined;
}

/**
 * Returns the CloneSet migrate creates from a Deployment (as kruise-tools' DeploymentToCloneSet):
 * the same selector, pod template, minReadySeconds and revisionHistoryLimit, the Deployment's
 * rolling-update maxUnavailable/maxSurge, and 0 replicas: it adopts none of the Deployment's pods
 * (they have the ReplicaSet as controller) and grows as the migration scales it.
 *
 * @example deployment web (replicas 4, maxSurge 25%) → CloneSet web, replicas 0, rollingUpdate.maxSurge '25%'
 */
export function cloneSetFromDeployment(deployment: DeploymentLike, name: string): CloneSet {
  const rolling = deployment.spec.strategy?.rollingUpdate;
  return {
    apiVersion: 'apps.kruise.io/v1beta1',
    kind: 'CloneSet',
    metadata: { name, ...(deployment.metadata.namespace === undefined ? {} : { namespace: deployment.metadata.namespace }), ...(deployment.metadata.labels === undefined ? {} : { labels: { ...deployment.metadata.labels } }) },
    spec: {
      replicas: 0,
      selector: deployment.spec.selector,
      template: deployment.spec.template,
      ...(deployment.spec.minReadySeconds === undefined ? {} : { minReadySeconds: deployment.spec.minReadySeconds }),
      ...(deployment.spec.revisionHistoryLimit === undefined ? {} : { revisionHistoryLimit: deployment.spec.revisionHistoryLimit }),
      ...(rolling === undefined ? {} : { updateStrategy: { rollingUpdate: { ...(rolling.maxUnavailable === undefined ? {} : { maxUnavailable: rolling.maxUnavailable }), ...(rolling.maxSurge === undefined ? {} : { maxSurge: rolling.maxSurge }) } } }),
    },
  };
}

/** Where a migration stands: how many replicas it moves, how many it moved each side. */
export interface MigrationState {
  /** Replicas to move (default: all of the Deployment's). */
  readonly replicas: number;
  /** How many more CloneSet pods than Deployment pods removed may exist at once (≥ 1). */
  readonly maxSurge: number;
  /** Replicas taken off the Deployment so far. */
  readonly scaledIn: number;
  /** Replicas added to the CloneSet so far. */
  readonly scaledOut: number;
  readonly deployment: { readonly replicas: number; readonly generation: number; readonly observedGeneration: number };
  readonly cloneSet: { readonly replicas: number; readonly generation: number; readonly observedGeneration: number; readonly availableReplicas: number };
}

/** The next step of a migration. */
export type MigrationStep =
  | { readonly kind: 'done' }
  | { readonly kind: 'wait'; readonly reason: 'not-observed' | 'clone-set-not-available' }
  | { readonly kind: 'scale-out'; readonly by: number; readonly cloneSetReplicas: number }
  | { readonly kind: 'scale-in'; readonly by: number; readonly deploymentReplicas: number };

/**
 * Returns the next step of moving replicas from a Deployment to a CloneSet, as kruise-tools'
 * migration control: wait until both controllers have observed their spec; grow the CloneSet by up
 * to `maxSurge` more than has been taken off the Deployment; shrink the Deployment by what the
 * CloneSet gained, once every CloneSet pod is available.
 *
 * @example replicas 4, maxSurge 1, nothing moved, both observed → scale-out by 1 (CloneSet 0 → 1)
 * @example replicas 4, maxSurge 1, scaledOut 1, scaledIn 0, CloneSet 1 of 1 available → scale-in by 1 (Deployment 4 → 3)
 * @example the same with 0 of 1 available → wait clone-set-not-available
 */
export function planMigrationStep(state: MigrationState): MigrationStep {
  const { replicas, maxSurge, scaledIn, scaledOut, deployment, cloneSet } = state;
  if (scaledIn >= replicas && scaledOut >= replicas) return { kind: 'done' };
  if (deployment.observedGeneration < deployment.generation || cloneSet.observedGeneration < cloneSet.generation) return { kind: 'wait', reason: 'not-observed' };
  const out = Math.min(maxSurge - (scaledOut - scaledIn), replicas - scaledOut);
  if (scaledOut < replicas && out > 0) return { kind: 'scale-out', by: out, cloneSetReplicas: cloneSet.replicas + out };
  const scaleIn = Math.min(deployment.replicas, replicas - scaledIn, scaledOut - scaledIn);
  if (scaledIn < replicas && scaleIn > 0 && cloneSet.replicas === cloneSet.availableReplicas) return { kind: 'scale-in', by: scaleIn, deploymentReplicas: deployment.replicas - scaleIn };
  return { kind: 'wait', reason: 'clone-set-not-available' };
}
