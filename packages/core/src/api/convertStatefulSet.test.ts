import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { convertStatefulSetToV1alpha1, convertStatefulSetToV1beta1 } from './convertStatefulSet.js';
import type { PersistentVolumeClaim } from './pod.js';
import type { Lifecycle, UpdatePriorityStrategy } from './pub.js';
import { StatefulSetSchema, type StatefulSet, type StatefulSetCondition, type VolumeClaimStatus } from './statefulSet.js';
import { STATEFULSET_V1BETA1_FIELDS_ANNOTATION as FIELDS, StatefulSetV1alpha1Schema, type StatefulSetV1alpha1 } from './statefulSetV1alpha1.js';

const template = { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'mysql:8' }] } };
const selector = { matchLabels: { app: 'db' } };

function alpha(spec: Partial<StatefulSetV1alpha1['spec']>, rest: Partial<StatefulSetV1alpha1> = {}): StatefulSetV1alpha1 {
  return { apiVersion: 'apps.kruise.io/v1alpha1', kind: 'StatefulSet', ...rest, spec: { selector, template, ...spec } };
}
function beta(spec: Partial<StatefulSet['spec']>, rest: Partial<StatefulSet> = {}): StatefulSet {
  return { apiVersion: 'apps.kruise.io/v1beta1', kind: 'StatefulSet', ...rest, spec: { selector, template, ...spec } };
}

const rollingUpdate = { partition: 2, maxUnavailable: '50%', podUpdatePolicy: 'InPlaceIfPossible' as const, unorderedUpdate: {}, minReadySeconds: 5 };

describe('convertStatefulSetToV1beta1', () => {
  it.each<[string, StatefulSetV1alpha1, StatefulSet]>([
    [
      'the shared fields come over as they are',
      alpha({ replicas: 3, serviceName: 'db', podManagementPolicy: 'Parallel', updateStrategy: { type: 'RollingUpdate', rollingUpdate }, revisionHistoryLimit: 5 }),
      beta({ replicas: 3, serviceName: 'db', podManagementPolicy: 'Parallel', updateStrategy: { type: 'RollingUpdate', rollingUpdate }, revisionHistoryLimit: 5 }),
    ],
    [
      'the v1beta1 fields kept in the annotation come back as fields',
      alpha({ replicas: 3 }, { metadata: { name: 'db', annotations: { team: 'a', [FIELDS]: '{"spec":{"reserveOrdinals":[1,"3-5"]},"status":{"updatedReadyReplicas":2}}' } }, status: { replicas: 3 } }),
      beta({ replicas: 3, reserveOrdinals: [1, '3-5'] }, { metadata: { name: 'db', annotations: { team: 'a' } }, status: { replicas: 3, updatedReadyReplicas: 2 } }),
    ],
    [
      'an annotation that is not JSON stays an annotation',
      alpha({}, { metadata: { annotations: { [FIELDS]: '{oops' } } }),
      beta({}, { metadata: { annotations: { [FIELDS]: '{oops' } } }),
    ],
    [
      'an annotation with a field v1alpha1 has stays an annotation',
      alpha({}, { metadata: { annotations: { [FIELDS]: '{"spec":{"replicas":3}}' } } }),
      beta({}, { metadata: { annotations: { [FIELDS]: '{"spec":{"replicas":3}}' } } }),
    ],
    [
      'an annotation with a value of the wrong shape stays an annotation',
      alpha({}, { metadata: { annotations: { [FIELDS]: '{"spec":{"reserveOrdinals":"1"}}' } } }),
      beta({}, { metadata: { annotations: { [FIELDS]: '{"spec":{"reserveOrdinals":"1"}}' } } }),
    ],
    [
      'an annotation naming a field the object also has stays an annotation',
      alpha({ reserveOrdinals: [2] }, { metadata: { annotations: { [FIELDS]: '{"spec":{"reserveOrdinals":[1]}}' } } }),
      beta({ reserveOrdinals: [2] }, { metadata: { annotations: { [FIELDS]: '{"spec":{"reserveOrdinals":[1]}}' } } }),
    ],
  ])('%s', (_story, input, expected) => {
    expect(convertStatefulSetToV1beta1(input)).toEqual(expected);
  });

  it('does not modify its input', () => {
    const input = alpha({ replicas: 1 }, { metadata: { annotations: { [FIELDS]: '{"spec":{"ordinals":{"start":1}}}' } } });
    const copy = structuredClone(input);
    expect(convertStatefulSetToV1beta1(input).spec.ordinals).toEqual({ start: 1 });
    expect(input).toEqual(copy);
  });
});

