import type { ImageTagStatus, NodeImageSpec, NodeImageStatus } from '@kruise-ts/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planPullSync, pullTaskKey, type PullTaskView } from './planPullSync.js';

const spec = (images: Record<string, { tag: string; version?: number }[]>): NodeImageSpec => ({ images: Object.fromEntries(Object.entries(images).map(([name, tags]) => [name, { tags }])) });
const done = (tag: string, version: number, phase: ImageTagStatus['phase'] = 'Succeeded'): ImageTagStatus => ({ tag, phase, version, completionTime: '2026-01-01T00:00:00Z' });
const summary = (plan: ReturnType<typeof planPullSync>): string[] => [...plan.stop.map((s) => `stop ${s.key} ${s.reason}`), ...plan.create.map((c) => `${c.kind} ${c.key}`)];

describe('planPullSync', () => {
  it.each<[string, NodeImageSpec | undefined, NodeImageStatus | undefined, [string, PullTaskView][], string[]]>([
    ['a new spec starts every tag', spec({ app: [{ tag: '1' }, { tag: '2' }] }), undefined, [], ['start app:1', 'start app:2']],
    ['a completed status of the same version is adopted, not pulled', spec({ app: [{ tag: '1' }] }), { desired: 1, imageStatuses: { app: { tags: [done('1', 0)] } } }, [], ['adopt app:1']],
    ['a completed status of an older version is pulled again', spec({ app: [{ tag: '1', version: 2 }] }), { desired: 1, imageStatuses: { app: { tags: [done('1', 1)] } } }, [], ['start app:1']],
    ['a Pulling status without completionTime (daemon died) is started again', spec({ app: [{ tag: '1' }] }), { desired: 1, imageStatuses: { app: { tags: [{ tag: '1', phase: 'Pulling', version: 0 }] } } }, [], ['start app:1']],
    ['a task of the same version is left alone, even finished', spec({ app: [{ tag: '1' }] }), undefined, [['app:1', { version: 0, state: 'finished' }]], []],
    ['a bumped version stops and restarts', spec({ app: [{ tag: '1', version: 3 }] }), undefined, [['app:1', { version: 2, state: 'running' }]], ['stop app:1 version-changed', 'start app:1']],
    ['a tag gone from the spec is stopped', spec({ app: [{ tag: '1' }] }), undefined, [['app:1', { version: 0, state: 'running' }], ['app:2', { version: 0, state: 'queued' }]], ['stop app:2 removed-from-spec']],
    ['no spec stops everything', undefined, undefined, [['app:1', { version: 0, state: 'running' }]], ['stop app:1 removed-from-spec']],
    ['a duplicated tag entry counts once', spec({ app: [{ tag: '1' }, { tag: '1' }] }), undefined, [], ['start app:1']],
  ])('%s', (_name, s, status, tasks, want) => {
    expect(summary(planPullSync(s, status, new Map(tasks)))).toEqual(want);
  });

  it('property: after applying the plan, the tasks are exactly the spec’s tags at the spec’s versions, and a second plan is empty', () => {
    const tagArb = fc.record({ tag: fc.constantFrom('1', '2', '3', 'latest'), version: fc.integer({ min: 0, max: 2 }) });
    const specArb = fc.dictionary(fc.constantFrom('app', 'reg:5000/db', 'cache'), fc.array(tagArb, { maxLength: 4 }));
    const tasksArb = fc.array(fc.tuple(fc.constantFrom('app', 'reg:5000/db', 'x'), tagArb, fc.constantFrom<PullTaskView['state']>('queued', 'running', 'finished')), { maxLength: 6 });
    fc.assert(
      fc.property(specArb, tasksArb, (images, taskList) => {
        const s = spec(images);
        const tasks = new Map<string, PullTaskView>(taskList.map(([image, t, state]) => [pullTaskKey(image, t.tag), { version: t.version, state }]));
        const plan = planPullSync(s, undefined, tasks);
        for (const { key } of plan.stop) tasks.delete(key);
        for (const c of plan.create) {
          expect(tasks.has(c.key)).toBe(false);
          tasks.set(c.key, { version: c.kind === 'start' ? (c.tagSpec.version ?? 0) : 0, state: 'queued' });
        }
        const want = new Map<string, number>();
        for (const [image, tags] of Object.entries(images)) for (const t of tags) if (!want.has(pullTaskKey(image, t.tag))) want.set(pullTaskKey(image, t.tag), t.version);
        expect(new Map([...tasks].map(([k, v]) => [k, v.version]))).toEqual(want);
        expect(planPullSync(s, undefined, tasks)).toEqual({ stop: [], create: [] });
      }),
    );
  });
});
