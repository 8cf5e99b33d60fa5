import type { IncomingMessage, ServerResponse } from 'node:http';

/** The body of a request: its text, or that it was larger than allowed, or that the client went away. */
export type RequestBody = { readonly kind: 'ok'; readonly text: string } | { readonly kind: 'too-large' } | { readonly kind: 'aborted' };

/**
 * Returns the body of `request` as UTF-8 text once it ended, `too-large` as soon as more than
 * `limit` bytes arrived (what follows is read and dropped, not kept), or `aborted` when the client
 * closed the connection first.
 */
export function readRequestBody(request: IncomingMessage, limit: number): Promise<RequestBody> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (result: RequestBody): void => {
      if (settled) return;
      settled = true;
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('close', onClose);
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) settle({ kind: 'too-large' });
      else chunks.push(chunk);
    };
    const onEnd = (): void => {
      settle({ kind: 'ok', text: Buffer.concat(chunks).toString('utf8') });
    };
    const onClose = (): void => {
      settle({ kind: 'aborted' });
    };
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('close', onClose);
    request.on('error', () => undefined); // 'close' follows and settles
  });
}

/**
 * Reads and drops the rest of `request` so that a response sent early (404, 413, 415...) reaches a
 * client still writing its body. Past `capBytes` more, the connection is closed once the response
 * has been flushed: a client sending gigabytes does not keep the server reading.
 */
export function discardRequestBody(request: IncomingMessage, response: ServerResponse, capBytes: number): void {
  let seen = 0;
  let closing = false;
  const close = (): void => {
    request.socket.destroy();
  };
  request.on('error', () => undefined);
  request.on('data', (chunk: Buffer) => {
    seen += chunk.length;
    if (seen <= capBytes || closing) return;
    closing = true;
    if (response.writableFinished) close();
    else response.once('finish', close);
  });
  request.resume();
}
