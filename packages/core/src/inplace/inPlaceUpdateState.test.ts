import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseInPlaceUpdateState, readInPlaceUpdateState, serializeInPlaceUpdateState, stateTextWriter, type InPlaceUpdateState } from './inPlaceUpdateState.js';

/** What OpenKruise (a release with verticalUpdateOnly) writes for a two-batch update. */
const OPENKRUISE_STATE =
  '{"revision":"web-6d8f5c9b7d","updateTimestamp":"2024-05-01T10:00:00Z","lastContainerStatuses":{"app":{"imageID":"docker.io/library/nginx@sha256:aaa","resources":{}}},' +
  '"updateEnvFromMetadata":true,"verticalUpdateOnly":false,"nextContainerImages":{"sidecar":"envoy:2"},"nextContainerRefMetadata":{"sidecar":{"creationTimestamp":null,"labels":{"v":"2"}}},' +
  '"preCheckBeforeNext":{"containersRequiredReady":["app"]},"containerBatchesRecord":[{"timestamp":"2024-05-01T10:00:00Z","containers":["app"]}]}';

describe('parseInPlaceUpdateState', () => {
  it('reads a state written by OpenKruise, Go nulls and unknown fields included', () => {
    expect(parseInPlaceUpdateState(OPENKRUISE_STATE)).toEqual({
      kind: 'parsed',
      state: {
        revision: 'web-6d8f5c9b7d',
        updateTimestamp: '2024-05-01T10:00:00Z',
        lastContainerStatuses: { app: { imageID: 'docker.io/library/nginx@sha256:aaa', resources: {} } },
        updateEnvFromMetadata: true,
        verticalUpdateOnly: false,
        nextContainerImages: { sidecar: 'envoy:2' },
        nextContainerRefMetadata: { sidecar: { labels: { v: '2' } } },
        preCheckBeforeNext: { containersRequiredReady: ['app'] },
        containerBatchesRecord: [{ timestamp: '2024-05-01T10:00:00Z', containers: ['app'] }],
      },
    });
  });

  it.each([
    ['an old OpenKruise state (no batches, null statuses)', '{"revision":"web-1","updateTimestamp":"2021-01-01T00:00:00Z","lastContainerStatuses":null}', 'parsed'],
    ['not JSON', '{revision', 'invalid'],
    ['no revision', '{"updateTimestamp":"2021-01-01T00:00:00Z"}', 'invalid'],
  ])('%s → %s', (_story, text, kind) => {
    expect(parseInPlaceUpdateState(text).kind).toBe(kind);
  });

  it.each([
    ['no annotation', {}, 'missing'],
    ['the pre-v1.0 key', { 'inplace-update-state': '{"revision":"web-1"}' }, 'parsed'],
    ['the current key wins', { 'apps.kruise.io/inplace-update-state': '{"revision":"web-2"}', 'inplace-update-state': 'x' }, 'parsed'],
  ])('readInPlaceUpdateState: %s', (_story, annotations, kind) => {
    expect(readInPlaceUpdateState({ annotations }).kind).toBe(kind);
  });

  describe('readInPlaceUpdateState remembers what it read per annotations object', () => {
    const text = '{"revision":"web-2","updateTimestamp":"2024-05-01T10:00:00Z","lastContainerStatuses":{"app":{"imageID":"sha256:1"}}}';

    it('the same object read twice: the same (frozen) state, equal to a fresh parse', () => {
      const annotations = { 'apps.kruise.io/inplace-update-state': text };
      const first = readInPlaceUpdateState({ annotations });
      expect(readInPlaceUpdateState({ annotations })).toBe(first);
      expect(first).toEqual(parseInPlaceUpdateState(text));
      expect(first.kind === 'parsed' && Object.isFrozen(first.state.lastContainerStatuses)).toBe(true);
    });

    it('another object with the same text reads the same state', () => {
      expect(readInPlaceUpdateState({ annotations: { 'apps.kruise.io/inplace-update-state': text } })).toEqual(readInPlaceUpdateState({ annotations: { 'apps.kruise.io/inplace-update-state': text } }));
    });

    it('an object whose text changed in place is read again', () => {
      const annotations: Record<string, string> = { 'apps.kruise.io/inplace-update-state': text };
      readInPlaceUpdateState({ annotations });
      annotations['apps.kruise.io/inplace-update-state'] = '{"revision":"web-3"}';
      expect(readInPlaceUpdateState({ annotations })).toMatchObject({ kind: 'parsed', state: { revision: 'web-3' } });
      annotations['apps.kruise.io/inplace-update-state'] = '{revision';
      expect(readInPlaceUpdateState({ annotations }).kind).toBe('invalid');
    });
  });
});

