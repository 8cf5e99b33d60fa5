import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { convertDaemonSetToV1alpha1, convertDaemonSetToV1beta1 } from './convertDaemonSet.js';
import { DaemonSetSchema, type DaemonSet, type DaemonSetCondition } from './daemonSet.js';
import { DAEMONSET_V1BETA1_FIELDS_ANNOTATION as FIELDS, DaemonSetV1alpha1Schema, type DaemonSetV1alpha1 } from './daemonSetV1alpha1.js';
import { DAEMONSET_PROGRESSIVE_CREATE_POD_ANNOTATION as PROGRESSIVE } from './labels.js';
import type { Lifecycle } from './pub.js';

const template = { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'agent', image: 'agent:1' }] } };
const selector = { matchLabels: { app: 'agent' } };

function alpha(spec: Partial<DaemonSetV1alpha1['spec']>, rest: Partial<DaemonSetV1alpha1> = {}): DaemonSetV1alpha1 {
  return { apiVersion: 'apps.kruise.io/v1alpha1', kind: 'DaemonSet', ...rest, spec: { selector, template, ...spec } };
}
function beta(spec: Partial<DaemonSet['spec']>, rest: Partial<DaemonSet> = {}): DaemonSet {
  return { apiVersion: 'apps.kruise.io/v1beta1', kind: 'DaemonSet', ...rest, spec: { selector, template, ...spec } };
}

const rollingUpdate = { rollingUpdateType: 'InPlaceIfPossible' as const, maxUnavailable: '20%', selector: { matchLabels: { zone: 'a' } }, partition: 3, paused: true };

describe('convertDaemonSetToV1beta1', () => {
  it.each<[string, DaemonSetV1alpha1, DaemonSet]>([
    [
      'the shared fields come over as they are',
      alpha({ updateStrategy: { type: 'RollingUpdate', rollingUpdate }, minReadySeconds: 5, burstReplicas: '10%', revisionHistoryLimit: 3, lifecycle: { preDelete: { finalizersHandler: ['example.com/hook'] } } }),
      beta({ updateStrategy: { type: 'RollingUpdate', rollingUpdate }, minReadySeconds: 5, burstReplicas: '10%', revisionHistoryLimit: 3, lifecycle: { preDelete: { finalizersHandler: ['example.com/hook'] } } }),
    ],
    [
      'progressive-create-pod "true" becomes scaleStrategy.partitionedScaling, the annotation removed',
      alpha({}, { metadata: { name: 'agent', annotations: { team: 'a', [PROGRESSIVE]: 'true' } } }),
      beta({ scaleStrategy: { partitionedScaling: true } }, { metadata: { name: 'agent', annotations: { team: 'a' } } }),
    ],
    [
      'progressive-create-pod with another value stays an annotation',
      alpha({}, { metadata: { annotations: { [PROGRESSIVE]: 'false' } } }),
      beta({}, { metadata: { annotations: { [PROGRESSIVE]: 'false' } } }),
    ],
    [
      'the rest of a scaleStrategy kept in the annotation comes back, merged with the progressive flag',
      alpha({}, { metadata: { annotations: { [PROGRESSIVE]: 'true', [FIELDS]: '{"spec":{"scaleStrategy":{"futureKnob":1}}}' } } }),
      beta({ scaleStrategy: { futureKnob: 1, partitionedScaling: true } }),
    ],
    ['status.daemonSetHash becomes status.updateRevision', alpha({}, { status: { daemonSetHash: 'abc', numberReady: 2 } }), beta({}, { status: { updateRevision: 'abc', numberReady: 2 } })],
    [
      'the deprecated rollingUpdateType Surging becomes Standard, budgets untouched (OpenKruise’s mapping)',
      alpha({ updateStrategy: { rollingUpdate: { rollingUpdateType: 'Surging', maxSurge: 2 } } }),
      beta({ updateStrategy: { rollingUpdate: { rollingUpdateType: 'Standard', maxSurge: 2 } } }),
    ],
    ['an annotation that is not JSON stays an annotation', alpha({}, { metadata: { annotations: { [FIELDS]: '{oops' } } }), beta({}, { metadata: { annotations: { [FIELDS]: '{oops' } } })],
    [
      'an annotation holding another field stays an annotation',
      alpha({}, { metadata: { annotations: { [FIELDS]: '{"spec":{"minReadySeconds":3}}' } } }),
      beta({}, { metadata: { annotations: { [FIELDS]: '{"spec":{"minReadySeconds":3}}' } } }),
    ],
    [
      'an annotation of the wrong shape stays an annotation',
      alpha({}, { metadata: { annotations: { [FIELDS]: '{"spec":{"scaleStrategy":{"partitionedScaling":"yes"}}}' } } }),
      beta({}, { metadata: { annotations: { [FIELDS]: '{"spec":{"scaleStrategy":{"partitionedScaling":"yes"}}}' } } }),
    ],
    [
      'an annotation next to a scaleStrategy of the object stays an annotation, and so does progressive-create-pod',
      { ...alpha({}, { metadata: { annotations: { [PROGRESSIVE]: 'true', [FIELDS]: '{"spec":{"scaleStrategy":{}}}' } } }), spec: { selector, template, scaleStrategy: { partitionedScaling: false } } },
      beta({ scaleStrategy: { partitionedScaling: false } }, { metadata: { annotations: { [PROGRESSIVE]: 'true', [FIELDS]: '{"spec":{"scaleStrategy":{}}}' } } }),
    ],
  ])('%s', (_story, input, expected) => {
    expect(convertDaemonSetToV1beta1(input)).toEqual(expected);
  });

  it('does not modify its input', () => {
    const input = alpha({}, { metadata: { annotations: { [PROGRESSIVE]: 'true' } }, status: { daemonSetHash: 'x' } });
    const copy = structuredClone(input);
    expect(convertDaemonSetToV1beta1(input).spec.scaleStrategy).toEqual({ partitionedScaling: true });
    expect(input).toEqual(copy);
  });
});

