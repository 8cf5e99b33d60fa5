import { RESOURCEDISTRIBUTION_API_VERSION, RESOURCEDISTRIBUTION_KIND, type DistributedResource, type ResourceDistribution, type ResourceDistributionStatus, type ResourceDistributionTargets } from '../api/resourceDistribution.js';

/** Options of {@link aResourceDistribution}. */
export interface ResourceDistributionOptions {
  /** `metadata.name` (default `rd-creds`). */
  readonly name?: string | undefined;
  /** `metadata.uid` (default `uid-<name>`). */
  readonly uid?: string | undefined;
  readonly generation?: number | undefined;
  /** `spec.resource` (default a Secret `creds` with `data: { password: 'czNjcjN0' }`). */
  readonly resource?: DistributedResource | undefined;
  /** `spec.targets` (default `{}`: no namespace). */
  readonly targets?: ResourceDistributionTargets | undefined;
  readonly status?: ResourceDistributionStatus | undefined;
}

/**
 * Returns a Secret manifest to distribute: `name` (default `creds`) with `data` (default one key,
 * `password`, base64 of `s3cr3t`).
 *
 * @example aDistributedSecret({ data: { token: 'dDE=' } }) → { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds' }, type: 'Opaque', data: { token: 'dDE=' } }
 */
export function aDistributedSecret(options: { readonly name?: string; readonly data?: Readonly<Record<string, string>>; readonly labels?: Readonly<Record<string, string>> } = {}): DistributedResource {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: options.name ?? 'creds', ...(options.labels === undefined ? {} : { labels: { ...options.labels } }) },
    type: 'Opaque',
    data: { ...(options.data ?? { password: 'czNjcjN0' }) },
  };
}

/**
 * Returns an `apps.kruise.io/v1beta1` ResourceDistribution (cluster-scoped) for tests.
 *
 * @example aResourceDistribution({ targets: { namespaceSelector: { matchLabels: { team: 'a' } } } }) → `rd-creds` distributing Secret `creds` to team=a
 */
export function aResourceDistribution(options: ResourceDistributionOptions = {}): ResourceDistribution {
  const name = options.name ?? 'rd-creds';
  return {
    apiVersion: RESOURCEDISTRIBUTION_API_VERSION,
    kind: RESOURCEDISTRIBUTION_KIND,
    metadata: { name, uid: options.uid ?? `uid-${name}`, ...(options.generation === undefined ? {} : { generation: options.generation }) },
    spec: { resource: options.resource ?? aDistributedSecret(), targets: options.targets ?? {} },
    ...(options.status === undefined ? {} : { status: options.status }),
  };
}
