import { describe, expect, it } from 'vitest';
import { KruiseResources } from '../kruiseResources.js';
import { Resources } from '../resourceType.js';
import { createWindowCounter, matchesWrite, namesResource, type WriteFilter, type WriteTarget } from './faultRules.js';

const CloneSets = KruiseResources.CloneSetV1alpha1;
const target = (over: Partial<WriteTarget> = {}): WriteTarget => ({
  request: { verb: 'PATCH', path: '/api/v1/namespaces/default/pods/web-0/status' },
  verb: 'patch',
  type: Resources.Pod,
  subresource: 'status',
  name: 'web-0',
  namespace: 'default',
  fieldManager: 'kruise-manager',
  ...over,
});

describe('namesResource', () => {
  it.each([
    ['pods', Resources.Pod, true],
    ['pods.', Resources.Pod, false],
    ['clonesets', CloneSets, true],
    ['clonesets.apps.kruise.io', CloneSets, true],
    ['clonesets.apps', CloneSets, false],
    ['deployments', CloneSets, false],
  ])('%s names %o: %s', (resource, type, expected) => {
    expect(namesResource(resource, type)).toBe(expected);
  });
});

describe('matchesWrite', () => {
  it.each<[string, WriteFilter, Partial<WriteTarget>, boolean]>([
    ['empty filter, a controller', {}, {}, true],
    ['empty filter, the simulated kubelet', {}, { fieldManager: 'kwok' }, false],
    ['fieldManager kwok, the simulated kubelet', { fieldManager: 'kwok' }, { fieldManager: 'kwok' }, true],
    ["fieldManager '*', the scheduler", { fieldManager: '*' }, { fieldManager: 'kube-scheduler' }, true],
    ['fieldManager kwok, a controller', { fieldManager: 'kwok' }, {}, false],
    ['subresource omitted, a status write', { resource: 'pods' }, {}, true],
    ["subresource '', a status write", { resource: 'pods', subresource: '' }, {}, false],
    ["subresource '', a main write", { resource: 'pods', subresource: '' }, { subresource: undefined }, true],
    ['subresource status, a resize', { subresource: 'status' }, { subresource: 'resize' }, false],
    ['verb update, a patch', { verb: 'update' }, {}, false],
    ['name web-1, web-0', { name: 'web-1' }, {}, false],
    ['namespace other, default', { namespace: 'other' }, {}, false],
    ['name given, a create by generateName', { name: 'web-0' }, { verb: 'create', name: undefined }, false],
  ])('%s → %s', (_story, filter, over, expected) => {
    expect(matchesWrite(filter, target(over))).toBe(expected);
  });
});

describe('createWindowCounter', () => {
  it.each([
    [{}, 'x....'],
    [{ nth: 2, times: 3 }, '.xxx.'],
    [{ nth: 5 }, '....x'],
    [{ times: Infinity }, 'xxxxx'],
  ])('%o over 5 requests: %s', (window, expected) => {
    const hit = createWindowCounter(window);
    expect(Array.from({ length: 5 }, () => (hit() ? 'x' : '.')).join('')).toBe(expected);
  });

  it.each([{ nth: 0 }, { nth: 1.5 }, { times: 0 }, { times: -1 }, { times: NaN }])('rejects %o', (window) => {
    expect(() => createWindowCounter(window)).toThrow(RangeError);
  });
});
