import { delimiter, join } from 'node:path';

/** Where the kubeconfig comes from, as controller-runtime's `GetConfig` looks it up. */
export type KubeConfigSource =
  /** Kubeconfig files, merged in order (the first one's current context wins). */
  | { readonly kind: 'files'; readonly paths: readonly string[]; readonly from: 'path' | 'KUBECONFIG' | 'home' }
  /** The pod's service account (`KUBERNETES_SERVICE_HOST` and its token). */
  | { readonly kind: 'in-cluster' }
  /** Nothing found; `missing` names the files that were named but do not exist, `detail` says what was looked at. */
  | { readonly kind: 'none'; readonly missing: readonly string[]; readonly detail: string };

/** What {@link chooseKubeConfigSource} looks at: the environment and a file-existence check. */
export interface KubeConfigLookup {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The user's home directory, if any. */
  readonly home: string | undefined;
  readonly exists: (path: string) => boolean;
}

/** The service account token a pod is given. */
export const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/**
 * Returns where to load the kubeconfig from: an explicit `path` (which must exist), else
 * `$KUBECONFIG` (a list joined by `:`; files that do not exist are skipped as client-go does, but
 * at least one must), else the in-cluster service account (`KUBERNETES_SERVICE_HOST` set and the
 * token present), else `~/.kube/config`. Unlike client-node's `loadFromDefault`, which then falls
 * back to `http://localhost:8080` and retries forever, finding nothing is a `none` answer.
 *
 * @example `KUBECONFIG=/a:/b` with only `/b` present → `{ kind: 'files', paths: ['/b'], from: 'KUBECONFIG' }`
 */
export function chooseKubeConfigSource(path: string, lookup: KubeConfigLookup): KubeConfigSource {
  if (path !== '') return lookup.exists(path) ? { kind: 'files', paths: [path], from: 'path' } : { kind: 'none', missing: [path], detail: `kubeconfig ${path}: no such file` };
  const listed = (lookup.env.KUBECONFIG ?? '').split(delimiter).filter((p) => p !== '');
  if (listed.length > 0) {
    const present = listed.filter((p) => lookup.exists(p));
    if (present.length > 0) return { kind: 'files', paths: present, from: 'KUBECONFIG' };
    return { kind: 'none', missing: listed, detail: `KUBECONFIG names no file that exists (${listed.join(', ')})` };
  }
  const host = lookup.env.KUBERNETES_SERVICE_HOST ?? '';
  if (host !== '' && lookup.exists(SERVICE_ACCOUNT_TOKEN)) return { kind: 'in-cluster' };
  const home = lookup.home === undefined || lookup.home === '' ? undefined : join(lookup.home, '.kube', 'config');
  if (home !== undefined && lookup.exists(home)) return { kind: 'files', paths: [home], from: 'home' };
  const inCluster = host === '' ? 'not in a cluster (KUBERNETES_SERVICE_HOST unset)' : `KUBERNETES_SERVICE_HOST is set but ${SERVICE_ACCOUNT_TOKEN} does not exist`;
  return {
    kind: 'none',
    missing: [],
    detail: `no kubeconfig found: no --kubeconfig, KUBECONFIG unset, ${inCluster}, ${home ?? '~/.kube/config'} does not exist; pass --kubeconfig=<file> or set KUBECONFIG`,
  };
}
