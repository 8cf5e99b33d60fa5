import { describe, expect, it } from 'vitest';
import type { Container, Pod } from '../api/pod.js';
import type { SidecarResourcesPolicy } from '../api/sidecarSet.js';
import { formatGoQuantity, type GoQuantity } from '../api/sidecarSetGoQuantity.js';
import { aggregateTargetResources, computeResourcesPolicy } from './applyResourcesPolicy.js';

// The cases of OpenKruise's sidecarset_resources_test.go (TestApplyResourcesPolicy), with its expected values.
const app = (name: string, limits: Record<string, string>, requests: Record<string, string> = {}, extra: Partial<Container> = {}): Container => ({
  name,
  image: 'nginx:1.14.2',
  resources: { limits, requests },
  ...extra,
});
const pod = (containers: Container[], initContainers: Container[] = []): Pod => ({ metadata: { name: 'p' }, spec: { containers, ...(initContainers.length > 0 && { initContainers }) } });
const policy = (mode: string, regex: string, limits?: Record<string, string>, requests?: Record<string, string>): SidecarResourcesPolicy => ({
  targetContainersMode: mode,
  targetContainersNameRegex: regex,
  resourcesExpr: { ...(limits && { limits }), ...(requests && { requests }) },
});

const twoApps = pod([app('app1', { cpu: '200m', memory: '200Mi' }, { cpu: '50m', memory: '100Mi' }), app('app2', { cpu: '400m', memory: '400Mi' }, { cpu: '100m', memory: '200Mi' })]);
const engines = pod([
  app('large.engine.v4', { cpu: '200m', memory: '200Mi' }, { cpu: '50m', memory: '100Mi' }),
  app('large.engine.v8', { cpu: '400m', memory: '400Mi' }, { cpu: '100m', memory: '200Mi' }),
]);

