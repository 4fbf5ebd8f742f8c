/**
 * Choosing among the 8-bit Western encodings that French files come in. chardet tells Latin
 * text from Cyrillic or Japanese well, but not Windows-1252 from ISO-8859-15 (they differ on
 * `€ œ Œ Š š Ž ž Ÿ`), nor from DOS CP850 (old exports), which it reports as 1252. Here each
 * candidate decodes the sample's high bytes and the most plausible French text wins.
 */
import iconv from 'iconv-lite';

/** Candidates always weighed for Latin text; the first wins ties. */
const WESTERN = ['windows-1252', 'iso-8859-15', 'cp850'] as const;

const FRENCH_LOWER = 'àâäçéèêëîïôöùûüÿœæ';
const FRENCH_UPPER = 'ÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸŒÆ';
/** Symbols that do occur in French data: currency, typographic quotes and dashes, degree, nbsp. */
const COMMON_SYMBOLS = '€’‘“”«»°–—…·\u00a0²ªº';

const tables = new Map<string, Int8Array>();

/**
 * Score of each high byte (index − 0x80) decoded in `encoding`: 2 for a French letter, 1 for
 * another lowercase Latin letter or a common symbol, 0 for other letters, −2 for anything
 * a person's record would not hold (controls, box drawing, `¤ ½ ¦`...). Uppercase French
 * letters score 3 here; `score` demotes them after a lowercase ASCII letter (`HÈlËne` is mojibake).
 */
function table(encoding: string): Int8Array {
  let t = tables.get(encoding);
  if (t) return t;
  t = new Int8Array(128);
  const bytes = Buffer.alloc(128);
  for (let i = 0; i < 128; i++) bytes[i] = 0x80 + i;
  const chars = iconv.decode(bytes, encoding);
  for (let i = 0; i < 128; i++) {
    const ch = chars[i] ?? '\ufffd';
    if (FRENCH_LOWER.includes(ch)) t[i] = 2;
    else if (FRENCH_UPPER.includes(ch)) t[i] = 3;
    else if (COMMON_SYMBOLS.includes(ch)) t[i] = 1;
    else if (/\p{Ll}/u.test(ch) && ch.codePointAt(0)! < 0x250) t[i] = 1;
    else if (/\p{L}/u.test(ch)) t[i] = 0;
    else t[i] = -2;
  }
  tables.set(encoding, t);
  return t;
}

/** How plausible `sample` is as French text in `encoding` (higher is better). */
export function latinScore(sample: Uint8Array, encoding: string): number {
  const t = table(encoding);
  let score = 0;
  let prev = 0x20;
  for (let i = 0; i < sample.length; i++) {
    const b = sample[i]!;
    if (b >= 0x80) {
      let s = t[b - 0x80]!;
      // An accented capital right after a lowercase letter is what mojibake looks like.
      if (s === 3) s = prev >= 0x61 && prev <= 0x7a ? -1 : 2;
      score += s;
    }
    prev = b;
  }
  return score;
}

/**
 * Picks the most plausible Western 8-bit encoding for `sample`, weighing Windows-1252,
 * ISO-8859-15, CP850 and `also` (chardet's own Latin guess, e.g. `windows-1250` for Polish).
 *
 * @example pickLatinEncoding(iconv.encode('Cœur, 12 €', 'iso-8859-15')) // 'iso-8859-15'
 */
export function pickLatinEncoding(sample: Uint8Array, also?: string): string {
  const candidates: string[] = [...WESTERN];
  if (also !== undefined && !candidates.includes(also) && iconv.encodingExists(also)) candidates.push(also);
  let best = candidates[0]!;
  let bestScore = -Infinity;
  for (const c of candidates) {
    const s = latinScore(sample, c);
    if (s > bestScore) {
      best = c;
      bestScore = s;
    }
  }
  return best;
}

/** chardet names of single-byte Latin-script encodings, mapped to iconv-lite names. */
export const CHARDET_LATIN: Readonly<Record<string, string>> = {
  'ISO-8859-1': 'windows-1252', // chardet's name for 1252 text without 0x80–0x9F bytes
  'windows-1252': 'windows-1252',
  'ISO-8859-2': 'iso-8859-2',
  'windows-1250': 'windows-1250',
  'ISO-8859-9': 'iso-8859-9',
  'windows-1254': 'windows-1254',
  'windows-1257': 'windows-1257',
  'windows-1258': 'windows-1258',
};
