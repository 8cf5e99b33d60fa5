import { describe, expect, it } from 'vitest';
import { podSidecarSetHash, podSidecarSetHashWithoutImage, readPodSidecarSetHashes, serializePodSidecarSetHashes } from './podSidecarSetHashes.js';

const meta = (hash?: string, withoutImage?: string) => ({
  annotations: { ...(hash !== undefined && { 'kruise.io/sidecarset-hash': hash }), ...(withoutImage !== undefined && { 'kruise.io/sidecarset-hash-without-image': withoutImage }) },
});

describe('pod hash annotations', () => {
  it('reads the current form', () => {
    const text = '{"test-sidecarset":{"hash":"aaa","sidecarList":["test-sidecar"]}}';
    expect(podSidecarSetHash(meta(text), 'test-sidecarset')).toBe('aaa');
    expect(podSidecarSetHash(meta(text), 'other')).toBe('');
    expect(readPodSidecarSetHashes(meta(text), 'hash')).toEqual({
      kind: 'parsed',
      hashes: { 'test-sidecarset': { updateTimestamp: null, hash: 'aaa', sidecarSetName: '', sidecarList: ['test-sidecar'] } },
    });
  });

  it('reads the pre-1.0 form (TestPodSidecarSetHashCompatibility)', () => {
    const old = meta('{"sidecarset-test":"bv6d2fbw97wz8xx5x4v4wddwbd5z744wcf7c786dd4dvxvd5w6w424df7vx47989"}', '{"sidecarset-test":"54x5977vf9zz4248w7v44456zf655b8bcffv7x74w88f6dwb994fw48b8f9b8959"}');
    expect(podSidecarSetHash(old, 'sidecarset-test')).toBe('bv6d2fbw97wz8xx5x4v4wddwbd5z744wcf7c786dd4dvxvd5w6w424df7vx47989');
    expect(podSidecarSetHashWithoutImage(old, 'sidecarset-test')).toBe('54x5977vf9zz4248w7v44456zf655b8bcffv7x74w88f6dwb994fw48b8f9b8959');
  });

  it('tells an unreadable annotation from a missing one', () => {
    expect(readPodSidecarSetHashes(meta('not json'), 'hash').kind).toBe('invalid');
    expect(readPodSidecarSetHashes(meta(''), 'hash').kind).toBe('missing');
  });

  it('writes names sorted and fields in Go order, controllerRevision only when set', () => {
    const text = serializePodSidecarSetHashes({
      b: { updateTimestamp: '2025-01-01T00:00:00Z', hash: 'h2', sidecarSetName: 'b', sidecarList: ['x'], controllerRevision: 'b-rev' },
      a: { updateTimestamp: null, hash: 'h1', sidecarSetName: 'a', sidecarList: null },
    });
    expect(text).toBe(
      '{"a":{"updateTimestamp":null,"hash":"h1","sidecarSetName":"a","sidecarList":null},"b":{"updateTimestamp":"2025-01-01T00:00:00Z","hash":"h2","sidecarSetName":"b","sidecarList":["x"],"controllerRevision":"b-rev"}}',
    );
    const read = readPodSidecarSetHashes(meta(text), 'hash');
    expect(read.kind === 'parsed' && serializePodSidecarSetHashes(read.hashes)).toBe(text);
  });
});
