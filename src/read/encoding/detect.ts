/**
 * Guessing the text encoding of a leaked file from a sample of its bytes.
 *
 * Order of evidence (chardet's own documentation: it guesses from statistics, so cheaper exact
 * evidence comes first): a byte-order mark; the NUL
 * pattern of BOM-less UTF-16; strict UTF-8 validity (`buffer.isUtf8`, native); then chardet,
 * whose Latin guesses are refined by `latin.ts` (it reports Windows-1252 as
 * ISO-8859-1 and cannot tell 1252 from ISO-8859-15 or CP850).
 */
import { isAscii, isUtf8 } from 'node:buffer';
import chardet from 'chardet';
import iconv from 'iconv-lite';
import { CHARDET_LATIN, pickLatinEncoding } from './latin.js';

/** iconv-lite names; the common ones listed for readers of the code. */
export type TextEncoding = 'utf8' | 'utf16le' | 'utf16be' | 'utf32le' | 'utf32be' | 'windows-1252' | 'iso-8859-15' | 'cp850' | (string & {});

/** What settled the encoding: shown in reports so a wrong guess can be understood. */
export type EncodingEvidence = 'bom' | 'nul-pattern' | 'utf8-valid' | 'ascii' | 'chardet' | 'default' | 'forced';

export interface EncodingGuess {
  encoding: TextEncoding;
  /** Bytes of byte-order mark at the start of the sample, to skip before decoding. */
  bomLength: number;
  by: EncodingEvidence;
}

const BOMS: ReadonlyArray<{ bytes: readonly number[]; encoding: TextEncoding }> = [
  // UTF-32LE first: its BOM begins with UTF-16LE's.
  { bytes: [0xff, 0xfe, 0x00, 0x00], encoding: 'utf32le' },
  { bytes: [0x00, 0x00, 0xfe, 0xff], encoding: 'utf32be' },
  { bytes: [0xef, 0xbb, 0xbf], encoding: 'utf8' },
  { bytes: [0xff, 0xfe], encoding: 'utf16le' },
  { bytes: [0xfe, 0xff], encoding: 'utf16be' },
];

/** The byte-order mark at the start of `sample`, if any. */
export function detectBom(sample: Uint8Array): { encoding: TextEncoding; bomLength: number } | undefined {
  for (const { bytes, encoding } of BOMS) {
    if (sample.length >= bytes.length && bytes.every((b, i) => sample[i] === b)) {
      return { encoding, bomLength: bytes.length };
    }
  }
  return undefined;
}

/**
 * UTF-16 without BOM: Latin-script text has a NUL in (nearly) every high byte and none in the
 * low bytes. Binary data has NULs at both parities and fails this.
 */
function utf16ByNulPattern(sample: Uint8Array): 'utf16le' | 'utf16be' | undefined {
  const n = Math.min(sample.length, 8192) & ~1;
  if (n < 4) return undefined;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < n; i += 2) {
    if (sample[i] === 0) even++;
    if (sample[i + 1] === 0) odd++;
  }
  const pairs = n / 2;
  if (odd >= pairs * 0.3 && even <= pairs * 0.02) return 'utf16le';
  if (even >= pairs * 0.3 && odd <= pairs * 0.02) return 'utf16be';
  return undefined;
}

/** Length of `b` without a trailing UTF-8 sequence cut short by the end of the sample. */
function completeUtf8Length(b: Uint8Array): number {
  for (let i = b.length - 1; i >= 0 && i >= b.length - 4; i--) {
    const c = b[i]!;
    if (c < 0x80) return b.length;
    if (c >= 0xc0) {
      const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
      return b.length - i < need ? i : b.length;
    }
  }
  return b.length;
}

/**
 * Guesses the encoding of a sample of bytes. `isEnd` says the sample is the whole input; if
 * not, a multi-byte UTF-8 sequence cut at its end is not held against UTF-8. A pure ASCII
 * sample gives `utf8` with `by: 'ascii'`, weak evidence: `decodeStream` (index.ts) decides
 * again at the first non-ASCII byte.
 *
 * @example detectEncoding(Buffer.from('nom;prénom\n'), true) // { encoding: 'utf8', bomLength: 0, by: 'utf8-valid' }
 */
export function detectEncoding(sample: Uint8Array, isEnd: boolean): EncodingGuess {
  const bom = detectBom(sample);
  if (bom) return { ...bom, by: 'bom' };
  const utf16 = utf16ByNulPattern(sample);
  if (utf16) return { encoding: utf16, bomLength: 0, by: 'nul-pattern' };
  if (isAscii(sample)) return { encoding: 'utf8', bomLength: 0, by: 'ascii' };
  return detect8bit(sample, isEnd);
}

/**
 * The 8-bit half of {@link detectEncoding}, for a sample known to hold non-ASCII bytes and no
 * UTF-16: strict UTF-8, else chardet refined for Western text.
 */
export function detect8bit(sample: Uint8Array, isEnd: boolean): EncodingGuess {
  const end = isEnd ? sample.length : completeUtf8Length(sample);
  if (isUtf8(sample.subarray(0, end))) return { encoding: 'utf8', bomLength: 0, by: 'utf8-valid' };
  const top = chardet.analyse(sample)[0];
  if (top === undefined) return { encoding: pickLatinEncoding(sample), bomLength: 0, by: 'default' };
  const latin = CHARDET_LATIN[top.name];
  if (latin !== undefined) return { encoding: pickLatinEncoding(sample, latin), bomLength: 0, by: 'chardet' };
  const name = top.name.toLowerCase();
  // chardet's UTF-16/32 guesses need a BOM, handled above; 'ASCII' (at confidence 0) is wrong
  // for a sample with high bytes; ISO-2022 is not decodable here. All fall back to Latin.
  const usable = top.confidence > 0 && name !== 'ascii' && !name.startsWith('utf') && iconv.encodingExists(name);
  if (usable) return { encoding: name, bomLength: 0, by: 'chardet' };
  return { encoding: pickLatinEncoding(sample), bomLength: 0, by: 'default' };
}

/**
 * True when a sample looks like binary data rather than text: more than 1 % of its bytes are
 * control characters that text does not hold (NUL and C0 controls other than tab, line
 * breaks, form feed, ESC and the DOS end-of-file mark). UTF-16/32 text, with its NULs, is text.
 *
 * @example looksBinary(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])) // true
 */
export function looksBinary(sample: Uint8Array): boolean {
  if (sample.length === 0 || detectBom(sample) || utf16ByNulPattern(sample)) return false;
  let bad = 0;
  for (let i = 0; i < sample.length; i++) {
    const b = sample[i]!;
    if (b < 0x20 && !(b >= 0x09 && b <= 0x0d) && b !== 0x1a && b !== 0x1b) bad++;
  }
  return bad * 100 > sample.length;
}
