import { describe, expect, it } from 'vitest';
import { at, iso, T0 } from '../testing/index.js';
import { removeWorkloadCondition, setWorkloadCondition, withFailureCondition, type WorkloadCondition } from './workloadConditions.js';

const EARLIER = iso(at(-60));
const progressing: WorkloadCondition = { type: 'Progressing', status: 'True', reason: 'CloneSetUpdated', message: 'CloneSet is progressing', lastTransitionTime: EARLIER, lastUpdateTime: EARLIER };
const custom: WorkloadCondition = { type: 'example.com/Audited', status: 'True', message: 'written by someone else' };
type Status = { readonly replicas: number; readonly conditions?: readonly WorkloadCondition[] };
const failed = (message: string, time = EARLIER): WorkloadCondition => ({ type: 'FailedScale', status: 'True', message, lastTransitionTime: time });

describe('setWorkloadCondition', () => {
  it.each<{ story: string; conditions: WorkloadCondition[]; condition: WorkloadCondition; want: WorkloadCondition[] }>([
    { story: 'a type not there yet → appended, the others kept', conditions: [progressing, custom], condition: failed('a', iso(T0)), want: [progressing, custom, failed('a', iso(T0))] },
    { story: 'same status and reason, another message → the first entry kept (message and time)', conditions: [failed('a'), custom], condition: failed('b', iso(T0)), want: [failed('a'), custom] },
    {
      story: 'another status → replaced in place, with its own time',
      conditions: [custom, progressing],
      condition: { ...progressing, status: 'False', reason: 'ProgressDeadlineExceeded', lastTransitionTime: iso(T0) },
      want: [custom, { ...progressing, status: 'False', reason: 'ProgressDeadlineExceeded', lastTransitionTime: iso(T0) }],
    },
    {
      story: 'same status, another reason → replaced, keeping when it last transitioned (OpenKruise SetCloneSetCondition)',
      conditions: [progressing],
      condition: { ...progressing, reason: 'CloneSetAvailable', message: 'CloneSet is available', lastTransitionTime: iso(T0), lastUpdateTime: iso(T0) },
      want: [{ ...progressing, reason: 'CloneSetAvailable', message: 'CloneSet is available', lastTransitionTime: EARLIER, lastUpdateTime: iso(T0) }],
    },
  ])('$story', ({ conditions, condition, want }) => {
    expect(setWorkloadCondition(conditions, condition)).toEqual(want);
  });

  it('never changes the list it is given', () => {
    const conditions = [failed('a')];
    const next = setWorkloadCondition(conditions, { ...failed('b'), status: 'False' });
    expect(conditions).toEqual([failed('a')]);
    expect(next).not.toBe(conditions);
  });
});

describe('removeWorkloadCondition', () => {
  it.each([
    { story: 'removes the type, keeps the rest in order', conditions: [progressing, failed('a'), custom], want: [progressing, custom] },
    { story: 'a type that is not there → the same conditions', conditions: [progressing], want: [progressing] },
  ])('$story', ({ conditions, want }) => {
    expect(removeWorkloadCondition(conditions, 'FailedScale')).toEqual(want);
  });
});

describe('withFailureCondition', () => {
  it('records a new failure as True with the message and the time of the pass', () => {
    const status: Status = { replicas: 3 };
    expect(withFailureCondition(status, 'FailedScale', 'pods "web-x" is forbidden', T0)).toEqual({
      replicas: 3,
      conditions: [{ type: 'FailedScale', status: 'True', message: 'pods "web-x" is forbidden', lastTransitionTime: iso(T0) }],
    });
  });

  it('a failure that persists keeps its first entry, pass after pass', () => {
    let status: Status = { replicas: 3 };
    for (const [pass, message] of ['quota exceeded (1)', 'quota exceeded (2)', 'quota exceeded (3)'].entries()) {
      status = withFailureCondition(status, 'FailedUpdate', message, at(pass * 10));
    }
    expect(status.conditions).toEqual([{ type: 'FailedUpdate', status: 'True', message: 'quota exceeded (1)', lastTransitionTime: iso(T0) }]);
  });

  it("keeps others' conditions and the other status fields as they are", () => {
    const status = { replicas: 3, readyReplicas: 2, conditions: [custom, progressing] };
    expect(withFailureCondition(status, 'FailedScale', 'boom', T0)).toEqual({ replicas: 3, readyReplicas: 2, conditions: [custom, progressing, failed('boom', iso(T0))] });
  });

  it('a False entry of the same type turns True with the new message', () => {
    const status = { conditions: [{ type: 'FailedScale', status: 'False', lastTransitionTime: EARLIER }] };
    expect(withFailureCondition(status, 'FailedScale', 'boom', T0).conditions).toEqual([failed('boom', iso(T0))]);
  });
});
