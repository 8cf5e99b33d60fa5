import { fieldProblem, type FieldProblem } from '../shared/fieldProblem.js';
import { labelKeyProblems } from '../shared/selector.js';
import type { Container } from './pod.js';
import type { SidecarContainer, SidecarSetSpec, TransferEnvVar } from './sidecarSet.js';
import { isDnsLabel } from './validateCloneSetTemplate.js';

/*
 * The container and volume checks of OpenKruise's SidecarSet webhook. It validates a fake pod made
 * of the SidecarSet's initContainers, containers and volumes with Kubernetes' pod validation; this
 * is the subset of that validation that concerns what a SidecarSet can hold, with the same paths.
 */

const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const TERMINATION_MESSAGE_POLICIES = ['File', 'FallbackToLogsOnError'];

function oneOf(value: unknown, allowed: readonly string[], path: string): FieldProblem[] {
  if (value === undefined || (typeof value === 'string' && allowed.includes(value))) return [];
  return [fieldProblem(path, `Unsupported value: ${JSON.stringify(value)}: supported values: ${allowed.map((v) => JSON.stringify(v)).join(', ')}`)];
}

function mountProblems(container: Container, volumes: ReadonlySet<string>, path: string): FieldProblem[] {
  const seen = new Set<string>();
  return (container.volumeMounts ?? []).flatMap((mount, j) => {
    const p = `${path}.volumeMounts[${String(j)}]`;
    const problems: FieldProblem[] = [];
    if (!volumes.has(mount.name)) problems.push(fieldProblem(`${p}.name`, `Not found: ${JSON.stringify(mount.name)} is not a volume of the SidecarSet`));
    if (mount.mountPath === '') problems.push(fieldProblem(`${p}.mountPath`, 'Required value'));
    else if (seen.has(mount.mountPath)) problems.push(fieldProblem(`${p}.mountPath`, `Invalid value: ${JSON.stringify(mount.mountPath)}: must be unique`));
    seen.add(mount.mountPath);
    return problems;
  });
}

function containerProblems(container: Container, volumes: ReadonlySet<string>, path: string, init: boolean): FieldProblem[] {
  const restart = container.restartPolicy;
  return [
    ...(container.name === ''
      ? [fieldProblem(`${path}.name`, 'Required value')]
      : isDnsLabel(container.name)
        ? []
        : [fieldProblem(`${path}.name`, `Invalid value: ${JSON.stringify(container.name)}: must be a DNS-1123 label (lowercase alphanumerics and '-', at most 63)`)]),
    ...((container.image ?? '') === '' ? [fieldProblem(`${path}.image`, 'Required value')] : []),
    ...(container.ports ?? []).flatMap((port, j) =>
      port.containerPort >= 1 && port.containerPort <= 65535
        ? []
        : [fieldProblem(`${path}.ports[${String(j)}].containerPort`, `Invalid value: ${String(port.containerPort)}: must be between 1 and 65535, inclusive`)],
    ),
    ...(container.env ?? []).flatMap((env, j) => (env.name === '' ? [fieldProblem(`${path}.env[${String(j)}].name`, 'Required value')] : [])),
    ...mountProblems(container, volumes, path),
    ...oneOf(container.imagePullPolicy, PULL_POLICIES, `${path}.imagePullPolicy`),
    ...oneOf(container['terminationMessagePolicy'], TERMINATION_MESSAGE_POLICIES, `${path}.terminationMessagePolicy`),
    ...(restart === undefined
      ? []
      : init
        ? oneOf(restart, ['Always'], `${path}.restartPolicy`)
        : [fieldProblem(`${path}.restartPolicy`, 'Forbidden: may not be set for non-init containers')]),
  ];
}

// A transferEnv fieldRef must be `metadata.labels['<key>']` or `metadata.annotations['<key>']`.
const SUBSCRIPTED = /^(metadata\.labels|metadata\.annotations)\['(.*)'\]$/;

