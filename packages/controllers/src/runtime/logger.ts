import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';

/** A structured JSON logger (pino): fields first, then the message, `log.info({ controller, key }, 'synced')`. */
export type Logger = PinoLogger;

/** Log levels from most to least verbose, plus `silent`. */
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** Least severe level written (default `info`). */
  readonly level?: LogLevel | undefined;
  /** Component name written as `name` on every line, e.g. `kruise-ts-manager`. */
  readonly name?: string | undefined;
  /** Fields written on every line (default none: no pid/hostname noise). */
  readonly base?: Readonly<Record<string, unknown>> | undefined;
  /** Where lines go (default stdout); tests pass a stream to read them back. */
  readonly destination?: DestinationStream | undefined;
}

/**
 * Returns a pino logger writing one JSON object per line, with the level as a word and an ISO
 * time: `{"level":"info","time":"2025-…Z","controller":"cloneset","key":"default/web","msg":"scaled"}`.
 * Controllers take child loggers: `log.child({ controller: 'cloneset' })`.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { ...(options.name === undefined ? {} : { name: options.name }), ...options.base },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination,
  );
}
