/**
 * Person names: the matching key (`foldName`) and a recognition test (`isPlausibleName`).
 *
 * The key must be equal for every writing of one name a leak may hold: `JEAN-PIERRE`,
 * `Jean‑Pierre` (non-breaking hyphen), ` jean - pierre `, `Jéan-Piérre` all give `jean-pierre`;
 * `D’Artagnan`, `d'Artagnan` give `d'artagnan`; `Œuvray` gives `oeuvray`. Steps: lower-case,
 * canonical decomposition (Unicode NFD) with combining marks removed, letters NFD leaves whole
 * spelled out (œ → oe, æ → ae, ß → ss, ø → o, ł → l, đ → d), every hyphen and apostrophe
 * variant unified, whitespace trimmed and collapsed, spaces around hyphens and apostrophes and
 * dots (initials: `J.-P.`) dropped. Hyphens stay hyphens: `Jean Pierre` and `Jean-Pierre` are
 * kept apart, as the civil registry keeps them.
 */

import { codesToString } from './codes.js';

const MAX_INPUT = 200;
const MAX_KEY = 100;
const MAX_PLAUSIBLE = 60;

const HYPHEN = 0x2d;
const APOSTROPHE = 0x27;
const SPACE = 0x20;

// Output buffer of the key being built; the module is synchronous.
const out = new Uint16Array(MAX_KEY + 2);
let length = 0;
let letters = 0;
let pendingSpace = false;

function reset(): void {
  length = 0;
  letters = 0;
  pendingSpace = false;
}

/** Appends one code unit of a letter; false if the key grows too long. */
function letter(c: number): boolean {
  if (pendingSpace) {
    pendingSpace = false;
    const last = out[length - 1];
    if (length > 0 && last !== HYPHEN && last !== APOSTROPHE) out[length++] = SPACE;
  }
  if (length >= MAX_KEY) return false;
  out[length++] = c;
  letters++;
  return true;
}

/** A hyphen or apostrophe: joins the letters around it, spaces dropped, never doubled. */
function joiner(c: number): void {
  pendingSpace = false;
  const last = out[length - 1];
  if (length === 0 || last === HYPHEN || last === APOSTROPHE) return;
  out[length++] = c;
}

/** The key built, or null if it holds no letter. Trailing joiners are dropped. */
function finish(raw: string | null): string | null {
  while (length > 0 && (out[length - 1] === HYPHEN || out[length - 1] === APOSTROPHE)) length--;
  if (letters === 0) return null;
  if (raw !== null && raw.length === length) {
    let same = true;
    for (let i = 0; i < length && same; i++) same = raw.charCodeAt(i) === out[i];
    if (same) return raw;
  }
  return codesToString(out, length);
}

function isCombiningMark(c: number): boolean {
  return (
    (c >= 0x300 && c <= 0x36f) || (c >= 0x1ab0 && c <= 0x1aff) || (c >= 0x1dc0 && c <= 0x1dff) || (c >= 0x20d0 && c <= 0x20ff) || (c >= 0xfe20 && c <= 0xfe2f)
  );
}

function isHyphen(c: number): boolean {
  // Hyphen-minus, the U+2010–2015 hyphens and dashes, minus sign, small and full-width hyphens.
  return c === HYPHEN || (c >= 0x2010 && c <= 0x2015) || c === 0x2212 || c === 0xfe63 || c === 0xff0d;
}

function isApostrophe(c: number): boolean {
  // ' ’ ‘ ʼ ´ ` ′ and the full-width apostrophe: all typed or auto-corrected for the apostrophe.
  return c === APOSTROPHE || c === 0x2019 || c === 0x2018 || c === 0x02bc || c === 0x00b4 || c === 0x0060 || c === 0x2032 || c === 0xff07;
}

function isSpace(c: number): boolean {
  // Space, tab, line breaks, and the no-break, narrow, thin, figure and ideographic spaces.
  return c === SPACE || c === 0x09 || c === 0x0a || c === 0x0d || c === 0xa0 || c === 0x202f || c === 0x2009 || c === 0x2007 || c === 0x3000;
}

