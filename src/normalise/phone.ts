/**
 * Phone numbers → E.164 (ITU-T E.164: `+`, country code, national significant number).
 *
 * One line must give one E.164 whatever its writing, or the pseudonyms of two leaks never
 * match. The rules, in the order they apply:
 * 1. Digits and the separators of French writings (space, `.`, `-`, `/`, parentheses, no-break
 *    spaces) take the hand-written fast path (`phone-parse.ts`) against the French numbering plan
 *    (`phone-plan.ts`); anything else goes to libphonenumber-js (`max` metadata, default FR).
 * 2. National writing: exactly ten digits, `0` then `1`–`9`. Overseas numbers get their own
 *    country code: `0690 12 34 56` → `+590690123456`, `0692…` → `+262692…`, `0508 41 12 34` →
 *    `+508411234`.
 * 3. International writing: `+` or `00`, then the code. After `33`, `262`, `590`, `594`, `596`,
 *    `508`, one trunk `0` is dropped (`+33 (0)6…`, `+330612…`). An overseas number written with
 *    `+33` is re-coded to its territory (`+33 692…` → `+262692…`), since that is how it is
 *    dialled from abroad. An overseas code followed by another territory's number is invalid
 *    (`+262 690…`), except `08` services, which are national and keep `+33`.
 * 4. Without `+`: `33` + nine digits (eleven digits) and `262`/`590`/`594`/`596` + nine digits
 *    (twelve digits) are international writings stored by databases without the `+`; no national
 *    number has that many digits, so this is unambiguous. Nine bare digits (a spreadsheet dropped
 *    the `0`), with no separator, are accepted only with {@link PhoneOptions.allowMissingZero},
 *    because nine-digit values are just as often SIRENs. Scientific notation (`3.36123E+10`) is
 *    never a phone: its digits are lost.
 * 5. Other countries: valid if libphonenumber's metadata says so (`+44 20 7946 0958`).
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { fromCallingCode, NOT_PLAIN, parseRange } from './phone-parse.js';

/** Options of {@link normalisePhone}. */
export interface PhoneOptions {
  /**
   * Read nine bare digits as a French national number whose leading `0` was lost
   * (`612345678` → `+33612345678`). Use only for a column already known to hold phones.
   */
  allowMissingZero?: boolean;
}

/** Longer values are not a phone number; the bound also caps the work done on hostile input. */
const MAX_LENGTH = 64;

const FRENCH_FAMILY = new Set(['33', '262', '590', '594', '596', '508']);

/**
 * Number extracted by libphonenumber from a writing the fast path does not read
 * (`Tél : 06 12 34 56 78`), put through the same French rules.
 */
function parseWithLibrary(text: string): string | null {
  const parsed = parsePhoneNumberFromString(text, 'FR');
  if (parsed === undefined) return null;
  if (FRENCH_FAMILY.has(parsed.countryCallingCode)) {
    return fromCallingCode(parsed.countryCallingCode, parsed.nationalNumber);
  }
  return parsed.isValid() ? parsed.number : null;
}

/**
 * The E.164 form of a phone number, or `null` if it is not a valid number.
 * @example
 * normalisePhone('06 12 34 56 78') // '+33612345678'
 * normalisePhone('+33 (0)6 12 34 56 78') // '+33612345678'
 * normalisePhone('0690 12 34 56') // '+590690123456' (Guadeloupe)
 * normalisePhone('+33 692 12 34 56') // '+262692123456' (Réunion)
 * normalisePhone('+44 20 7946 0958') // '+442079460958'
 */
export function normalisePhone(raw: string, options?: PhoneOptions): string | null {
  if (raw.length > MAX_LENGTH) return null;
  const fast = parseRange(raw, 0, raw.length, options?.allowMissingZero === true);
  if (fast !== NOT_PLAIN) return fast;
  // Recognition tries every sampled value of every column: names and words must not reach the
  // library (several µs each). No phone number has fewer than six digits.
  // A value with letters is an identifier that holds digits (`ANTS-577181919`), not a phone
  // number, unless the letters are a leading label (`Tél. : 06 12 34 56 78`).
  const text = raw.replace(LABEL, '');
  let digits = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) digits++;
    else if (((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a) || c > 0x7f) return null;
  }
  return digits >= 6 ? parseWithLibrary(text) : null;
}

const LABEL = /^\s*(?:t[ée]l(?:[ée]phone)?|phone|mobile|portable|gsm|fixe)\.?\s*:?\s*/i;
