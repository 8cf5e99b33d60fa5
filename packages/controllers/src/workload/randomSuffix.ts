import { randomInt } from 'node:crypto';

// Kubernetes' rand.String alphabet: no vowels (no words), no look-alikes (0/o, 1/l).
const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * Returns a random 5-character instance-id suffix, as OpenKruise generates them (27^5, about 14
 * million values); core's planners draw one per pod they create.
 */
export function randomSuffix(): string {
  return Array.from({ length: 5 }, () => ALPHABET[randomInt(ALPHABET.length)] ?? 'b').join('');
}