describe('convertDaemonSetToV1alpha1', () => {
  it.each<[string, DaemonSet, DaemonSetV1alpha1]>([
    ['an object of shared fields only gets no annotation', beta({ updateStrategy: { type: 'OnDelete' }, burstReplicas: 250 }), alpha({ updateStrategy: { type: 'OnDelete' }, burstReplicas: 250 })],
    [
      'partitionedScaling true becomes progressive-create-pod "true", as OpenKruise writes it',
      beta({ scaleStrategy: { partitionedScaling: true } }, { metadata: { name: 'agent', annotations: { team: 'a' } } }),
      alpha({}, { metadata: { name: 'agent', annotations: { team: 'a', [PROGRESSIVE]: 'true' } } }),
    ],
    ['an empty scaleStrategy travels in the v1beta1-fields annotation', beta({ scaleStrategy: {} }), alpha({}, { metadata: { annotations: { [FIELDS]: '{"spec":{"scaleStrategy":{}}}' } } })],
    [
      'partitionedScaling false too (OpenKruise drops it)',
      beta({ scaleStrategy: { partitionedScaling: false } }),
      alpha({}, { metadata: { annotations: { [FIELDS]: '{"spec":{"scaleStrategy":{"partitionedScaling":false}}}' } } }),
    ],
    [
      'unknown scaleStrategy keys next to partitionedScaling true: the flag as progressive-create-pod, the rest in the annotation',
      beta({ scaleStrategy: { partitionedScaling: true, futureKnob: 1 } }),
      alpha({}, { metadata: { annotations: { [PROGRESSIVE]: 'true', [FIELDS]: '{"spec":{"scaleStrategy":{"futureKnob":1}}}' } } }),
    ],
    ['status.updateRevision becomes status.daemonSetHash', beta({}, { status: { updateRevision: 'abc', desiredNumberScheduled: 3 } }), alpha({}, { status: { daemonSetHash: 'abc', desiredNumberScheduled: 3 } })],
  ])('%s', (_story, input, expected) => {
    expect(convertDaemonSetToV1alpha1(input)).toEqual(expected);
  });
});

// ---- Round trips ---------------------------------------------------------------------------

const intOrPercent = fc.oneof(fc.nat(100), fc.nat(100).map((n) => `${String(n)}%`));
const unknownField = fc.string({ maxLength: 4 });
const nonEmpty = <T extends object>(arb: fc.Arbitrary<T>) => arb.filter((o) => Object.keys(o).length > 0);
const optional = { requiredKeys: [] as [] };

const updateStrategy = nonEmpty(
  fc.record(
    {
      type: fc.constantFrom('RollingUpdate' as const, 'OnDelete' as const),
      rollingUpdate: fc.record(
        {
          rollingUpdateType: fc.constantFrom('Standard' as const, 'InPlaceIfPossible' as const),
          maxUnavailable: intOrPercent,
          maxSurge: intOrPercent,
          selector: fc.constant({ matchLabels: { zone: 'a' } }),
          partition: intOrPercent,
          paused: fc.boolean(),
          futureRollingField: unknownField,
        },
        optional,
      ),
    },
    optional,
  ),
);

