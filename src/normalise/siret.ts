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

/**
 * The SIREN (9 digits), or `null` if it is not a valid one.
 * @example normaliseSiren('552 100 554') // '552100554'
 */
export function normaliseSiren(raw: string): string | null {
  if (collect(raw, 9) !== 9 || !luhn(9)) return null;
  return asString(raw, 9);
}

/**
 * The SIRET (14 digits), or `null` if it is not a valid one, with La Poste's rule.
 * @example normaliseSiret('552 100 554 00013') // '55210055400013'
 */
export function normaliseSiret(raw: string): string | null {
  if (collect(raw, 14) !== 14) return null;
  const siret = asString(raw, 14);
  if (siret.startsWith(LA_POSTE) && siret !== LA_POSTE_HEAD_OFFICE) {
    let sum = 0;
    for (let i = 0; i < 14; i++) sum += digits[i]!;
    return sum % 5 === 0 ? siret : null;
  }
  return luhn(14) ? siret : null;
}
