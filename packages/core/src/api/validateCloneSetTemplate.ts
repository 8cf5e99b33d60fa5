import { fieldProblem, type FieldProblem } from '../shared/fieldProblem.js';
import { labelKeyProblems, labelValueProblems } from '../shared/selector.js';
import type { CloneSetSpec } from './cloneSet.js';
import type { Container, PersistentVolumeClaim, PodTemplateSpec } from './pod.js';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Returns whether `name` is a DNS-1123 label (at most 63 lowercase alphanumerics or '-'). */
export function isDnsLabel(name: string): boolean {
  return name.length <= 63 && DNS_LABEL.test(name);
}

/** Returns whether `name` is a DNS-1123 subdomain (at most 253 characters of dot-separated labels). */
export function isDnsSubdomain(name: string): boolean {
  return name.length <= 253 && DNS_SUBDOMAIN.test(name);
}

/**
 * Returns the problems of a map of labels at `path` (invalid keys or values), one per entry.
 *
 * @example labelsProblems({ 'a b': 'x' }, 'spec.template.metadata.labels') → one problem at `...labels[a b]`
 */
export function labelsProblems(labels: Readonly<Record<string, string>> | undefined, path: string): FieldProblem[] {
  return Object.entries(labels ?? {}).flatMap(([key, value]) =>
    [...labelKeyProblems(key), ...labelValueProblems(value)].map((m) => fieldProblem(`${path}[${key}]`, m)),
  );
}

function duplicateProblems(names: readonly string[], pathOf: (index: number) => string, what: string): FieldProblem[] {
  const seen = new Set<string>();
  return names.flatMap((name, index) => {
    if (!seen.has(name)) {
      seen.add(name);
      return [];
    }
    return [fieldProblem(pathOf(index), `Duplicate value: ${JSON.stringify(name)} (${what} names must be unique)`)];
  });
}

function containerProblems(container: Container, path: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!isDnsLabel(container.name)) {
    problems.push(fieldProblem(`${path}.name`, `${JSON.stringify(container.name)} must be a DNS-1123 label (lowercase alphanumerics and '-', at most 63)`));
  }
  if ((container.image ?? '') === '') problems.push(fieldProblem(`${path}.image`, 'Required value'));
  return problems;
}

function containersProblems(spec: PodTemplateSpec['spec'], path: string): FieldProblem[] {
  const containers = spec.containers.map((c, i) => ({ c, path: `${path}.containers[${String(i)}]` }));
  const inits = (spec.initContainers ?? []).map((c, i) => ({ c, path: `${path}.initContainers[${String(i)}]` }));
  const all = [...containers, ...inits];
  return [
    ...(containers.length === 0 ? [fieldProblem(`${path}.containers`, 'Required value: a pod needs at least one container')] : []),
    ...all.flatMap(({ c, path: p }) => containerProblems(c, p)),
    ...duplicateProblems(
      all.map(({ c }) => c.name),
      (i) => `${all[i]?.path ?? path}.name`,
      'container',
    ),
  ];
}

function volumeMountProblems(spec: PodTemplateSpec['spec'], volumeNames: ReadonlySet<string>, path: string): FieldProblem[] {
  const lists = [
    ...spec.containers.map((c, i) => ({ c, path: `${path}.containers[${String(i)}]` })),
    ...(spec.initContainers ?? []).map((c, i) => ({ c, path: `${path}.initContainers[${String(i)}]` })),
  ];
  return lists.flatMap(({ c, path: p }) =>
    (c.volumeMounts ?? []).flatMap((mount, j) =>
      volumeNames.has(mount.name)
        ? []
        : [fieldProblem(`${p}.volumeMounts[${String(j)}].name`, `Not found: ${JSON.stringify(mount.name)} is neither a volume nor a volumeClaimTemplate`)],
    ),
  );
}

function volumeClaimTemplateProblems(templates: readonly PersistentVolumeClaim[], volumes: readonly string[]): FieldProblem[] {
  const path = (i: number) => `spec.volumeClaimTemplates[${String(i)}].metadata.name`;
  const names = templates.map((t) => t.metadata.name ?? '');
  const own = names.flatMap((name, i) => {
    if (name === '') return [fieldProblem(path(i), 'Required value')];
    if (!isDnsSubdomain(name)) return [fieldProblem(path(i), `${JSON.stringify(name)} must be a DNS-1123 subdomain`)];
    if (volumes.includes(name)) return [fieldProblem(path(i), `Duplicate value: ${JSON.stringify(name)} is also a volume of the template`)];
    return [];
  });
  return [...own, ...duplicateProblems(names, path, 'volumeClaimTemplate')];
}

