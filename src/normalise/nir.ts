/**
 * NIR (numéro d'inscription au répertoire, the "numéro de sécurité sociale"): 13 characters and
 * a 2-digit key, canonical form 15 characters, upper-case, no separators.
 *
 * Layout (INSEE, répertoire national d'identification des personnes physiques):
 * `S AA MM DD CCC OOO KK`
 * - `S` sex: 1 man, 2 woman; 3, 4, 7, 8 for provisional numbers (foreign-born persons awaiting
 *   a definitive number: NIA, NTT);
 * - `AA` year of birth, 2 digits;
 * - `MM` month 01–12, or 20, 30–42, 50–99 where the month is unknown or fictitious;
 * - birth place, five characters:
 *   - `DD CCC`: department 01–95 (Corsica `2A`/`2B`, or `20` for births before 1976) and commune
 *     001–990;
 *   - `DDD CC`: overseas, three-digit department or collectivity (971–978: Guadeloupe,
 *     Martinique, Guyane, La Réunion, Saint-Pierre-et-Miquelon, Mayotte, Saint-Barthélemy,
 *     Saint-Martin; 984–988: TAAF, Mayotte before 2011, Wallis-et-Futuna, Polynésie française,
 *     Nouvelle-Calédonie) and commune 01–99;
 *   - `99 PPP`: born abroad, INSEE country code 001–990;
 * - `OOO` order number within the commune and month, 001–999;
 * - `KK` key = 97 − (first 13 digits mod 97), `2A` read as 19 and `2B` as 18 for the computation.
 *
 * The 13 digits are below 10^13 < 2^53, so the modulo is exact in a double: no BigInt needed.
 */

import { codesToString } from './codes.js';

const LENGTH = 15;
/** Separators accepted in writings like `1 85 05 78 006 084 36` or `1.85.05.78.006.084.36`. */
function isSeparator(c: number): boolean {
  return c === 0x20 || c === 0x2e || c === 0x2d || c === 0xa0 || c === 0x202f || c === 0x09;
}

// Scratch buffer of the 15 characters, as codes; the module is synchronous.
const chars = new Uint16Array(LENGTH);

function digit(i: number): number {
  return chars[i]! - 0x30;
}

function isDigitAt(i: number): boolean {
  const d = chars[i]! - 0x30;
  return d >= 0 && d <= 9;
}

/** The value of digits `[from, from + len)`, or -1 if one is not a digit. */
function value(from: number, len: number): number {
  let v = 0;
  for (let i = from; i < from + len; i++) {
    if (!isDigitAt(i)) return -1;
    v = v * 10 + digit(i);
  }
  return v;
}

function validMonth(m: number): boolean {
  return (m >= 1 && m <= 12) || m === 20 || (m >= 30 && m <= 42) || m >= 50;
}

function validSex(s: number): boolean {
  return s === 1 || s === 2 || s === 3 || s === 4 || s === 7 || s === 8;
}

/**
 * Checks the birth place (characters 5–9) and returns the value to use for the department in the
 * key computation (2A → 19, 2B → 18), or -1 if the place is invalid.
 */
function placeKeyDepartment(): number {
  const c6 = chars[6]!;
  if (chars[5] === 0x32 && (c6 === 0x41 || c6 === 0x42)) {
    // Corsica since 1976: 2A (Corse-du-Sud), 2B (Haute-Corse).
    const commune = value(7, 3);
    return commune >= 1 && commune <= 990 ? (c6 === 0x41 ? 19 : 18) : -1;
  }
  const dept = value(5, 2);
  if (dept < 1) return -1;
  if (dept <= 95) {
    const commune = value(7, 3);
    return commune >= 1 && commune <= 990 ? dept : -1;
  }
  if (dept === 97 || dept === 98) {
    const third = value(7, 1);
    const ok = dept === 97 ? third >= 1 && third <= 8 : third >= 4 && third <= 8;
    const commune = value(8, 2);
    return ok && commune >= 1 ? dept : -1;
  }
  if (dept === 99) {
    const country = value(7, 3);
    return country >= 1 && country <= 990 ? dept : -1;
  }
  return -1; // 96 is not a department
}

/**
 * The canonical NIR (15 characters, upper-case, no separators), or `null` if the structure or
 * the key is wrong.
 * @example
 * normaliseNir('2 55 08 14 168 025 38') // '255081416802538'
 * normaliseNir('2 55 08 14 168 025 39') // null: wrong key
 */
export function normaliseNir(raw: string): string | null {
  if (raw.length > 40) return null;
  let n = 0;
  let compact = true;
  for (let i = 0; i < raw.length; i++) {
    let c = raw.charCodeAt(i);
    if (isSeparator(c)) {
      compact = false;
      continue;
    }
    if (n === LENGTH) return null;
    if (c === 0x61 || c === 0x62) {
      c -= 0x20; // 2a, 2b
      compact = false;
    }
    chars[n++] = c;
  }
  if (n !== LENGTH) return null;
  const sex = value(0, 1);
  if (!validSex(sex) || value(1, 2) < 0 || !validMonth(value(3, 2))) return null;
  const dept = placeKeyDepartment();
  if (dept < 0) return null;
  const order = value(10, 3);
  const key = value(13, 2);
  if (order < 1 || key < 1 || key > 97) return null;
  // First 13 characters as a number, the department replaced by its key value.
  const head = sex * 1e4 + value(1, 4); // S AA MM
  const tail = value(7, 6); // the rest after the department: CCC OOO or C CC OOO
  const number = (head * 100 + dept) * 1e6 + tail;
  if (97 - (number % 97) !== key) return null;
  return compact ? raw : codesToString(chars, LENGTH);
}
