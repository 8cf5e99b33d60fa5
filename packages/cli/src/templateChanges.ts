import type { Container, PodTemplateSpec } from '@kruise-ts/core';

/**
 * One `--set` change to a workload's pod template: a container's image, one environment variable,
 * or one resource request or limit.
 */
export type TemplateChange =
  | { readonly kind: 'image'; readonly container: string; readonly image: string }
  | { readonly kind: 'env'; readonly container: string; readonly name: string; readonly value: string }
  | { readonly kind: 'resources'; readonly container: string; readonly field: 'limits' | 'requests'; readonly resource: string; readonly quantity: string };

/** A `--set` value that cannot be read, and why. */
export interface InvalidSet {
  readonly kind: 'invalid';
  readonly message: string;
}

/** What `--set` takes, as its errors and `--help` say it. */
export const SET_SYNTAX = 'image=<container>=<image>, env=<container>:<NAME>=<VALUE> or resources=<container>:<limits|requests>.<resource>=<quantity>[,...]';

// kubectl's rules: an env var name as the API validates it, a quantity as resource.Quantity reads it.
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const QUANTITY = /^[+-]?(\d+(\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;

function parseResources(container: string, list: string, value: string): TemplateChange[] | InvalidSet {
  const changes: TemplateChange[] = [];
  for (const item of list.split(',')) {
    const match = /^(limits|requests)\.([^=]+)=(.+)$/.exec(item);
    if (match === null) return { kind: 'invalid', message: `--set: "${value}": "${item}" is not <limits|requests>.<resource>=<quantity>` };
    const [, field, resource = '', quantity = ''] = match;
    if (!QUANTITY.test(quantity)) return { kind: 'invalid', message: `--set: "${value}": "${quantity}" is not a quantity (e.g. 500m, 1, 256Mi)` };
    changes.push({ kind: 'resources', container, field: field === 'limits' ? 'limits' : 'requests', resource, quantity });
  }
  return changes;
}

function parseOne(value: string): TemplateChange[] | InvalidSet {
  const image = /^image=([^=]+)=(.+)$/.exec(value);
  if (image !== null) return [{ kind: 'image', container: image[1] ?? '', image: image[2] ?? '' }];
  const env = /^env=([^:=]+):([^=]+)=(.*)$/.exec(value);
  if (env !== null) {
    const name = env[2] ?? '';
    if (!ENV_NAME.test(name)) return { kind: 'invalid', message: `--set: "${value}": "${name}" is not a valid environment variable name` };
    return [{ kind: 'env', container: env[1] ?? '', name, value: env[3] ?? '' }];
  }
  const resources = /^resources=([^:=]+):(.+)$/.exec(value);
  if (resources !== null) return parseResources(resources[1] ?? '', resources[2] ?? '', value);
  return { kind: 'invalid', message: `--set: "${value}" is not ${SET_SYNTAX}` };
}

/**
 * Reads `--set` values into template changes, or names the one that is wrong.
 *
 * @example parseTemplateSets(['image=main=nginx:1.27']) → [{ kind: 'image', container: 'main', image: 'nginx:1.27' }]
 * @example parseTemplateSets(['env=main:LOG=debug']) → [{ kind: 'env', container: 'main', name: 'LOG', value: 'debug' }]
 * @example parseTemplateSets(['resources=main:limits.cpu=500m,requests.memory=256Mi']) → 2 changes (limits.cpu 500m, requests.memory 256Mi)
 */
export function parseTemplateSets(values: readonly string[]): TemplateChange[] | InvalidSet {
  const changes: TemplateChange[] = [];
  for (const value of values) {
    const parsed = parseOne(value);
    if ('kind' in parsed) return parsed;
    changes.push(...parsed);
  }
  if (changes.length === 0) return { kind: 'invalid', message: `--set: at least one change is required: ${SET_SYNTAX}` };
  return changes;
}

/**
 * Returns a change as `--set` spells it.
 *
 * @example describeChange({ kind: 'env', container: 'main', name: 'LOG', value: 'debug' }) → 'env=main:LOG=debug'
 */
export function describeChange(change: TemplateChange): string {
  if (change.kind === 'image') return `image=${change.container}=${change.image}`;
  if (change.kind === 'env') return `env=${change.container}:${change.name}=${change.value}`;
  return `resources=${change.container}:${change.field}.${change.resource}=${change.quantity}`;
}

function applyToContainer(container: Container, change: TemplateChange): Container {
  if (change.kind === 'image') return { ...container, image: change.image };
  if (change.kind === 'env') {
    const env = container.env ?? [];
    const entry = { name: change.name, value: change.value };
    return { ...container, env: env.some((e) => e.name === change.name) ? env.map((e) => (e.name === change.name ? entry : e)) : [...env, entry] };
  }
  const resources = container.resources ?? {};
  return { ...container, resources: { ...resources, [change.field]: { ...(resources[change.field] ?? {}), [change.resource]: change.quantity } } };
}

/**
 * Returns the pod template with the changes made (kubectl set image / set env / set resources),
 * or throws naming a container the template does not have.
 *
 * @example containers [main: nginx:1] + image=main=nginx:2 → containers [main: nginx:2]
 * @example env=main:LOG=debug on main with env [LOG=info, A=1] → env [LOG=debug, A=1]
 */
export function applyTemplateChanges(template: PodTemplateSpec, changes: readonly TemplateChange[]): PodTemplateSpec {
  const spec = template.spec;
  for (const { container } of changes) {
    if (!spec.containers.some((c) => c.name === container)) throw new Error(`--set: the workload has no container "${container}"`);
  }
  const containers = spec.containers.map((c) => changes.filter((change) => change.container === c.name).reduce(applyToContainer, c));
  return { ...template, spec: { ...spec, containers } };
}
