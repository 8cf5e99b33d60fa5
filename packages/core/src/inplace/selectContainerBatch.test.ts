import { describe, expect, it } from 'vitest';
import type { Container } from '../api/pod.js';
import { containerLaunchPriority, selectContainerBatch, type ContainerChanges } from './selectContainerBatch.js';

const withPriority = (name: string, priority?: number | string): Container => ({
  name,
  image: `${name}:1`,
  ...(priority === undefined ? {} : { env: [{ name: 'KRUISE_CONTAINER_BARRIER', valueFrom: { configMapKeyRef: { name: 'pod-barrier', key: `p_${priority}` } } }] }),
});
const images = (...names: string[]): ContainerChanges => ({ containerImages: Object.fromEntries(names.map((n) => [n, `${n}:2`])), containerRefMetadata: {}, containerResources: {} });

describe('containerLaunchPriority', () => {
  it.each<[string, Container, number | undefined]>([
    ['no barrier env', withPriority('a'), undefined],
    ['p_100', withPriority('a', 100), 100],
    ['negative priority from Ordered', withPriority('a', -2), -2],
    ['unreadable key counts as 0', withPriority('a', 'x'), 0],
  ])('%s', (_story, container, expected) => {
    expect(containerLaunchPriority(container)).toBe(expected);
  });
});

describe('selectContainerBatch', () => {
  const containers = [withPriority('sidecar', 10), withPriority('app', 0), withPriority('log'), withPriority('proxy', 10)];
  it.each<[string, ContainerChanges, string[]]>([
    ['all change: no-priority ones plus the highest level', images('sidecar', 'app', 'log', 'proxy'), ['log', 'proxy', 'sidecar']],
    ['only low priority changes: it goes first', images('app'), ['app']],
    ['next level once the top level is done', images('app', 'log'), ['app', 'log']],
    ['nothing changes', images(), []],
    [
      'a lower-priority container reading a label set in this batch joins it',
      { containerImages: { sidecar: 'sidecar:2' }, containerRefMetadata: { sidecar: { labels: { v: '2' } }, app: { labels: { v: '2' } } }, containerResources: {} },
      ['app', 'sidecar'],
    ],
    [
      'sharing is transitive (label then annotation)',
      {
        containerImages: { sidecar: 'sidecar:2' },
        containerRefMetadata: { sidecar: { labels: { v: '2' } }, app: { labels: { v: '2' }, annotations: { o: 'x' } }, log: { annotations: { o: 'x' } } },
        containerResources: {},
      },
      ['app', 'log', 'sidecar'],
    ],
    ['resources count as a change', { containerImages: {}, containerRefMetadata: {}, containerResources: { app: { limits: { cpu: '2' } } } }, ['app']],
  ])('%s', (_story, changes, expected) => {
    expect(selectContainerBatch(containers, changes)).toEqual(expected);
  });
});
