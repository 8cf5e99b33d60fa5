import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FieldProblem } from '../shared/fieldProblem.js';
import type { CloneSet } from './cloneSet.js';
import { validateCloneSet } from './validateCloneSet.js';
import { withCloneSetDefaults } from './withCloneSetDefaults.js';

type Spec = CloneSet['spec'];
const template: Spec['template'] = {
  metadata: { labels: { app: 'web' } },
  spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] },
};

function cloneSet(spec: Partial<Spec> = {}, metadata: CloneSet['metadata'] = { name: 'web' }): CloneSet {
  return { metadata, spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template, ...spec } };
}
function withPod(podSpec: Partial<Spec['template']['spec']>): Partial<Spec> {
  return { template: { ...template, spec: { ...template.spec, ...podSpec } } };
}
const RU = 'spec.updateStrategy.rollingUpdate';

describe('validateCloneSet', () => {
  it('accepts a plain CloneSet', () => {
    expect(validateCloneSet(cloneSet())).toEqual([]);
  });

  it.each<[string, CloneSet, FieldProblem[]]>([
    ['negative replicas', cloneSet({ replicas: -1 }), [{ path: 'spec.replicas', message: 'must be greater than or equal to 0' }]],
    ['negative minReadySeconds', cloneSet({ minReadySeconds: -5 }), [{ path: 'spec.minReadySeconds', message: 'must be greater than or equal to 0' }]],
    ['no name', cloneSet({}, {}), [{ path: 'metadata.name', message: 'Required value: name or generateName is required' }]],
    [
      'an uppercase name',
      cloneSet({}, { name: 'Web' }),
      [{ path: 'metadata.name', message: `"Web" must be a DNS-1123 subdomain (lowercase alphanumerics, '-' and '.')` }],
    ],
    ['an empty selector', cloneSet({ selector: {} }), [{ path: 'spec.selector', message: 'empty selector is invalid for cloneset' }]],
    [
      'a selector that does not match the template labels',
      cloneSet({ selector: { matchLabels: { app: 'api' } } }),
      [{ path: 'spec.template.metadata.labels', message: '`selector` does not match template `labels`' }],
    ],
    [
      'an invalid selector expression',
      cloneSet({ selector: { matchExpressions: [{ key: 'app', operator: 'In' }] } }),
      [{ path: 'spec.selector.matchExpressions[0].values', message: "must be specified when `operator` is 'In' or 'NotIn'" }],
    ],
    [
      'activeDeadlineSeconds in the template',
      cloneSet(withPod({ activeDeadlineSeconds: 60 })),
      [{ path: 'spec.template.spec.activeDeadlineSeconds', message: 'Forbidden: activeDeadlineSeconds in cloneset is not supported' }],
    ],
    [
      'restartPolicy Never',
      cloneSet(withPod({ restartPolicy: 'Never' })),
      [{ path: 'spec.template.spec.restartPolicy', message: 'Unsupported value: "Never": supported values: "Always"' }],
    ],
    [
      'no container',
      cloneSet(withPod({ containers: [] })),
      [{ path: 'spec.template.spec.containers', message: 'Required value: a pod needs at least one container' }],
    ],
    [
      'two containers with one name, one without image',
      cloneSet(withPod({ containers: [{ name: 'a', image: 'x' }, { name: 'a' }] })),
      [
        { path: 'spec.template.spec.containers[1].image', message: 'Required value' },
        { path: 'spec.template.spec.containers[1].name', message: 'Duplicate value: "a" (container names must be unique)' },
      ],
    ],
    [
      'a volume mount naming nothing',
      cloneSet(withPod({ containers: [{ name: 'a', image: 'x', volumeMounts: [{ name: 'data', mountPath: '/data' }] }] })),
      [{ path: 'spec.template.spec.containers[0].volumeMounts[0].name', message: 'Not found: "data" is neither a volume nor a volumeClaimTemplate' }],
    ],
    [
      'a volumeClaimTemplate clashing with a template volume',
      cloneSet({ ...withPod({ volumes: [{ name: 'data' }] }), volumeClaimTemplates: [{ metadata: { name: 'data' } }] }),
      [{ path: 'spec.volumeClaimTemplates[0].metadata.name', message: 'Duplicate value: "data" is also a volume of the template' }],
    ],
    [
      'a volumeClaimTemplate without a name',
      cloneSet({ volumeClaimTemplates: [{ metadata: {} }] }),
      [{ path: 'spec.volumeClaimTemplates[0].metadata.name', message: 'Required value' }],
    ],
    [
      'a negative partition',
      cloneSet({ updateStrategy: { rollingUpdate: { partition: -1 } } }),
      [{ path: `${RU}.partition`, message: 'must be >= 0 or a percentage' }],
    ],
    [
      'a numeric string maxUnavailable (rejected since OpenKruise v1.9)',
      cloneSet({ updateStrategy: { rollingUpdate: { maxUnavailable: '5' } } }),
      [
        { path: `${RU}.maxUnavailable`, message: 'must be >= 0 or a percentage: "5" is a string but not a percentage such as "5%"' },
        { path: `${RU}.maxUnavailable`, message: 'maxUnavailable and maxSurge should not both be less than 1' },
      ],
    ],
    [
      'a malformed maxSurge',
      cloneSet({ updateStrategy: { rollingUpdate: { maxSurge: '1.5%' } } }),
      [{ path: `${RU}.maxSurge`, message: 'must be >= 0 or a percentage: "1.5%" is not a whole-number percentage such as "5%"' }],
    ],
    [
      'maxUnavailable and maxSurge both 0',
      cloneSet({ updateStrategy: { rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } } }),
      [{ path: `${RU}.maxUnavailable`, message: 'maxUnavailable and maxSurge should not both be less than 1' }],
    ],
    [
      'maxSurge with InPlaceOnly',
      cloneSet({ updateStrategy: { rollingUpdate: { podUpdatePolicy: 'InPlaceOnly', maxSurge: 1 } } }),
      [{ path: `${RU}.maxSurge`, message: 'can not use maxSurge with podUpdatePolicy InPlaceOnly' }],
    ],
    [
      'both priority kinds',
      cloneSet({
        updateStrategy: {
          rollingUpdate: {
            priorityStrategy: { weightPriority: [{ weight: 0, matchSelector: {} }], orderPriority: [{ orderedKey: '' }] },
          },
        },
      }),
      [
        { path: `${RU}.priorityStrategy`, message: 'only one of weightPriority and orderPriority can be used' },
        { path: `${RU}.priorityStrategy.weightPriority[0].weight`, message: 'weight must be valid number in the range 1-100' },
        { path: `${RU}.priorityStrategy.weightPriority[0].matchSelector`, message: 'selector can not be empty' },
        { path: `${RU}.priorityStrategy.orderPriority[0].orderedKey`, message: 'order key can not be empty' },
      ],
    ],
    [
      'a duplicated scatter term and an empty key',
      cloneSet({ updateStrategy: { rollingUpdate: { scatterStrategy: [{ key: 'zone', value: 'a' }, { key: 'zone', value: 'a' }, { key: '', value: 'b' }] } } }),
      [
        { path: `${RU}.scatterStrategy[1]`, message: 'duplicated key=zone value=a' },
        { path: `${RU}.scatterStrategy[2].key`, message: 'key should not be empty' },
      ],
    ],
    [
      'duplicated podsToDelete',
      cloneSet({ scaleStrategy: { podsToDelete: ['web-a', 'web-b', 'web-a'] } }),
      [{ path: 'spec.scaleStrategy.podsToDelete', message: 'duplicated items [web-a]' }],
    ],
    [
      'a negative scale maxUnavailable',
      cloneSet({ scaleStrategy: { maxUnavailable: '-10%' } }),
      [{ path: 'spec.scaleStrategy.maxUnavailable', message: 'must be >= 0 or a percentage' }],
    ],
    [
      'a lifecycle hook finalizer that is not a qualified name',
      cloneSet({ lifecycle: { preDelete: { finalizersHandler: ['not a name'] } } }),
      [{ path: 'spec.lifecycle.preDelete.finalizersHandler[0]', message: '"not a name" must be a qualified name such as "example.com/my-hook"' }],
    ],
    [
      'a lifecycle hook label with an invalid value',
      cloneSet({ lifecycle: { inPlaceUpdate: { labelsHandler: { 'example.com/hook': 'not ok' } } } }),
      [
        {
          path: 'spec.lifecycle.inPlaceUpdate.labelsHandler[example.com/hook]',
          message: `"not ok" must be at most 63 alphanumeric characters, '-', '_' or '.', starting and ending with an alphanumeric character`,
        },
      ],
    ],
  ])('%s', (_story, cs, expected) => {
    expect(validateCloneSet(cs)).toEqual(expected);
  });

  it('returns every problem at once', () => {
    const cs = cloneSet({ replicas: -1, selector: {}, ...withPod({ activeDeadlineSeconds: 1 }) });
    expect(validateCloneSet(cs).map((p) => p.path)).toEqual(['spec.replicas', 'spec.selector', 'spec.template.spec.activeDeadlineSeconds']);
  });

  it('zero replicas may have both budgets at 0', () => {
    expect(validateCloneSet(cloneSet({ replicas: 0, updateStrategy: { rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } } }))).toEqual([]);
  });

  it('defaulting never makes a valid CloneSet invalid, and budgets of at least one pod are valid', () => {
    const count = fc.oneof(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 100 }).map((n) => `${String(n)}%`));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 50 }), count, count, fc.integer({ min: 1, max: 20 }), (replicas, partition, maxSurge, maxUnavailable) => {
        const cs = cloneSet({ replicas, updateStrategy: { rollingUpdate: { partition, maxSurge, maxUnavailable } } });
        expect(validateCloneSet(cs)).toEqual([]);
        expect(validateCloneSet(withCloneSetDefaults(cs))).toEqual([]);
      }),
    );
  });
});
