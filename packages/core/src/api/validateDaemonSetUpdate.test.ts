import { describe, expect, it } from 'vitest';
import { aDaemonSet } from '../testing/daemonSetBuilder.js';
import type { DaemonSet } from './daemonSet.js';
import { validateDaemonSetUpdate } from './validateDaemonSetUpdate.js';
import { withDaemonSetDefaults } from './withDaemonSetDefaults.js';

type Edit = (ds: DaemonSet) => DaemonSet;
const spec = (fields: Record<string, unknown>): Edit => (ds) => ({ ...ds, spec: { ...ds.spec, ...fields } });
const image = (value: string): Edit => (ds) => ({
  ...ds,
  spec: { ...ds.spec, template: { ...ds.spec.template, spec: { ...ds.spec.template.spec, containers: ds.spec.template.spec.containers.map((c) => ({ ...c, image: value })) } } },
});

const base = withDaemonSetDefaults(aDaemonSet());

describe('validateDaemonSetUpdate', () => {
  it.each<[string, DaemonSet, Edit]>([
    ['a new image', base, image('nginx:2')],
    ['a new update strategy: in place, partition 50%, paused', base, spec({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { rollingUpdateType: 'InPlaceIfPossible', maxUnavailable: 1, partition: '50%', paused: true } } })],
    ['burstReplicas, minReadySeconds, revisionHistoryLimit, lifecycle and scaleStrategy', base, spec({ burstReplicas: 10, minReadySeconds: 5, revisionHistoryLimit: 3, lifecycle: { preDelete: { labelsHandler: { hold: 'true' } } }, scaleStrategy: { partitionedScaling: true } })],
    ['spelling out the defaults of an undefaulted object', aDaemonSet(), (ds) => withDaemonSetDefaults(ds)],
  ])('allows %s', (_story, old, edit) => {
    expect(validateDaemonSetUpdate(old, edit(old))).toEqual([]);
  });

  it.each<[string, DaemonSet, Edit, string, string]>([
    [
      'a selector change',
      base,
      (ds) => spec({ selector: { matchLabels: { app: 'agent', tier: 'x' } }, template: { ...ds.spec.template, metadata: { labels: { app: 'agent', tier: 'x' } } } })(ds),
      'spec.selector',
      "Forbidden: updates to daemonset spec for fields other than 'BurstReplicas', 'template', 'lifecycle', 'scaleStrategy', 'updateStrategy', 'minReadySeconds', and 'revisionHistoryLimit' are forbidden",
    ],
    ['an unknown spec field appearing', base, spec({ futureField: 1 }), 'spec.futureField', 'are forbidden'],
    ['a valid-looking update to an invalid object (all of validateDaemonSet applies)', base, spec({ minReadySeconds: -1 }), 'spec.minReadySeconds', 'must be greater than or equal to 0'],
  ])('refuses %s', (_story, old, edit, path, message) => {
    const problems = validateDaemonSetUpdate(old, edit(old));
    expect(problems.find((p) => p.path === path)?.message).toContain(message);
  });
});
