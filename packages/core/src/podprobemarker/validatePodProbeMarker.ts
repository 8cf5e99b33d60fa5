import type { ContainerProbeSpec, PodContainerProbe, PodProbeMarker, ProbeMarkerPolicy } from '../api/podProbeMarker.js';
import { labelsProblems } from '../api/validateCloneSetTemplate.js';
import { fieldProblem, type FieldProblem } from '../shared/fieldProblem.js';
import { isEmptyLabelSelector, labelKeyProblems, validateLabelSelector } from '../shared/selector.js';

/** Condition types a probe may not be named after (Kubernetes' and Kruise's own pod conditions). */
export const NATIVE_POD_CONDITIONS: readonly string[] = ['PodScheduled', 'Initialized', 'Ready', 'ContainersReady', 'KruisePodReady', 'InPlaceUpdateReady'];

const IANA_SVC_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const HTTP_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Problems of a probe port: a number 1..65535, or an IANA service name (OpenKruise's ValidatePortNumOrName). */
function portProblems(port: number | string, path: string): FieldProblem[] {
  if (typeof port === 'number') return Number.isInteger(port) && port >= 1 && port <= 65535 ? [] : [fieldProblem(path, `Invalid value: ${String(port)}: must be between 1 and 65535, inclusive`)];
  const ok = port.length >= 1 && port.length <= 15 && IANA_SVC_NAME.test(port) && /[a-z]/.test(port) && !port.includes('--');
  return ok ? [] : [fieldProblem(path, `Invalid value: ${JSON.stringify(port)}: must be a number or an IANA_SVC_NAME (at most 15 lowercase alphanumerics or '-', at least one letter, no '--', not starting or ending with '-')`)];
}

/** Problems of the probe's handler: exactly one of exec, httpGet, tcpSocket (OpenKruise's validateHandler). */
function handlerProblems(probe: ContainerProbeSpec, path: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  let handlers = 0;
  const one = (name: string, check: () => FieldProblem[]): void => {
    if (handlers > 0) problems.push(fieldProblem(`${path}.${name}`, 'Forbidden: may not specify more than 1 handler type'));
    else {
      handlers += 1;
      problems.push(...check());
    }
  };
  if (probe.exec != null) one('exec', () => ((probe.exec?.command ?? []).length === 0 ? [fieldProblem(`${path}.exec.command`, 'Required value')] : []));
  if (probe.httpGet != null) {
    const http = probe.httpGet;
    one('httpGet', () => [
      ...((http.path ?? '') === '' ? [fieldProblem(`${path}.httpGet.path`, 'Required value')] : []),
      ...portProblems(http.port, `${path}.httpGet.port`),
      ...(http.scheme === 'HTTP' || http.scheme === 'HTTPS' ? [] : [fieldProblem(`${path}.httpGet.scheme`, `Unsupported value: ${JSON.stringify(http.scheme ?? '')}: supported values: "HTTP", "HTTPS"`)]),
      ...(http.httpHeaders ?? []).filter((h) => !HTTP_TOKEN.test(h.name)).map((h) => fieldProblem(`${path}.httpGet.httpHeaders`, `Invalid value: ${JSON.stringify(h.name)}: a valid HTTP header must consist of alphanumeric characters or '-'`)),
    ]);
  }
  if (probe.tcpSocket != null) {
    const port = probe.tcpSocket.port;
    one('tcpSocket', () => portProblems(port, `${path}.tcpSocket.port`));
  }
  if (handlers === 0) problems.push(fieldProblem(path, 'Required value: must specify a handler type'));
  return problems;
}

const TIMING = ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold'] as const;

function probeProblems(probe: ContainerProbeSpec, path: string): FieldProblem[] {
  return [
    ...handlerProblems(probe, path),
    ...TIMING.flatMap((field) => ((probe[field] ?? 0) < 0 ? [fieldProblem(`${path}.${field}`, `Invalid value: ${String(probe[field])}: must be greater than or equal to 0`)] : [])),
  ];
}

function policyProblems(policy: ProbeMarkerPolicy, path: string): FieldProblem[] {
  if (policy.state !== 'Succeeded' && policy.state !== 'Failed') return [fieldProblem(`${path}.state`, "Required value: marker policy state must be 'Succeeded' or 'Failed'")];
  if (Object.keys(policy.labels ?? {}).length === 0 && Object.keys(policy.annotations ?? {}).length === 0) return [fieldProblem(path, "Required value: marker policy annotations or labels can't be both empty")];
  return [
    ...labelsProblems(policy.labels, `${path}.labels`),
    ...Object.keys(policy.annotations ?? {}).flatMap((key) => labelKeyProblems(key.toLowerCase()).map((m) => fieldProblem(`${path}.annotations`, m))),
  ];
}

// OpenKruise stops at the first problem of a probe's identity (name, container, uniqueness); the
// handler, timing and policy problems of the probes before it are all reported.
function probesProblems(probes: readonly PodContainerProbe[]): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const names = new Set<string>();
  const conditions = new Set<string>();
  for (const [i, probe] of probes.entries()) {
    const path = `spec.probes[${String(i)}]`;
    const stop = (field: string, message: string): FieldProblem[] => [...problems, fieldProblem(`${path}.${field}`, message)];
    if (probe.name.includes('#')) return stop('name', `Invalid value: ${JSON.stringify(probe.name)}: probe name can't contain '#'`);
    if (probe.name === '') return stop('name', "Required value: probe name can't be empty");
    if (probe.containerName === '') return stop('containerName', "Required value: probe containerName can't be empty");
    if (NATIVE_POD_CONDITIONS.includes(probe.name)) return stop('name', `Invalid value: ${JSON.stringify(probe.name)}: probe name can't be ${probe.name}`);
    if (names.has(probe.name)) return stop('name', `Duplicate value: ${JSON.stringify(probe.name)}: probe name must be unique in the PodProbeMarker`);
    names.add(probe.name);
    problems.push(...probeProblems(probe.probe, `${path}.probe`));
    const conditionType = probe.podConditionType ?? '';
    if (conditionType === '' && (probe.markerPolicy ?? []).length === 0) return stop('podConditionType', 'Required value: podConditionType and markerPolicy cannot be empty at the same time');
    if (conditionType !== '') {
      if (conditions.has(conditionType)) return stop('podConditionType', `Duplicate value: ${JSON.stringify(conditionType)}: podConditionType must be unique in the PodProbeMarker`);
      conditions.add(conditionType);
      problems.push(...labelKeyProblems(conditionType).map((m) => fieldProblem(`${path}.podConditionType`, m)));
    }
    const states = new Set<string>();
    for (const [j, policy] of (probe.markerPolicy ?? []).entries()) {
      const policyPath = `${path}.markerPolicy[${String(j)}]`;
      if (states.has(policy.state)) return [...problems, fieldProblem(`${policyPath}.state`, `Duplicate value: ${JSON.stringify(policy.state)}: marker policy state must be unique`)];
      states.add(policy.state);
      problems.push(...policyProblems(policy, policyPath));
    }
  }
  return problems;
}

