import { describe, expect, it } from 'vitest';
import type { PersistentVolumeClaim } from '../api/pod.js';
import { aStatefulSet, at, becomeReady, simulateStatefulSetPass, withPods, type StatefulSetSimulation } from '../testing/index.js';
import { allPlannedEffects } from '../workload/workloadPassPlan.js';
import { claimFit, isClaimReady, isClaimResizeCompleted, planClaimResize } from './statefulSetClaimResize.js';
import { planStatefulSetPass } from './planStatefulSetPass.js';

const claim = (request: string, options: { capacity?: string; storageClassName?: string; modes?: string[]; resizePending?: boolean } = {}): PersistentVolumeClaim => ({
  metadata: { name: 'data-web-0' },
  spec: { accessModes: options.modes ?? ['ReadWriteOnce'], resources: { requests: { storage: request } }, ...(options.storageClassName === undefined ? {} : { storageClassName: options.storageClassName }) },
  status: { ...(options.capacity === undefined ? {} : { capacity: { storage: options.capacity } }), ...(options.resizePending === true ? { conditions: [{ type: 'FileSystemResizePending', status: 'True' }] } : {}) },
});
const template = (request: string, storageClassName?: string): PersistentVolumeClaim => ({
  metadata: { name: 'data' },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: request } }, ...(storageClassName === undefined ? {} : { storageClassName }) },
});

describe('PVC expansion helpers', () => {
  it.each([
    { story: 'same size', claim: claim('1Gi'), template: template('1Gi'), fit: 'matched' },
    { story: 'larger than the template', claim: claim('2Gi'), template: template('1Gi'), fit: 'matched' },
    { story: 'smaller than the template', claim: claim('1Gi'), template: template('2Gi'), fit: 'needs-expansion' },
    { story: 'another storage class', claim: claim('1Gi', { storageClassName: 'slow' }), template: template('2Gi', 'fast'), fit: 'incompatible' },
    { story: 'other access modes', claim: claim('1Gi', { modes: ['ReadWriteMany'] }), template: template('1Gi'), fit: 'incompatible' },
  ])('claimFit: $story → $fit', ({ claim: c, template: t, fit }) => {
    expect(claimFit(c, t).kind).toBe(fit);
  });

  it.each([
    { story: 'capacity reached', c: claim('2Gi', { capacity: '2Gi' }), ready: true, completed: true },
    { story: 'capacity behind the request', c: claim('2Gi', { capacity: '1Gi' }), ready: false, completed: false },
    { story: 'only the file system resize pending', c: claim('2Gi', { capacity: '1Gi', resizePending: true }), ready: false, completed: true },
    { story: 'request still below the template', c: claim('1Gi', { capacity: '1Gi' }), ready: true, completed: false },
  ])('ready and completed: $story', ({ c, ready, completed }) => {
    expect(isClaimReady(c, template('2Gi'))).toBe(ready);
    expect(isClaimResizeCompleted(c, template('2Gi'))).toBe(completed);
  });

  it('refuses what OpenKruise refuses, with its messages', () => {
    const classes = new Map([['fast', { name: 'fast', allowVolumeExpansion: true }], ['fixed', { name: 'fixed', allowVolumeExpansion: false }]]);
    expect(planClaimResize([{ claim: claim('1Gi', { storageClassName: 'fast' }), template: template('2Gi', 'fast') }], 'web-0', classes).kind).toBe('resize');
    expect(planClaimResize([{ claim: claim('1Gi', { storageClassName: 'fixed' }), template: template('2Gi', 'fixed') }], 'web-0', classes)).toEqual({
      kind: 'refused',
      claim: 'data-web-0',
      message: 'storage class fixed for web-0 does not support volume expansion',
    });
    expect(planClaimResize([{ claim: claim('1Gi', { storageClassName: 'gone' }), template: template('2Gi', 'gone') }], 'web-0', classes)).toMatchObject({ message: 'could not get sc gone for web-0 when checking PVC spec' });
    expect(planClaimResize([{ claim: claim('1Gi', { modes: ['ReadWriteMany'] }), template: template('2Gi') }], 'web-0', classes)).toMatchObject({
      message: 'can not patch pvc data-web-0: contains diff other than spec resource, wait pvc to be deleted',
    });
  });
});

