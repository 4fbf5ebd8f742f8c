/**
 * The ways one canonical value is written in real files, and the ways a value is broken
 * (an `invalid` value is one a validator must reject: wrong check digits, missing parts,
 * impossible dates).
 */
import type { Rng } from './rng.js';

/** Birth-date writings: French day-first with slashes (the default), ISO, day-first with dashes. */
export const DATE_FORMATS = ['JJ/MM/AAAA', 'AAAA-MM-JJ', 'JJ-MM-AAAA'] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];

/** Writes Y, M, D (numbers, possibly impossible ones) in a format. */
function formatDate(y: number, m: number, d: number, format: DateFormat): string {
  const mm = m < 10 ? `0${m}` : String(m);
  const dd = d < 10 ? `0${d}` : String(d);
  if (format === 'AAAA-MM-JJ') return `${y}-${mm}-${dd}`;
  return format === 'JJ/MM/AAAA' ? `${dd}/${mm}/${y}` : `${dd}-${mm}-${y}`;
}

/**
 * Writes an ISO date `YYYY-MM-DD` in a format.
 * @example writeDate('1985-03-07', 'JJ/MM/AAAA') // '07/03/1985'
 */
export function writeDate(iso: string, format: DateFormat): string {
  if (format === 'AAAA-MM-JJ') return iso;
  const sep = format === 'JJ/MM/AAAA' ? '/' : '-';
  return `${iso.slice(8, 10)}${sep}${iso.slice(5, 7)}${sep}${iso.slice(0, 4)}`;
}

/**
 * A date that does not exist in the given year: 30 or 31 February, 29 February of a common
 * year, or the 31st of a 30-day month.
 * @example impossibleDate(1990, 'JJ/MM/AAAA', rng) // e.g. '31/02/1990'
 */
export function impossibleDate(year: number, format: DateFormat, rng: Rng): string {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const k = rng.int(leap ? 6 : 7);
  if (k < 4) return formatDate(year, [4, 6, 9, 11][k] as number, 31, format);
  if (k < 6) return formatDate(year, 2, 30 + (k - 4), format);
  return formatDate(year, 2, 29, format);
}

/**
 * An e-mail as typed: usually the canonical lower-case form; sometimes capitalised
 * (`Jean.Martin@Gmail.com`), in capitals, or with surrounding spaces. Trimmed and
 * lower-cased, every writing gives the canonical form back.
 */
export function writeEmail(canonical: string, rng: Rng): string {
  const r = rng.float();
  if (r < 0.9) return canonical;
  if (r < 0.95) return canonical.replace(/(^|[._@-])([a-z])/g, (_m, p: string, c: string) => p + c.toUpperCase());
  if (r < 0.97) return canonical.toUpperCase();
  return rng.chance(0.5) ? ` ${canonical} ` : `${canonical} `;
}

/** An e-mail without its domain (`jean.martin@` or `jean.martin`). */
export function breakEmail(canonical: string, rng: Rng): string {
  const at = canonical.indexOf('@');
  return rng.chance(0.5) ? canonical.slice(0, at + 1) : canonical.slice(0, at);
}

/**
 * A NIR written as 15 characters, or in the groups of the carte Vitale
 * (`1 85 05 78 006 084 36`).
 */
export function writeNir(nir: string, spaced: boolean): string {
  if (!spaced) return nir;
  return `${nir[0]} ${nir.slice(1, 3)} ${nir.slice(3, 5)} ${nir.slice(5, 7)} ${nir.slice(7, 10)} ${nir.slice(10, 13)} ${nir.slice(13)}`;
}

/** The same NIR with a different (hence wrong) key in 01..97. */
export function breakNir(nir: string, rng: Rng): string {
  const key = Number(nir.slice(13));
  const wrong = ((key - 1 + 1 + rng.int(96)) % 97) + 1;
  return nir.slice(0, 13) + String(wrong).padStart(2, '0');
}

/** An IBAN compact, or in the printed groups of four. */
export function writeIban(iban: string, grouped: boolean): string {
  if (!grouped) return iban;
  let out = iban.slice(0, 4);
  for (let i = 4; i < iban.length; i += 4) out += ` ${iban.slice(i, i + 4)}`;
  return out;
}

/** The same IBAN with other (hence wrong) check digits in 02..98. */
export function breakIban(iban: string, rng: Rng): string {
  const check = Number(iban.slice(2, 4));
  const wrong = ((check - 2 + 1 + rng.int(96)) % 97) + 2;
  return iban.slice(0, 2) + String(wrong).padStart(2, '0') + iban.slice(4);
}

/** A SIRET compact, or as `SIREN NIC` groups (`123 456 789 00012`). */
export function writeSiret(siret: string, spaced: boolean): string {
  if (!spaced) return siret;
  return `${siret.slice(0, 3)} ${siret.slice(3, 6)} ${siret.slice(6, 9)} ${siret.slice(9)}`;
}
