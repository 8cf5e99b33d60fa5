/**
 * Yields each JSON value of a newline-delimited JSON byte stream (a watch response body).
 * A line that is not valid JSON is an error, never silently dropped.
 */
export async function* readNdjson(body: AsyncIterable<Uint8Array>): AsyncGenerator {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    let newline = buffer.indexOf('\n');
    while (newline >= 0) {
      const line = buffer.slice(0, newline).trim();
      buffer = buffer.slice(newline + 1);
      if (line !== '') yield JSON.parse(line) as unknown;
      newline = buffer.indexOf('\n');
    }
  }
  const rest = (buffer + decoder.decode()).trim();
  if (rest !== '') yield JSON.parse(rest) as unknown;
}
