import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CloneSetSchema, type CloneSet, type CloneSetCondition } from './cloneSet.js';
import { CloneSetV1alpha1Schema, type CloneSetV1alpha1 } from './cloneSetV1alpha1.js';
import { convertCloneSetToV1alpha1, convertCloneSetToV1beta1 } from './convertCloneSet.js';
import type { Lifecycle, UpdatePriorityStrategy, UpdateScatterStrategy } from './pub.js';
import {
  CLONESET_SCALING_EXCLUDE_PREPARING_DELETE_LABEL as EXCLUDE,
  IMAGE_PREDOWNLOAD_MIN_UPDATED_READY_PODS_ANNOTATION as MIN_READY,
  IMAGE_PREDOWNLOAD_PARALLELISM_ANNOTATION as PARALLELISM,
  IMAGE_PREDOWNLOAD_TIMEOUT_SECONDS_ANNOTATION as TIMEOUT,
} from './labels.js';

const template = { metadata: { labels: { app: 'demo' } }, spec: { containers: [{ name: 'app', image: 'nginx:1' }] } };
const selector = { matchLabels: { app: 'demo' } };

function alpha(spec: Partial<CloneSetV1alpha1['spec']>, metadata?: CloneSetV1alpha1['metadata']): CloneSetV1alpha1 {
  return { apiVersion: 'apps.kruise.io/v1alpha1', kind: 'CloneSet', ...(metadata && { metadata }), spec: { selector, template, ...spec } };
}
function beta(spec: Partial<CloneSet['spec']>, metadata?: CloneSet['metadata']): CloneSet {
  return { apiVersion: 'apps.kruise.io/v1beta1', kind: 'CloneSet', ...(metadata && { metadata }), spec: { selector, template, ...spec } };
}

describe('convertCloneSetToV1beta1', () => {
  it.each<[string, CloneSetV1alpha1, CloneSet]>([
    [
      'InPlaceIfPossible with a partition becomes RollingUpdate with a pod update policy',
      alpha({ scaleStrategy: { disablePVCReuse: true }, updateStrategy: { type: 'InPlaceIfPossible', partition: 3 } }),
      beta({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 3, podUpdatePolicy: 'InPlaceIfPossible' } } }),
    ],
    [
      'ReCreate becomes RollingUpdate + ReCreate',
      alpha({ scaleStrategy: { disablePVCReuse: true }, updateStrategy: { type: 'ReCreate', maxSurge: '10%' } }),
      beta({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '10%', podUpdatePolicy: 'ReCreate' } } }),
    ],
    [
      'OnDelete keeps its rolling fields',
      alpha({ scaleStrategy: { disablePVCReuse: true }, updateStrategy: { type: 'OnDelete', paused: true } }),
      beta({ updateStrategy: { type: 'OnDelete', rollingUpdate: { paused: true } } }),
    ],
    [
      'PVC reuse, the v1alpha1 default, becomes enablePVCReuse: true',
      alpha({}),
      beta({ scaleStrategy: { enablePVCReuse: true } }),
    ],
    [
      'the exclude-preparing-delete label becomes the field',
      alpha({ scaleStrategy: { disablePVCReuse: true } }, { name: 'web', labels: { [EXCLUDE]: 'true', team: 'a' } }),
      beta({ scaleStrategy: { excludePreparingDelete: true } }, { name: 'web', labels: { team: 'a' } }),
    ],
    [
      'image pre-download annotations become inPlaceUpdateStrategy fields',
      alpha({ scaleStrategy: { disablePVCReuse: true } }, { annotations: { [PARALLELISM]: '10', [MIN_READY]: '3', [TIMEOUT]: '600' } }),
      beta({
        updateStrategy: {
          rollingUpdate: {
            inPlaceUpdateStrategy: { imagePreDownloadParallelism: 10, imagePreDownloadMinUpdatedReadyPods: 3, imagePreDownloadTimeoutSeconds: 600 },
          },
        },
      }),
    ],
    [
      'an unparsable timeout annotation stays an annotation',
      alpha({ scaleStrategy: { disablePVCReuse: true } }, { annotations: { [TIMEOUT]: '10m' } }),
      beta({}, { annotations: { [TIMEOUT]: '10m' } }),
    ],
  ])('%s', (_story, input, expected) => {
    expect(convertCloneSetToV1beta1(input)).toEqual(expected);
  });

  it('does not modify its input', () => {
    const input = alpha({ updateStrategy: { type: 'InPlaceOnly' } }, { labels: { [EXCLUDE]: 'true' } });
    const copy = structuredClone(input);
    convertCloneSetToV1beta1(input);
    expect(input).toEqual(copy);
  });
});

