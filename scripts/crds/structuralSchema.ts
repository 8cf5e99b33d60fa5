/**
 * Turns the JSON Schema that zod emits into a Kubernetes *structural* schema for a CRD
 * (https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#specifying-a-structural-schema):
 * every node typed, no `$ref`, no `additionalProperties: false`, int-or-string as
 * `x-kubernetes-int-or-string`, nullable instead of `type: [..., 'null']`, and chosen subtrees
 * replaced by `x-kubernetes-preserve-unknown-fields` as OpenKruise's CRDs do for pod templates.
 */

/** A JSON Schema (or OpenAPI v3 schema) node. */
export type SchemaNode = Record<string, unknown>;

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** The schema of a field kept as it is: typed as `type` (object by default), contents not pruned. */
export function preservedUnknownFields(type: 'object' | 'array' = 'object'): SchemaNode {
  return type === 'array'
    ? { type: 'array', items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } }
    : { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
}

function isNode(value: unknown): value is SchemaNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isIntOrString(node: SchemaNode): boolean {
  const anyOf = node['anyOf'];
  if (!Array.isArray(anyOf) || anyOf.length !== 2) return false;
  const types = anyOf.map((n: unknown) => (isNode(n) ? n['type'] : undefined)).sort();
  return types[0] === 'integer' && types[1] === 'string';
}

function integerFormat(node: SchemaNode): SchemaNode {
  const { minimum, maximum, ...rest } = node;
  return minimum === INT32_MIN && maximum === INT32_MAX ? { ...rest, format: 'int32' } : { ...rest, format: 'int64' };
}

function nullable(node: SchemaNode): SchemaNode {
  const type = node['type'];
  if (!Array.isArray(type) || !type.includes('null')) return node;
  const [only] = type.filter((t) => t !== 'null') as string[];
  return { ...node, type: only, nullable: true };
}

// zod annotations with no meaning (or a different one) in a CRD. Enums are left to the
// validating webhook, as in OpenKruise's CRDs, so an unknown value gets a readable message.
const DROPPED = new Set(['$schema', 'propertyNames', 'enum', 'id']);

function dropAnnotations(node: SchemaNode): SchemaNode {
  const kept = Object.entries(node).filter(([key, value]) => {
    if (DROPPED.has(key)) return false;
    // looseObject emits `additionalProperties: {}` (anything), z.object `false`: structural schemas
    // prune unknown fields instead, so neither is written.
    return !(key === 'additionalProperties' && (value === false || (isNode(value) && Object.keys(value).length === 0)));
  });
  return Object.fromEntries(kept);
}

/**
 * Returns the structural form of a zod-emitted JSON Schema node. `preserve` maps dotted paths
 * (from this node, through `properties` only, e.g. `spec.template`) to the schema that replaces
 * them, typically {@link preservedUnknownFields}.
 */
export function toStructuralSchema(node: SchemaNode, preserve: ReadonlyMap<string, SchemaNode> = new Map(), path = ''): SchemaNode {
  const replacement = preserve.get(path);
  if (replacement !== undefined) return { ...replacement, ...(typeof node['description'] === 'string' && { description: node['description'] }) };
  if (isIntOrString(node)) {
    return { anyOf: [{ type: 'integer' }, { type: 'string' }], 'x-kubernetes-int-or-string': true };
  }
  let result = nullable(dropAnnotations(node));
  if (result['type'] === 'integer') result = integerFormat(result);
  const properties = result['properties'];
  if (isNode(properties)) {
    const converted = Object.entries(properties).map(([key, child]) => [
      key,
      isNode(child) ? toStructuralSchema(child, preserve, path === '' ? key : `${path}.${key}`) : child,
    ]);
    result = { ...result, properties: Object.fromEntries(converted) };
  }
  for (const key of ['items', 'additionalProperties'] as const) {
    const child = result[key];
    if (isNode(child)) result = { ...result, [key]: toStructuralSchema(child, preserve, `${path}[]`) };
  }
  return result;
}

/** One way a schema is not structural: where, and what is wrong there. */
export interface StructuralViolation {
  readonly path: string;
  readonly problem: string;
}

function nodeViolations(node: SchemaNode, path: string): StructuralViolation[] {
  const violations: StructuralViolation[] = [];
  if ('$ref' in node) violations.push({ path, problem: '$ref is not allowed' });
  if (node['additionalProperties'] === false) violations.push({ path, problem: 'additionalProperties: false is not allowed' });
  if (node['x-kubernetes-int-or-string'] === true) {
    if ('type' in node) violations.push({ path, problem: 'an int-or-string node may not set type' });
  } else if (typeof node['type'] !== 'string') {
    violations.push({ path, problem: 'every node needs a type' });
  }
  if (isNode(node['properties']) && isNode(node['additionalProperties'])) {
    violations.push({ path, problem: 'properties and additionalProperties are mutually exclusive' });
  }
  return violations;
}

/**
 * Returns every place where `node` breaks the structural-schema rules this generator relies on:
 * a node without `type` (except int-or-string nodes, which must not have one), a `$ref`,
 * `additionalProperties: false`, or `properties` together with `additionalProperties`.
 */
export function structuralViolations(node: SchemaNode, path = ''): StructuralViolation[] {
  const own = nodeViolations(node, path === '' ? '<root>' : path);
  const children: [string, unknown][] = [
    ...Object.entries(isNode(node['properties']) ? node['properties'] : {}).map(([k, v]): [string, unknown] => [`${path}.${k}`, v]),
    [`${path}[]`, node['items']],
    [`${path}{}`, node['additionalProperties']],
  ];
  return [...own, ...children.flatMap(([p, child]) => (isNode(child) ? structuralViolations(child, p) : []))];
}

const JSON_TYPE: Readonly<Record<string, (value: unknown) => boolean>> = {
  boolean: (v) => typeof v === 'boolean',
  string: (v) => typeof v === 'string',
  integer: (v) => Number.isInteger(v),
  number: (v) => typeof v === 'number',
  object: (v) => isNode(v),
  array: (v) => Array.isArray(v),
};

function setDefault(node: SchemaNode, keys: readonly string[], value: unknown, path: string): SchemaNode {
  const [key, ...rest] = keys;
  if (key === undefined) {
    const type = node['type'];
    const fits = typeof type === 'string' ? JSON_TYPE[type]?.(value) === true : node['x-kubernetes-int-or-string'] === true && (Number.isInteger(value) || typeof value === 'string');
    if (!fits) throw new Error(`schema default ${path}: ${JSON.stringify(value)} is not of the field's type ${String(type)}`);
    return { ...node, default: value };
  }
  const properties = node['properties'];
  const child = isNode(properties) ? properties[key] : undefined;
  if (!isNode(properties) || !isNode(child)) throw new Error(`schema default ${path}: the schema has no property ${key} there`);
  return { ...node, properties: { ...properties, [key]: setDefault(child, rest, value, path) } };
}

/**
 * Returns `schema` with a `default` at each dotted path of `defaults` (through `properties` only,
 * e.g. `spec.scaleStrategy.enablePVCReuse` → `false`): the apiserver then fills the field in when
 * its parent is present and it is not, as for a `+kubebuilder:default` marker of OpenKruise's Go
 * types. Throws when a path is not in the schema or the value is not of the field's type, so a
 * renamed field cannot leave a default behind silently.
 */
export function withSchemaDefaults(schema: SchemaNode, defaults: ReadonlyMap<string, unknown>): SchemaNode {
  let result = schema;
  for (const [path, value] of defaults) result = setDefault(result, path.split('.'), value, path);
  return result;
}
