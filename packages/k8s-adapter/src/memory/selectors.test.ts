import { describe, expect, it } from 'vitest';
import { parseFieldSelector } from './fieldSelector.js';
import { SelectorParseError, parseLabelSelector } from './labelSelectorString.js';

describe('parseLabelSelector', () => {
  it.each<[string, Record<string, string>, boolean]>([
    ['', {}, true],
    ['app=web', { app: 'web' }, true],
    ['app==web', { app: 'web', x: 'y' }, true],
    ['app=web', { app: 'db' }, false],
    ['app!=web', {}, true],
    ['app!=web', { app: 'web' }, false],
    ['app', { app: '' }, true],
    ['!app', { app: 'x' }, false],
    ['!app', {}, true],
    ['tier in (a, b)', { tier: 'b' }, true],
    ['tier in (a,b)', {}, false],
    ['tier notin (a,b)', {}, true],
    ['tier notin (a,b)', { tier: 'a' }, false],
    ['app=web,tier in (a),!canary', { app: 'web', tier: 'a' }, true],
    ['n>2', { n: '3' }, true],
    ['n<2', { n: '3' }, false],
    ['app=', { app: '' }, true],
  ])('%j on %j → %s', (selector, labels, expected) => {
    expect(parseLabelSelector(selector)(labels)).toBe(expected);
  });

  it.each([
    ['a b c', "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"],
    ['a in b', "found 'b', expected: '('"],
  ])('%j is refused with the apiserver message', (selector, message) => {
    expect(() => parseLabelSelector(selector)).toThrow(new SelectorParseError(message));
  });
});

describe('parseFieldSelector', () => {
  const pod = { metadata: { name: 'p', namespace: 'ns' }, spec: { nodeName: 'n1' }, status: { phase: 'Running' } };
  const supported = ['metadata.name', 'metadata.namespace', 'spec.nodeName', 'status.phase', 'spec.hostNetwork'];

  it.each<[string, boolean]>([
    ['metadata.name=p', true],
    ['metadata.name==q', false],
    ['metadata.namespace!=ns', false],
    ['spec.nodeName=n1,status.phase=Running', true],
    ['spec.nodeName=', false],
    ['spec.hostNetwork=false', true],
  ])('%j → %s', (selector, expected) => {
    expect(parseFieldSelector(selector, supported)(pod)).toBe(expected);
  });

  it('refuses a field label the kind does not support', () => {
    expect(() => parseFieldSelector('spec.foo=bar', supported)).toThrow('field label not supported: spec.foo');
  });
});
