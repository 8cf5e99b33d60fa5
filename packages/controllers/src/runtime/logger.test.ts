import { describe, expect, it } from 'vitest';
import { createLogger, type LogLevel } from './logger.js';

function capture(level?: LogLevel) {
  const lines: Record<string, unknown>[] = [];
  const log = createLogger({ level, name: 'kruise-ts-manager', destination: { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) } });
  return { log, lines };
}

describe('createLogger', () => {
  it('writes JSON lines with fields, a level word, a time and the child bindings', () => {
    const { log, lines } = capture();
    log.child({ controller: 'cloneset' }).info({ key: 'default/web', action: 'scale' }, 'scaled up');
    expect(lines).toEqual([
      { level: 'info', time: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/) as unknown, name: 'kruise-ts-manager', controller: 'cloneset', key: 'default/web', action: 'scale', msg: 'scaled up' },
    ]);
  });

  it.each([
    { level: 'warn' as const, written: ['warn', 'error'] },
    { level: 'debug' as const, written: ['debug', 'info', 'warn', 'error'] },
    { level: 'silent' as const, written: [] },
  ])('level $level writes $written', ({ level, written }) => {
    const { log, lines } = capture(level);
    log.debug('d');
    log.info('i');
    log.warn('w');
    log.error('e');
    expect(lines.map((l) => l.level)).toEqual(written);
  });
});
