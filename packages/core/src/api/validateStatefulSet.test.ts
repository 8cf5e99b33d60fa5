import { describe, expect, it } from 'vitest';
import { aStatefulSet, type StatefulSetOptions } from '../testing/statefulSetBuilder.js';
import type { StatefulSet } from './statefulSet.js';
import { validateStatefulSet } from './validateStatefulSet.js';

type Edit = (sts: StatefulSet) => StatefulSet;
const spec = (fields: Record<string, unknown>): Edit => (sts) => ({ ...sts, spec: { ...sts.spec, ...fields } });
const podSpec = (fields: Record<string, unknown>): Edit => (sts) => ({ ...sts, spec: { ...sts.spec, template: { ...sts.spec.template, spec: { ...sts.spec.template.spec, ...fields } } } });
const none: Edit = (sts) => sts;

describe('validateStatefulSet', () => {
  it.each<[string, StatefulSetOptions, Edit]>([
    ['a bare Advanced StatefulSet (all defaults)', {}, none],
    ['Parallel with maxUnavailable 50% and an unordered update by priority', { podManagementPolicy: 'Parallel', maxUnavailable: '50%', unorderedUpdate: { orderPriority: [{ orderedKey: 'rank' }] } }, none],
    ['OrderedReady with maxUnavailable 1 (the only budget it may have)', { maxUnavailable: 1, scaleMaxUnavailable: 1 }, none],
    ['InPlaceIfPossible with the InPlaceUpdateReady readiness gate', { podUpdatePolicy: 'InPlaceIfPossible' }, none],
    ['reserved ordinals as ints and ranges', { reserveOrdinals: [0, 2, '4-6', '7-7'] }, none],
    ['minReadySeconds 300, the most allowed', { minReadySeconds: 300 }, none],
    ['ordinals starting at 5, PVCs deleted with the set', { startOrdinal: 5, retentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Retain' } }, none],
    ['OnDelete without rollingUpdate', { updateType: 'OnDelete' }, none],
    ['replicas 0', { replicas: 0 }, none],
    ['restartPolicy Always spelled out', {}, podSpec({ restartPolicy: 'Always' })],
  ])('accepts %s', (_story, options, edit) => {
    expect(validateStatefulSet(edit(aStatefulSet(options)))).toEqual([]);
  });

  it.each<[string, StatefulSetOptions, Edit, string, string]>([
    ['a name that is not a DNS subdomain', { name: 'Web_1' }, none, 'metadata.name', '"Web_1" must be a DNS-1123 subdomain'],
    ['no name nor generateName', {}, (s) => ({ ...s, metadata: {} }), 'metadata.name', 'Required value'],
    ['an unknown podManagementPolicy', {}, spec({ podManagementPolicy: 'Sometimes' }), 'spec.podManagementPolicy', "must be 'OrderedReady' or 'Parallel'"],
    ['a negative reserved ordinal', { reserveOrdinals: [1, -2] }, none, 'spec.reserveOrdinals[1]', 'reserve ordinal -2 is negative'],
    ['a reserved range written backwards', { reserveOrdinals: ['5-3'] }, none, 'spec.reserveOrdinals[0]', 'its start is above its end'],
    ['a reserved ordinal written as a string', { reserveOrdinals: ['7'] }, none, 'spec.reserveOrdinals[0]', 'is not a valid range such as "3-5"'],
    ['a reserved range with a negative end', { reserveOrdinals: ['1--2'] }, none, 'spec.reserveOrdinals[0]', 'is not a valid range'],
    ['scaleStrategy.maxUnavailable 2 with OrderedReady', { scaleMaxUnavailable: 2 }, none, 'spec.scaleStrategy.maxUnavailable', 'can only work with Parallel PodManagementPolicyType'],
    ['scaleStrategy.maxUnavailable 0', { podManagementPolicy: 'Parallel', scaleMaxUnavailable: 0 }, none, 'spec.scaleStrategy.maxUnavailable', 'should not be less than 1'],
    ['an unknown update strategy type', {}, spec({ updateStrategy: { type: 'Always' } }), 'spec.updateStrategy.type', 'Unsupported value: "Always"'],
    ['OnDelete with a rollingUpdate', { updateType: 'OnDelete', partition: 1 }, none, 'spec.updateStrategy.rollingUpdate', "only allowed for updateStrategy 'RollingUpdate'"],
    ['a negative partition', { partition: -1 }, none, 'spec.updateStrategy.rollingUpdate.partition', 'must be greater than or equal to 0'],
    ['a negative minReadySeconds', { minReadySeconds: -1 }, none, 'spec.updateStrategy.rollingUpdate.minReadySeconds', 'must be greater than or equal to 0'],
    ['minReadySeconds above 300', { minReadySeconds: 301 }, none, 'spec.updateStrategy.rollingUpdate.minReadySeconds', 'must be no more than 300 seconds'],
    ['maxUnavailable 0', { podManagementPolicy: 'Parallel', maxUnavailable: 0 }, none, 'spec.updateStrategy.rollingUpdate.maxUnavailable', 'should not be less than 1'],
    ['maxUnavailable "0%" (0 pods even rounded up)', { podManagementPolicy: 'Parallel', maxUnavailable: '0%' }, none, 'spec.updateStrategy.rollingUpdate.maxUnavailable', 'should not be less than 1'],
    ['a negative maxUnavailable', { podManagementPolicy: 'Parallel', maxUnavailable: -1 }, none, 'spec.updateStrategy.rollingUpdate.maxUnavailable', 'must be greater than or equal to 0'],
    ['a numeric-string maxUnavailable', { podManagementPolicy: 'Parallel', maxUnavailable: '5' }, none, 'spec.updateStrategy.rollingUpdate.maxUnavailable', '"5" must be an integer or a percentage'],
    ['maxUnavailable 2 with OrderedReady', { maxUnavailable: 2 }, none, 'spec.updateStrategy.rollingUpdate.maxUnavailable', 'can only work with Parallel PodManagementPolicyType'],
    ['maxUnavailable "100%" with OrderedReady', { maxUnavailable: '100%' }, none, 'spec.updateStrategy.rollingUpdate.maxUnavailable', 'can only work with Parallel PodManagementPolicyType'],
    ['an unknown podUpdatePolicy', {}, spec({ updateStrategy: { rollingUpdate: { podUpdatePolicy: 'Sometimes' } } }), 'spec.updateStrategy.rollingUpdate.podUpdatePolicy', 'Unsupported value: "Sometimes"'],
    ['InPlaceOnly without the InPlaceUpdateReady readiness gate', { podUpdatePolicy: 'InPlaceOnly' }, podSpec({ readinessGates: [] }), 'spec.template.spec.readinessGates', 'must contain InPlaceUpdateReady when podUpdatePolicy is InPlaceOnly'],
    ['unorderedUpdate with OrderedReady', { unorderedUpdate: true }, none, 'spec.updateStrategy.rollingUpdate.unorderedUpdate', 'unorderedUpdate can only work with Parallel PodManagementPolicyType'],
    [
      'an unordered update with both priority lists',
      { podManagementPolicy: 'Parallel', unorderedUpdate: { orderPriority: [{ orderedKey: 'a' }], weightPriority: [{ weight: 10, matchSelector: { matchLabels: { a: 'b' } } }] } },
      none,
      'spec.updateStrategy.rollingUpdate.unorderedUpdate.priorityStrategy',
      'only one of weightPriority and orderPriority can be used',
    ],
    ['an unknown whenScaled', {}, spec({ persistentVolumeClaimRetentionPolicy: { whenScaled: 'Keep' } }), 'spec.persistentVolumeClaimRetentionPolicy.whenScaled', 'Unsupported value: "Keep"'],
    ['negative replicas', { replicas: -1 }, none, 'spec.replicas', 'must be greater than or equal to 0'],
    ['an empty selector', {}, spec({ selector: {} }), 'spec.selector', 'empty selector is invalid for statefulset'],
    ['an invalid selector operator', {}, spec({ selector: { matchExpressions: [{ key: 'app', operator: 'In', values: [] }] } }), 'spec.selector.matchExpressions[0].values', ''],
    ['a selector that does not match the template labels', {}, spec({ selector: { matchLabels: { app: 'other' } } }), 'spec.template.metadata.labels', '`selector` does not match template `labels`'],
    ['a template label value that is not a label value', {}, (s) => ({ ...s, spec: { ...s.spec, template: { ...s.spec.template, metadata: { labels: { app: 'web', bad: 'a b' } } } } }), 'spec.template.metadata.labels[bad]', ''],
    ['restartPolicy Never', {}, podSpec({ restartPolicy: 'Never' }), 'spec.template.spec.restartPolicy', 'Unsupported value: "Never": supported values: "Always"'],
    ['activeDeadlineSeconds in the template', {}, podSpec({ activeDeadlineSeconds: 30 }), 'spec.template.spec.activeDeadlineSeconds', 'activeDeadlineSeconds in StatefulSet is not Supported'],
    ['a negative start ordinal (Kubernetes’ rule)', { startOrdinal: -1 }, none, 'spec.ordinals.start', 'must be greater than or equal to 0'],
    ['a lifecycle finalizer that is not a qualified name', { lifecycle: { preDelete: { finalizersHandler: ['not a name'] } } }, none, 'spec.lifecycle.preDelete.finalizersHandler[0]', 'must be a qualified name'],
  ])('refuses %s', (_story, options, edit, path, message) => {
    const problems = validateStatefulSet(edit(aStatefulSet(options)));
    expect(problems.filter((p) => p.path === path).map((p) => p.message).join(' | ')).toContain(message);
    expect(problems.find((p) => p.path === path)).toBeDefined();
  });

  it('returns every problem at once', () => {
    const sts = podSpec({ restartPolicy: 'OnFailure' })(aStatefulSet({ replicas: -1, partition: -1, maxUnavailable: 3, reserveOrdinals: ['x'] }));
    expect(validateStatefulSet(sts).map((p) => p.path)).toEqual([
      'spec.reserveOrdinals[0]',
      'spec.updateStrategy.rollingUpdate.partition',
      'spec.updateStrategy.rollingUpdate.maxUnavailable',
      'spec.replicas',
      'spec.template.spec.restartPolicy',
    ]);
  });
});
