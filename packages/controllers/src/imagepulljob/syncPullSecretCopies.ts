import { IMAGEPULLJOB_PROTECTION_FINALIZER, planPullSecretCopies, PULL_SECRET_REFERENCES_ANNOTATION, type ImagePullJob, type PullSecretCopyAction, type PullSecretObject, type ReferenceObject } from '@kruise-ts/core';
import { KruiseResources, NotFoundError, Resources, type KubeClient, type KubeObject } from '@kruise-ts/k8s-adapter';
import { deleteIfPresent } from './deleteIfPresent.js';

interface Deps {
  readonly client: KubeClient;
  /** The daemons' namespace (`kruise-daemon-config`). */
  readonly daemonNamespace: string;
}

type SecretObject = KubeObject & PullSecretObject;

// The merge patch taking a map from `before` to `after`: removed keys as null.
function dataPatch(before: Readonly<Record<string, string>> | undefined, after: Readonly<Record<string, string>>): Record<string, string | null> {
  const patch: Record<string, string | null> = { ...after };
  for (const key of Object.keys(before ?? {})) if (!(key in after)) patch[key] = null;
  return patch;
}

async function apply(deps: Deps, action: PullSecretCopyAction, copies: readonly SecretObject[], signal: AbortSignal): Promise<string | undefined> {
  const { client, daemonNamespace } = deps;
  const key = (name: string) => ({ namespace: daemonNamespace, name });
  const annotations = (references: string) => ({ annotations: { [PULL_SECRET_REFERENCES_ANNOTATION]: references } });
  switch (action.kind) {
    case 'create':
      return (await client.create(Resources.Secret, action.secret as SecretObject, { signal })).metadata.name;
    case 'update': {
      const before = copies.find((c) => c.metadata.name === action.name)?.data;
      await client.patch(Resources.Secret, key(action.name), { type: 'merge', body: { metadata: { resourceVersion: action.resourceVersion, ...annotations(action.references) }, data: dataPatch(before, action.data) } }, { signal });
      return action.name;
    }
    case 'release':
      await client.patch(Resources.Secret, key(action.name), { type: 'merge', body: { metadata: { resourceVersion: action.resourceVersion, ...annotations(action.references) } } }, { signal });
      return undefined;
    case 'delete':
      await deleteIfPresent(client, Resources.Secret, key(action.name), action.uid ?? '', signal);
      return undefined;
  }
}

/**
 * Keeps the copies of an ImagePullJob's pull secrets in the daemons' namespace (OpenKruise's
 * `syncSecrets`) and returns the references the NodeImages get: reads the job's source Secrets and
 * the daemons' namespace live (copies made with generateName must not be made twice from a stale
 * cache), plans with core's `planPullSecretCopies`, checks the namespace exists before creating a
 * copy (`failed to check kruise-daemon-config namespace` otherwise, as OpenKruise), and applies the
 * writes in order (updates and releases guarded by the copy's resourceVersion; a 409 goes back to
 * the work queue). A job without pull secrets and without the protection finalizer has no copies:
 * nothing is read.
 *
 * @example job apps/warm, pullSecrets [registry], no copy → creates kruise-daemon-config/registry-x7k2p and returns [{ namespace: 'kruise-daemon-config', name: 'registry-x7k2p' }]
 */
export async function syncPullSecretCopies(deps: Deps, job: ImagePullJob, signal: AbortSignal): Promise<ReferenceObject[]> {
  const { client, daemonNamespace } = deps;
  const names = job.spec.pullSecrets ?? [];
  const namespace = job.metadata?.namespace ?? '';
  if (names.length === 0 && !(job.metadata?.finalizers ?? []).includes(IMAGEPULLJOB_PROTECTION_FINALIZER)) return [];
  if (namespace === daemonNamespace) return names.map((name) => ({ namespace, name }));
  const copies = (await client.list(Resources.Secret, { namespace: daemonNamespace, signal })).items as SecretObject[];
  const sources = (
    await Promise.all(
      names.map(async (name) => {
        try {
          return (await client.get(Resources.Secret, { namespace, name }, { signal })) as SecretObject;
        } catch (error) {
          if (error instanceof NotFoundError) return undefined;
          throw error;
        }
      }),
    )
  ).filter((s) => s !== undefined);
  const plan = planPullSecretCopies({ job, sources, copies, daemonNamespace });
  if (plan.actions.some((a) => a.kind === 'create')) {
    try {
      await client.get(Resources.Namespace, { name: daemonNamespace }, { signal });
    } catch (error) {
      throw new Error(`failed to sync secrets: failed to check ${daemonNamespace} namespace: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }
  const created = new Map<string, string>();
  for (const action of plan.actions) {
    const name = await apply(deps, action, copies, signal);
    if (action.kind === 'create' && name !== undefined) created.set(action.source, name);
  }
  return plan.secrets.flatMap((secret) => {
    if (secret.kind === 'existing') return [secret.ref];
    const name = created.get(secret.source);
    return name === undefined ? [] : [{ namespace: daemonNamespace, name }];
  });
}

/**
 * Adds (`on`) or removes the job's `apps.kruise.io/deletion-protection` finalizer with a merge
 * patch of `metadata.finalizers` guarded by the resourceVersion (a 409 goes back to the work queue);
 * a job already gone is not an error.
 */
export async function setProtectionFinalizer(client: KubeClient, job: ImagePullJob & KubeObject, on: boolean, signal: AbortSignal): Promise<void> {
  const current = job.metadata.finalizers ?? [];
  const finalizers = on ? [...current, IMAGEPULLJOB_PROTECTION_FINALIZER] : current.filter((f) => f !== IMAGEPULLJOB_PROTECTION_FINALIZER);
  try {
    await client.patch(KruiseResources.ImagePullJob, { namespace: job.metadata.namespace, name: job.metadata.name ?? '' }, { type: 'merge', body: { metadata: { resourceVersion: job.metadata.resourceVersion, finalizers } } }, { signal });
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
}
