import type { ImagePullJob } from '../api/imagePullJob.js';
import type { ReferenceObject } from '../api/nodeImage.js';

/** The namespace kruise-daemon reads pull Secrets in; ImagePullJob pull secrets are copied there (OpenKruise's `GetKruiseDaemonConfigNamespace`). */
export const KRUISE_DAEMON_CONFIG_NAMESPACE = 'kruise-daemon-config';
/** Annotation on a copy: `<namespace>/<name>` of the Secret it copies (an annotation, as the key may be longer than a label value). */
export const PULL_SECRET_SOURCE_KEY_ANNOTATION = 'imagepulljobs.kruise.io/source-key';
/** Label on a copy: the uid of the Secret it copies. */
export const PULL_SECRET_SOURCE_UID_LABEL = 'imagepulljobs.kruise.io/source-uid';
/** Annotation on a copy: the `<namespace>/<name>` keys of the ImagePullJobs using it, comma-separated; none left → the copy is deleted. */
export const PULL_SECRET_REFERENCES_ANNOTATION = 'imagepulljobs.kruise.io/references';
/** Finalizer an active ImagePullJob carries so its copies are released before it goes (OpenKruise's `ProtectionFinalizer`). */
export const IMAGEPULLJOB_PROTECTION_FINALIZER = 'apps.kruise.io/deletion-protection';

/** The fields of a Secret the copy planner reads and writes. */
export interface PullSecretObject {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata: {
    readonly name?: string;
    readonly generateName?: string;
    readonly namespace?: string;
    readonly uid?: string;
    readonly resourceVersion?: string;
    readonly deletionTimestamp?: string | null;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
  };
  readonly type?: string;
  readonly data?: Readonly<Record<string, string>>;
}

/** What {@link planPullSecretCopies} reads. */
export interface PullSecretCopySnapshot {
  readonly job: ImagePullJob;
  /** The job's pull secrets that exist, read in the job's namespace (a missing one is skipped, as in OpenKruise). */
  readonly sources: readonly PullSecretObject[];
  /** Every Secret in the daemon's namespace. */
  readonly copies: readonly PullSecretObject[];
  /** The daemon's namespace (default {@link KRUISE_DAEMON_CONFIG_NAMESPACE}). */
  readonly daemonNamespace?: string;
}

/** One write to a copy in the daemon's namespace. Updates carry the copy's resourceVersion (a concurrent writer gets a 409). */
export type PullSecretCopyAction =
  /** Create a copy (`generateName: <source>-`) of a source no copy this job uses exists for. */
  | { readonly kind: 'create'; readonly source: string; readonly secret: PullSecretObject }
  /** Bring a copy's data back to its source's and record the job among its users. */
  | { readonly kind: 'update'; readonly name: string; readonly resourceVersion: string | undefined; readonly data: Readonly<Record<string, string>>; readonly references: string }
  /** Drop the job from a copy still used by other jobs. */
  | { readonly kind: 'release'; readonly name: string; readonly resourceVersion: string | undefined; readonly references: string }
  /** Delete a copy no job uses any more. */
  | { readonly kind: 'delete'; readonly name: string; readonly uid: string | undefined };

/** A secret the NodeImages get: an existing one, or the copy a `create` action of the plan makes from `source`. */
export type PlannedPullSecret = { readonly kind: 'existing'; readonly ref: ReferenceObject } | { readonly kind: 'created'; readonly source: string };

/** What the pass does with the job's pull secret copies. */
export interface PullSecretCopyPlan {
  /** `in-place`: the job lives in the daemon's namespace and its secrets are used as they are; `release`: the job finished or goes; `sync`: copies kept up to date. */
  readonly kind: 'in-place' | 'release' | 'sync';
  readonly actions: readonly PullSecretCopyAction[];
  /** The secrets the NodeImages get, in the job's order (a created copy's name is known once made). */
  readonly secrets: readonly PlannedPullSecret[];
}

const jobKey = (job: ImagePullJob): string => `${job.metadata?.namespace ?? ''}/${job.metadata?.name ?? ''}`;

/** Returns the job keys a copy's references annotation lists (empty entries dropped). */
export function pullSecretCopyReferences(copy: PullSecretObject): Set<string> {
  return new Set((copy.metadata.annotations?.[PULL_SECRET_REFERENCES_ANNOTATION] ?? '').split(',').filter((key) => key.includes('/')));
}

// Sorted, so the annotation does not change with set order (OpenKruise writes its map's order).
const referencesText = (keys: ReadonlySet<string>): string => [...keys].sort().join(',');

const sameData = (a: Readonly<Record<string, string>> | undefined, b: Readonly<Record<string, string>> | undefined): boolean => {
  const [left, right] = [a ?? {}, b ?? {}];
  const keys = Object.keys(left);
  return keys.length === Object.keys(right).length && keys.every((key) => left[key] === right[key]);
};

