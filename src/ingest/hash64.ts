/**
 * A fast, non-cryptographic 64-bit string hash, used only in memory to count distinct
 * values (never stored, never a pseudonym: pseudonyms are keyed HMACs, see pseudonymise/).
 *
 * Two independent 32-bit lanes (MurmurHash3's multiply-rotate step with different seeds,
 * finalised with fmix32) over UTF-16 code units taken two at a time as one 32-bit block, as
 * MurmurHash3 takes its 4-byte blocks; an odd last unit is a block of its own. For n distinct
 * values the chance of any collision is about n² / 2^65: 5·10⁻⁵ for 45 million values.
 */
export function hash64(s: string, out: Uint32Array, at: number): void {
  let h1 = 0x9747b28c;
  let h2 = 0x5bd1e995;
  const n = s.length;
  for (let i = 0; i < n; i += 2) {
    const c = i + 1 < n ? s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16) : s.charCodeAt(i);
    let k = Math.imul(c, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h1 ^= k;
    h1 = (h1 << 13) | (h1 >>> 19);
    h1 = (Math.imul(h1, 5) + 0xe6546b64) | 0;
    let j = Math.imul(c ^ 0x55555555, 0x85ebca6b);
    j = (j << 17) | (j >>> 15);
    j = Math.imul(j, 0xc2b2ae35);
    h2 ^= j;
    h2 = (h2 << 11) | (h2 >>> 21);
    h2 = (Math.imul(h2, 9) + 0x7f4a7c15) | 0;
  }
  out[at] = fmix32(h1 ^ n);
  out[at + 1] = fmix32(h2 ^ Math.imul(n, 0x27d4eb2f));
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
