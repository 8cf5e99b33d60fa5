import { fieldProblem, type FieldProblem } from '../shared/fieldProblem.js';
import { validateLabelSelector } from '../shared/selector.js';
import type { EphemeralContainer, EphemeralJob } from './ephemeralJob.js';
import { isDnsLabel } from './validateCloneSetTemplate.js';
import { objectMetaProblems } from './validateObjectMeta.js';

// Kubernetes' allow list of ephemeral container fields: these may not be set.
const FORBIDDEN_FIELDS = ['ports', 'resources', 'livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle'] as const;
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];

function containerProblems(container: EphemeralContainer, path: string): FieldProblem[] {
  const fields = container as Record<string, unknown>;
  return [
    ...(container.name === '' ? [fieldProblem(`${path}.name`, 'Required value')] : isDnsLabel(container.name) ? [] : [fieldProblem(`${path}.name`, `Invalid value: ${JSON.stringify(container.name)}: must be a DNS-1123 label`)]),
    ...((container.image ?? '') === '' ? [fieldProblem(`${path}.image`, 'Required value')] : []),
    ...(container.imagePullPolicy !== undefined && !PULL_POLICIES.includes(container.imagePullPolicy)
      ? [fieldProblem(`${path}.imagePullPolicy`, `Unsupported value: ${JSON.stringify(container.imagePullPolicy)}: supported values: "Always", "IfNotPresent", "Never"`)]
      : []),
    ...FORBIDDEN_FIELDS.filter((f) => fields[f] !== undefined && fields[f] !== null).map((f) => fieldProblem(`${path}.${f}`, 'Forbidden: cannot be set for an Ephemeral Container')),
    ...(container.volumeMounts ?? []).flatMap((mount, i) => [
      ...((mount as { subPath?: string }).subPath ? [fieldProblem(`${path}.volumeMounts[${String(i)}].subPath`, 'Forbidden: cannot be set for an Ephemeral Container')] : []),
      ...((mount as { subPathExpr?: string }).subPathExpr ? [fieldProblem(`${path}.volumeMounts[${String(i)}].subPathExpr`, 'Forbidden: cannot be set for an Ephemeral Container')] : []),
    ]),
  ];
}

/**
 * Returns every problem of an EphemeralJob as OpenKruise's validating webhook
 * (`pkg/webhook/ephemeraljob/validating`) finds them, each with its field path: the metadata, a
 * valid selector, at least one ephemeral container, each with a DNS-label name (unique), an image,
 * a known imagePullPolicy, none of the fields Kubernetes forbids on ephemeral containers (ports,
 * resources, probes, lifecycle) and no volume subPath; `replicas`, `parallelism`,
 * `activeDeadlineSeconds` and `ttlSecondsAfterFinished` not negative.
 *
 * @example an ephemeral container with `ports` → `[{ path: 'spec.template.ephemeralContainers[0].ports', message: 'Forbidden: cannot be set for an Ephemeral Container' }]`
 */
export function validateEphemeralJob(job: EphemeralJob): readonly FieldProblem[] {
  const { spec } = job;
  const containers = spec.template.ephemeralContainers;
  const path = (i: number) => `spec.template.ephemeralContainers[${String(i)}]`;
  const seen = new Set<string>();
  const duplicates = containers.flatMap((c, i) => {
    if (!seen.has(c.name)) {
      seen.add(c.name);
      return [];
    }
    return [fieldProblem(`${path(i)}.name`, `Duplicate value: ${JSON.stringify(c.name)}`)];
  });
  const nonNegative = (['replicas', 'parallelism', 'activeDeadlineSeconds', 'ttlSecondsAfterFinished'] as const).flatMap((f) =>
    (spec[f] ?? 0) < 0 ? [fieldProblem(`spec.${f}`, `Invalid value: ${String(spec[f])}: must be greater than or equal to 0`)] : [],
  );
  return [
    ...objectMetaProblems(job.metadata),
    ...validateLabelSelector(spec.selector, 'spec.selector'),
    ...(containers.length === 0 ? [fieldProblem('spec.template.ephemeralContainers', 'Required value: at least one ephemeral container')] : []),
    ...containers.flatMap((c, i) => containerProblems(c, path(i))),
    ...duplicates,
    ...nonNegative,
  ];
}