describe('convertStatefulSetToV1alpha1', () => {
  it.each<[string, StatefulSet, StatefulSetV1alpha1]>([
    ['an object of shared fields only gets no annotation', beta({ replicas: 2, updateStrategy: { type: 'OnDelete' } }), alpha({ replicas: 2, updateStrategy: { type: 'OnDelete' } })],
    [
      'v1beta1-only spec fields move into the annotation, in a fixed order',
      beta({ ordinals: { start: 1 }, lifecycle: { preDelete: { finalizersHandler: ['example.com/hook'] } }, reserveOrdinals: ['3-5'] }),
      alpha({}, { metadata: { annotations: { [FIELDS]: '{"spec":{"reserveOrdinals":["3-5"],"lifecycle":{"preDelete":{"finalizersHandler":["example.com/hook"]}},"ordinals":{"start":1}}}' } } }),
    ],
    [
      'v1beta1-only status fields move too; a status left empty is dropped',
      beta({}, { status: { updatedReadyReplicas: 1, volumeClaims: [{ volumeClaimName: 'data', compatibleReplicas: 1, compatibleReadyReplicas: 1 }] } }),
      alpha({}, { metadata: { annotations: { [FIELDS]: '{"status":{"updatedReadyReplicas":1,"volumeClaims":[{"volumeClaimName":"data","compatibleReplicas":1,"compatibleReadyReplicas":1}]}}' } } }),
    ],
    [
      'the defaulted retention policy and the other annotations',
      beta({ persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' } }, { metadata: { name: 'db', annotations: { team: 'a' } }, status: { replicas: 1, updatedAvailableReplicas: 1 } }),
      alpha(
        {},
        {
          metadata: { name: 'db', annotations: { team: 'a', [FIELDS]: '{"spec":{"persistentVolumeClaimRetentionPolicy":{"whenDeleted":"Retain","whenScaled":"Retain"}},"status":{"updatedAvailableReplicas":1}}' } },
          status: { replicas: 1 },
        },
      ),
    ],
  ])('%s', (_story, input, expected) => {
    expect(convertStatefulSetToV1alpha1(input)).toEqual(expected);
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
          partition: fc.nat(10),
          maxUnavailable: intOrPercent,
          podUpdatePolicy: fc.constantFrom('ReCreate' as const, 'InPlaceIfPossible' as const, 'InPlaceOnly' as const),
          paused: fc.constant(true),
          unorderedUpdate: fc.constant({ priorityStrategy: { weightPriority: [{ weight: 50, matchSelector: { matchLabels: { tier: 'a' } } }] } satisfies UpdatePriorityStrategy }),
          inPlaceUpdateStrategy: fc.record({ gracePeriodSeconds: fc.integer({ min: 1, max: 60 }) }),
          minReadySeconds: fc.nat(300),
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
  replicas: fc.nat(10),
  serviceName: fc.constantFrom('db', 'db-headless'),
  podManagementPolicy: fc.constantFrom('OrderedReady' as const, 'Parallel' as const),
  updateStrategy,
  revisionHistoryLimit: fc.nat(10),
  volumeClaimTemplates: fc.constant<PersistentVolumeClaim[]>([{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'] } }]),
  futureSpecField: unknownField,
};

const betaOnlySpec = {
  reserveOrdinals: fc.array(fc.oneof(fc.nat(9), fc.constant('3-5')), { maxLength: 3 }),
  lifecycle: fc.constant<Lifecycle>({ preDelete: { finalizersHandler: ['example.com/hook'], markPodNotReady: true } }),
  scaleStrategy: fc.record({ maxUnavailable: intOrPercent, futureScaleField: unknownField }, optional),
  persistentVolumeClaimRetentionPolicy: fc.record({ whenDeleted: fc.constantFrom('Retain' as const, 'Delete' as const), whenScaled: fc.constantFrom('Retain' as const, 'Delete' as const) }, optional),
  ordinals: fc.record({ start: fc.nat(5) }, optional),
  volumeClaimUpdateStrategy: fc.record({ type: fc.constantFrom('OnPodRollingUpdate' as const, 'OnDelete' as const) }, optional),
};

const sharedStatus = {
  observedGeneration: fc.nat(5),
  replicas: fc.nat(10),
  readyReplicas: fc.nat(10),
  availableReplicas: fc.nat(10),
  currentReplicas: fc.nat(10),
  updatedReplicas: fc.nat(10),
  currentRevision: fc.constant('db-1'),
  updateRevision: fc.constant('db-2'),
  conditions: fc.constant<StatefulSetCondition[]>([{ type: 'FailedCreatePod', status: 'True', lastTransitionTime: null }]),
  labelSelector: fc.constant('app=db'),
  futureStatusField: unknownField,
};

const betaOnlyStatus = {
  updatedReadyReplicas: fc.nat(10),
  updatedAvailableReplicas: fc.nat(10),
  volumeClaims: fc.constant<VolumeClaimStatus[]>([{ volumeClaimName: 'data', compatibleReplicas: 1, compatibleReadyReplicas: 0 }]),
};

const metadata = nonEmpty(fc.record({ name: fc.constant('db'), labels: fc.constant({ team: 'a' }), annotations: fc.constant({ note: 'x' }) }, optional));

const betaStatefulSet: fc.Arbitrary<StatefulSet> = fc.record(
  {
    apiVersion: fc.constant('apps.kruise.io/v1beta1'),
    kind: fc.constant('StatefulSet'),
    metadata,
    spec: fc.record({ ...sharedSpec, ...betaOnlySpec }, { requiredKeys: ['selector', 'template'] }),
    status: fc.record({ ...sharedStatus, ...betaOnlyStatus }, optional),
  },
  { requiredKeys: ['spec'] },
);

// v1alpha1 objects as a reader sees them: written by OpenKruise (no annotation) or by this
// converter (v1beta1-only fields in the annotation).
const alphaStatefulSet: fc.Arbitrary<StatefulSetV1alpha1> = fc.oneof(
  fc.record(
    {
      apiVersion: fc.constant('apps.kruise.io/v1alpha1'),
      kind: fc.constant('StatefulSet'),
      metadata,
      spec: fc.record(sharedSpec, { requiredKeys: ['selector', 'template'] }),
      status: fc.record(sharedStatus, optional),
    },
    { requiredKeys: ['spec'] },
  ),
  betaStatefulSet.map(convertStatefulSetToV1alpha1),
);

describe('round trips', () => {
  it('v1alpha1 → v1beta1 → v1alpha1 is the identity', () => {
    fc.assert(
      fc.property(alphaStatefulSet, (sts) => {
        expect(convertStatefulSetToV1alpha1(convertStatefulSetToV1beta1(sts))).toEqual(sts);
      }),
      { numRuns: 500 },
    );
  });

  it('v1beta1 → v1alpha1 → v1beta1 is the identity', () => {
    fc.assert(
      fc.property(betaStatefulSet, (sts) => {
        expect(convertStatefulSetToV1beta1(convertStatefulSetToV1alpha1(sts))).toEqual(sts);
      }),
      { numRuns: 500 },
    );
  });

  it('each conversion yields an object its schema accepts, and v1alpha1 keeps no v1beta1-only field', () => {
    fc.assert(
      fc.property(alphaStatefulSet, betaStatefulSet, (a, b) => {
        expect(StatefulSetSchema.safeParse(convertStatefulSetToV1beta1(a)).success).toBe(true);
        const down = convertStatefulSetToV1alpha1(b);
        expect(StatefulSetV1alpha1Schema.safeParse(down).success).toBe(true);
        expect(Object.keys(down.spec).filter((k) => k in betaOnlySpec)).toEqual([]);
        expect(Object.keys(down.status ?? {}).filter((k) => k in betaOnlyStatus)).toEqual([]);
      }),
    );
  });
});
