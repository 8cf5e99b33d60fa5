import { deepEqual, isJsonObject, type JsonObject, type JsonValue } from './jsonValue.js';
import type { ListStrategyOf } from './listStrategy.js';

/**
 * A set of field paths in the encoding of `managedFields` (FieldsV1): each member is an array of
 * path elements `f:<field>`, `k:<json key of a list item>` or `v:<json value of a set item>`,
 * stored as its JSON text.
 */
export type FieldSet = Set<string>;

/** Fields never recorded in managedFields: identity and bookkeeping the apiserver owns. */
const IGNORED_METADATA = new Set(['name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'selfLink', 'generateName']);

function keyElement(item: JsonValue, keys: readonly string[]): string {
  const key: JsonObject = {};
  if (isJsonObject(item)) for (const k of keys) if (item[k] !== undefined) key[k] = item[k];
  return `k:${JSON.stringify(key)}`;
}

interface Walk {
  readonly strategyOf: ListStrategyOf;
  /** Also record maps and lists themselves (the paths an update adds), not only leaves and list items. */
  readonly nodes: boolean;
  readonly out: FieldSet;
}

function collect(value: JsonValue, path: string[], fieldPath: string[], walk: Walk): void {
  const strategy = Array.isArray(value) ? walk.strategyOf(fieldPath) : undefined;
  const leaf = strategy === undefined ? !isJsonObject(value) || Object.keys(value).length === 0 : strategy.kind === 'atomic' || (strategy.kind === 'map' && strategy.applyAtomic === true);
  if (leaf || walk.nodes) walk.out.add(JSON.stringify(path));
  if (leaf) return;
  if (isJsonObject(value)) {
    for (const [k, v] of Object.entries(value)) collect(v, [...path, `f:${k}`], [...fieldPath, k], walk);
    return;
  }
  for (const item of Array.isArray(value) ? value : []) {
    const element = strategy?.kind === 'map' ? keyElement(item, strategy.keys) : `v:${JSON.stringify(item)}`;
    const itemPath = [...path, element];
    walk.out.add(JSON.stringify(itemPath));
    if (strategy?.kind === 'map' && isJsonObject(item)) for (const [k, v] of Object.entries(item)) collect(v, [...itemPath, `f:${k}`], [...fieldPath, k], walk);
  }
}

/**
 * Returns the field paths set in `object` (leaves, list items of keyed and set lists, atomic lists
 * as a whole; with `nodes`, also every map and list), leaving out apiVersion, kind and the
 * metadata the apiserver owns. `sections` restricts the top-level fields considered (e.g. only
 * `status` for a status write).
 */
export function fieldSetOf(object: JsonObject, strategyOf: ListStrategyOf, sections?: (field: string) => boolean, nodes = false): FieldSet {
  const walk: Walk = { strategyOf, nodes, out: new Set() };
  for (const [field, value] of Object.entries(object)) {
    if (field === 'apiVersion' || field === 'kind' || (sections !== undefined && !sections(field))) continue;
    if (field === 'metadata' && isJsonObject(value)) {
      for (const [k, v] of Object.entries(value)) if (!IGNORED_METADATA.has(k)) collect(v, ['f:metadata', `f:${k}`], ['metadata', k], walk);
    } else {
      collect(value, [`f:${field}`], [field], walk);
    }
  }
  return walk.out;
}

/** Returns the value at a path of a field set in `object` (undefined when absent). */
export function valueAtPath(object: JsonValue | undefined, path: readonly string[]): JsonValue | undefined {
  let current = object;
  for (const element of path) {
    if (current === undefined) return undefined;
    const payload = element.slice(2);
    if (element.startsWith('f:')) current = isJsonObject(current) ? current[payload] : undefined;
    else if (!Array.isArray(current)) return undefined;
    else if (element.startsWith('v:')) current = current.find((x) => deepEqual(x, JSON.parse(payload)));
    else {
      const key = JSON.parse(payload) as JsonObject;
      current = current.find((x) => isJsonObject(x) && Object.entries(key).every(([k, v]) => deepEqual(x[k], v)));
    }
  }
  return current;
}

/** Returns the FieldsV1 tree of a set: `{ "f:spec": { "f:replicas": {} } }`; `.` marks a member that also has children. */
export function toFieldsV1(set: FieldSet): JsonObject {
  const root: JsonObject = {};
  const members = [...set].map((m) => JSON.parse(m) as string[]);
  for (const path of members) {
    let node = root;
    for (const element of path) {
      const next = node[element];
      node = isJsonObject(next) ? next : (node[element] = {});
    }
  }
  for (const path of members) {
    const node = path.reduce<JsonObject>((n, e) => n[e] as JsonObject, root);
    if (Object.keys(node).length > 0) node['.'] = {};
  }
  const sorted = (node: JsonObject): JsonObject =>
    Object.fromEntries(Object.keys(node).sort().map((k) => [k, sorted(node[k] as JsonObject)]));
  return sorted(root);
}

/** Returns the set encoded by a FieldsV1 tree (the inverse of {@link toFieldsV1}). */
export function fromFieldsV1(tree: unknown): FieldSet {
  const out: FieldSet = new Set();
  const walk = (node: unknown, path: string[]): void => {
    if (!isJsonObject(node)) return;
    const children = Object.keys(node).filter((k) => k !== '.');
    if (path.length > 0 && (children.length === 0 || Object.hasOwn(node, '.'))) out.add(JSON.stringify(path));
    for (const k of children) walk(node[k], [...path, k]);
  };
  walk(tree, []);
  return out;
}

/** Returns a path in the apiserver's notation: `.spec.containers[name="app"].image`. */
export function formatFieldPath(member: string): string {
  return (JSON.parse(member) as string[])
    .map((element) => {
      const payload = element.slice(2);
      if (element.startsWith('f:')) return `.${payload}`;
      if (element.startsWith('v:')) return `[=${payload}]`;
      const key = JSON.parse(payload) as JsonObject;
      return `[${Object.entries(key).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}]`;
    })
    .join('');
}
