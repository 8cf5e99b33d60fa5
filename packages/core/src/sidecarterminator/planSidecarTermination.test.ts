import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Container, Pod } from '../api/pod.js';
import { KRUISE_TERMINATE_SIDECAR_ENV, KRUISE_TERMINATE_SIDECAR_IGNORE_EXIT_CODE_ENV, KRUISE_TERMINATE_SIDECAR_WITH_IMAGE_ENV, planSidecarTermination } from './planSidecarTermination.js';

type State = 'running' | number;
const main: Container = { name: 'main', image: 'job:v1' };
const log: Container = { name: 'log', image: 'log:v1', env: [{ name: KRUISE_TERMINATE_SIDECAR_ENV, value: 'true' }] };
const proxy: Container = { name: 'proxy', image: 'proxy:v1', env: [{ name: KRUISE_TERMINATE_SIDECAR_ENV, value: 'TRUE' }, { name: KRUISE_TERMINATE_SIDECAR_IGNORE_EXIT_CODE_ENV, value: 'true' }] };
const vk: Container = { name: 'vk', image: 'vk:v1', env: [{ name: KRUISE_TERMINATE_SIDECAR_WITH_IMAGE_ENV, value: 'pause:3.9' }] };

/** A Job pod (uid u1) whose containers are in the given states (a number = exited with that code). */
function pod(containers: readonly Container[], states: Readonly<Record<string, State>>, options: { restartPolicy?: string; phase?: string; deleting?: boolean } = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'job-abc', namespace: 'default', uid: 'u1', ...(options.deleting === true ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
    spec: { restartPolicy: options.restartPolicy ?? 'Never', containers: [...containers] },
    status: {
      phase: options.phase ?? 'Running',
      containerStatuses: containers.filter((c) => states[c.name] !== undefined).map((c) => {
        const state = states[c.name];
        return { name: c.name, ready: state === 'running', restartCount: 0, image: c.image, imageID: 'x', state: state === 'running' ? { running: {} } : { terminated: { exitCode: state } } };
      }),
    },
  } as Pod;
}

const kinds = (p: Pod, virtualKubelet = false, crrExists = false) => planSidecarTermination({ pod: p, virtualKubelet, crrExists }).effects.map((e) => (e.kind === 'create-crr' ? `crr:${e.containers.join(',')}` : e.kind === 'mark-pod-terminated' ? `phase:${e.phase}` : `image:${Object.entries(e.images).map(([k, v]) => `${k}=${v}`).join(',')}`));

describe('planSidecarTermination', () => {
  it.each([
    ['Never, main exited 0, log running → CRR stopping log', pod([main, log], { main: 0, log: 'running' }), ['crr:log']],
    ['Never, main exited 1 → the sidecar is stopped all the same', pod([main, log], { main: 1, log: 'running' }), ['crr:log']],
    ['OnFailure, main exited 1 (will restart) → nothing', pod([main, log], { main: 1, log: 'running' }, { restartPolicy: 'OnFailure' }), []],
    ['OnFailure, main exited 0 → CRR', pod([main, log], { main: 0, log: 'running' }, { restartPolicy: 'OnFailure' }), ['crr:log']],
    ['Always → nothing (not a Job pod)', pod([main, log], { main: 0, log: 'running' }, { restartPolicy: 'Always' }), []],
    ['main still running → nothing', pod([main, log], { main: 'running', log: 'running' }), []],
    ['a status missing → nothing', pod([main, log], { main: 0 }), []],
    ['Pending → nothing', pod([main, log], { main: 0, log: 'running' }, { phase: 'Pending' }), []],
    ['deleting → nothing', pod([main, log], { main: 0, log: 'running' }, { deleting: true }), []],
    ['sidecar exited already → nothing', pod([main, log], { main: 0, log: 137 }), []],
    ['no marked sidecar → nothing', pod([main, { name: 'other', image: 'o' }], { main: 0, other: 'running' }), []],
    ['ignore-exit-code sidecar: phase Succeeded first, then its CRR', pod([main, proxy], { main: 0, proxy: 'running' }), ['phase:Succeeded', 'crr:proxy']],
    ['ignore-exit-code sidecar, main failed: phase Failed', pod([main, proxy], { main: 2, proxy: 'running' }), ['phase:Failed', 'crr:proxy']],
    ['both kinds: normal first; the ignore-exit-code one waits for it', pod([main, log, proxy], { main: 0, log: 'running', proxy: 'running' }), ['crr:log']],
    ['both kinds, normal exited: phase, and the CRR (only if none yet)', pod([main, log, proxy], { main: 0, log: 143, proxy: 'running' }), ['phase:Succeeded', 'crr:proxy']],
    ['pod already Succeeded: no phase patch', pod([main, proxy], { main: 0, proxy: 'running' }, { phase: 'Succeeded' }), ['crr:proxy']],
    ['image sidecar off virtual-kubelet: not a kill target', pod([main, vk], { main: 0, vk: 'running' }), []],
  ])('%s', (_story, p, expected) => {
    expect(kinds(p)).toEqual(expected);
  });

  it('the CRR is OpenKruise\'s: sidecar-termination-<uid>, owned by the pod, forceRecreate, failurePolicy Ignore', () => {
    const [effect] = planSidecarTermination({ pod: pod([main, log], { main: 0, log: 'running' }), virtualKubelet: false, crrExists: false }).effects;
    expect(effect).toEqual({
      kind: 'create-crr',
      containers: ['log'],
      crr: {
        apiVersion: 'apps.kruise.io/v1alpha1',
        kind: 'ContainerRecreateRequest',
        metadata: { name: 'sidecar-termination-u1', namespace: 'default', ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: 'job-abc', uid: 'u1', controller: true, blockOwnerDeletion: true }] },
        spec: { podName: 'job-abc', containers: [{ name: 'log' }], strategy: { forceRecreate: true, failurePolicy: 'Ignore' } },
      },
    });
  });

  it('an existing CRR is never created again', () => {
    expect(kinds(pod([main, log], { main: 0, log: 'running' }), false, true)).toEqual([]);
    expect(kinds(pod([main, proxy], { main: 0, proxy: 'running' }), false, true)).toEqual(['phase:Succeeded']);
  });

  it('on a virtual-kubelet node: image sidecars are replaced in place, TERMINATE=true ones left alone', () => {
    expect(kinds(pod([main, vk, log], { main: 0, vk: 'running', log: 'running' }), true)).toEqual(['image:vk=pause:3.9']);
  });

  it('property: nothing is ever planned while a main container runs, and a CRR names only running sidecars', () => {
    const state = fc.oneof(fc.constant<State>('running'), fc.integer({ min: 0, max: 2 }));
    fc.assert(
      fc.property(state, state, state, fc.constantFrom('Never', 'OnFailure'), fc.boolean(), (m, l, p, restartPolicy, crrExists) => {
        const plan = planSidecarTermination({ pod: pod([main, log, proxy], { main: m, log: l, proxy: p }, { restartPolicy }), virtualKubelet: false, crrExists });
        if (m === 'running') expect(plan.effects).toEqual([]);
        for (const effect of plan.effects) if (effect.kind === 'create-crr') expect(effect.containers.every((n) => ({ log: l, proxy: p })[n] === 'running')).toBe(true);
        expect(plan.effects.filter((e) => e.kind === 'create-crr').length).toBeLessThanOrEqual(crrExists ? 0 : 1);
      }),
    );
  });
});
