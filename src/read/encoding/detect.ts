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
export type EncodingEvidence = 'bom' | 'nul-pattern' | 'utf8-valid' | 'utf8-words' | 'ascii' | 'chardet' | 'default' | 'forced';

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

/** An ASCII letter. */
function isLetter(c: number | undefined): boolean {
  return c !== undefined && ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a));
}

/** Length of the well-formed UTF-8 sequence at `i` (RFC 3629 §4), or 0 when there is none. */
function utf8SequenceAt(b: Uint8Array, i: number): number {
  const c = b[i]!;
  const n = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
  if (n === 0 || i + n > b.length) return 0;
  const second = b[i + 1]!;
  const low = c === 0xe0 ? 0xa0 : c === 0xf0 ? 0x90 : 0x80;
  const high = c === 0xed ? 0x9f : c === 0xf4 ? 0x8f : 0xbf;
  if (second < low || second > high) return 0;
  for (let k = 2; k < n; k++) if ((b[i + k]! & 0xc0) !== 0x80) return 0;
  return n;
}

/** A C0 control that text does not hold (as `looksBinary` counts them): the mark of binary data. */
function isControl(c: number): boolean {
  return c < 0x20 && !(c >= 0x09 && c <= 0x0d) && c !== 0x1a && c !== 0x1b;
}

/** Bytes on each side of a high byte in a word that must hold no control byte for it to count. */
const CLEAR = 8;

/**
 * Per control byte of random data, how many UTF-8 sequences, and how many lone high bytes, it
 * puts between two ASCII letters with no control byte within `CLEAR` bytes, by chance.
 * Measured on 20 million random bytes: 0.0030 and 0.045.
 */
const NOISE_SEQUENCES = 0.003;
const NOISE_LONE = 0.045;

/**
 * UTF-8 text around bytes that are not UTF-8: a dump's raw binary values (hashes, UUIDs,
 * photos) break strict validity, yet the words are UTF-8. Inside a word (an ASCII letter on
 * each side) a Latin-1-family encoding's accented letter is a lone high byte, and two of its
 * characters that happen to form a UTF-8 sequence there are as rare as `Ã©`; in UTF-8 text the
 * accented letters are sequences. Binary values put both there by chance: a high byte near a
 * control byte is not counted, and what chance still gives, in proportion to the control bytes,
 * is taken off. UTF-8 then needs one sequence for five lone bytes at least, and more
 * sequences than chance could give (three standard deviations of it, plus three).
 */
function utf8InWords(b: Uint8Array): boolean {
  let sequences = 0;
  let lone = 0;
  let controls = 0;
  let lastControl = -CLEAR - 1;
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (isControl(c)) {
      controls++;
      lastControl = i;
      continue;
    }
    if (c < 0x80 || i === 0 || !isLetter(b[i - 1])) continue;
    const n = utf8SequenceAt(b, i);
    const after = i + Math.max(n, 1);
    if (isLetter(b[after]) && i - lastControl > CLEAR && clearAfter(b, after)) {
      if (n > 0) sequences++;
      else lone++;
    }
    if (n > 0) i += n - 1;
  }
  const chance = NOISE_SEQUENCES * controls;
  const words = sequences - chance;
  return words >= 3 + 3 * Math.sqrt(chance) && words * 5 >= lone - NOISE_LONE * controls;
}

/** No control byte in the `CLEAR` bytes from `at`. */
function clearAfter(b: Uint8Array, at: number): boolean {
  const end = Math.min(b.length, at + CLEAR + 1);
  for (let k = at; k < end; k++) if (isControl(b[k]!)) return false;
  return true;
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
  if (utf8InWords(sample.subarray(0, end))) return { encoding: 'utf8', bomLength: 0, by: 'utf8-words' };
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
 * True when a sample looks like binary data rather than text. Binary data (images, archives,
 * encrypted databases) holds NUL bytes: more than one, over 0.1 % of the sample, is binary.
 * Without them, only more than 12 % of control characters that text does not hold (C0
 * controls other than tab, line breaks, form feed, ESC and the DOS end-of-file mark) is:
 * tools that write text escape NUL but leave other control bytes raw, so a `mysqldump`
 * (without `--hex-blob`) or a `SELECT ... INTO OUTFILE` of binary columns (hashes, UUIDs)
 * is text with control bytes in its values. With a single NUL, 1 % of such controls is
 * binary. UTF-16/32 text, with its NULs, is text.
 *
 * @example looksBinary(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])) // true
 */
export function looksBinary(sample: Uint8Array): boolean {
  if (sample.length === 0 || detectBom(sample) || utf16ByNulPattern(sample)) return false;
  let bad = 0;
  let nul = 0;
  for (let i = 0; i < sample.length; i++) {
    const b = sample[i]!;
    if (b === 0) nul++;
    if (isControl(b)) bad++;
  }
  if (nul >= 2 && nul * 1000 > sample.length) return true;
  return bad * 100 > sample.length * (nul === 0 ? 12 : 1);
}
