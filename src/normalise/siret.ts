/**
 * SIREN (9 digits, a company) and SIRET (14 digits: SIREN + 5-digit establishment number),
 * canonical form the digits alone. Both carry a Luhn check (INSEE, répertoire SIRENE).
 *
 * Exception: La Poste (SIREN 356 000 000) numbers its thousands of establishments beyond what
 * Luhn allows; its SIRETs are valid when the sum of their digits is a multiple of 5. Its head
 * office, SIRET 356 000 000 00048, follows Luhn like any other (INSEE; python-stdnum `siret`).
 * All-zero numbers pass Luhn but identify nothing, so they are rejected.
 */

const LA_POSTE = '356000000';
const LA_POSTE_HEAD_OFFICE = '35600000000048';

// Scratch buffer of the digits; the module is synchronous.
const digits = new Uint8Array(14);

/** Collects the digits of `raw` (spaces, dots, hyphens ignored); -1 if more than `max` or other characters. */
function collect(raw: string, max: number): number {
  if (raw.length > 32) return -1;
  let n = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    const d = c - 0x30;
    if (d >= 0 && d <= 9) {
      if (n === max) return -1;
      digits[n++] = d;
    } else if (!(c === 0x20 || c === 0x2e || c === 0x2d || c === 0xa0 || c === 0x202f || c === 0x09)) {
      return -1;
    }
  }
  return n;
}

/** Luhn (ISO/IEC 7812-1 annex B) over the first `n` buffered digits; also rejects all zeros. */
function luhn(n: number): boolean {
  let sum = 0;
  let any = 0;
  for (let i = 0; i < n; i++) {
    let d = digits[n - 1 - i]!;
    any |= d;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return any !== 0 && sum % 10 === 0;
}

function asString(raw: string, n: number): string {
  if (raw.length === n) return raw; // only digits were collected, so raw is already canonical
  let s = '';
  for (let i = 0; i < n; i++) s += digits[i];
  return s;
}

interface SiretOptions {
  /**
   * Accept the number up to three digits short, written as digits alone, as a spreadsheet's
   * integer cell holds a number that began with 0s (`4734099700189` for `04734099700189`): its
   * check must still pass once the 0s are put back. Only for a column known to hold these numbers.
   */
  allowMissingZero?: boolean;
}

/** The most leading 0s a spreadsheet's integer cell is taken to have lost. */
const MAX_MISSING_ZEROS = 3;

/** Puts back the leading 0s of a number written as digits alone, short of `n` (see `allowMissingZero`). */
function zeroBack(raw: string, n: number, options: SiretOptions | undefined): string | null {
  const missing = n - raw.length;
  if (options?.allowMissingZero !== true || missing < 1 || missing > MAX_MISSING_ZEROS || collect(raw, n) !== raw.length) return null;
  digits.copyWithin(missing, 0, raw.length);
  digits.fill(0, 0, missing);
  return '0'.repeat(missing) + raw;
}

/**
 * The SIREN (9 digits), or `null` if it is not a valid one.
 * @example normaliseSiren('552 100 554') // '552100554'
 */
export function normaliseSiren(raw: string, options?: SiretOptions): string | null {
  const short = zeroBack(raw, 9, options);
  if (short !== null) return luhn(9) ? short : null;
  if (collect(raw, 9) !== 9 || !luhn(9)) return null;
  return asString(raw, 9);
}

/**
 * The SIRET (14 digits), or `null` if it is not a valid one, with La Poste's rule.
 * @example normaliseSiret('552 100 554 00013') // '55210055400013'
 */
export function normaliseSiret(raw: string, options?: SiretOptions): string | null {
  const short = zeroBack(raw, 14, options);
  if (short !== null) return luhn(14) ? short : null;
  if (collect(raw, 14) !== 14) return null;
  const siret = asString(raw, 14);
  if (siret.startsWith(LA_POSTE) && siret !== LA_POSTE_HEAD_OFFICE) {
    let sum = 0;
    for (let i = 0; i < 14; i++) sum += digits[i]!;
    return sum % 5 === 0 ? siret : null;
  }
  return luhn(14) ? siret : null;
}
