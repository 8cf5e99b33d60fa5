import { describe, expect, it } from 'vitest';
import { isVirtualKubeletNode } from './virtualKubelet.js';

describe('isVirtualKubeletNode', () => {
  it.each([
    ['labelled type=virtual-kubelet', { metadata: { labels: { type: 'virtual-kubelet' } } }, true],
    ['another type', { metadata: { labels: { type: 'kwok' } } }, false],
    ['no labels', { metadata: {} }, false],
    ['no node at all', undefined, false],
  ])('%s → %s', (_story, node, expected) => {
    expect(isVirtualKubeletNode(node)).toBe(expected);
  });
});
