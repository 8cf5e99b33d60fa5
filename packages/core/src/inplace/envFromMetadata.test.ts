import { describe, expect, it } from 'vitest';
import { extractedEnvFromMetadataHash, parseMetadataFieldPath } from './envFromMetadata.js';

describe('env from metadata', () => {
  it.each([
    ['label', "metadata.labels['app']", { field: 'labels', key: 'app' }],
    ['annotation with a slash', "metadata.annotations['apps.kruise.io/x']", { field: 'annotations', key: 'apps.kruise.io/x' }],
    ['plain field', 'metadata.name', undefined],
    ['other subscripted path', "spec.x['y']", undefined],
  ])('parseMetadataFieldPath: %s', (_story, path, expected) => {
    expect(parseMetadataFieldPath(path)).toEqual(expected);
  });

  it('the env hash follows the referenced label and ignores others', () => {
    const container = { name: 'app', env: [{ name: 'V', valueFrom: { fieldRef: { fieldPath: "metadata.labels['v']" } } }, { name: 'X', value: '1' }] };
    const v1 = extractedEnvFromMetadataHash(container, { labels: { v: '1', other: 'a' } });
    expect(extractedEnvFromMetadataHash(container, { labels: { v: '1', other: 'b' } })).toBe(v1);
    expect(extractedEnvFromMetadataHash(container, { labels: { v: '2' } })).not.toBe(v1);
  });
});
