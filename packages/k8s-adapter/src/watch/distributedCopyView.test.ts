import { describe, expect, it } from 'vitest';
import { distributedCopyView } from './distributedCopyView.js';

describe('distributedCopyView', () => {
  it.each([
    ['a Secret that is no copy keeps its metadata and type, not its data', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'a' }, type: 'Opaque', data: { password: 'eA==' } }, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'a' }, type: 'Opaque' }],
    [
      'a ResourceDistribution copy is kept whole (without managedFields)',
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds', annotations: { 'kruise.io/resourcedistribution.resource.from': 'rd' }, managedFields: [{ manager: 'x' }] }, data: { k: 'dg==' } },
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds', annotations: { 'kruise.io/resourcedistribution.resource.from': 'rd' } }, data: { k: 'dg==' } },
    ],
  ])('%s', (_, secret, expected) => {
    expect(distributedCopyView(secret)).toEqual(expected);
  });
});
