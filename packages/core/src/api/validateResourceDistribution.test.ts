import { describe, expect, it } from 'vitest';
import { aDistributedSecret, aResourceDistribution } from '../testing/resourceDistributionBuilder.js';
import type { ResourceDistribution } from './resourceDistribution.js';
import { validateResourceDistribution } from './validateResourceDistribution.js';

const problems = (rd: ResourceDistribution, old?: ResourceDistribution) => validateResourceDistribution(rd, old).map((p) => `${p.path}: ${p.message}`);
const ns = (...names: string[]) => ({ list: names.map((name) => ({ name })) });

describe('validateResourceDistribution', () => {
  it.each([
    ['a Secret to every namespace', aResourceDistribution({ targets: { allNamespaces: true } })],
    ['a ConfigMap by selector', aResourceDistribution({ resource: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { a: '1' } }, targets: { namespaceSelector: { matchLabels: { team: 'a' } } } })],
    ['included and excluded lists without overlap', aResourceDistribution({ targets: { includedNamespaces: ns('a', 'b'), excludedNamespaces: ns('c') } })],
    ['kube-system as a target (OpenKruise forbids no namespace)', aResourceDistribution({ targets: { includedNamespaces: ns('kube-system') } })],
    ['no targets at all', aResourceDistribution()],
  ])('%s is valid', (_, rd) => {
    expect(validateResourceDistribution(rd)).toEqual([]);
  });

  it.each<[string, ResourceDistribution, string[]]>([
    ['an empty resource', aResourceDistribution({ resource: {} }), ['spec.resource: Invalid value: {}: empty resource is not allowed']],
    [
      'a resource without kind',
      aResourceDistribution({ resource: { apiVersion: 'v1', metadata: { name: 'x' } } }),
      ["spec.resource: Internal error: failed to deserialize resource, please check your spec.resource: Object 'Kind' and 'apiVersion' are missing"],
    ],
    [
      'a Deployment',
      aResourceDistribution({ resource: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' } } }),
      ['spec.resource: Invalid value: "apps/v1, Kind=Deployment": unknown or unsupported resource GroupKind, only support [/Secret /ConfigMap]'],
    ],
    ['a Secret without a name', aResourceDistribution({ resource: { apiVersion: 'v1', kind: 'Secret', metadata: {} } }), ['spec.resource.metadata.name: Required value: name is required']],
    [
      'a Secret named with capitals',
      aResourceDistribution({ resource: aDistributedSecret({ name: 'Creds' }) }),
      ['spec.resource.metadata.name: Invalid value: "Creds": must be a DNS-1123 subdomain (lowercase alphanumerics, \'-\' and \'.\')'],
    ],
    [
      'a namespace both included and excluded',
      aResourceDistribution({ targets: { includedNamespaces: ns('a', 'b'), excludedNamespaces: ns('b') } }),
      ['spec.targets: Invalid value: ambiguous targets because namespace [b] is in both IncludedNamespaces.List and ExcludedNamespaces.List'],
    ],
    [
      'an included namespace that is not a DNS label',
      aResourceDistribution({ targets: { includedNamespaces: ns('Team_A') } }),
      ['spec.targets.includedNamespaces: Invalid value: "Team_A": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or \'-\', and must start and end with an alphanumeric character'],
    ],
    [
      'an In selector without values',
      aResourceDistribution({ targets: { namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'In' }] } } }),
      ["spec.targets.namespaceSelector.matchExpressions[0].values: must be specified when `operator` is 'In' or 'NotIn'"],
    ],
    ['a name with capitals', aResourceDistribution({ name: 'RD' }), ['metadata.name: "RD" must be a DNS-1123 subdomain (lowercase alphanumerics, \'-\' and \'.\')']],
  ])('%s is refused', (_, rd, expected) => {
    expect(problems(rd)).toEqual(expected);
  });

  it.each<[string, ResourceDistribution]>([
    ['the name of the resource', aResourceDistribution({ resource: aDistributedSecret({ name: 'other' }) })],
    ['its kind', aResourceDistribution({ resource: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'creds' } } })],
  ])('an update may not change %s', (_, next) => {
    expect(problems(next, aResourceDistribution())).toEqual(['spec.resource: Invalid value: "null": resource apiVersion, kind, and name are immutable']);
  });

  it('an update may change the data and the targets', () => {
    const next = aResourceDistribution({ resource: aDistributedSecret({ data: { password: 'bmV3' } }), targets: { allNamespaces: true } });
    expect(problems(next, aResourceDistribution())).toEqual([]);
  });
});
