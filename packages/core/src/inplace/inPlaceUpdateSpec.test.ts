import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeBase64 } from './base64.js';
import { parseInPlaceUpdateSpec, serializeInPlaceUpdateSpec, type InPlaceUpdateSpec } from './inPlaceUpdateSpec.js';

const spec: InPlaceUpdateSpec = {
  revision: 'web-2',
  containerImages: { app: 'nginx:2' },
  containerRefMetadata: { app: { labels: { version: 'v2' } } },
  containerResources: { app: { limits: { cpu: '2' } } },
  metadataPatch: { labels: { tier: 'fe', old: null } },
  updateEnvFromMetadata: true,
  graceSeconds: 30,
};

describe('grace annotation (UpdateSpec JSON)', () => {
  it('writes Go field names, metaDataPatch as base64 of a strategic-merge patch', () => {
    const text = serializeInPlaceUpdateSpec(spec);
    expect(JSON.parse(text)).toEqual({
      revision: 'web-2',
      containerImages: { app: 'nginx:2' },
      containerRefMetadata: { app: { labels: { version: 'v2' } } },
      containerResources: { app: { limits: { cpu: '2' } } },
      metaDataPatch: encodeBase64('{"metadata":{"labels":{"old":null,"tier":"fe"}}}'),
      updateEnvFromMetadata: true,
      graceSeconds: 30,
    });
  });

  it('reads what it writes', () => {
    expect(parseInPlaceUpdateSpec(serializeInPlaceUpdateSpec(spec))).toEqual({ kind: 'parsed', value: spec });
  });

  it('reads a spec parked by OpenKruise (Go nulls, old templates, empty maps left out)', () => {
    const goText = JSON.stringify({
      revision: 'web-2',
      containerImages: { app: 'nginx:2' },
      containerRefMetadata: { app: { creationTimestamp: null, annotations: { owner: 'b' } } },
      metaDataPatch: encodeBase64('{"metadata":{"annotations":{"note":null}}}'),
      graceSeconds: 10,
      oldTemplate: { metadata: { creationTimestamp: null }, spec: { containers: null } },
    });
    expect(parseInPlaceUpdateSpec(goText)).toEqual({
      kind: 'parsed',
      value: {
        revision: 'web-2',
        containerImages: { app: 'nginx:2' },
        containerRefMetadata: { app: { annotations: { owner: 'b' } } },
        containerResources: {},
        metadataPatch: { annotations: { note: null } },
        updateEnvFromMetadata: false,
        graceSeconds: 10,
      },
    });
  });

  it('carries template finalizers: added ones as `finalizers`, dropped ones as Go\'s `$deleteFromPrimitiveList/finalizers`', () => {
    const withFinalizers: InPlaceUpdateSpec = { ...spec, metadataPatch: { labels: { tier: 'fe' }, finalizers: ['b'], deleteFinalizers: ['a'] } };
    const text = serializeInPlaceUpdateSpec(withFinalizers);
    expect((JSON.parse(text) as { metaDataPatch: string }).metaDataPatch).toBe(encodeBase64('{"metadata":{"$deleteFromPrimitiveList/finalizers":["a"],"finalizers":["b"],"labels":{"tier":"fe"}}}'));
    expect(parseInPlaceUpdateSpec(text)).toEqual({ kind: 'parsed', value: withFinalizers });
  });

  it('reads finalizers from a patch OpenKruise parked (with its $setElementOrder directive)', () => {
    const patch = '{"metadata":{"$deleteFromPrimitiveList/finalizers":["a"],"$setElementOrder/finalizers":["b"],"finalizers":["b"]}}';
    const read = parseInPlaceUpdateSpec(JSON.stringify({ revision: 'web-2', metaDataPatch: encodeBase64(patch) }));
    expect(read.kind === 'parsed' ? read.value.metadataPatch : read).toEqual({ finalizers: ['b'], deleteFinalizers: ['a'] });
  });

  it.each([
    ['metaDataPatch is not base64', '{"revision":"r","metaDataPatch":"***"}'],
    ['metaDataPatch is base64 of non-JSON', `{"revision":"r","metaDataPatch":"${encodeBase64('nope')}"}`],
    ['no revision', '{"graceSeconds":3}'],
  ])('invalid when %s', (_story, text) => {
    expect(parseInPlaceUpdateSpec(text).kind).toBe('invalid');
  });

  it('property: serialize → parse round-trips images and the metadata patch', () => {
    const map = fc.dictionary(fc.constantFrom('a', 'b/c', 'é'), fc.string(), { minKeys: 1 });
    fc.assert(
      fc.property(map, fc.dictionary(fc.constantFrom('x', 'y'), fc.option(fc.string(), { nil: null }), { minKeys: 1 }), (images, labels) => {
        const s: InPlaceUpdateSpec = { ...spec, containerImages: images, metadataPatch: { labels } };
        expect(parseInPlaceUpdateSpec(serializeInPlaceUpdateSpec(s))).toEqual({ kind: 'parsed', value: s });
      }),
    );
  });
});