describe('convertCloneSetToV1alpha1', () => {
  it.each<[string, CloneSet, CloneSetV1alpha1]>([
    [
      'RollingUpdate without a policy becomes ReCreate, as OpenKruise converts it',
      beta({ scaleStrategy: { enablePVCReuse: true }, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } }),
      alpha({ updateStrategy: { type: 'ReCreate', maxSurge: 1 } }),
    ],
    [
      'no PVC reuse, the v1beta1 default, becomes disablePVCReuse: true',
      beta({}),
      alpha({ scaleStrategy: { disablePVCReuse: true } }),
    ],
    [
      'excludePreparingDelete becomes the label',
      beta({ scaleStrategy: { enablePVCReuse: true, excludePreparingDelete: true } }),
      alpha({}, { labels: { [EXCLUDE]: 'true' } }),
    ],
    [
      'pre-download fields become annotations and the grace period stays',
      beta({
        scaleStrategy: { enablePVCReuse: true },
        updateStrategy: { rollingUpdate: { inPlaceUpdateStrategy: { gracePeriodSeconds: 10, imagePreDownloadParallelism: '50%' } } },
      }),
      alpha({ updateStrategy: { inPlaceUpdateStrategy: { gracePeriodSeconds: 10 } } }, { annotations: { [PARALLELISM]: '50%' } }),
    ],
    [
      'a pod update policy under OnDelete has no v1alpha1 form and is dropped',
      beta({ scaleStrategy: { enablePVCReuse: true }, updateStrategy: { type: 'OnDelete', rollingUpdate: { podUpdatePolicy: 'InPlaceOnly' } } }),
      alpha({ updateStrategy: { type: 'OnDelete' } }),
    ],
  ])('%s', (_story, input, expected) => {
    expect(convertCloneSetToV1alpha1(input)).toEqual(expected);
  });
});

// ---- Round trips ---------------------------------------------------------------------------

const intOrPercent = fc.oneof(fc.nat(100), fc.nat(100).map((n) => `${String(n)}%`));
const unknownField = fc.string({ maxLength: 4 });
const nonEmpty = <T extends object>(arb: fc.Arbitrary<T>) => arb.filter((o) => Object.keys(o).length > 0);
const optional = { requiredKeys: [] as [] };

const rollingFields = {
  partition: intOrPercent,
  maxUnavailable: intOrPercent,
  maxSurge: intOrPercent,
  paused: fc.constant(true),
  priorityStrategy: fc.constant<UpdatePriorityStrategy>({ weightPriority: [{ weight: 50, matchSelector: { matchLabels: { tier: 'a' } } }] }),
  scatterStrategy: fc.constant<UpdateScatterStrategy>([{ key: 'zone', value: 'a' }]),
  futureRollingField: unknownField,
};

const status = fc.record(
  {
    replicas: fc.nat(10),
    updatedReplicas: fc.nat(10),
    conditions: fc.constant<CloneSetCondition[]>([{ type: 'Progressing', status: 'True', reason: 'CloneSetAvailable', lastUpdateTime: null }]),
    futureStatusField: unknownField,
  },
  optional,
);

const alphaMetadata = nonEmpty(fc.record(
  {
    name: fc.constant('web'),
    labels: nonEmpty(fc.record({ team: fc.constant('a'), [EXCLUDE]: fc.constantFrom('true', 'false') }, optional)),
    annotations: nonEmpty(
      fc.record(
        {
          [PARALLELISM]: fc.oneof(fc.nat(20).map(String), fc.constant('50%'), fc.constant('02')),
          [TIMEOUT]: fc.oneof(fc.nat(900).map(String), fc.constant('10m')),
          [MIN_READY]: fc.nat(5).map(String),
          note: unknownField,
        },
        optional,
      ),
    ),
  },
  optional,
));