function transferEnvProblems(transferEnv: readonly TransferEnvVar[] | undefined, path: string): FieldProblem[] {
  return (transferEnv ?? []).flatMap((t, j) => {
    const fieldRef = t.sourceContainerNameFrom?.fieldRef;
    if (fieldRef === undefined) return [];
    const p = `${path}.transferEnv[${String(j)}].sourceContainerNameFrom.fieldRef`;
    if (fieldRef.apiVersion !== undefined && fieldRef.apiVersion !== 'v1') {
      return [fieldProblem(`${p}.fieldPath`, `Invalid value: ${JSON.stringify(fieldRef.fieldPath)}: error converting fieldPath: unsupported pod version: ${fieldRef.apiVersion}`)];
    }
    if (fieldRef.fieldPath === '') return [fieldProblem(`${p}.fieldPath`, 'Required value')];
    const match = SUBSCRIPTED.exec(fieldRef.fieldPath);
    if (!match) return [fieldProblem(`${p}.fieldPath`, `Invalid value: ${JSON.stringify(fieldRef.fieldPath)}: error converting fieldPath: field label not supported: ${fieldRef.fieldPath}`)];
    const key = match[1] === 'metadata.annotations' ? (match[2] ?? '').toLowerCase() : (match[2] ?? '');
    return labelKeyProblems(key).map((m) => fieldProblem(p, `Invalid value: ${JSON.stringify(match[2])}: ${m}`));
  });
}

function duplicates(names: readonly string[], pathOf: (i: number) => string, what: string): FieldProblem[] {
  return names.flatMap((name, i) => (names.indexOf(name) < i ? [fieldProblem(pathOf(i), `Duplicate value: ${JSON.stringify(name)} (${what} names must be unique)`)] : []));
}

/**
 * Returns the problems of a SidecarSet's initContainers, containers and volumes: none of them at
 * all; container names empty, not DNS-1123 labels or used twice (init and regular together); no
 * image; ports out of range; env without a name; volume mounts naming no SidecarSet volume, without
 * a path, or with a path used twice; unsupported imagePullPolicy / terminationMessagePolicy;
 * `restartPolicy` other than `Always` on an init container or set on a container; volume names not
 * DNS-1123 labels or used twice; a transferEnv fieldRef that is not `metadata.labels['k']` or
 * `metadata.annotations['k']` with a qualified key.
 *
 * @example a container mounting `logs` with no `logs` volume →
 *   `[{ path: 'spec.containers[0].volumeMounts[0].name', message: 'Not found: "logs" is not a volume of the SidecarSet' }]`
 */
export function validateSidecarSetContainers(spec: SidecarSetSpec): FieldProblem[] {
  const inits = (spec.initContainers ?? []).map((c, i) => ({ c, path: `spec.initContainers[${String(i)}]`, init: true }));
  const containers = (spec.containers ?? []).map((c: SidecarContainer, i) => ({ c, path: `spec.containers[${String(i)}]`, init: false }));
  if (inits.length === 0 && containers.length === 0) return [fieldProblem('spec', 'Required value: no initContainer or container defined for SidecarSet')];
  const volumes = (spec.volumes ?? []).map((v) => v.name);
  const known = new Set(volumes);
  const all = [...inits, ...containers];
  return [
    ...volumes.flatMap((name, i) =>
      isDnsLabel(name) ? [] : [fieldProblem(`spec.volumes[${String(i)}].name`, `Invalid value: ${JSON.stringify(name)}: must be a DNS-1123 label`)],
    ),
    ...duplicates(volumes, (i) => `spec.volumes[${String(i)}].name`, 'volume'),
    ...all.flatMap(({ c, path, init }) => containerProblems(c, known, path, init)),
    ...duplicates(
      all.map(({ c }) => c.name),
      (i) => `${all[i]?.path ?? 'spec'}.name`,
      'container',
    ),
    ...containers.flatMap(({ c, path }) => transferEnvProblems(c.transferEnv, path)),
  ];
}
