import { EventEmitter } from 'node:events';
import { flushEventLoop } from '../memory/fakeClock.js';
import { describe, expect, it } from 'vitest';
import { onShutdownSignals, type SignalTarget } from './shutdownSignals.js';

function fakeProcess() {
  const emitter = new EventEmitter();
  const exits: number[] = [];
  const target: SignalTarget = {
    on: (event, listener) => emitter.on(event, listener),
    off: (event, listener) => emitter.off(event, listener),
    exit: (code) => exits.push(code),
  };
  return { emitter, target, exits };
}

describe('onShutdownSignals', () => {
  it('calls the handler once on SIGTERM, and exits 1 on a second signal', async () => {
    const { emitter, target, exits } = fakeProcess();
    const seen: string[] = [];
    onShutdownSignals((signal) => void seen.push(signal), { target });
    emitter.emit('SIGTERM', 'SIGTERM');
    await flushEventLoop();
    expect([seen, exits]).toEqual([['SIGTERM'], []]);
    emitter.emit('SIGINT', 'SIGINT');
    expect([seen, exits]).toEqual([['SIGTERM'], [1]]);
  });

  it('reports a failing handler to onError', async () => {
    const { emitter, target } = fakeProcess();
    const errors: unknown[] = [];
    onShutdownSignals(() => Promise.reject(new Error('lease release failed')), { target, onError: (e) => errors.push(e) });
    emitter.emit('SIGINT', 'SIGINT');
    await flushEventLoop();
    expect(errors).toEqual([new Error('lease release failed')]);
  });

  it('removes its listeners when disposed', () => {
    const { emitter, target } = fakeProcess();
    const dispose = onShutdownSignals(() => undefined, { target });
    expect(emitter.listenerCount('SIGTERM') + emitter.listenerCount('SIGINT')).toBe(2);
    dispose();
    expect(emitter.listenerCount('SIGTERM') + emitter.listenerCount('SIGINT')).toBe(0);
  });
});
