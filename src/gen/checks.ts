/**
 * Check digits the generator must get right so that its "valid" values really validate.
 * Integer arithmetic only (no BigInt): each function folds digits one at a time modulo 97
 * or 10.
 */

/** Remainder modulo 97 of a decimal digit string (any length). */
export function mod97(digits: string): number {
  let r = 0;
  for (let i = 0; i < digits.length; i++) r = (r * 10 + (digits.charCodeAt(i) - 48)) % 97;
  return r;
}

/**
 * NIR key: 97 − (first 13 characters mod 97), with Corsica's `2A` read as 19 and `2B` as 18
 * (INSEE rule since departments 2A/2B replaced 20 in 1976).
 * @example nirKey('2550814168025') // 38: the specimen NIR 2 55 08 14 168 025 38
 */
export function nirKey(first13: string): number {
  let s = first13;
  const dept = s.slice(5, 7);
  if (dept === '2A') s = `${s.slice(0, 5)}19${s.slice(7)}`;
  else if (dept === '2B') s = `${s.slice(0, 5)}18${s.slice(7)}`;
  return 97 - mod97(s);
}

/**
 * French RIB key: 97 − ((89·bank + 15·branch + 3·account) mod 97), all-digit account
 * (the generator never uses the lettered accounts that need the RIB letter table).
 */
export function ribKey(bank: string, branch: string, account: string): number {
  const b = Number(bank) % 97;
  const g = Number(branch) % 97;
  const a = mod97(account);
  return 97 - ((89 * b + 15 * g + 3 * a) % 97);
}

/**
 * IBAN check digits (ISO 13616, mod 97-10) for a country and a BBAN of digits and upper-case
 * letters: move `CC00` to the end, letters to 10..35, 98 − (number mod 97).
 */
export function ibanCheckDigits(country: string, bban: string): string {
  let r = 0;
  const s = `${bban}${country}00`;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) r = (r * 10 + (c - 48)) % 97;
    else r = (r * 100 + (c - 55)) % 97;
  }
  return String(98 - r).padStart(2, '0');
}

/** The Luhn check digit to append to a digit string (SIREN, SIRET). */
export function luhnCheckDigit(payload: string): number {
  let sum = 0;
  // After appending, the payload's last digit stands second from the right: it is doubled.
  let double = true;
  for (let i = payload.length - 1; i >= 0; i--) {
    let d = payload.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return (10 - (sum % 10)) % 10;
}

/** True if a digit string passes Luhn. */
export function luhnValid(digits: string): boolean {
  return digits.length > 1 && luhnCheckDigit(digits.slice(0, -1)) === digits.charCodeAt(digits.length - 1) - 48;
}
