import type { PodTemplateSpec } from '@kruise-ts/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyTemplateChanges, describeChange, parseTemplateSets, SET_SYNTAX } from './templateChanges.js';

describe('parseTemplateSets', () => {
  it.each([
    { story: 'an image', values: ['image=main=nginx:1.27'], want: [{ kind: 'image', container: 'main', image: 'nginx:1.27' }] },
    { story: 'two images, a digest', values: ['image=a=r.io/x:1', 'image=b=y@sha256:ab'], want: [{ kind: 'image', container: 'a', image: 'r.io/x:1' }, { kind: 'image', container: 'b', image: 'y@sha256:ab' }] },
    { story: 'an env var (the value may hold = and :)', values: ['env=main:OPTS=a=b:c'], want: [{ kind: 'env', container: 'main', name: 'OPTS', value: 'a=b:c' }] },
    { story: 'an empty env value', values: ['env=main:EMPTY='], want: [{ kind: 'env', container: 'main', name: 'EMPTY', value: '' }] },
    {
      story: 'two resources in one value',
      values: ['resources=main:limits.cpu=500m,requests.memory=256Mi'],
      want: [{ kind: 'resources', container: 'main', field: 'limits', resource: 'cpu', quantity: '500m' }, { kind: 'resources', container: 'main', field: 'requests', resource: 'memory', quantity: '256Mi' }],
    },
  ])('$story', ({ values, want }) => {
    expect(parseTemplateSets(values)).toEqual(want);
  });

  it.each([
    { values: ['img=nginx'], message: `--set: "img=nginx" is not ${SET_SYNTAX}` },
    { values: ['image=main'], message: `--set: "image=main" is not ${SET_SYNTAX}` },
    { values: ['env=main:1BAD NAME=x'], message: '--set: "env=main:1BAD NAME=x": "1BAD NAME" is not a valid environment variable name' },
    { values: ['resources=main:cpu=1'], message: '--set: "resources=main:cpu=1": "cpu=1" is not <limits|requests>.<resource>=<quantity>' },
    { values: ['resources=main:limits.cpu=lots'], message: '--set: "resources=main:limits.cpu=lots": "lots" is not a quantity (e.g. 500m, 1, 256Mi)' },
    { values: [], message: `--set: at least one change is required: ${SET_SYNTAX}` },
  ])('$values → $message', ({ values, message }) => {
    expect(parseTemplateSets(values)).toEqual({ kind: 'invalid', message });
  });

  it('property: what describeChange writes parses back to the same change', () => {
    const container = fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/);
    const change = fc.oneof(
      fc.record({ kind: fc.constant('image' as const), container, image: fc.stringMatching(/^[a-z0-9./:@-]{1,30}$/) }),
      fc.record({ kind: fc.constant('env' as const), container, name: fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,10}$/), value: fc.string({ maxLength: 12 }) }),
      fc.record({ kind: fc.constant('resources' as const), container, field: fc.constantFrom('limits' as const, 'requests' as const), resource: fc.constantFrom('cpu', 'memory', 'ephemeral-storage'), quantity: fc.constantFrom('1', '500m', '256Mi', '1.5Gi', '2e3') }),
    );
    fc.assert(
      fc.property(change, (c) => {
        expect(parseTemplateSets([describeChange(c)])).toEqual([c]);
      }),
    );
  });
});

describe('applyTemplateChanges', () => {
  const template: PodTemplateSpec = {
    metadata: { labels: { app: 'web' } },
    spec: { containers: [{ name: 'main', image: 'nginx:1', env: [{ name: 'LOG', value: 'info' }, { name: 'A', value: '1' }], resources: { limits: { memory: '1Gi' } } }, { name: 'side', image: 'envoy:1' }] },
  };

  it('sets images, replaces or adds env vars and merges resources, leaving other containers alone', () => {
    const changed = applyTemplateChanges(template, [
      { kind: 'image', container: 'main', image: 'nginx:2' },
      { kind: 'env', container: 'main', name: 'LOG', value: 'debug' },
      { kind: 'env', container: 'main', name: 'NEW', value: 'x' },
      { kind: 'resources', container: 'main', field: 'limits', resource: 'cpu', quantity: '500m' },
    ]);
    expect(changed.spec.containers[0]).toEqual({ name: 'main', image: 'nginx:2', env: [{ name: 'LOG', value: 'debug' }, { name: 'A', value: '1' }, { name: 'NEW', value: 'x' }], resources: { limits: { memory: '1Gi', cpu: '500m' } } });
    expect(changed.spec.containers[1]).toBe(template.spec.containers[1]);
    expect(template.spec.containers[0]?.image).toBe('nginx:1');
  });

  it('names a container the template does not have', () => {
    expect(() => applyTemplateChanges(template, [{ kind: 'env', container: 'nope', name: 'A', value: '1' }])).toThrow('--set: the workload has no container "nope"');
  });
});
