import { describe, expect, it } from 'vitest';
import type { Taint } from '../api/node.js';
import type { PodSpec } from '../api/pod.js';
import { aNode, type NodeOptions } from '../testing/index.js';
import { DAEMON_POD_DEFAULT_TOLERATIONS, daemonPodPlacement, nodeShouldRunDaemonPod, shouldContinueRunningDaemonPod, shouldRunDaemonPod, withDaemonPodTolerations } from './daemonSetNodes.js';

const spec = (extra: Partial<PodSpec> & Record<string, unknown> = {}): PodSpec => ({ containers: [{ name: 'main', image: 'nginx:1' }], ...extra });
const taint = (key: string, effect: Taint['effect'], value?: string): Taint => ({ key, effect, ...(value === undefined ? {} : { value }) });
const required = (...terms: unknown[]) => ({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } } });

type Row = readonly [story: string, template: PodSpec, node: NodeOptions, shouldRun: boolean, continueRunning: boolean, reason?: string];

describe('nodeShouldRunDaemonPod', () => {
  it.each<Row>([
    ['no constraints: every node', spec(), {}, true, true],
    ['nodeSelector matches', spec({ nodeSelector: { zone: 'a' } }), { labels: { zone: 'a' } }, true, true],
    ['nodeSelector value differs', spec({ nodeSelector: { zone: 'a' } }), { labels: { zone: 'b' } }, false, false, 'node-affinity-mismatch'],
    ['nodeSelector key missing', spec({ nodeSelector: { zone: 'a' } }), {}, false, false, 'node-affinity-mismatch'],
    ['required affinity In matches', spec(required({ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }] })), { labels: { zone: 'b' } }, true, true],
    ['required affinity NotIn excludes', spec(required({ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['b'] }] })), { labels: { zone: 'b' } }, false, false, 'node-affinity-mismatch'],
    ['required affinity NotIn on a node without the label', spec(required({ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['b'] }] })), {}, true, true],
    ['required affinity Gt on a numeric label', spec(required({ matchExpressions: [{ key: 'cores', operator: 'Gt', values: ['8'] }] })), { labels: { cores: '16' } }, true, true],
    ['required affinity Lt fails on a bigger value', spec(required({ matchExpressions: [{ key: 'cores', operator: 'Lt', values: ['8'] }] })), { labels: { cores: '16' } }, false, false, 'node-affinity-mismatch'],
    ['terms are ORed: the second matches', spec(required({ matchExpressions: [{ key: 'zone', operator: 'In', values: ['x'] }] }, { matchExpressions: [{ key: 'zone', operator: 'Exists' }] })), { labels: { zone: 'a' } }, true, true],
    ['an invalid term (In without values) is ignored', spec(required({ matchExpressions: [{ key: 'zone', operator: 'In', values: [] }] })), { labels: { zone: 'a' } }, false, false, 'node-affinity-mismatch'],
    ['an empty term matches no node', spec(required({})), {}, false, false, 'node-affinity-mismatch'],
    ['matchFields metadata.name pins the node', spec(required({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-0'] }] })), {}, true, true],
    ['matchFields metadata.name another node', spec(required({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-9'] }] })), {}, false, false, 'node-affinity-mismatch'],
    ['nodeSelector and affinity must both hold', spec({ nodeSelector: { disk: 'ssd' }, ...required({ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }) }), { labels: { zone: 'a' } }, false, false, 'node-affinity-mismatch'],
    ['template nodeName is another node', spec({ nodeName: 'node-9' }), {}, false, false, 'node-name-mismatch'],
    ['template nodeName is this node', spec({ nodeName: 'node-0' }), {}, true, true],
    ['untolerated NoSchedule taint: no new pod, an existing one stays', spec(), { taints: [taint('dedicated', 'NoSchedule', 'gpu')] }, false, true, 'untolerated-taint'],
    ['untolerated NoExecute taint: no pod at all', spec(), { taints: [taint('dedicated', 'NoExecute', 'gpu')] }, false, false, 'untolerated-taint'],
    ['PreferNoSchedule taints never matter', spec(), { taints: [taint('dedicated', 'PreferNoSchedule')] }, true, true],
    ['toleration Exists on the key', spec({ tolerations: [{ key: 'dedicated', operator: 'Exists' }] }), { taints: [taint('dedicated', 'NoExecute', 'gpu')] }, true, true],
    ['toleration Equal with another value', spec({ tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'db' }] }), { taints: [taint('dedicated', 'NoSchedule', 'gpu')] }, false, true, 'untolerated-taint'],
    ['toleration of another effect', spec({ tolerations: [{ key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' }] }), { taints: [taint('dedicated', 'NoExecute')] }, false, false, 'untolerated-taint'],
    ['empty key with Exists tolerates everything', spec({ tolerations: [{ operator: 'Exists' }] }), { taints: [taint('a', 'NoExecute'), taint('b', 'NoSchedule')] }, true, true],
    ['default toleration: not-ready NoExecute', spec(), { taints: [taint('node.kubernetes.io/not-ready', 'NoExecute')], ready: 'False' }, true, true],
    ['default toleration: unreachable NoExecute', spec(), { taints: [taint('node.kubernetes.io/unreachable', 'NoExecute')], ready: 'Unknown' }, true, true],
    ['default toleration: disk pressure', spec(), { taints: [taint('node.kubernetes.io/disk-pressure', 'NoSchedule')] }, true, true],
    ['default toleration: memory and PID pressure', spec(), { taints: [taint('node.kubernetes.io/memory-pressure', 'NoSchedule'), taint('node.kubernetes.io/pid-pressure', 'NoSchedule')] }, true, true],
    ['cordoned (unschedulable taint): the daemon pod still runs', spec(), { unschedulable: true, taints: [taint('node.kubernetes.io/unschedulable', 'NoSchedule')] }, true, true],
    ['spec.unschedulable alone is not read (upstream reads only taints)', spec(), { unschedulable: true }, true, true],
    ['network-unavailable is not tolerated by default', spec(), { taints: [taint('node.kubernetes.io/network-unavailable', 'NoSchedule')] }, false, true, 'untolerated-taint'],
    ['network-unavailable is tolerated by a host-network pod', spec({ hostNetwork: true }), { taints: [taint('node.kubernetes.io/network-unavailable', 'NoSchedule')] }, true, true],
    ['a node without the selector label and a NoExecute taint: the affinity decides first', spec({ nodeSelector: { zone: 'a' } }), { taints: [taint('x', 'NoExecute')] }, false, false, 'node-affinity-mismatch'],
  ])('%s', (_story, template, node, shouldRun, continueRunning, reason) => {
    const eligibility = nodeShouldRunDaemonPod(aNode({ name: 'node-0', ...(node as NodeOptions) }), daemonPodPlacement(template as PodSpec));
    expect(shouldRunDaemonPod(eligibility)).toBe(shouldRun);
    expect(shouldContinueRunningDaemonPod(eligibility)).toBe(continueRunning);
    expect(eligibility.kind === 'should-not-run' ? eligibility.reason : undefined).toBe(reason);
  });

  it('names the untolerated taint, the evicting one first', () => {
    const eligibility = nodeShouldRunDaemonPod(aNode({ taints: [taint('a', 'NoSchedule'), taint('b', 'NoExecute')] }), daemonPodPlacement(spec()));
    expect(eligibility).toEqual({ kind: 'should-not-run', reason: 'untolerated-taint', taint: taint('b', 'NoExecute'), continueRunning: false });
  });
});

describe('withDaemonPodTolerations', () => {
  it.each([
    ['none given: the six defaults', [], false, DAEMON_POD_DEFAULT_TOLERATIONS],
    ['a user toleration is kept first', [{ key: 'dedicated', operator: 'Exists' }], false, [{ key: 'dedicated', operator: 'Exists' }, ...DAEMON_POD_DEFAULT_TOLERATIONS]],
    [
      'a default with tolerationSeconds is replaced by the default (no time limit)',
      [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
      false,
      DAEMON_POD_DEFAULT_TOLERATIONS,
    ],
    ['host network adds network-unavailable', [], true, [...DAEMON_POD_DEFAULT_TOLERATIONS, { key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' }]],
  ])('%s', (_story, given, hostNetwork, expected) => {
    expect(withDaemonPodTolerations(given, hostNetwork)).toEqual(expected);
  });
});
