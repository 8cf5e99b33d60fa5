import { randomInt } from 'node:crypto';

// Kubernetes' rand.String alphabet: no vowels (no words), no look-alikes (0/o, 1/l).
const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** Returns `count` random 5-character instance-id suffixes, as OpenKruise generates them. */
export function randomSuffixes(count: number): string[] {
  return Array.from({ length: count }, () => Array.from({ length: 5 }, () => ALPHABET[randomInt(ALPHABET.length)] ?? 'b').join(''));
}
