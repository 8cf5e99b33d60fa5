/**
 * How a list is merged by strategic merge patch and server-side apply: `map` lists merge items
 * by key (`mergeKey` for strategic merge, `keys` for the apply field paths), `set` lists are sets
 * of scalars, `atomic` lists are replaced as a whole.
 */
export type ListStrategy =
  | { readonly kind: 'map'; readonly mergeKey: string; readonly keys: readonly string[]; readonly applyAtomic?: boolean }
  | { readonly kind: 'set' }
  | { readonly kind: 'atomic' };

/** Returns the strategy of the list at a field path (list indices left out: `spec.containers.env`). */
export type ListStrategyOf = (path: readonly string[]) => ListStrategy;

const ATOMIC: ListStrategy = { kind: 'atomic' };
const byKey = (mergeKey: string, keys: readonly string[] = [mergeKey]): ListStrategy => ({ kind: 'map', mergeKey, keys });

/** Lists of the built-in kinds with a patch strategy, by field name (the Go types' `patchMergeKey` tags). */
const BY_FIELD: Readonly<Record<string, ListStrategy>> = {
  finalizers: { kind: 'set' },
  ownerReferences: byKey('uid'),
  containers: byKey('name'),
  initContainers: byKey('name'),
  ephemeralContainers: byKey('name'),
  env: byKey('name'),
  volumes: byKey('name'),
  volumeMounts: byKey('mountPath'),
  volumeDevices: byKey('devicePath'),
  imagePullSecrets: byKey('name'),
  schedulingGates: byKey('name'),
  resourceClaims: byKey('name'),
  conditions: byKey('type'),
  podIPs: byKey('ip'),
  // Merged by ip in a strategic merge patch, but `+listType=atomic` for server-side apply.
  hostIPs: { kind: 'map', mergeKey: 'ip', keys: ['ip'], applyAtomic: true },
  hostAliases: byKey('ip'),
  topologySpreadConstraints: byKey('topologyKey', ['topologyKey', 'whenUnsatisfiable']),
};

/**
 * Returns the list strategy of the built-in kinds (core/v1 and friends): containers by `name`,
 * container ports by `containerPort` (keyed by `containerPort` and `protocol` for apply),
 * conditions by `type`, env and volumes by `name`, finalizers as a set; any other list is atomic.
 */
export function builtinListStrategy(path: readonly string[]): ListStrategy {
  const field = path.at(-1) ?? '';
  if (field === 'ports') {
    const parent = path.at(-2);
    return parent === 'containers' || parent === 'initContainers' || parent === 'ephemeralContainers' ? byKey('containerPort', ['containerPort', 'protocol']) : byKey('port', ['port', 'protocol']);
  }
  if (field === 'addresses' && path[0] === 'status') return byKey('type');
  return BY_FIELD[field] ?? ATOMIC;
}

/**
 * Returns the list strategy of custom resources: every list atomic except `metadata.finalizers`
 * (a set) and `metadata.ownerReferences` (by uid), as for a CRD schema without list-type markers.
 */
export function customListStrategy(path: readonly string[]): ListStrategy {
  if (path.length === 2 && path[0] === 'metadata') return builtinListStrategy(path);
  return ATOMIC;
}
