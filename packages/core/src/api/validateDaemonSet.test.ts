import { describe, expect, it } from 'vitest';
import { aDaemonSet, type DaemonSetOptions } from '../testing/daemonSetBuilder.js';
import type { DaemonSet } from './daemonSet.js';
import { DAEMONSET_HOST_PORT_SURGE_WARNING, daemonSetWarnings, validateDaemonSet } from './validateDaemonSet.js';

type Edit = (ds: DaemonSet) => DaemonSet;
const spec = (fields: Record<string, unknown>): Edit => (ds) => ({ ...ds, spec: { ...ds.spec, ...fields } });
const podSpec = (fields: Record<string, unknown>): Edit => (ds) => ({ ...ds, spec: { ...ds.spec, template: { ...ds.spec.template, spec: { ...ds.spec.template.spec, ...fields } } } });
const rollingUpdate = (fields: Record<string, unknown>): Edit => spec({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: fields } });
const none: Edit = (ds) => ds;
const RU = 'spec.updateStrategy.rollingUpdate';

describe('validateDaemonSet', () => {
  it.each<[string, DaemonSetOptions, Edit]>([
    ['a bare Advanced DaemonSet (all defaults: maxUnavailable 1, maxSurge 0)', {}, none],
    ['maxSurge 10% alone (maxUnavailable unset means 0)', { maxSurge: '10%' }, none],
    ['maxUnavailable 30% and maxSurge 0', { maxUnavailable: '30%', maxSurge: 0 }, none],
    ['InPlaceIfPossible with maxUnavailable 2', { rollingUpdateType: 'InPlaceIfPossible', maxUnavailable: 2 }, none],
    ['a partition as a count and as 100%', { partition: 5 }, rollingUpdate({ maxUnavailable: 1, partition: '100%' })],
    ['a node selector for the rollout, paused', { nodeSelector: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }, paused: true }, none],
    ['OnDelete, a rollingUpdate left as written (not looked at)', { updateType: 'OnDelete', maxUnavailable: 0 }, none],
    ['burstReplicas, minReadySeconds, revisionHistoryLimit 0, partitioned scaling', { burstReplicas: '10%', minReadySeconds: 30, revisionHistoryLimit: 0, partitionedScaling: true }, none],
    ['a preDelete hook', { lifecycle: { preDelete: { finalizersHandler: ['example.com/drain'], markPodNotReady: true } } }, none],
    ['restartPolicy Always spelled out', {}, podSpec({ restartPolicy: 'Always' })],
    ['restartPolicy left empty (OpenKruise defaults the template before checking it)', {}, podSpec({ restartPolicy: '' })],
  ])('accepts %s', (_story, options, edit) => {
    expect(validateDaemonSet(edit(aDaemonSet(options)))).toEqual([]);
  });

  it.each<[string, DaemonSetOptions, Edit, string, string]>([
    ['a name that is not a DNS subdomain', { name: 'Agent_1' }, none, 'metadata.name', '"Agent_1" must be a DNS-1123 subdomain'],
    ['no name nor generateName', {}, (ds) => ({ ...ds, metadata: {} }), 'metadata.name', 'Required value'],
    ['an empty selector', {}, spec({ selector: {} }), 'spec.selector', 'empty selector is invalid for daemonset'],
    ['an invalid selector operator', {}, spec({ selector: { matchExpressions: [{ key: 'app', operator: 'In', values: [] }] } }), 'spec.selector.matchExpressions[0].values', ''],
    ['a selector that does not match the template labels', {}, spec({ selector: { matchLabels: { app: 'other' } } }), 'spec.template.metadata.labels', '`selector` does not match template `labels`'],
    ['a template without containers', {}, podSpec({ containers: [] }), 'spec.template.spec.containers', 'Required value'],
    ['restartPolicy OnFailure', {}, podSpec({ restartPolicy: 'OnFailure' }), 'spec.template.spec.restartPolicy', 'Unsupported value: "OnFailure": supported values: "Always"'],
    ['activeDeadlineSeconds in the template', {}, podSpec({ activeDeadlineSeconds: 30 }), 'spec.template.spec.activeDeadlineSeconds', 'Forbidden: activeDeadlineSeconds in DaemonSet is not Supported'],
    ['a negative minReadySeconds', { minReadySeconds: -1 }, none, 'spec.minReadySeconds', 'must be greater than or equal to 0'],
    ['a negative revisionHistoryLimit', { revisionHistoryLimit: -1 }, none, 'spec.revisionHistoryLimit', 'must be greater than or equal to 0'],
    ['an unknown update strategy type', {}, spec({ updateStrategy: { type: 'Always' } }), 'spec.updateStrategy.type', 'Unsupported value: "Always": supported values: "RollingUpdate", "OnDelete"'],
    ['maxUnavailable 0 and maxSurge 0', { maxUnavailable: 0, maxSurge: 0 }, none, `${RU}.maxUnavailable`, 'Required value: cannot be 0 when maxSurge is 0'],
    ['maxSurge 0 alone (maxUnavailable unset is 0 too)', { maxSurge: 0 }, none, `${RU}.maxUnavailable`, 'Required value: cannot be 0 when maxSurge is 0'],
    ['"0%" for both', { maxUnavailable: '0%', maxSurge: '0%' }, none, `${RU}.maxUnavailable`, 'cannot be 0 when maxSurge is 0'],
    ['maxUnavailable 1 and maxSurge 1', { maxUnavailable: 1, maxSurge: 1 }, none, `${RU}.maxSurge`, 'may not be set when maxUnavailable is non-zero'],
    ['a negative maxUnavailable', { maxUnavailable: -1 }, none, `${RU}.maxUnavailable`, 'must be greater than or equal to 0'],
    ['maxUnavailable 150%', { maxUnavailable: '150%' }, none, `${RU}.maxUnavailable`, 'must not be greater than 100%'],
    ['a numeric-string maxSurge', { maxSurge: '5' }, none, `${RU}.maxSurge`, "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"],
    ['InPlaceIfPossible with a surge', { rollingUpdateType: 'InPlaceIfPossible', maxSurge: 1 }, none, `${RU}.maxSurge`, 'Required value: must be 0 for InPlaceIfPossible type'],
    ['an unknown rollingUpdateType (Surging is v1alpha1 only)', {}, rollingUpdate({ rollingUpdateType: 'Surging' }), `${RU}.rollingUpdateType`, 'Unsupported value: "Surging": supported values: "Standard", "InPlaceIfPossible"'],
    ['a negative partition', { partition: -1 }, none, `${RU}.partition`, 'must be greater than or equal to 0'],
    ['a partition above 100%', { partition: '101%' }, none, `${RU}.partition`, 'must not be greater than 100%'],
    ['a partition that is neither a count nor a percentage', { partition: 'half' }, none, `${RU}.partition`, 'a valid percent string'],
    ['an invalid rollout node selector (kruise-ts’ check)', { nodeSelector: { matchExpressions: [{ key: 'zone', operator: 'Exists', values: ['a'] }] } }, none, `${RU}.selector.matchExpressions[0].values`, 'may not be specified'],
    ['an inPlaceUpdate hook', { lifecycle: { inPlaceUpdate: { labelsHandler: { hold: 'true' } } } }, none, 'spec.lifecycle.inPlaceUpdate', 'Forbidden: inPlaceUpdate hook has not supported yet'],
    ['a preDelete finalizer that is not a qualified name (kruise-ts’ check)', { lifecycle: { preDelete: { finalizersHandler: ['not a name'] } } }, none, 'spec.lifecycle.preDelete.finalizersHandler[0]', 'must be a qualified name'],
  ])('refuses %s', (_story, options, edit, path, message) => {
    const problems = validateDaemonSet(edit(aDaemonSet(options)));
    expect(problems.find((p) => p.path === path)).toBeDefined();
    expect(problems.filter((p) => p.path === path).map((p) => p.message).join(' | ')).toContain(message);
  });

  it('returns every problem at once, in OpenKruise’s order', () => {
    const ds = podSpec({ restartPolicy: 'Never' })(aDaemonSet({ minReadySeconds: -1, maxUnavailable: 2, maxSurge: 1, partition: -3, revisionHistoryLimit: -1 }));
    expect(validateDaemonSet(spec({ selector: { matchLabels: { app: 'other' } } })(ds)).map((p) => p.path)).toEqual([
      'spec.template.metadata.labels',
      'spec.template.spec.restartPolicy',
      'spec.minReadySeconds',
      `${RU}.maxSurge`,
      `${RU}.partition`,
      'spec.revisionHistoryLimit',
    ]);
  });
});

describe('daemonSetWarnings', () => {
  const hostPort = [{ name: 'main', image: 'nginx:1', ports: [{ containerPort: 80, hostPort: 8080 }] }];
  it.each<[string, DaemonSetOptions, readonly string[]]>([
    ['a surge with a hostPort container: the pods of a node would fight for the port', { maxSurge: '10%', containers: hostPort }, [DAEMONSET_HOST_PORT_SURGE_WARNING]],
    ['a hostPort without surge', { containers: hostPort }, []],
    ['a surge without hostPort', { maxSurge: 1 }, []],
    ['a surge of 0%', { maxSurge: '0%', maxUnavailable: 1, containers: hostPort }, []],
  ])('%s', (_story, options, expected) => {
    expect(daemonSetWarnings(aDaemonSet(options))).toEqual(expected);
  });

  it('looks at init containers too', () => {
    const ds = podSpec({ initContainers: [{ name: 'init', image: 'busybox', ports: [{ containerPort: 53, hostPort: 53 }] }] })(aDaemonSet({ maxSurge: 1 }));
    expect(daemonSetWarnings(ds)).toEqual([DAEMONSET_HOST_PORT_SURGE_WARNING]);
  });
});
