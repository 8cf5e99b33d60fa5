import { describe, expect, it } from 'vitest';
import type { Container } from '../api/pod.js';
import { computePodQosClass, type PodQosClass } from './podQosClass.js';

const c = (resources?: Container['resources']): Container => ({ name: 'c', ...(resources ? { resources } : {}) });

describe('computePodQosClass', () => {
  it.each<[string, Container[], Container[] | undefined, PodQosClass]>([
    ['no resources anywhere', [c()], undefined, 'BestEffort'],
    ['only non-QoS resources', [c({ limits: { 'ephemeral-storage': '1Gi' } })], undefined, 'BestEffort'],
    ['zero values do not count', [c({ requests: { cpu: '0' } })], undefined, 'BestEffort'],
    ['limits equal requests for cpu and memory', [c({ limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1000m', memory: '1024Mi' } })], undefined, 'Guaranteed'],
    ['limits only: requests default to limits', [c({ limits: { cpu: '1', memory: '1Gi' } })], undefined, 'Guaranteed'],
    ['a request below its limit', [c({ limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '500m', memory: '1Gi' } })], undefined, 'Burstable'],
    ['memory limit missing', [c({ limits: { cpu: '1' } })], undefined, 'Burstable'],
    ['requests only', [c({ requests: { cpu: '100m' } })], undefined, 'Burstable'],
    ['one guaranteed container and one best-effort container', [c({ limits: { cpu: '1', memory: '1Gi' } }), c()], undefined, 'Burstable'],
    ['an init container without limits spoils Guaranteed', [c({ limits: { cpu: '1', memory: '1Gi' } })], [c({ requests: { cpu: '1' } })], 'Burstable'],
    ['every container, init included, guaranteed', [c({ limits: { cpu: '1', memory: '1Gi' } })], [c({ limits: { cpu: '2', memory: '2Gi' } })], 'Guaranteed'],
  ])('%s → %s', (_story, containers, initContainers, expected) => {
    expect(computePodQosClass({ containers, ...(initContainers ? { initContainers } : {}) })).toBe(expected);
  });
});
