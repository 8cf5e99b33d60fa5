import { describe, expect, it } from 'vitest';
import { readNdjson } from './readNdjson.js';

async function collect(chunks: string[]): Promise<unknown[]> {
  const encoder = new TextEncoder();
  const body = (): AsyncIterable<Uint8Array> => ReadableStream.from(chunks.map((c) => encoder.encode(c)));
  const out: unknown[] = [];
  for await (const value of readNdjson(body())) out.push(value);
  return out;
}

describe('readNdjson', () => {
  it('joins values split across chunks, including a multi-byte character', async () => {
    const text = '{"a":1}\n{"b":"é"}\n';
    const bytes = new TextEncoder().encode(text);
    const cut = bytes.indexOf(0xc3) + 1; // split inside "é"
    const body = ReadableStream.from([bytes.subarray(0, 3), bytes.subarray(3, cut), bytes.subarray(cut)]);
    const out: unknown[] = [];
    for await (const v of readNdjson(body)) out.push(v);
    expect(out).toEqual([{ a: 1 }, { b: 'é' }]);
  });

  it('reads a last line without newline and skips blank lines', async () => {
    expect(await collect(['{"a":1}\n\n', '{"b":2}'])).toEqual([{ a: 1 }, { b: 2 }]);
  });

  it('fails on a line that is not JSON instead of dropping it', async () => {
    await expect(collect(['{"a":1}\nnot json\n'])).rejects.toThrow(SyntaxError);
  });
});
