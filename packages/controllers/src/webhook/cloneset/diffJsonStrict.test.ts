import { diffJson } from '@kruise-ts/core';
import { describe, expect, it } from 'vitest';
import { applyJsonPatch } from '../testing/webhook.testkit.js';
import { diffJsonStrict } from './diffJsonStrict.js';

describe('diffJsonStrict', () => {
  it.each<[string, unknown, unknown, unknown[]]>([
    ['nothing changed', { a: { b: [1] } }, { a: { b: [1] } }, []],
    ['an added empty object is an add (diffJson takes it for absent)', { name: 'v' }, { name: 'v', emptyDir: {} }, [{ op: 'add', path: '/emptyDir', value: {} }]],
    ['null to {} is a replace', { securityContext: null }, { securityContext: {} }, [{ op: 'replace', path: '/securityContext', value: {} }]],
    ['a removed member', { a: 1, b: 2 }, { a: 1 }, [{ op: 'remove', path: '/b' }]],
    ['array elements by index, trailing ones added', { l: [{ x: 1 }] }, { l: [{ x: 2 }, { y: [] }] }, [{ op: 'replace', path: '/l/0/x', value: 2 }, { op: 'add', path: '/l/1', value: { y: [] } }]],
    ['trailing elements removed highest first', [1, 2, 3], [1], [{ op: 'remove', path: '/2' }, { op: 'remove', path: '/1' }]],
    ['keys escaped as JSON pointers', {}, { 'a/b~c': 1 }, [{ op: 'add', path: '/a~1b~0c', value: 1 }]],
  ])('%s', (_story, from, to, expected) => {
    expect(diffJsonStrict(from, to)).toEqual(expected);
    expect(applyJsonPatch(from, diffJsonStrict(from, to))).toEqual(to);
  });

  it('writes what diffJson leaves out', () => {
    expect(diffJson({ name: 'v' }, { name: 'v', emptyDir: {} })).toEqual([]);
  });
});
