/**
 * Seeded randomness for the generator: everything Vigie generates is a pure function of the
 * seed, so a benchmark or a test can name its input by `(options, seed)` and get the same bytes.
 * `Math.random` is never used.
 */

/** MurmurHash3's 32-bit finaliser: a cheap, well-mixing bijection on 32-bit integers. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** splitmix32, used only to spread a small seed over sfc32's 128-bit state. */
function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return (z ^ (z >>> 15)) >>> 0;
}

/**
 * sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, PractRand-clean), 32-bit
 * integer arithmetic only: no BigInt, no allocation per draw.
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** @param seed any integer; `stream` separates independent sequences from one seed. */
  constructor(seed: number, stream = 0) {
    const st = { s: (seed ^ Math.imul(stream + 1, 0x632be5ab)) | 0 };
    this.a = splitmix32(st);
    this.b = splitmix32(st);
    this.c = splitmix32(st);
    this.d = 1;
    // The first outputs of a fresh sfc32 are weakly mixed: discard them, as its author advises.
    for (let i = 0; i < 12; i++) this.next();
  }

  /** A uniform 32-bit unsigned integer. */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A uniform float in [0, 1). */
  float(): number {
    return this.next() / 4294967296;
  }

  /** A uniform integer in [0, n), n ≤ 2^32 (bias below 2^-32 · n: irrelevant here). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.float() < p;
  }

  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }

  /**
   * An index in [0, n) skewed towards 0 (density ∝ x^-1/3): a few common names or cities,
   * a long tail of rare ones, as in real populations.
   */
  skewed(n: number): number {
    const u = this.float();
    return Math.floor(n * u * Math.sqrt(u));
  }

  /** An index drawn with the given non-negative weights (linear scan: lists here are short). */
  weighted(weights: readonly number[], total: number): number {
    let x = this.float() * total;
    for (let i = 0; i < weights.length; i++) {
      x -= weights[i] as number;
      if (x < 0) return i;
    }
    return weights.length - 1;
  }

  /** `n` decimal digits, zero-padded (n ≤ 9). */
  digits(n: number): string {
    return String(this.int(10 ** n)).padStart(n, '0');
  }
}
