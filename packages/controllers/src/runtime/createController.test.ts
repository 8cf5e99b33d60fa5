import { ConflictError, createFakeClock, flushEventLoop } from '@kruise-ts/k8s-adapter';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createController, type ReconcileContext, type ReconcileResult } from './createController.js';
import { createLogger, type Logger } from './logger.js';
import { createRuntimeMetrics } from './metrics.js';
import { TerminalError } from './terminalError.js';
import { createFakeInformer, fakeObject } from './testing/fakeInformer.testkit.js';
import { enqueueObject } from './watches.js';

type Handler = (key: string, context: ReconcileContext) => Promise<ReconcileResult>;

function setup(handler: Handler, options: { concurrency?: number; logger?: Logger } = {}) {
  const clock = createFakeClock({ mode: 'manual', start: 1_700_000_000_000 });
  const informer = createFakeInformer();
  const registry = new Registry();
  const calls: { key: string; attempt: number }[] = [];
  const controller = createController({
    name: 'demo',
    watches: [enqueueObject(informer)],
    reconcile: (key, context) => {
      calls.push({ key, attempt: context.attempt });
      return handler(key, context);
    },
    concurrency: options.concurrency,
    logger: options.logger,
    clock,
    metrics: createRuntimeMetrics(registry),
    queue: { rateLimit: { qps: 0, burst: 0 } },
  });
  const abort = new AbortController();
  const add = (name: string) => { informer.emit({ type: 'added', object: fakeObject('default', name) }); };
  const total = async (result: string) =>
    (await registry.getSingleMetric('controller_runtime_reconcile_total')?.get())?.values.find((v) => v.labels.result === result)?.value;
  return { clock, informer, controller, calls, abort, add, registry, total };
}

const done = (): Promise<ReconcileResult> => Promise.resolve({ kind: 'done' });