const sharedSpec = {
  selector: fc.constant(selector),
  template: fc.constant(template),
  updateStrategy,
  minReadySeconds: fc.nat(60),
  burstReplicas: intOrPercent,
  revisionHistoryLimit: fc.nat(10),
  lifecycle: fc.constant<Lifecycle>({ preDelete: { finalizersHandler: ['example.com/hook'], markPodNotReady: true } }),
  futureSpecField: unknownField,
};

const betaOnlySpec = {
  scaleStrategy: fc.record({ partitionedScaling: fc.boolean(), futureScaleField: unknownField }, optional),
};

const sharedStatus = {
  currentNumberScheduled: fc.nat(10),
  numberMisscheduled: fc.nat(10),
  desiredNumberScheduled: fc.nat(10),
  numberReady: fc.nat(10),
  observedGeneration: fc.nat(5),
  updatedNumberScheduled: fc.nat(10),
  numberAvailable: fc.nat(10),
  numberUnavailable: fc.nat(10),
  collisionCount: fc.nat(3),
  conditions: fc.constant<DaemonSetCondition[]>([{ type: 'Progressing', status: 'True', lastTransitionTime: null }]),
  futureStatusField: unknownField,
};

const metadata = nonEmpty(fc.record({ name: fc.constant('agent'), labels: fc.constant({ team: 'a' }), annotations: fc.constant({ note: 'x' }) }, optional));

const betaDaemonSet: fc.Arbitrary<DaemonSet> = fc.record(
  {
    apiVersion: fc.constant('apps.kruise.io/v1beta1'),
    kind: fc.constant('DaemonSet'),
    metadata,
    spec: fc.record({ ...sharedSpec, ...betaOnlySpec }, { requiredKeys: ['selector', 'template'] }),
    status: fc.record({ ...sharedStatus, updateRevision: fc.constantFrom('', 'agent-1') }, optional),
  },
  { requiredKeys: ['spec'] },
);

// v1alpha1 objects as a reader sees them: written by OpenKruise (the progressive annotation in
// any of its spellings, no v1beta1-fields annotation) or by this converter.
const alphaMetadata = fc.record(
  { name: fc.constant('agent'), annotations: fc.record({ note: fc.constant('x'), [PROGRESSIVE]: fc.constantFrom('true', 'false', '') }, optional) },
  optional,
);
const alphaDaemonSet: fc.Arbitrary<DaemonSetV1alpha1> = fc.oneof(
  fc.record(
    {
      apiVersion: fc.constant('apps.kruise.io/v1alpha1'),
      kind: fc.constant('DaemonSet'),
      metadata: alphaMetadata.filter((m) => Object.keys(m).length > 0 && (m.annotations === undefined || Object.keys(m.annotations).length > 0)),
      spec: fc.record(sharedSpec, { requiredKeys: ['selector', 'template'] }),
      status: fc.record({ ...sharedStatus, daemonSetHash: fc.constantFrom('', 'agent-1') }, optional),
    },
    { requiredKeys: ['spec'] },
  ),
  betaDaemonSet.map(convertDaemonSetToV1alpha1),
);

describe('round trips', () => {
  it('v1alpha1 → v1beta1 → v1alpha1 is the identity', () => {
    fc.assert(
      fc.property(alphaDaemonSet, (ds) => {
        expect(convertDaemonSetToV1alpha1(convertDaemonSetToV1beta1(ds))).toEqual(ds);
      }),
      { numRuns: 500 },
    );
  });

  it('v1beta1 → v1alpha1 → v1beta1 is the identity', () => {
    fc.assert(
      fc.property(betaDaemonSet, (ds) => {
        expect(convertDaemonSetToV1beta1(convertDaemonSetToV1alpha1(ds))).toEqual(ds);
      }),
      { numRuns: 500 },
    );
  });

  it('each conversion yields an object its schema accepts, and v1alpha1 keeps no v1beta1-only field', () => {
    fc.assert(
      fc.property(alphaDaemonSet, betaDaemonSet, (a, b) => {
        expect(DaemonSetSchema.safeParse(convertDaemonSetToV1beta1(a)).success).toBe(true);
        const down = convertDaemonSetToV1alpha1(b);
        expect(DaemonSetV1alpha1Schema.safeParse(down).success).toBe(true);
        expect(Object.keys(down.spec)).not.toContain('scaleStrategy');
        expect(Object.keys(down.status ?? {})).not.toContain('updateRevision');
      }),
    );
  });
});
