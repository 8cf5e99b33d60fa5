import { describe, expect, it } from 'vitest';
import { aStatefulSet } from '../testing/statefulSetBuilder.js';
import type { StatefulSet } from './statefulSet.js';
import { validateStatefulSetUpdate } from './validateStatefulSetUpdate.js';
import { withStatefulSetDefaults } from './withStatefulSetDefaults.js';

type Edit = (sts: StatefulSet) => StatefulSet;
const spec = (fields: Record<string, unknown>): Edit => (sts) => ({ ...sts, spec: { ...sts.spec, ...fields } });
const podSpec = (fields: Record<string, unknown>): Edit => (sts) => ({ ...sts, spec: { ...sts.spec, template: { ...sts.spec.template, spec: { ...sts.spec.template.spec, ...fields } } } });
const image = (container: 'containers' | 'initContainers', value: string): Edit => (sts) => {
  const list = sts.spec.template.spec[container] ?? [];
  return podSpec({ [container]: list.map((c) => ({ ...c, image: value })) })(sts);
};

const base = aStatefulSet({ replicas: 3, podManagementPolicy: 'Parallel' });
const inPlaceOnly = podSpec({ initContainers: [{ name: 'init', image: 'busybox:1' }] })(aStatefulSet({ replicas: 3, podUpdatePolicy: 'InPlaceOnly' }));

describe('validateStatefulSetUpdate', () => {
  it.each<[string, StatefulSet, Edit]>([
    ['scaling replicas 3 → 5', base, spec({ replicas: 5 })],
    ['reserving ordinals and moving the start ordinal', base, spec({ reserveOrdinals: [1, '4-5'], ordinals: { start: 2 } })],
    ['a new image, lifecycle hooks and history limit', base, (s) => spec({ lifecycle: { preDelete: { labelsHandler: { hold: 'true' } } }, revisionHistoryLimit: 3 })(image('containers', 'nginx:2')(s))],
    ['changing the update and scale strategies, retention policy and claim templates', base, spec({
      updateStrategy: { type: 'OnDelete' },
      scaleStrategy: { maxUnavailable: 2 },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Delete' },
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'] } }],
      volumeClaimUpdateStrategy: { type: 'OnPodRollingUpdate' },
    })],
    ['spelling out the defaults of an undefaulted object', aStatefulSet(), (s) => withStatefulSetDefaults(s)],
    ['InPlaceOnly: a new container image', inPlaceOnly, image('containers', 'nginx:2')],
  ])('allows %s', (_story, old, edit) => {
    expect(validateStatefulSetUpdate(old, edit(old))).toEqual([]);
  });

  it.each<[string, StatefulSet, Edit, string, string]>([
    ['a selector change', base, (s) => spec({ selector: { matchLabels: { app: 'web', tier: 'x' } } })(s), 'spec.selector', 'Forbidden: updates to statefulset spec for fields other than'],
    ['a serviceName change', base, spec({ serviceName: 'other' }), 'spec.serviceName', "'replicas', 'ordinals', 'template'"],
    ['a podManagementPolicy change', base, spec({ podManagementPolicy: 'OrderedReady' }), 'spec.podManagementPolicy', 'are forbidden'],
    ['setting the default podManagementPolicy’s opposite on an undefaulted object', aStatefulSet(), spec({ podManagementPolicy: 'Parallel' }), 'spec.podManagementPolicy', 'are forbidden'],
    ['an unknown spec field appearing', base, spec({ futureField: 1 }), 'spec.futureField', 'are forbidden'],
    ['InPlaceOnly: an env added to a container', inPlaceOnly, podSpec({ containers: [{ name: 'main', image: 'nginx:1', env: [{ name: 'A', value: '1' }] }] }), 'spec.template.spec.containers[0].env', 'only container images may change with podUpdatePolicy InPlaceOnly, but found add /containers/0/env'],
    ['InPlaceOnly: a container added', inPlaceOnly, podSpec({ containers: [{ name: 'main', image: 'nginx:1' }, { name: 'side', image: 'busybox' }] }), 'spec.template.spec.containers[1]', 'but found add /containers/1'],
    ['InPlaceOnly: a new init container image', inPlaceOnly, image('initContainers', 'busybox:2'), 'spec.template.spec.initContainers[0].image', 'but found replace /initContainers/0/image'],
    ['a valid-looking update to an invalid object (all of validateStatefulSet applies)', base, spec({ replicas: -1 }), 'spec.replicas', 'must be greater than or equal to 0'],
  ])('refuses %s', (_story, old, edit, path, message) => {
    const problems = validateStatefulSetUpdate(old, edit(old));
    expect(problems.find((p) => p.path === path)?.message).toContain(message);
  });

  it('refuses only the InPlaceOnly template changes when the new object switches to InPlaceOnly', () => {
    const next = podSpec({ containers: [{ name: 'main', image: 'nginx:1', args: ['-v'] }] })(inPlaceOnly);
    expect(validateStatefulSetUpdate(aStatefulSet({ replicas: 3 }), next).map((p) => p.path)).toEqual(['spec.template.spec.containers[0].args', 'spec.template.spec.initContainers', 'spec.template.spec.readinessGates']);
  });
});