/** Letters that NFD does not decompose, spelled out as French sorting and registries do. */
const SPELLED: ReadonlyMap<number, string> = new Map([
  [0x153, 'oe'], // œ
  [0xe6, 'ae'], // æ
  [0xdf, 'ss'], // ß
  [0xf8, 'o'], // ø
  [0x142, 'l'], // ł
  [0x111, 'd'], // đ
  [0x131, 'i'], // ı
  [0xf0, 'd'], // ð
  [0xfe, 'th'], // þ
  [0x140, 'l'], // ŀ
]);

const LETTER = /\p{L}/u;

/** Non-ASCII path: lower-case, NFD, marks removed. */
function foldUnicode(raw: string): string | null {
  const s = raw.toLowerCase().normalize('NFD');
  reset();
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 128) {
      if (c >= 0x61 && c <= 0x7a) {
        if (!letter(c)) return null;
      } else if (!ascii(c)) {
        return null;
      }
      continue;
    }
    if (isCombiningMark(c)) continue;
    if (isHyphen(c)) joiner(HYPHEN);
    else if (isApostrophe(c)) joiner(APOSTROPHE);
    else if (isSpace(c)) pendingSpace = true;
    else if (c === 0xad)
      continue; // soft hyphen: invisible
    else {
      const spelled = SPELLED.get(c);
      if (spelled !== undefined) {
        for (let k = 0; k < spelled.length; k++) if (!letter(spelled.charCodeAt(k))) return null;
        continue;
      }
      // Any other letter (other scripts), kept whole; surrogate pairs copied as two units.
      const cp = s.codePointAt(i)!;
      if (!LETTER.test(String.fromCodePoint(cp))) return null;
      if (!letter(c)) return null;
      if (cp > 0xffff && !letter(s.charCodeAt(++i))) return null;
    }
  }
  return finish(null);
}

/** An ASCII non-letter: space, joiner or dot handled, false for anything else (digits…). */
function ascii(c: number): boolean {
  if (isSpace(c) || c === 0x2e) pendingSpace = true;
  else if (c === HYPHEN || c === APOSTROPHE || c === 0x60) joiner(c === HYPHEN ? HYPHEN : APOSTROPHE);
  else return false;
  return true;
}

/**
 * The matching key of a person's name, or `null` if the value is not a name (empty, longer than
 * 100 characters, no letter, or digits and symbols).
 * @example
 * foldName('  Jean-Pierre  LÉVÊQUE ') // 'jean-pierre leveque'
 * foldName('D’Artagnan') // "d'artagnan"
 * foldName('Dupont 2') // null
 */
export function foldName(raw: string): string | null {
  if (raw.length > MAX_INPUT) return null;
  // ASCII fast path: no NFD call, no intermediate string.
  reset();
  for (let i = 0; i < raw.length; i++) {
    let c = raw.charCodeAt(i);
    if (c >= 128) return foldUnicode(raw);
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    if (c >= 0x61 && c <= 0x7a) {
      if (!letter(c)) return null;
    } else if (!ascii(c)) {
      return null;
    }
  }
  return finish(raw);
}

const PLAUSIBLE_UNICODE = /^[\p{L}\p{M} '’‘ʼ\-‐‑–]+$/u;

/**
 * Whether a value looks like a name, for recognising name columns: only letters (any script,
 * accented or not), spaces, hyphens and apostrophes, 1 to 60 characters once trimmed, at least
 * one letter.
 * @example isPlausibleName('Marie-Hélène') // true; isPlausibleName('75001') // false
 */
export function isPlausibleName(raw: string): boolean {
  const value = raw.length > 0 && (raw.charCodeAt(0) <= SPACE || raw.charCodeAt(raw.length - 1) <= SPACE) ? raw.trim() : raw;
  if (value.length < 1 || value.length > MAX_PLAUSIBLE) return false;
  let hasLetter = false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 128) return PLAUSIBLE_UNICODE.test(value) && LETTER.test(value);
    const lower = c | 0x20;
    if (lower >= 0x61 && lower <= 0x7a) hasLetter = true;
    else if (c !== SPACE && c !== HYPHEN && c !== APOSTROPHE) return false;
  }
  return hasLetter;
}