describe('serializeInPlaceUpdateState', () => {
  it('writes OpenKruise field order, drops empty optional fields and keeps unknown ones last', () => {
    const state: InPlaceUpdateState = {
      containerBatchesRecord: [{ timestamp: '2024-05-01T10:00:00Z', containers: ['app'] }],
      verticalUpdateOnly: false,
      nextContainerImages: {},
      updateImages: true,
      updateEnvFromMetadata: false,
      lastContainerStatuses: { b: { imageID: '2' }, a: { imageID: '1' } },
      updateTimestamp: '2024-05-01T10:00:00Z',
      revision: 'web-2',
    };
    expect(serializeInPlaceUpdateState(state)).toBe(
      '{"revision":"web-2","updateTimestamp":"2024-05-01T10:00:00Z","lastContainerStatuses":{"a":{"imageID":"1"},"b":{"imageID":"2"}},' +
        '"updateImages":true,"containerBatchesRecord":[{"containers":["app"],"timestamp":"2024-05-01T10:00:00Z"}],"verticalUpdateOnly":false}',
    );
  });

  it('always writes lastContainerStatuses, as Go does', () => {
    expect(serializeInPlaceUpdateState({ revision: 'r', updateTimestamp: 't' })).toBe('{"revision":"r","updateTimestamp":"t","lastContainerStatuses":{}}');
  });

  const name = fc.constantFrom('app', 'sidecar', 'log');
  const map = <T>(value: fc.Arbitrary<T>) => fc.dictionary(name, value, { minKeys: 1 });
  const resources = fc.record({ limits: map(fc.constantFrom('1', '500m')), requests: map(fc.constantFrom('1Gi', '2')) }, { requiredKeys: [] });
  const state: fc.Arbitrary<InPlaceUpdateState> = fc.record(
    {
      revision: fc.string(),
      updateTimestamp: fc.constant('2024-05-01T10:00:00Z'),
      lastContainerStatuses: fc.dictionary(name, fc.record({ imageID: fc.string(), resources }, { requiredKeys: [] })),
      updateEnvFromMetadata: fc.constant(true),
      updateImages: fc.constant(true),
      updateResources: fc.constant(true),
      nextContainerImages: map(fc.string()),
      nextContainerRefMetadata: map(fc.record({ labels: map(fc.string()), annotations: map(fc.string()) }, { requiredKeys: [] })),
      nextContainerResources: map(resources),
      preCheckBeforeNext: fc.record({ containersRequiredReady: fc.array(name, { minLength: 1 }) }),
      containerBatchesRecord: fc.array(fc.record({ timestamp: fc.constant('2024-05-01T10:00:00Z'), containers: fc.array(name) }), { minLength: 1 }),
    },
    { requiredKeys: ['revision', 'updateTimestamp', 'lastContainerStatuses'] },
  );

  it('property: serialize → parse gives the state back, and the text is stable', () => {
    fc.assert(
      fc.property(state, (s) => {
        const text = serializeInPlaceUpdateState(s);
        const read = parseInPlaceUpdateState(text);
        expect(read).toEqual({ kind: 'parsed', state: s });
        if (read.kind === 'parsed') expect(serializeInPlaceUpdateState(read.state)).toBe(text);
      }),
    );
  });
});

describe('stateTextWriter', () => {
  const state: InPlaceUpdateState = { revision: 'web-2', updateTimestamp: '2024-05-01T10:00:00Z', lastContainerStatuses: {}, updateImages: true, verticalUpdateOnly: false };

  it.each<[string, InPlaceUpdateState['lastContainerStatuses'] & object, string]>([
    [
      'the statuses of one pod, the other members as they are',
      { app: { imageID: 'sha256:1' } },
      '{"revision":"web-2","updateTimestamp":"2024-05-01T10:00:00Z","lastContainerStatuses":{"app":{"imageID":"sha256:1"}},"updateImages":true,"verticalUpdateOnly":false}',
    ],
    ['no statuses: {} as Go writes it', {}, '{"revision":"web-2","updateTimestamp":"2024-05-01T10:00:00Z","lastContainerStatuses":{},"updateImages":true,"verticalUpdateOnly":false}'],
    ['keys sorted (array indices first)', { b: {}, a: { imageID: '' }, 10: {}, 9: {} }, '{"revision":"web-2","updateTimestamp":"2024-05-01T10:00:00Z","lastContainerStatuses":{"9":{},"10":{},"a":{"imageID":""},"b":{}},"updateImages":true,"verticalUpdateOnly":false}'],
  ])('%s', (_story, statuses, text) => {
    expect(stateTextWriter(state)(statuses)).toBe(text);
    expect(stateTextWriter(state)(statuses)).toBe(serializeInPlaceUpdateState({ ...state, lastContainerStatuses: statuses }));
  });

  it('writes a state without updateTimestamp too', () => {
    expect(stateTextWriter({ revision: 'r' })({ app: {} })).toBe('{"revision":"r","lastContainerStatuses":{"app":{}}}');
  });
});
