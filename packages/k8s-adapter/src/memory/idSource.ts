import { createHash } from 'node:crypto';

/** Deterministic identifiers: the same seed gives the same uids and name suffixes in the same order. */
export interface IdSource {
  /** Returns the next uid, shaped like a v4 UUID: `3f2a9c1e-7b4d-4e0f-9a61-0c5d8e2f4b7a`. */
  uid(): string;
  /** Returns the next 5-character suffix for `generateName`, from the apiserver's alphabet. */
  nameSuffix(): string;
}

const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** Returns an {@link IdSource} counting from `seed` (hashing seed and counter with SHA-256). */
export function createIdSource(seed: string | number = 0): IdSource {
  let counter = 0;
  const next = (): Buffer => createHash('sha256').update(`${String(seed)}:${String(counter++)}`).digest();
  return {
    uid() {
      const hex = next().toString('hex');
      const variant = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
    },
    nameSuffix() {
      return [...next().subarray(0, 5)].map((byte) => ALPHABET[byte % ALPHABET.length] ?? 'x').join('');
    },
  };
}
