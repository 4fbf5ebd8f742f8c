/**
 * Phone numbers: allocation of unique, valid numbers and their usual French writings.
 *
 * Ranges follow the numbering plans as encoded in libphonenumber's `max` metadata (ARCEP for
 * metropolitan France; the overseas plans for +590, +594, +596, +262): only sub-ranges whose
 * every number is valid are used, so each allocated number validates (phones.test.ts checks
 * it with libphonenumber-js in the number's own region).
 */
import type { PhoneZone } from './data/index.js';
import type { Rng } from './rng.js';
import { UniquePool } from './unique.js';

interface Block {
  cc: string;
  /** National significant number beginnings; with `tail` digits after them, 9 digits in all. */
  heads: readonly string[];
  tail: number;
}

function heads(prefix: string, digits: string): string[] {
  return [...digits].map((d) => prefix + d);
}

const BLOCKS = {
  // Mobiles: 06 except 063x/069x (partly unallocated), 07 only 073–079.
  m6: { cc: '33', heads: heads('6', '01245678'), tail: 7 },
  m7: { cc: '33', heads: heads('7', '3456789'), tail: 7 },
  // Landlines by ARCEP zone, skipping leading digits that are unallocated (040x) or read as
  // overseas or Saint-Pierre-et-Miquelon numbers when written nationally (026x, 0508, 059x).
  f1: { cc: '33', heads: heads('1', '0123456789'), tail: 7 },
  f2: { cc: '33', heads: heads('2', '012345789'), tail: 7 },
  f3: { cc: '33', heads: heads('3', '0123456789'), tail: 7 },
  f4: { cc: '33', heads: heads('4', '123456789'), tail: 7 },
  f5: { cc: '33', heads: heads('5', '12345678'), tail: 7 },
  GPm: { cc: '590', heads: ['690'], tail: 6 },
  GPf: { cc: '590', heads: ['5909'], tail: 5 },
  MQm: { cc: '596', heads: ['696', '697'], tail: 6 },
  MQf: { cc: '596', heads: heads('596', '034567'), tail: 5 },
  GFm: { cc: '594', heads: heads('694', '01249'), tail: 5 },
  GFf: { cc: '594', heads: heads('594', '02349'), tail: 5 },
  REm: { cc: '262', heads: [...heads('692', '0123456789'), '6934'], tail: 5 },
  REf: { cc: '262', heads: ['262'], tail: 6 },
  YTm: { cc: '262', heads: heads('639', '267'), tail: 5 },
  YTf: { cc: '262', heads: ['2696'], tail: 5 },
} as const satisfies Record<string, Block>;

type BlockName = keyof typeof BLOCKS;

/**
 * Hands out phone numbers, each at most once. When a block is spent (a few million numbers
 * for the smallest), it falls back to metropolitan mobiles, then throws: with 150 million
 * mobiles that is beyond any dataset the generator accepts.
 */
export class PhoneAllocator {
  private readonly pools = new Map<BlockName, UniquePool>();

  constructor(private readonly key: number) {}

  /** A new E.164 number for a resident of `zone`: a mobile when `mobile`, else a landline. */
  allocate(zone: PhoneZone, mobile: boolean, rng: Rng): string {
    let name: BlockName;
    if (zone.length === 2) name = `${zone as 'GP' | 'MQ' | 'GF' | 'RE' | 'YT'}${mobile ? 'm' : 'f'}`;
    else if (mobile) name = rng.chance(0.72) ? 'm6' : 'm7';
    else name = `f${zone as '1' | '2' | '3' | '4' | '5'}`;
    for (const candidate of [name, 'm6', 'm7'] as BlockName[]) {
      const n = this.take(candidate);
      if (n !== null) return n;
    }
    throw new RangeError('phone number space exhausted');
  }

  private take(name: BlockName): string | null {
    const block: Block = BLOCKS[name];
    const scale = 10 ** block.tail;
    let pool = this.pools.get(name);
    if (!pool) {
      pool = new UniquePool(block.heads.length * scale, this.key ^ (name.charCodeAt(0) << 8) ^ name.charCodeAt(1));
      this.pools.set(name, pool);
    }
    const v = pool.take();
    if (v < 0) return null;
    const head = block.heads[Math.floor(v / scale)] as string;
    return `+${block.cc}${head}${String(v % scale).padStart(block.tail, '0')}`;
  }
}

/** The usual writings of a phone number. `any` lets `writePhone` choose. */
export const PHONE_STYLES = [
  'national-spaced', // 06 12 34 56 78 · 0690 12 34 56 or 06 90 12 34 56
  'national-dotted', // 06.12.34.56.78
  'national-dashed', // 06-12-34-56-78
  'national-compact', // 0612345678
  'intl-spaced', // +33 6 12 34 56 78 · +590 690 12 34 56
  'intl-compact', // +33612345678
  'intl-00', // 0033 6 12 34 56 78 · 00590 690 12 34 56
] as const;
export type PhoneStyle = (typeof PHONE_STYLES)[number];

/** Relative frequency of each style when `any` is asked, national spaced first as in real files. */
const STYLE_WEIGHTS = [34, 12, 4, 22, 12, 12, 4];
const STYLE_TOTAL = STYLE_WEIGHTS.reduce((a, b) => a + b, 0);

function pairs(s: string, sep: string): string {
  let out = s.slice(0, 2);
  for (let i = 2; i < s.length; i += 2) out += sep + s.slice(i, i + 2);
  return out;
}

/**
 * One writing of an E.164 French number (metropolitan `+33` or overseas `+590`, `+594`,
 * `+596`, `+262`); every writing denotes the same number in its own region.
 * @example writePhone('+33612345678', 'national-dotted', rng) // '06.12.34.56.78'
 * @example writePhone('+590690123456', 'intl-spaced', rng) // '+590 690 12 34 56'
 */
export function writePhone(e164: string, style: PhoneStyle | 'any', rng: Rng): string {
  const s: PhoneStyle = style === 'any' ? (PHONE_STYLES[rng.weighted(STYLE_WEIGHTS, STYLE_TOTAL)] as PhoneStyle) : style;
  const metro = e164.startsWith('+33');
  const cc = metro ? '33' : e164.slice(1, 4);
  const nsn = e164.slice(1 + cc.length);
  const national = `0${nsn}`;
  switch (s) {
    case 'national-spaced':
      // Overseas numbers are grouped 4-2-2-2 as often as 2-2-2-2-2.
      if (!metro && rng.chance(0.5)) return `${national.slice(0, 4)} ${pairs(national.slice(4), ' ')}`;
      return pairs(national, ' ');
    case 'national-dotted':
      return pairs(national, '.');
    case 'national-dashed':
      return pairs(national, '-');
    case 'national-compact':
      return national;
    case 'intl-compact':
      return e164;
    case 'intl-spaced':
    case 'intl-00': {
      const lead = s === 'intl-spaced' ? `+${cc}` : `00${cc}`;
      if (metro) return `${lead} ${nsn[0]} ${pairs(nsn.slice(1), ' ')}`;
      return `${lead} ${nsn.slice(0, 3)} ${pairs(nsn.slice(3), ' ')}`;
    }
  }
}

/** An invalid phone: the writing with its last digit dropped (too few digits). */
export function breakPhone(written: string): string {
  for (let i = written.length - 1; i >= 0; i--) {
    const c = written.charCodeAt(i);
    if (c >= 48 && c <= 57) return written.slice(0, i) + written.slice(i + 1);
  }
  return written;
}
