import { describe, expect, it } from 'vitest';
import { KruiseResources } from './kruiseResources.js';
import { Resources, apiVersionOf, resourcePath } from './resourceType.js';

const CloneSets = KruiseResources.CloneSet;

describe('resourcePath', () => {
  it.each([
    [Resources.Pod, {}, '/api/v1/pods'],
    [Resources.Pod, { namespace: 'ns' }, '/api/v1/namespaces/ns/pods'],
    [Resources.Pod, { namespace: 'ns', name: 'p', subresource: 'status' }, '/api/v1/namespaces/ns/pods/p/status'],
    [Resources.Node, { namespace: 'ignored', name: 'n1' }, '/api/v1/nodes/n1'],
    [CloneSets, { namespace: 'ns', name: 'web', subresource: 'scale' }, '/apis/apps.kruise.io/v1beta1/namespaces/ns/clonesets/web/scale'],
    [CloneSets, { subresource: 'status' }, '/apis/apps.kruise.io/v1beta1/clonesets'],
  ] as const)('%o %o', (type, target, expected) => {
    expect(resourcePath(type, target)).toBe(expected);
  });

  it('escapes names', () => {
    expect(resourcePath(Resources.ConfigMap, { namespace: 'a b', name: 'x/y' })).toBe('/api/v1/namespaces/a%20b/configmaps/x%2Fy');
  });

  it('derives apiVersion', () => {
    expect(apiVersionOf(Resources.Pod)).toBe('v1');
    expect(apiVersionOf(CloneSets)).toBe('apps.kruise.io/v1beta1');
  });
});