/**
 * Returns the problems of a CloneSet's pod template and volumeClaimTemplates, as OpenKruise's
 * webhook finds them (it validates the template with each claim template mocked in as a volume):
 * invalid template labels, no container, unnamed or duplicate containers, containers without an
 * image, duplicate volumes, volume mounts that name no volume or claim template, claim templates
 * without a name or clashing with a volume, `restartPolicy` other than `Always`, and
 * `activeDeadlineSeconds` (forbidden for CloneSet). A subset of Kubernetes' full pod validation.
 *
 * @example a template with `restartPolicy: Never` →
 *   `[{ path: 'spec.template.spec.restartPolicy', message: 'Unsupported value: "Never": supported values: "Always"' }]`
 */
export function validateCloneSetTemplate(spec: Pick<CloneSetSpec, 'template' | 'volumeClaimTemplates'>): FieldProblem[] {
  const podSpec = spec.template.spec;
  const path = 'spec.template.spec';
  const volumes = (podSpec.volumes ?? []).map((v) => v.name);
  const claims = spec.volumeClaimTemplates ?? [];
  const known = new Set([...volumes, ...claims.map((c) => c.metadata.name ?? '')]);
  return [
    ...labelsProblems(spec.template.metadata?.labels, 'spec.template.metadata.labels'),
    ...containersProblems(podSpec, path),
    ...duplicateProblems(volumes, (i) => `${path}.volumes[${String(i)}].name`, 'volume'),
    ...volumeMountProblems(podSpec, known, path),
    ...volumeClaimTemplateProblems(claims, volumes),
    ...(podSpec.restartPolicy !== undefined && podSpec.restartPolicy !== '' && podSpec.restartPolicy !== 'Always'
      ? [fieldProblem(`${path}.restartPolicy`, `Unsupported value: ${JSON.stringify(podSpec.restartPolicy)}: supported values: "Always"`)]
      : []),
    ...(podSpec.activeDeadlineSeconds !== undefined
      ? [fieldProblem(`${path}.activeDeadlineSeconds`, 'Forbidden: activeDeadlineSeconds in cloneset is not supported')]
      : []),
  ];
}

const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];

/**
 * Returns the problems of a pod template at `path` (e.g. `spec.template.jobTemplate.spec.template`)
 * that Kubernetes' `ValidatePodTemplateSpec` finds and matter to a webhook: invalid template
 * labels, no container, unnamed or duplicate containers, containers without an image, duplicate
 * volumes, volume mounts that name no volume, a `restartPolicy` other than `Always`, `OnFailure`
 * or `Never`. The same subset of pod validation as {@link validateCloneSetTemplate}, for workloads
 * whose pods may finish (jobs).
 *
 * @example podTemplateProblems({ spec: { containers: [] } }, 'spec.template') → [{ path: 'spec.template.spec.containers', message: 'Required value: a pod needs at least one container' }]
 */
export function podTemplateProblems(template: PodTemplateSpec, path: string): FieldProblem[] {
  const podSpec = template.spec;
  const specPath = `${path}.spec`;
  const volumes = (podSpec.volumes ?? []).map((v) => v.name);
  const restartPolicy = podSpec.restartPolicy;
  return [
    ...labelsProblems(template.metadata?.labels, `${path}.metadata.labels`),
    ...containersProblems(podSpec, specPath),
    ...duplicateProblems(volumes, (i) => `${specPath}.volumes[${String(i)}].name`, 'volume'),
    ...volumeMountProblems(podSpec, new Set(volumes), specPath).map((p) => ({ ...p, message: p.message.replace(' nor a volumeClaimTemplate', '') })),
    ...(restartPolicy !== undefined && restartPolicy !== '' && !RESTART_POLICIES.includes(restartPolicy)
      ? [fieldProblem(`${specPath}.restartPolicy`, `Unsupported value: ${JSON.stringify(restartPolicy)}: supported values: "Always", "OnFailure", "Never"`)]
      : []),
  ];
}