const alphaSpec = fc.record(
  {
    selector: fc.constant(selector),
    template: fc.constant(template),
    replicas: fc.nat(10),
    minReadySeconds: fc.integer({ min: 1, max: 30 }),
    progressDeadlineSeconds: fc.integer({ min: 1, max: 600 }),
    scaleStrategy: nonEmpty(
      fc.record(
        { podsToDelete: fc.constant<string[]>(['web-abcde']), maxUnavailable: intOrPercent, disablePVCReuse: fc.constant(true), futureScaleField: unknownField },
        optional,
      ),
    ),
    updateStrategy: nonEmpty(
      fc.record(
        {
          type: fc.constantFrom('ReCreate' as const, 'InPlaceIfPossible' as const, 'InPlaceOnly' as const, 'OnDelete' as const),
          ...rollingFields,
          inPlaceUpdateStrategy: fc.record({ gracePeriodSeconds: fc.integer({ min: 1, max: 60 }) }),
        },
        optional,
      ),
    ),
    futureSpecField: unknownField,
  },
  { requiredKeys: ['selector', 'template'] },
);

const alphaCloneSet: fc.Arbitrary<CloneSetV1alpha1> = fc.record(
  { apiVersion: fc.constant('apps.kruise.io/v1alpha1'), kind: fc.constant('CloneSet'), metadata: alphaMetadata, spec: alphaSpec, status },
  { requiredKeys: ['spec'] },
);

const inPlaceV1beta1 = nonEmpty(
  fc.record(
    {
      gracePeriodSeconds: fc.integer({ min: 1, max: 60 }),
      imagePreDownloadParallelism: intOrPercent,
      imagePreDownloadTimeoutSeconds: fc.nat(900),
      imagePreDownloadMinUpdatedReadyPods: fc.nat(5),
    },
    optional,
  ),
);

const betaUpdateStrategy = fc.oneof(
  fc.record({
    type: fc.constant('RollingUpdate' as const),
    rollingUpdate: fc.record(
      {
        podUpdatePolicy: fc.constantFrom('ReCreate' as const, 'InPlaceIfPossible' as const, 'InPlaceOnly' as const),
        ...rollingFields,
        inPlaceUpdateStrategy: inPlaceV1beta1,
      },
      { requiredKeys: ['podUpdatePolicy'] },
    ),
  }),
  fc.record(
    { type: fc.constant('OnDelete' as const), rollingUpdate: nonEmpty(fc.record({ ...rollingFields, inPlaceUpdateStrategy: inPlaceV1beta1 }, optional)) },
    { requiredKeys: ['type'] },
  ),
);

const betaCloneSet: fc.Arbitrary<CloneSet> = fc.record(
  {
    apiVersion: fc.constant('apps.kruise.io/v1beta1'),
    kind: fc.constant('CloneSet'),
    metadata: nonEmpty(fc.record({ name: fc.constant('web'), labels: fc.constant({ team: 'a' }), annotations: fc.constant({ note: 'x' }) }, optional)),
    spec: fc.record(
      {
        selector: fc.constant(selector),
        template: fc.constant(template),
        replicas: fc.nat(10),
        revisionHistoryLimit: fc.nat(10),
        scaleStrategy: nonEmpty(
          fc.record(
            {
              podsToDelete: fc.constant<string[]>(['web-abcde']),
              maxUnavailable: intOrPercent,
              enablePVCReuse: fc.constant(true),
              excludePreparingDelete: fc.constant(true),
              futureScaleField: unknownField,
            },
            optional,
          ),
        ),
        updateStrategy: betaUpdateStrategy,
        lifecycle: fc.constant<Lifecycle>({ preDelete: { finalizersHandler: ['example.com/hook'], markPodNotReady: true } }),
        futureSpecField: unknownField,
      },
      { requiredKeys: ['selector', 'template'] },
    ),
    status,
  },
  { requiredKeys: ['spec'] },
);

describe('round trips', () => {
  it('v1alpha1 → v1beta1 → v1alpha1 is the identity', () => {
    fc.assert(
      fc.property(alphaCloneSet, (cs) => {
        expect(convertCloneSetToV1alpha1(convertCloneSetToV1beta1(cs))).toEqual(cs);
      }),
      { numRuns: 500 },
    );
  });

  it('v1beta1 → v1alpha1 → v1beta1 is the identity for objects representable in v1alpha1', () => {
    fc.assert(
      fc.property(betaCloneSet, (cs) => {
        expect(convertCloneSetToV1beta1(convertCloneSetToV1alpha1(cs))).toEqual(cs);
      }),
      { numRuns: 500 },
    );
  });

  it('each conversion yields an object its schema accepts', () => {
    fc.assert(
      fc.property(alphaCloneSet, betaCloneSet, (a, b) => {
        expect(CloneSetSchema.safeParse(convertCloneSetToV1beta1(a)).success).toBe(true);
        expect(CloneSetV1alpha1Schema.safeParse(convertCloneSetToV1alpha1(b)).success).toBe(true);
      }),
    );
  });
});
