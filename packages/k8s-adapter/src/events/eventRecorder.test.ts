import { describe, expect, it } from 'vitest';
import { toKubeApiError } from '../errors.js';
import { createFakeClock } from '../memory/fakeClock.js';
import type { KubeClient, KubeEvent, WarnLogger } from '../ports.js';
import { Resources, type KubeObject } from '../resourceType.js';
import { createMemoryCluster } from '../memory/memoryCluster.js';
import { createEventRecorder } from './eventRecorder.js';
import { NotLeaderError } from '../leaderElection/fenceWrites.js';

type Call = { verb: 'create'; object: KubeObject } | { verb: 'patch'; name: string; body: unknown };

/** A client that records create/patch calls and fails the ones `fail` picks with that HTTP code. */
function recordingClient(fail: (call: Call) => number | undefined = () => undefined) {
  const calls: Call[] = [];
  const respond = <T>(call: Call, result: T): Promise<T> => {
    calls.push(call);
    const code = fail(call);
    return code === undefined ? Promise.resolve(result) : Promise.reject(toKubeApiError({ verb: call.verb, path: '/api/v1/events' }, code, {}));
  };
  const client: Pick<KubeClient, 'create' | 'patch'> = {
    create: (_type, object) => respond({ verb: 'create', object }, object),
    patch: (_type, key, patch) => respond({ verb: 'patch', name: key.name, body: patch.type === 'merge' ? patch.body : undefined }, {} as never),
  };
  return { client, calls };
}

/** A logger that keeps each warning as one JSON line (fields and `msg`), as pino would write it. */
function lineLogger(lines: string[]): WarnLogger {
  return {
    warn: (fields, message) => {
      lines.push(JSON.stringify({ ...fields, msg: message }));
    },
  };
}

const scaled: KubeEvent = {
  subject: { apiVersion: 'apps.kruise.io/v1alpha1', kind: 'CloneSet', name: 'web', namespace: 'default', uid: 'u-1' },
  type: 'Normal',
  reason: 'SuccessfulCreate',
  message: 'succeed to create pod web-x7k2p',
};