describe('createController', () => {
  it('queues events before the caches sync and reconciles them after', async () => {
    const t = setup(done);
    const running = t.controller.start(t.abort.signal);
    t.add('a');
    await flushEventLoop();
    expect(t.controller.state).toBe('syncing');
    expect(t.calls).toEqual([]);
    t.informer.markSynced();
    await flushEventLoop();
    expect(t.controller.state).toBe('running');
    expect(t.calls).toEqual([{ key: 'default/a', attempt: 1 }]);
    expect(await t.total('success')).toBe(1);
    await t.controller.stop();
    await running;
    expect(t.controller.state).toBe('stopped');
  });

  it('requeues after the asked delay', async () => {
    const results: ReconcileResult[] = [{ kind: 'requeue', afterMs: 30_000 }, { kind: 'done' }];
    const t = setup(() => Promise.resolve(results.shift() ?? { kind: 'done' }));
    t.informer.markSynced();
    const running = t.controller.start(t.abort.signal);
    t.add('a');
    await t.clock.advance(29_999);
    expect(t.calls).toHaveLength(1);
    await t.clock.advance(1);
    expect(t.calls).toHaveLength(2);
    expect(await t.total('requeue_after')).toBe(1);
    t.abort.abort();
    await running;
  });

  it('retries a failing key with backoff and a growing attempt, then resets on success', async () => {
    let failures = 2;
    const t = setup(() => (failures-- > 0 ? Promise.reject(new Error('conflict')) : done()));
    t.informer.markSynced();
    const running = t.controller.start(t.abort.signal);
    t.add('a');
    await t.clock.advance(4);
    expect(t.calls.map((c) => c.attempt)).toEqual([1]);
    await t.clock.advance(1); // backoff 5 ms
    await t.clock.advance(10); // backoff 10 ms
    expect(t.calls.map((c) => c.attempt)).toEqual([1, 2, 3]);
    t.add('a');
    await flushEventLoop();
    expect(t.calls.map((c) => c.attempt)).toEqual([1, 2, 3, 1]);
    expect(t.controller.queue.numRequeues('default/a')).toBe(0);
    expect(await t.total('error')).toBe(2);
    t.abort.abort();
    await running;
  });

  it('logs an ordinary 409 conflict at debug with the request and no stack; another failure at error with its stack', async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger({ level: 'debug', destination: { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) } });
    const conflict = new ConflictError({ verb: 'PATCH', path: '/api/v1/namespaces/default/pods/a-0' }, 409, { reason: 'Conflict', message: 'the object has been modified' });
    const errors: Error[] = [conflict, new Error('disk on fire')];
    const t = setup(() => { const error = errors.shift(); return error === undefined ? done() : Promise.reject(error); }, { logger });
    t.informer.markSynced();
    const running = t.controller.start(t.abort.signal);
    t.add('a');
    await t.clock.advance(5);
    await t.clock.advance(10);
    const retries = lines.filter((l) => l.msg === 'reconcile failed; will retry');
    expect(retries.map((l) => [l.level, l.conflict, l.request, l.message, 'err' in l])).toEqual([
      ['debug', 'Conflict', 'PATCH /api/v1/namespaces/default/pods/a-0', 'the object has been modified', false],
      ['error', undefined, undefined, undefined, true],
    ]);
    expect((retries[1]?.err as { stack?: string }).stack).toContain('disk on fire');
    t.abort.abort();
    await running;
  });

  it('drops a key that throws a TerminalError and counts a terminal error', async () => {
    const t = setup(() => Promise.reject(new Error('wrapped', { cause: new TerminalError('spec is invalid') })));
    t.informer.markSynced();
    const running = t.controller.start(t.abort.signal);
    t.add('a');
    await t.clock.advance(60_000);
    expect(t.calls).toHaveLength(1);
    const terminal = await t.registry.getSingleMetric('controller_runtime_terminal_reconcile_errors_total')?.get();
    expect(terminal?.values[0]?.value).toBe(1);
    t.abort.abort();
    await running;
  });

  it('never reconciles one key twice at once; an event during a reconcile runs it once more', async () => {
    const gates: (() => void)[] = [];
    let running = 0;
    let maxRunning = 0;
    const t = setup(
      () =>
        new Promise((resolve) => {
          running += 1;
          maxRunning = Math.max(maxRunning, running);
          gates.push(() => {
            running -= 1;
            resolve({ kind: 'done' });
          });
        }),
      { concurrency: 4 },
    );
    t.informer.markSynced();
    const started = t.controller.start(t.abort.signal);
    t.add('a');
    await flushEventLoop();
    t.add('a');
    t.add('a');
    t.add('b');
    await flushEventLoop();
    expect(t.calls.map((c) => c.key)).toEqual(['default/a', 'default/b']);
    for (const open of gates.splice(0)) open();
    await flushEventLoop();
    expect(t.calls.map((c) => c.key)).toEqual(['default/a', 'default/b', 'default/a']);
    expect(maxRunning).toBe(2);
    for (const open of gates.splice(0)) open();
    await t.controller.stop();
    await started;
  });

  it('stop() lets the reconcile in flight finish without aborting it', async () => {
    let finish = (): void => undefined;
    let seen: AbortSignal | undefined;
    const t = setup((_key, { signal }) => {
      seen = signal;
      return new Promise((resolve) => (finish = () => { resolve({ kind: 'done' }); }));
    });
    t.informer.markSynced();
    const running = t.controller.start(t.abort.signal);
    t.add('a');
    await flushEventLoop();
    let stopped = false;
    const stopping = t.controller.stop().then(() => (stopped = true));
    await flushEventLoop();
    expect([t.controller.state, stopped, seen?.aborted]).toEqual(['stopping', false, false]);
    finish();
    await stopping;
    await running;
    expect(t.controller.state).toBe('stopped');
  });

  it('aborting the start signal aborts the reconciles in flight and drains', async () => {
    const t = setup((_key, { signal }) => new Promise((_resolve, reject) => { signal.addEventListener('abort', () => { reject(new Error('aborted')); }); }));
    t.informer.markSynced();
    const running = t.controller.start(t.abort.signal);
    t.add('a');
    await flushEventLoop();
    t.abort.abort();
    await running;
    expect(t.controller.state).toBe('stopped');
    expect(t.calls).toHaveLength(1);
  });

  it('rejects start when a cache fails to sync, and can be stopped before it starts', async () => {
    const t = setup(done);
    const running = t.controller.start(t.abort.signal);
    t.informer.failSync(new Error('forbidden: list pods'));
    await expect(running).rejects.toThrow('forbidden');
    expect(t.controller.state).toBe('stopped');
    const idle = setup(done);
    await idle.controller.stop();
    await expect(idle.controller.start(idle.abort.signal)).rejects.toThrow('cannot start: it is stopped');
  });
});
