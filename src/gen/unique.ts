/**
 * Values that are unique by construction. The ground truth must count distinct values
 * exactly for millions of rows without keeping them: so every identifier (phone, NIR, IBAN,
 * SIRET, e-mail suffix, account id) is drawn from its own space through a counter and a keyed
 * bijection. Two people never share one, and "distinct values" reduces to "people whose value
 * was written validly at least once", one bit per person.
 */
import { fmix32 } from './rng.js';

/**
 * A keyed pseudo-random bijection on [0, n): a 4-round balanced Feistel network on the
 * smallest even bit width covering n, with cycle walking (Black & Rogaway, 2002) to stay
 * below n. A Feistel network is a bijection whatever its round function; fmix32 just makes
 * consecutive inputs look unrelated. n may go up to 2^52.
 */
export class Permutation {
  private readonly half: number;
  private readonly halfSize: number;
  private readonly mask: number;
  private readonly keys: Uint32Array;

  constructor(
    readonly n: number,
    key: number,
  ) {
    if (!Number.isSafeInteger(n) || n < 1 || n > 2 ** 52) throw new RangeError('permutation size out of range');
    let bits = 2;
    while (2 ** bits < n) bits += 2;
    this.half = bits / 2;
    this.halfSize = 2 ** this.half;
    this.mask = this.halfSize - 1;
    this.keys = new Uint32Array(4);
    for (let r = 0; r < 4; r++) this.keys[r] = fmix32((key ^ Math.imul(r + 1, 0x9e3779b9)) >>> 0);
  }

  /** The image of x, for 0 ≤ x < n. */
  map(x: number): number {
    let v = x;
    do v = this.round4(v);
    while (v >= this.n);
    return v;
  }

  private round4(v: number): number {
    // Halves are below 2^26, so XOR and masking stay within 32-bit integers.
    let l = Math.floor(v / this.halfSize);
    let r = v - l * this.halfSize;
    const k = this.keys;
    for (let i = 0; i < 4; i++) {
      const f = fmix32((r ^ (k[i] as number)) >>> 0) & this.mask;
      const t = r;
      r = (l ^ f) & this.mask;
      l = t;
    }
    return l * this.halfSize + r;
  }
}

/**
 * A pool of `size` values handed out once each, in a scrambled order. `take()` returns the
 * next value in [0, size), or -1 once the pool is spent (the caller then falls back to
 * another pool: a generator must never repeat an identifier silently).
 */
export class UniquePool {
  private readonly perm: Permutation;
  private used = 0;

  constructor(
    readonly size: number,
    key: number,
  ) {
    this.perm = new Permutation(size, key);
  }

  take(): number {
    if (this.used >= this.size) return -1;
    return this.perm.map(this.used++);
  }

  get taken(): number {
    return this.used;
  }
}

/** A growable bit set indexed by small non-negative integers. */
export class BitSet {
  private words: Uint32Array;

  constructor(initialBits = 1024) {
    this.words = new Uint32Array(Math.max(1, Math.ceil(initialBits / 32)));
  }

  has(i: number): boolean {
    const w = i >>> 5;
    return w < this.words.length && ((this.words[w] as number) & (1 << (i & 31))) !== 0;
  }

  /** Sets bit i; returns true if it was clear. */
  add(i: number): boolean {
    const w = i >>> 5;
    if (w >= this.words.length) {
      let len = this.words.length * 2;
      while (len <= w) len *= 2;
      const next = new Uint32Array(len);
      next.set(this.words);
      this.words = next;
    }
    const bit = 1 << (i & 31);
    const old = this.words[w] as number;
    if ((old & bit) !== 0) return false;
    this.words[w] = old | bit;
    return true;
  }
}