describe('createEventRecorder', () => {
  it('creates a core/v1 Event with the object, source, timestamps and count 1', async () => {
    const clock = createFakeClock({ mode: 'manual', start: Date.UTC(2025, 0, 2, 3, 4, 5, 678) });
    const { client, calls } = recordingClient();
    const recorder = createEventRecorder({ client, component: 'cloneset-controller', host: 'manager-0', clock });
    recorder.emit(scaled);
    await recorder.flush();
    expect(calls).toEqual([
      {
        verb: 'create',
        object: {
          apiVersion: 'v1',
          kind: 'Event',
          metadata: { name: `web.${(BigInt(clock.now()) * 1_000_000n).toString(16)}`, namespace: 'default' },
          involvedObject: { apiVersion: 'apps.kruise.io/v1alpha1', kind: 'CloneSet', name: 'web', namespace: 'default', uid: 'u-1' },
          reason: 'SuccessfulCreate',
          message: 'succeed to create pod web-x7k2p',
          type: 'Normal',
          source: { component: 'cloneset-controller', host: 'manager-0' },
          firstTimestamp: '2025-01-02T03:04:05Z',
          lastTimestamp: '2025-01-02T03:04:05Z',
          count: 1,
          reportingComponent: 'cloneset-controller',
          reportingInstance: 'manager-0',
        },
      },
    ]);
  });

  it('aggregates identical events within the window into count patches, and starts over after it', async () => {
    const clock = createFakeClock({ mode: 'manual', start: Date.UTC(2025, 0, 1) });
    const { client, calls } = recordingClient();
    const recorder = createEventRecorder({ client, component: 'c', clock, aggregationWindowMs: 60_000 });
    recorder.emit(scaled);
    await recorder.flush();
    await clock.advance(30_000);
    recorder.emit(scaled);
    recorder.emit(scaled); // a burst: one patch carries count 3
    recorder.emit({ ...scaled, message: 'succeed to create pod web-other' });
    await recorder.flush();
    await clock.advance(61_000);
    recorder.emit(scaled);
    await recorder.flush();
    const first = calls[0]?.verb === 'create' ? calls[0].object.metadata.name : '';
    expect(calls.map((c) => (c.verb === 'create' ? ['create', (c.object as { count?: number }).count] : ['patch', c.name, c.body]))).toEqual([
      ['create', 1],
      ['patch', first, { count: 3, lastTimestamp: '2025-01-01T00:00:30Z', message: scaled.message }],
      ['create', 1],
      ['create', 1],
    ]);
  });

  it('creates the Event again when the patch finds it expired, and logs other failures', async () => {
    const clock = createFakeClock({ mode: 'manual', start: 1_700_000_000_000 });
    const lines: string[] = [];
    const logger = lineLogger(lines);
    const { client, calls } = recordingClient((call) => (call.verb === 'patch' ? 404 : calls.length > 2 ? 403 : undefined));
    const recorder = createEventRecorder({ client, component: 'c', clock, logger });
    recorder.emit(scaled);
    await recorder.flush();
    recorder.emit(scaled);
    await recorder.flush();
    expect(calls.map((c) => c.verb)).toEqual(['create', 'patch', 'create']);
    expect(calls[2]?.verb === 'create' && calls[2].object['count']).toBe(2);
    expect(lines.filter((l) => l.includes('failed to record event'))).toHaveLength(1);
  });

  it('keeps at most maxPending events waiting and drops the rest with a log line', async () => {
    const lines: string[] = [];
    const { client, calls } = recordingClient();
    const recorder = createEventRecorder({ client, component: 'c', clock: createFakeClock({ mode: 'manual', start: 1_700_000_000_000 }), maxPending: 2, logger: lineLogger(lines) });
    for (const n of [1, 2, 3, 4]) recorder.emit({ ...scaled, message: `m${String(n)}` });
    await recorder.flush();
    expect(calls.map((c) => (c.verb === 'create' ? (c.object as { message?: string }).message : ''))).toEqual(['m1', 'm2']);
    expect(lines.filter((l) => l.includes('dropping'))).toHaveLength(2);
  });

  it('a write the leader fence refuses drops every waiting event with one log line; later events are tried again', async () => {
    const lines: string[] = [];
    const calls: string[] = [];
    let leader = false;
    const fenced: Pick<KubeClient, 'create' | 'patch'> = {
      create: (_type, object) => {
        calls.push(String((object as { reason?: string }).reason));
        return leader ? Promise.resolve(object) : Promise.reject(new NotLeaderError('create events'));
      },
      patch: () => Promise.reject(new NotLeaderError('patch events')),
    };
    const recorder = createEventRecorder({ client: fenced, component: 'c', clock: createFakeClock({ mode: 'manual', start: 1_700_000_000_000 }), logger: lineLogger(lines) });
    for (const reason of ['A', 'B', 'C', 'D']) recorder.emit({ ...scaled, reason });
    await recorder.flush();
    expect(calls).toEqual(['A']);
    expect(lines).toEqual([JSON.stringify({ dropped: 4, msg: 'events dropped: this replica no longer holds the leader lease' })]);
    leader = true;
    recorder.emit({ ...scaled, reason: 'E' });
    recorder.emit({ ...scaled, reason: 'B' });
    await recorder.flush();
    expect(calls).toEqual(['A', 'E', 'B']);
  });

  it('records cluster-scoped subjects in the default namespace', async () => {
    const { client, calls } = recordingClient();
    const recorder = createEventRecorder({ client, component: 'c', clock: createFakeClock({ mode: 'manual', start: 1_700_000_000_000 }) });
    recorder.emit({ subject: { kind: 'Node', name: 'node-1' }, type: 'Warning', reason: 'ImagePullFailed', message: 'x' });
    await recorder.flush();
    expect(calls[0]?.verb === 'create' && calls[0].object.metadata).toEqual({ name: expect.stringMatching(/^node-1\.[0-9a-f]+$/) as unknown, namespace: 'default' });
  });

  it('500 similar events about one object cost at most 25 writes (client-go correlation)', async () => {
    const { client, calls } = recordingClient();
    const recorder = createEventRecorder({ client, component: 'c', clock: createFakeClock({ mode: 'manual', start: 1_700_000_000_000 }) });
    for (let i = 0; i < 500; i++) {
      recorder.emit({ ...scaled, message: `succeed to create pod web-${String(i)}` });
      if (i % 50 === 0) await recorder.flush();
    }
    await recorder.flush();
    expect(calls.length).toBeLessThanOrEqual(25);
    const creates = calls.flatMap((c) => (c.verb === 'create' ? [(c.object as { message?: string }).message] : []));
    expect(creates).toHaveLength(10);
    expect(creates[9]).toMatch(/^\(combined from similar events\): succeed to create pod web-/);
  });

  it('close writes what is queued, then drops later events', async () => {
    const { client, calls } = recordingClient();
    const recorder = createEventRecorder({ client, component: 'c', clock: createFakeClock({ mode: 'manual', start: 1_700_000_000_000 }) });
    recorder.emit(scaled);
    recorder.emit({ ...scaled, reason: 'SuccessfulDelete' });
    await recorder.close(2000);
    recorder.emit({ ...scaled, reason: 'Late' });
    await recorder.flush();
    expect(calls.map((c) => (c.verb === 'create' ? (c.object as { reason?: string }).reason : c.verb))).toEqual(['SuccessfulCreate', 'SuccessfulDelete']);
  });

  it('close gives up after its timeout on a stuck apiserver and logs what it dropped', async () => {
    const clock = createFakeClock({ mode: 'manual', start: 1_700_000_000_000 });
    const lines: string[] = [];
    let creates = 0;
    const stuck: Pick<KubeClient, 'create' | 'patch'> = {
      create: () => {
        creates += 1;
        return new Promise(() => undefined);
      },
      patch: () => new Promise(() => undefined),
    };
    const recorder = createEventRecorder({ client: stuck, component: 'c', clock, logger: lineLogger(lines) });
    for (const reason of ['A', 'B', 'C']) recorder.emit({ ...scaled, reason });
    let closed = false;
    const closing = recorder.close(2000).then(() => (closed = true));
    await clock.advance(1999);
    expect(closed).toBe(false);
    await clock.advance(1);
    await closing;
    expect(creates).toBe(1);
    expect(lines.filter((l) => l.includes('dropped'))).toEqual([expect.stringContaining('"dropped":2')]);
  });

  it('on the in-memory cluster: a daemon pull event goes to default with its source, a repeat raises its count, a write into a missing namespace is logged', async () => {
    await using cluster = await createMemoryCluster({ nodes: 0 });
    const lines: string[] = [];
    const recorder = createEventRecorder({ client: cluster.client, component: 'kruise-daemon-imagepuller', host: 'node-a', clock: cluster.clock, logger: lineLogger(lines) });
    const pulled: KubeEvent = { subject: { apiVersion: 'apps.kruise.io/v1beta1', kind: 'NodeImage', name: 'node-a' }, type: 'Normal', reason: 'PullImageSucceed', message: 'Image app:1, ecalpsedTime 3s' };
    recorder.emit(pulled);
    await recorder.flush();
    recorder.emit(pulled);
    recorder.emit({ subject: { kind: 'ImagePullJob', name: 'job', namespace: 'missing-ns' }, type: 'Warning', reason: 'PullImageFailed', message: 'x' });
    await recorder.flush();
    const events = (await cluster.client.list(Resources.Event, { namespace: 'default' })).items as unknown as Record<string, unknown>[];
    expect(events).toEqual([
      expect.objectContaining({ reason: 'PullImageSucceed', type: 'Normal', count: 2, source: { component: 'kruise-daemon-imagepuller', host: 'node-a' }, involvedObject: { apiVersion: 'apps.kruise.io/v1beta1', kind: 'NodeImage', name: 'node-a' } }),
    ]);
    expect(lines.filter((l) => l.includes('failed to record event'))).toHaveLength(1);
  });
});
