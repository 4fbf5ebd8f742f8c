/**
 * E-mail addresses `firstname.lastname[digits]@provider`, canonical (lower case, accents
 * folded), each given to one person only.
 *
 * Uniqueness without remembering addresses: the local part is `first sep last suffix`, where
 * the suffix is empty for the first person of a (first, last) pair who wants none, two digits
 * of the birth year for the first of a (first, last, year) triple, else a number of three or
 * more digits never handed out before. Bit sets over name pairs (and pairs × years) record
 * which of the first two forms are taken, whatever the separator and provider, so two
 * people can never meet on one address (names.test.ts checks that the folded pairs
 * themselves never collide).
 */
import { EMAIL_PROVIDERS, EMAIL_PROVIDER_WEIGHTS } from './data/index.js';
import type { Rng } from './rng.js';
import { fmix32 } from './rng.js';
import { BitSet, UniquePool } from './unique.js';

const PROVIDER_TOTAL = EMAIL_PROVIDER_WEIGHTS.reduce((a, b) => a + b, 0);
const SEPARATORS = ['.', '.', '.', '.', '.', '_', ''];

export class EmailAllocator {
  private readonly bare = new BitSet(1 << 16);
  private readonly withYear = new BitSet(1 << 20);
  /** Pools of 3-digit, 4-digit, … suffixes, opened as the previous one is spent. */
  private readonly numbered: UniquePool[] = [];

  constructor(private readonly key: number) {}

  /**
   * A new address for a person.
   * @param first folded given name, `last` folded surname
   * @param pair index of the (given name, surname) pair; `yy` birth year modulo 100
   */
  next(first: string, last: string, pair: number, yy: number, rng: Rng): string {
    const sep = rng.pick(SEPARATORS);
    const provider = EMAIL_PROVIDERS[rng.weighted(EMAIL_PROVIDER_WEIGHTS, PROVIDER_TOTAL)] as string;
    const r = rng.float();
    let suffix: string;
    if (r < 0.5 && this.bare.add(pair)) suffix = '';
    else if (r < 0.8 && this.withYear.add(pair * 100 + yy)) suffix = yy < 10 ? `0${yy}` : String(yy);
    else suffix = this.numberedSuffix();
    return `${first}${sep}${last}${suffix}@${provider}`;
  }

  private numberedSuffix(): string {
    for (let d = 0; d < 12; d++) {
      let pool = this.numbered[d];
      const digits = d + 3;
      if (!pool) {
        pool = new UniquePool(9 * 10 ** (digits - 1), fmix32(this.key + digits));
        this.numbered[d] = pool;
      }
      const v = pool.take();
      if (v >= 0) return String(10 ** (digits - 1) + v);
    }
    throw new RangeError('e-mail suffix space exhausted');
  }
}