/**
 * Returns the copy a job's pull secret gets in the daemon's namespace (OpenKruise's
 * `targetFromSource`): the source's type, data, labels and annotations, `generateName:
 * <source>-`, plus the source uid label, the source key annotation and the references annotation.
 *
 * @example source default/registry (uid u1), job default/warm → generateName 'registry-', labels { 'imagepulljobs.kruise.io/source-uid': 'u1' }, annotations { source-key: 'default/registry', references: 'default/warm' }
 */
export function pullSecretCopy(source: PullSecretObject, references: string, daemonNamespace = KRUISE_DAEMON_CONFIG_NAMESPACE): PullSecretObject {
  const { name = '', namespace = '', uid = '' } = source.metadata;
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      namespace: daemonNamespace,
      generateName: `${name}-`,
      labels: { ...source.metadata.labels, [PULL_SECRET_SOURCE_UID_LABEL]: uid },
      annotations: { ...source.metadata.annotations, [PULL_SECRET_SOURCE_KEY_ANNOTATION]: `${namespace}/${name}`, [PULL_SECRET_REFERENCES_ANNOTATION]: references },
    },
    ...(source.type === undefined ? {} : { type: source.type }),
    ...(source.data === undefined ? {} : { data: { ...source.data } }),
  };
}

function release(copy: PullSecretObject, key: string): PullSecretCopyAction {
  const keys = pullSecretCopyReferences(copy);
  keys.delete(key);
  const name = copy.metadata.name ?? '';
  return keys.size === 0 ? { kind: 'delete', name, uid: copy.metadata.uid } : { kind: 'release', name, resourceVersion: copy.metadata.resourceVersion, references: referencesText(keys) };
}

/**
 * Returns how an ImagePullJob pass keeps the copies of its pull secrets in the daemon's namespace
 * (OpenKruise's `syncSecrets`), so that kruise-daemon reads Secrets only there. The job's copies are
 * the Secrets of that namespace whose references annotation lists the job: a copy whose source the
 * job no longer names is released (the job dropped from its references; deleted when none is
 * left); a finished or deleted job releases all of its copies; otherwise each existing source gets
 * a copy: created when the job has none for the source's uid, updated when its data differs, kept
 * as it is otherwise. A job in the daemon's namespace uses its secrets in place.
 *
 * One deliberate difference: OpenKruise's `releaseTargetSecrets` returns after the first copy still
 * used by another job (its loop stops there); this releases every copy.
 *
 * @example job default/warm with pullSecrets [registry], no copy yet → create { generateName: 'registry-' }, secrets [{ kind: 'created', source: 'registry' }]
 * @example the same job completed, copy registry-x7k used by default/warm only → delete registry-x7k, secrets []
 */
export function planPullSecretCopies(snapshot: PullSecretCopySnapshot): PullSecretCopyPlan {
  const { job } = snapshot;
  const daemonNamespace = snapshot.daemonNamespace ?? KRUISE_DAEMON_CONFIG_NAMESPACE;
  const names = job.spec.pullSecrets ?? [];
  const namespace = job.metadata?.namespace ?? '';
  if (namespace === daemonNamespace) return { kind: 'in-place', actions: [], secrets: names.map((name) => ({ kind: 'existing', ref: { namespace, name } })) };
  const key = jobKey(job);
  const mine = snapshot.copies.filter((copy) => copy.metadata.deletionTimestamp == null && pullSecretCopyReferences(copy).has(key));
  const named = new Set(names.map((name) => `${namespace}/${name}`));
  const [kept, dropped] = [mine.filter((c) => named.has(c.metadata.annotations?.[PULL_SECRET_SOURCE_KEY_ANNOTATION] ?? '')), mine.filter((c) => !named.has(c.metadata.annotations?.[PULL_SECRET_SOURCE_KEY_ANNOTATION] ?? ''))];
  const actions: PullSecretCopyAction[] = dropped.map((copy) => release(copy, key));
  if (job.metadata?.deletionTimestamp != null || job.status?.completionTime != null) return { kind: 'release', actions: [...actions, ...kept.map((copy) => release(copy, key))], secrets: [] };
  const bySourceUid = new Map(kept.map((copy) => [copy.metadata.labels?.[PULL_SECRET_SOURCE_UID_LABEL] ?? '', copy]));
  const secrets: PlannedPullSecret[] = [];
  for (const name of names) {
    const source = snapshot.sources.find((s) => s.metadata.name === name && (s.metadata.namespace ?? namespace) === namespace);
    if (source === undefined) continue;
    const copy = bySourceUid.get(source.metadata.uid ?? '');
    if (copy === undefined) {
      actions.push({ kind: 'create', source: name, secret: pullSecretCopy(source, key, daemonNamespace) });
      secrets.push({ kind: 'created', source: name });
      continue;
    }
    if (!sameData(copy.data, source.data)) actions.push({ kind: 'update', name: copy.metadata.name ?? '', resourceVersion: copy.metadata.resourceVersion, data: { ...source.data }, references: referencesText(pullSecretCopyReferences(copy).add(key)) });
    secrets.push({ kind: 'existing', ref: { namespace: daemonNamespace, name: copy.metadata.name ?? '' } });
  }
  return { kind: 'sync', actions, secrets };
}