/**
 * Returns every problem OpenKruise's PodProbeMarker validating webhook finds, with its field path:
 * a missing or empty selector, no probes, a probe name that is empty, has `#`, is a native pod
 * condition or repeats, no container name, a probe without exactly one handler (exec with a command;
 * httpGet with path, port and scheme HTTP or HTTPS; tcpSocket with a port), negative timing fields,
 * neither podConditionType nor markerPolicy, a repeated or invalid podConditionType, marker policies
 * with another state than Succeeded/Failed, repeated, empty or with invalid labels; on update, a
 * changed selector.
 *
 * @example validatePodProbeMarker({ spec: { selector: { matchLabels: { app: 'web' } }, probes: [{ name: 'Ready', containerName: 'main', probe: { exec: { command: ['true'] } }, podConditionType: 'x' }] } })
 *   → [{ path: 'spec.probes[0].name', message: 'Invalid value: "Ready": probe name can\'t be Ready' }]
 */
export function validatePodProbeMarker(ppm: PodProbeMarker, old?: PodProbeMarker): FieldProblem[] {
  const selector = ppm.spec.selector as PodProbeMarker['spec']['selector'] | undefined | null;
  const problems: FieldProblem[] = [];
  if (selector == null) problems.push(fieldProblem('spec.selector', 'Invalid value: null: empty Selector is not valid for PodProbeMarker'));
  else {
    problems.push(...validateLabelSelector(selector, 'spec.selector'));
    if (isEmptyLabelSelector(selector)) problems.push(fieldProblem('spec.selector', 'Invalid value: {}: empty selector is not valid for PodProbeMarker'));
  }
  if (ppm.spec.probes.length === 0) problems.push(fieldProblem('spec.probes', 'Invalid value: []: empty probes is not valid for PodProbeMarker'));
  else problems.push(...probesProblems(ppm.spec.probes));
  if (old !== undefined && JSON.stringify(old.spec.selector) !== JSON.stringify(ppm.spec.selector)) problems.push(fieldProblem('spec.selector', 'Invalid value: selector must be immutable'));
  return problems;
}
