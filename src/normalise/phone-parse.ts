/**
 * The hand-written phone fast path: digits and separators in, E.164 out, no regular expression
 * and no libphonenumber call for French-plan numbers. Internal to `normalise/`; the public door
 * is `normalisePhone` in `phone.ts`.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { Block, blockOf, e164OfNsn, PLAN_CALLING_CODE } from './phone-plan.js';

/** Returned by {@link parseRange} when the text holds more than digits and separators. */
export const NOT_PLAIN = 1;

/** At most this many digits: the longest E.164 number has 15, plus `00` and a trunk `0`. */
const MAX_DIGITS = 18;

// Scratch space reused by every call: the module is synchronous, so no call can interleave.
const digits = new Uint8Array(MAX_DIGITS);
let count = 0;

/** Separators seen in French writings: space, tab, `.`, `-`, `/`, `(`, `)`, no-break spaces. */
function isSeparator(c: number): boolean {
  return c === 0x20 || c === 0x2e || c === 0x2d || c === 0x2f || c === 0x28 || c === 0x29 || c === 0x09 || c === 0xa0 || c === 0x202f || c === 0x2009;
}

/** The integer written by `len` buffered digits from `from` (at most 15: exact in a double). */
function num(from: number, len: number): number {
  let v = 0;
  for (let i = from; i < from + len; i++) v = v * 10 + digits[i]!;
  return v;
}

/**
 * E.164 of a number written after a French-family country code (`33`, `262`, `590`, `594`,
 * `596`, `508`), the national part being buffered digits `[from, count)`.
 *
 * Rules (documented in `phone.ts`): one trunk `0` after the code is dropped (`+33 (0)6…`);
 * `+33` followed by an overseas number gives that territory's code (`+33 692…` → `+262 692…`);
 * an overseas code must match the territory of the number, except for `08` services, which keep
 * `+33`.
 */
function frenchFamily(cc: string, from: number): string | null {
  let len = count - from;
  if (digits[from] === 0 && (len === 10 || (cc === '508' && len === 7))) {
    from++;
    len--;
  }
  if (cc === '508' && len === 6) {
    // Saint-Pierre-et-Miquelon subscriber numbers: six digits, the first 2–9.
    return digits[from]! >= 2 ? '+508' + num(from, 6) : null;
  }
  if (len !== 9 || digits[from] === 0) return null;
  const nsn = num(from, 9);
  if (cc === '33') return e164OfNsn(nsn);
  const block = blockOf(nsn);
  if (block === Block.Metropolitan && digits[from] === 8) return '+33' + nsn;
  if (block === Block.StPierreShort || PLAN_CALLING_CODE[block] !== cc) return null;
  return '+' + cc + nsn;
}

/** The three-digit French-family codes, as numbers, mapped to their string form. */
function overseasCode(v: number): string | null {
  switch (v) {
    case 262:
      return '262';
    case 590:
      return '590';
    case 594:
      return '594';
    case 596:
      return '596';
    case 508:
      return '508';
    default:
      return null;
  }
}

/** E.164 of buffered digits `[from, count)` written after an international prefix. */
function international(from: number): string | null {
  if (count - from < 4) return null;
  if (digits[from] === 3 && digits[from + 1] === 3) return frenchFamily('33', from + 2);
  const cc = overseasCode(num(from, 3));
  if (cc !== null) return frenchFamily(cc, from + 3);
  // Any other country: libphonenumber's metadata decides (slow, about 5 µs, but rare here).
  let text = '+';
  for (let i = from; i < count; i++) text += digits[i];
  const parsed = parsePhoneNumberFromString(text);
  return parsed?.isValid() ? parsed.number : null;
}

/**
 * Parses `s[start, end)` as digits and separators with an optional leading `+`.
 * @returns E.164, `null` if it is not a valid number, or {@link NOT_PLAIN} if other characters
 *   occur (the caller then decides whether libphonenumber should try).
 */
export function parseRange(s: string, start: number, end: number, allowMissingZero: boolean): string | null | typeof NOT_PLAIN {
  let i = start;
  while (i < end && isSeparator(s.charCodeAt(i))) i++;
  let plus = false;
  if (i < end && s.charCodeAt(i) === 0x2b) {
    plus = true;
    i++;
  }
  count = 0;
  for (; i < end; i++) {
    const c = s.charCodeAt(i);
    const d = c - 0x30;
    if (d >= 0 && d <= 9) {
      if (count === MAX_DIGITS) return null;
      digits[count++] = d;
    } else if (!isSeparator(c)) {
      return NOT_PLAIN;
    }
  }
  if (count < 6) return null;
  if (plus) return international(0);
  if (digits[0] === 0) {
    if (digits[1] === 0) return international(2);
    // National writing: exactly ten digits, `0` then `1`–`9`.
    return count === 10 ? e164OfNsn(num(1, 9)) : null;
  }
  // International writing stored without `+` (a common database form): `33` + 9 digits, or an
  // overseas code + 9 digits. A national number never has 11 or 12 digits, so this is unambiguous.
  if (count === 11 && digits[0] === 3 && digits[1] === 3) return frenchFamily('33', 2);
  if (count === 12) {
    const cc = overseasCode(num(0, 3));
    return cc !== null && cc !== '508' ? frenchFamily(cc, 3) : null;
  }
  // Nine bare digits: the trunk 0 lost by a spreadsheet that stored the number as an integer
  // (an integer cell has no separator; `6 12 34 56 78` was typed, and is one digit short).
  if (count === 9 && allowMissingZero && end - start === 9) return e164OfNsn(num(0, 9));
  return null;
}

/**
 * Applies the French-family rules to a number libphonenumber extracted from text, so that every
 * writing of one line gives one E.164 whichever path parsed it.
 */
export function fromCallingCode(cc: string, nationalNumber: string): string | null {
  if (nationalNumber.length > MAX_DIGITS - 3) return null;
  count = 0;
  for (let i = 0; i < cc.length; i++) digits[count++] = cc.charCodeAt(i) - 0x30;
  for (let i = 0; i < nationalNumber.length; i++) {
    const d = nationalNumber.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return null;
    digits[count++] = d;
  }
  return international(0);
}