describe('computeResourcesPolicy (OpenKruise applyResourcesPolicy)', () => {
  it.each([
    {
      story: 'sum mode with percentages: (200m + 400m) * 50% = 300m, (50m + 100m) * 50% = 75m',
      pod: twoApps,
      policy: policy('sum', '.*', { cpu: 'cpu*50%', memory: '200Mi' }, { cpu: 'cpu*50%', memory: '100Mi' }),
      resources: { limits: { cpu: '300m', memory: '200Mi' }, requests: { cpu: '75m', memory: '100Mi' } },
    },
    {
      story: 'max mode: max(max(200m, 400m) * 50%, 50m) = 200m, max(100m * 50%, 50m) = 50m',
      pod: engines,
      policy: policy('max', '^large.engine.v.*$', { cpu: 'max(cpu*50%, 50m)', memory: '200Mi' }, { cpu: 'max(cpu*50%, 50m)', memory: '100Mi' }),
      resources: { limits: { cpu: '200m', memory: '200Mi' }, requests: { cpu: '50m', memory: '100Mi' } },
    },
    {
      story: 'the regex picks one container: max(200m * 50%, 50m) = 100m',
      pod: engines,
      policy: policy('sum', '^large.engine.v4$', { cpu: 'max(cpu*50%, 50m)', memory: '200Mi' }, { cpu: 'max(cpu*50%, 50m)', memory: '100Mi' }),
      resources: { limits: { cpu: '100m', memory: '200Mi' }, requests: { cpu: '50m', memory: '100Mi' } },
    },
    {
      story: 'sum, one container without a cpu limit: no cpu limit (unlimited); (200Mi + 400Mi) * 30% = 180Mi',
      pod: pod([app('app1', { cpu: '200m', memory: '200Mi' }, { cpu: '100m', memory: '100Mi' }), app('app2', { memory: '400Mi' }, { cpu: '50m', memory: '200Mi' })]),
      policy: policy('sum', '.*', { cpu: 'cpu*50%', memory: 'memory*30%' }, { cpu: 'cpu*30%', memory: 'memory*20%' }),
      resources: { limits: { memory: '180Mi' }, requests: { cpu: '45m', memory: '60Mi' } },
    },
    {
      story: 'max, one container without a memory limit: no memory limit; a missing memory request counts 0',
      pod: pod([app('app1', { cpu: '200m', memory: '200Mi' }, { cpu: '100m', memory: '100Mi' }), app('app2', { cpu: '400m' }, { cpu: '200m' })]),
      policy: policy('max', '.*', { cpu: 'cpu*40%', memory: 'memory*30%' }, { cpu: 'cpu*25%', memory: 'memory*20%' }),
      resources: { limits: { cpu: '160m' }, requests: { cpu: '50m', memory: '20Mi' } },
    },
    {
      story: 'sum, a container without requests counts 0',
      pod: pod([app('app1', { cpu: '200m', memory: '200Mi' }, { cpu: '100m', memory: '100Mi' }), app('app2', { cpu: '400m', memory: '400Mi' })]),
      policy: policy('sum', '.*', { cpu: 'cpu*50%', memory: 'memory*30%' }, { cpu: 'cpu*30%', memory: 'memory*20%' }),
      resources: { limits: { cpu: '300m', memory: '180Mi' }, requests: { cpu: '30m', memory: '20Mi' } },
    },
    {
      story: 'a native sidecar init container counts, a plain one does not: (400m + 600m) * 30% = 300m',
      pod: pod(
        [app('app2', { cpu: '600m', memory: '1200Mi' }, { cpu: '300m', memory: '600Mi' })],
        [app('app1', { cpu: '400m', memory: '800Mi' }, { cpu: '200m', memory: '400Mi' }, { restartPolicy: 'Always' }), app('app2', { cpu: '400m', memory: '800Mi' }, { cpu: '200m', memory: '400Mi' })],
      ),
      policy: policy('sum', '^app.*$', { cpu: 'max(cpu*30%, 50m)', memory: 'max(memory*25%, 100Mi)' }, { cpu: 'cpu*20%', memory: 'memory*15%' }),
      resources: { limits: { cpu: '300m', memory: '500Mi' }, requests: { cpu: '100m', memory: '150Mi' } },
    },
    {
      story: 'no request to aggregate: the request expression is evaluated over 0',
      pod: pod([app('app1', { cpu: '1' })]),
      policy: policy('sum', '.*', undefined, { cpu: 'cpu*50%' }),
      resources: { requests: { cpu: '0' } },
    },
  ])('$story', ({ pod: target, policy: p, resources }) => {
    expect(computeResourcesPolicy(target, p, new Set())).toEqual({ kind: 'computed', resources });
  });

  it('leaves out the sidecars of the SidecarSets being injected', () => {
    const withSidecar = pod([app('app', { cpu: '1' }), app('log-agent', { cpu: '3' })]);
    expect(computeResourcesPolicy(withSidecar, policy('sum', '.*', { cpu: 'cpu' }), new Set(['log-agent']))).toEqual({ kind: 'computed', resources: { limits: { cpu: '1' } } });
  });

  it.each([
    ['no container matches', policy('sum', '^nonexistent$', { cpu: 'cpu*50%' }), 'no containers match the regex pattern "^nonexistent$"'],
    ['the regex does not compile', policy('sum', '(?=x)', { cpu: 'cpu*50%' }), 'failed to get target containers: invalid regex pattern "(?=x)": error parsing regexp: invalid or unsupported Perl syntax: `(?=`'],
    ['an expression fails', policy('sum', '.*', { cpu: 'cpu*cpu' }), 'failed to evaluate CPU limits expression: failed to parse expression "cpu*cpu": multiplication of two quantities'],
  ])('fails when %s', (_story, p, message) => {
    expect(computeResourcesPolicy(twoApps, p, new Set())).toEqual({ kind: 'failed', message });
  });

  it.each([
    ['sum', { limits: { cpu: '600m', memory: '600Mi' }, requests: { cpu: '150m', memory: '300Mi' } }],
    ['max', { limits: { cpu: '400m', memory: '400Mi' }, requests: { cpu: '100m', memory: '200Mi' } }],
    ['avg (not a mode: nothing aggregated)', { limits: {}, requests: {} }],
  ])('aggregates by %s as OpenKruise (TestAggregateResourcesBySum / ByMax)', (mode, expected) => {
    const aggregated = aggregateTargetResources(twoApps.spec.containers, mode.split(' ')[0]);
    const shown = (values: Partial<Record<string, GoQuantity>>) => Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v === undefined ? '' : formatGoQuantity(v)]));
    expect({ limits: shown(aggregated.limits), requests: shown(aggregated.requests) }).toEqual(expected);
  });
});
