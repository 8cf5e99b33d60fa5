import { utf8Bytes } from '../shared/revision.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * Returns the standard (padded) base64 of the UTF-8 bytes of `text`: how Go's `encoding/json`
 * writes a `[]byte` such as OpenKruise's `metaDataPatch`.
 *
 * @example encodeBase64('{}') // 'e30='
 */
export function encodeBase64(text: string): string {
  const bytes = utf8Bytes(text);
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const chunk = ((bytes[i] ?? 0) << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = [18, 12, 6, 0].map((shift) => ALPHABET.charAt((chunk >> shift) & 63));
    const kept = Math.min(bytes.length - i, 3) + 1;
    out += chars.slice(0, kept).join('') + '='.repeat(4 - kept);
  }
  return out;
}

/**
 * Returns the text whose UTF-8 bytes `encoded` holds in base64 (standard or URL alphabet, padding
 * optional), or `undefined` when it is not base64 or not UTF-8.
 *
 * @example decodeBase64('e30=') // '{}'
 */
export function decodeBase64(encoded: string): string | undefined {
  const clean = encoded.replace(/=+$/, '').replaceAll('-', '+').replaceAll('_', '/');
  const bytes: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const char of clean) {
    const value = ALPHABET.indexOf(char);
    if (value < 0) return undefined;
    buffer = ((buffer << 6) | value) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((buffer >> bits) & 0xff);
    }
  }
  return decodeUtf8(bytes);
}

/** Returns the text of UTF-8 `bytes`, or `undefined` on a malformed sequence. */
function decodeUtf8(bytes: readonly number[]): string | undefined {
  let text = '';
  for (let i = 0; i < bytes.length; ) {
    const lead = bytes[i] ?? 0;
    const length = lead < 0x80 ? 1 : lead >= 0xf8 ? 0 : lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 0;
    if (length === 0 || i + length > bytes.length) return undefined;
    let code = length === 1 ? lead : lead & (0xff >> (length + 1));
    for (let k = 1; k < length; k++) {
      const continuation = bytes[i + k] ?? 0;
      if ((continuation & 0xc0) !== 0x80) return undefined;
      code = (code << 6) | (continuation & 0x3f);
    }
    if (code > 0x10ffff) return undefined;
    text += String.fromCodePoint(code);
    i += length;
  }
  return text;
}
