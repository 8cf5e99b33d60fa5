import { describe, expect, it } from 'vitest';
import type { JsonObject } from './jsonValue.js';
import { builtinListStrategy } from './listStrategy.js';
import { applyStrategicMergePatch } from './strategicMergePatch.js';

const pod = (spec: JsonObject): JsonObject => ({ spec });

// Cases from the Kubernetes strategic merge patch documentation and from what the apiserver
// answered in the contract runs (order of merged conditions and finalizers).
describe('applyStrategicMergePatch on built-in kinds', () => {
  it.each<[string, JsonObject, JsonObject, JsonObject]>([
    [
      'containers merge by name',
      pod({ containers: [{ name: 'a', image: '1' }, { name: 'b', image: '1' }] }),
      pod({ containers: [{ name: 'b', image: '2' }] }),
      pod({ containers: [{ name: 'a', image: '1' }, { name: 'b', image: '2' }] }),
    ],
    [
      'a new container is added',
      pod({ containers: [{ name: 'a', image: '1' }] }),
      pod({ containers: [{ name: 'b', image: '2' }] }),
      pod({ containers: [{ name: 'b', image: '2' }, { name: 'a', image: '1' }] }),
    ],
    [
      'env merges by name inside a container, $patch: delete removes one',
      pod({ containers: [{ name: 'a', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] }] }),
      pod({ containers: [{ name: 'a', env: [{ name: 'C', value: '3' }, { name: 'A', $patch: 'delete' }] }] }),
      pod({ containers: [{ name: 'a', env: [{ name: 'C', value: '3' }, { name: 'B', value: '2' }] }] }),
    ],
    [
      'ports merge by containerPort',
      pod({ containers: [{ name: 'a', ports: [{ containerPort: 80, name: 'http' }] }] }),
      pod({ containers: [{ name: 'a', ports: [{ containerPort: 80, name: 'web' }, { containerPort: 443 }] }] }),
      pod({ containers: [{ name: 'a', ports: [{ containerPort: 80, name: 'web' }, { containerPort: 443 }] }] }),
    ],
    [
      'volumes merge by name',
      pod({ volumes: [{ name: 'v', emptyDir: {} }] }),
      pod({ volumes: [{ name: 'w', emptyDir: {} }] }),
      pod({ volumes: [{ name: 'w', emptyDir: {} }, { name: 'v', emptyDir: {} }] }),
    ],
    [
      'tolerations (no merge key) are replaced',
      pod({ tolerations: [{ key: 'a', operator: 'Exists' }] }),
      pod({ tolerations: [{ key: 'b', operator: 'Exists' }] }),
      pod({ tolerations: [{ key: 'b', operator: 'Exists' }] }),
    ],
    [
      '$patch: replace on a list replaces it',
      pod({ containers: [{ name: 'a' }, { name: 'b' }] }),
      pod({ containers: [{ name: 'c' }, { $patch: 'replace' }] }),
      pod({ containers: [{ name: 'c' }] }),
    ],
    [
      '$patch: replace on a map replaces it',
      pod({ nodeSelector: { a: '1', b: '2' } }),
      pod({ nodeSelector: { $patch: 'replace', c: '3' } }),
      pod({ nodeSelector: { c: '3' } }),
    ],
    ['$patch: delete on a map removes it', pod({ nodeSelector: { a: '1' }, x: 1 }), pod({ nodeSelector: { $patch: 'delete' } }), pod({ x: 1 })],
    ['null removes a field', pod({ a: 1, b: 2 }), pod({ a: null }), pod({ b: 2 })],
    [
      'conditions merge by type: patch items first when new (server [A, B], patch [C, A] → [C, A, B])',
      { status: { conditions: [{ type: 'A', status: 'True' }, { type: 'B', status: 'True' }] } },
      { status: { conditions: [{ type: 'C', status: 'True' }, { type: 'A', status: 'False' }] } },
      { status: { conditions: [{ type: 'C', status: 'True' }, { type: 'A', status: 'False' }, { type: 'B', status: 'True' }] } },
    ],
    [
      'finalizers are a set (server [a/b], patch [c/d] → [c/d, a/b])',
      { metadata: { finalizers: ['a/b'] } },
      { metadata: { finalizers: ['c/d', 'a/b'] } },
      { metadata: { finalizers: ['c/d', 'a/b'] } },
    ],
    [
      '$deleteFromPrimitiveList removes from a set',
      { metadata: { finalizers: ['a', 'b'] } },
      { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } },
      { metadata: { finalizers: ['b'] } },
    ],
    [
      '$setElementOrder orders a merged list',
      pod({ containers: [{ name: 'a' }, { name: 'b' }] }),
      pod({ '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }], containers: [{ name: 'a', image: 'x' }] }),
      pod({ containers: [{ name: 'b' }, { name: 'a', image: 'x' }] }),
    ],
    [
      '$retainKeys drops keys not listed',
      pod({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } }),
      pod({ strategy: { $retainKeys: ['type'], type: 'Recreate' } }),
      pod({ strategy: { type: 'Recreate' } }),
    ],
  ])('%s', (_name, original, patch, expected) => {
    expect(applyStrategicMergePatch(original, patch, builtinListStrategy)).toEqual(expected);
  });
});
