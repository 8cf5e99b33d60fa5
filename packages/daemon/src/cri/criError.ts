/**
 * A failed CRI call: which method, which image or container it was about, and the gRPC status
 * (`NOT_FOUND`, `UNAVAILABLE`, `DEADLINE_EXCEEDED`, `CANCELLED`...) with the runtime's detail.
 *
 * @example
 * ```ts
 * new CriError({ method: 'PullImage', subject: '127.0.0.1:5000/missing:1', code: 'NOT_FOUND', details: 'failed to resolve reference' })
 * // message: 'CRI PullImage "127.0.0.1:5000/missing:1" failed: NOT_FOUND: failed to resolve reference'
 * ```
 */
export class CriError extends Error {
  readonly _tag = 'CriError' as const;
  /** CRI method, e.g. `PullImage`. */
  readonly method: string;
  /** The image or container the call was about (empty for list calls). */
  readonly subject: string;
  /** gRPC status name, e.g. `NOT_FOUND`. */
  readonly code: string;
  /** The runtime's detail text. */
  readonly details: string;

  constructor(fields: { method: string; subject: string; code: string; details: string }, options?: { cause?: unknown }) {
    const about = fields.subject === '' ? '' : ` ${JSON.stringify(fields.subject)}`;
    super(`CRI ${fields.method}${about} failed: ${fields.code}: ${fields.details}`, options);
    this.name = 'CriError';
    this.method = fields.method;
    this.subject = fields.subject;
    this.code = fields.code;
    this.details = fields.details;
  }
}