describe('planStatefulSetPass: PVC expansion during the rolling update (StatefulSetAutoResizePVCGate)', () => {
  const gates = { StatefulSetAutoResizePVCGate: true };
  function grown(): StatefulSetSimulation {
    let sim: StatefulSetSimulation = { statefulSet: aStatefulSet({ replicas: 3, podManagementPolicy: 'Parallel', maxUnavailable: 1, volumeClaimTemplates: ['data'] }), world: { pods: [], pvcs: [], revisions: [] } };
    sim = { ...sim, statefulSet: { ...sim.statefulSet, spec: { ...sim.statefulSet.spec, volumeClaimUpdateStrategy: { type: 'OnPodRollingUpdate' } } } };
    for (let i = 0; i < 10; i++) {
      const pass = simulateStatefulSetPass(sim, { now: at(i), featureGates: gates });
      sim = withPods(pass.next, (pods) => becomeReady(pods, at(i)));
      sim = { ...sim, world: { ...sim.world, pvcs: sim.world.pvcs.map((p) => ({ ...p, status: { phase: 'Bound', capacity: { storage: p.spec?.resources?.requests?.['storage'] ?? '0' } } })) } };
    }
    const templates = (sim.statefulSet.spec.volumeClaimTemplates ?? []).map((t) => ({ ...t, spec: { ...t.spec, resources: { requests: { storage: '2Gi' } } } }));
    return { ...sim, statefulSet: { ...sim.statefulSet, spec: { ...sim.statefulSet.spec, volumeClaimTemplates: templates } } };
  }

  it('expands the PVC of the highest ordinal first, then waits for the volume to grow', () => {
    const sim = grown();
    const plan = planStatefulSetPass({ statefulSet: sim.statefulSet, ...sim.world, now: at(100), featureGates: gates });
    const effects = allPlannedEffects(plan).filter((e) => e.kind === 'resize-pvc');
    expect(effects).toMatchObject([{ kind: 'resize-pvc', target: { name: 'data-web-2' }, resources: { requests: { storage: '2Gi' } }, annotations: { 'apps.kruise.io/owned-by-asts': 'web' } }]);
    expect(plan.step.update?.unavailable).toEqual(['web-2']);
  });

  it('without the gate the claim templates are not followed', () => {
    const sim = grown();
    const plan = planStatefulSetPass({ statefulSet: sim.statefulSet, ...sim.world, now: at(100) });
    expect(allPlannedEffects(plan).filter((e) => e.kind === 'resize-pvc')).toEqual([]);
  });

  it('a StorageClass that does not allow expansion stops the update with its reason', () => {
    const sim = grown();
    const pvcs = sim.world.pvcs.map((p) => ({ ...p, spec: { ...p.spec, storageClassName: 'fixed' } }));
    const set = { ...sim.statefulSet, spec: { ...sim.statefulSet.spec, volumeClaimTemplates: (sim.statefulSet.spec.volumeClaimTemplates ?? []).map((t) => ({ ...t, spec: { ...t.spec, storageClassName: 'fixed' } })) } };
    const plan = planStatefulSetPass({ statefulSet: set, pods: sim.world.pods, pvcs, revisions: sim.world.revisions, now: at(100), featureGates: gates, storageClasses: [{ name: 'fixed', allowVolumeExpansion: false }] });
    expect(plan.step.update?.end).toEqual({ kind: 'refused', pod: 'web-2', message: 'storage class fixed for web-2 does not support volume expansion' });
  });

  it('converges: every PVC grows, one pod at a time', () => {
    let sim = grown();
    for (let i = 0; i < 40; i++) {
      const pass = simulateStatefulSetPass(sim, { now: at(100 + i), featureGates: gates });
      sim = withPods(pass.next, (pods) => becomeReady(pods, at(100 + i)));
      // The CSI driver grows a volume one pass after its request changed.
      sim = { ...sim, world: { ...sim.world, pvcs: sim.world.pvcs.map((p) => ({ ...p, status: { phase: 'Bound', capacity: { storage: p.spec?.resources?.requests?.['storage'] ?? '0' } } })) } };
    }
    expect(sim.world.pvcs.map((p) => [p.metadata.name, p.spec?.resources?.requests?.['storage']]).sort()).toEqual([['data-web-0', '2Gi'], ['data-web-1', '2Gi'], ['data-web-2', '2Gi']]);
    expect(sim.world.pods).toHaveLength(3);
  });
});
