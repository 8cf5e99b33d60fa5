import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FieldProblem } from '../shared/fieldProblem.js';
import type { CloneSet } from './cloneSet.js';
import { validateCloneSetUpdate } from './validateCloneSetUpdate.js';

const IMMUTABLE =
  "field is immutable: updates to cloneset spec for fields other than 'replicas', 'template', 'lifecycle', 'scaleStrategy', 'updateStrategy', 'minReadySeconds', 'progressDeadlineSeconds', 'volumeClaimTemplates', 'revisionHistoryLimit' are forbidden";

const old: CloneSet = {
  metadata: { name: 'web' },
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.25', env: [{ name: 'A', value: '1' }] }] } },
    updateStrategy: { rollingUpdate: { podUpdatePolicy: 'InPlaceOnly' } },
  },
};

function changed(edit: (spec: CloneSet['spec']) => CloneSet['spec']): CloneSet {
  return { ...old, spec: edit(structuredClone(old.spec)) };
}
function container(spec: CloneSet['spec']) {
  return spec.template.spec.containers[0]!;
}

describe('validateCloneSetUpdate', () => {
  it.each<[string, CloneSet, FieldProblem[]]>([
    ['nothing changed', old, []],
    ['replicas may change', changed((s) => ({ ...s, replicas: 10 })), []],
    [
      'an image change is allowed under InPlaceOnly',
      changed((s) => {
        container(s).image = 'nginx:1.26';
        return s;
      }),
      [],
    ],
    [
      'the selector may not change (and must still match the template)',
      changed((s) => ({ ...s, selector: { matchLabels: { app: 'api' } } })),
      [
        { path: 'spec.selector', message: IMMUTABLE },
        { path: 'spec.template.metadata.labels', message: '`selector` does not match template `labels`' },
      ],
    ],
    ['an unknown spec field may not change', changed((s) => ({ ...s, futureField: 1 })), [{ path: 'spec.futureField', message: IMMUTABLE }]],
    [
      'an env change is refused under InPlaceOnly',
      changed((s) => {
        container(s).env = [{ name: 'A', value: '2' }];
        return s;
      }),
      [
        {
          path: 'spec.template.spec.containers[0].env[0].value',
          message: 'only container images may change with podUpdatePolicy InPlaceOnly, but found replace /containers/0/env/0/value',
        },
      ],
    ],
    [
      'an env change is fine once the policy is InPlaceIfPossible',
      changed((s) => {
        container(s).env = [{ name: 'A', value: '2' }];
        return { ...s, updateStrategy: { rollingUpdate: { podUpdatePolicy: 'InPlaceIfPossible' } } };
      }),
      [],
    ],
  ])('%s', (_story, next, expected) => {
    expect(validateCloneSetUpdate(old, next)).toEqual(expected);
  });

  it('any change limited to the mutable fields passes the immutability rule', () => {
    fc.assert(
      fc.property(fc.nat(50), fc.nat(20), fc.nat(30), (replicas, revisionHistoryLimit, minReadySeconds) => {
        const next = changed((s) => ({ ...s, replicas, revisionHistoryLimit, minReadySeconds }));
        expect(validateCloneSetUpdate(old, next).filter((p) => p.message === IMMUTABLE)).toEqual([]);
      }),
    );
  });
});
