import {
  foldName,
  looksLikePasswordHash,
  normaliseBirthDate,
  normaliseEmail,
  normaliseGender,
  normaliseIban,
  normaliseIp,
  normaliseNir,
  normalisePhone,
  normalisePostcode,
  normaliseSiren,
  normaliseSiret,
} from '../normalise/index.js';
import type { FieldKind } from './kinds.js';

/** A normaliser: the canonical form of a raw value, or null when it does not validate. */
export type Normaliser = (raw: string) => string | null;

const MAX_FREE = 200;

const LETTER = /\p{L}/u;
const SPACES = /\s{2,}|[\t\n\r\f\v\u00a0]/;

/**
 * Non-empty, bounded, with at least one letter: enough for fields that have no checksum.
 * Canonical form: lower case, inner whitespace runs as one space. ASCII letters are found
 * by a plain loop; the Unicode regex runs only on values with none (hot path of ingest).
 */
function freeText(raw: string): string | null {
  const t = raw.trim();
  const n = t.length;
  if (n === 0 || n > MAX_FREE) return null;
  let letter = false;
  for (let i = 0; i < n; i++) {
    const c = t.charCodeAt(i) | 0x20;
    if (c >= 0x61 && c <= 0x7a) {
      letter = true;
      break;
    }
  }
  if (!letter && !LETTER.test(t)) return null;
  return (SPACES.test(t) ? t.replace(/\s+/g, ' ') : t).toLowerCase();
}

/** A time after the date that is not midnight (`2006-02-15 04:34:33`): a record-keeping timestamp. */
const TIME_OF_DAY = /[T ]\d\d?[:h]\d\d/;
const MIDNIGHT = /[T ]0?0[:h]00(?::00(?:[.,]0+)?)?(?![:\d])/;

/**
 * A date of birth found by its value alone: no time of day. `last_update`, `created_at` and
 * their like hold dates with a time (`2022-02-15 09:34:33+00`), and no one is born at a
 * recorded second; a date at midnight (a date column stored as a timestamp) may still be one.
 * Under a header that says birth, the column's normaliser takes any time.
 */
function birthDateValue(raw: string): string | null {
  if (TIME_OF_DAY.test(raw) && !MIDNIGHT.test(raw)) return null;
  return normaliseBirthDate(raw);
}

function opaque(raw: string): string | null {
  const t = raw.trim();
  return t.length > 0 && t.length <= MAX_FREE ? t : null;
}

/**
 * The one normaliser per field kind, used by recognition (to validate a sample) and by
 * ingest (to validate and canonicalise every value).
 */
export const NORMALISERS: Record<FieldKind, Normaliser> = {
  email: normaliseEmail,
  phone: normalisePhone,
  nir: normaliseNir,
  iban: normaliseIban,
  siret: normaliseSiret,
  siren: normaliseSiren,
  dob: birthDateValue,
  lastName: foldName,
  firstName: foldName,
  fullName: foldName,
  address: freeText,
  postcode: normalisePostcode,
  // City names may hold digits (`Paris 15e`, `Marseille 8e Arrondissement`): free text, not a name.
  city: freeText,
  // Passwords are never validated nor printed: presence is what counts.
  password: opaque,
  username: opaque,
  accountId: opaque,
  ip: normaliseIp,
  gender: (raw) => normaliseGender(raw),
  employer: freeText,
  text: opaque,
};

const MISSING_ZERO = { allowMissingZero: true } as const;
const EPOCH = { epoch: true } as const;

/**
 * The normaliser of a column already known to hold `kind`, by its header or by its other
 * values: ingest validates every value with it. Only phone, postcode, SIRET, SIREN and birth date columns differ from
 * {@link NORMALISERS}: there a spreadsheet's integer cell is read back (`612345678` is
 * `+33612345678`, `1000` is `01000`, a SIRET of 11 to 13 digits whose check passes with its 0s put
 * back is that SIRET), and a birth date column's epoch milliseconds or seconds
 * (pandas' `to_json`, `479606400000`) are the date they count, which a value alone, in a
 * column of unknown kind, cannot be (nine digits are as often a SIREN). A value in scientific notation (`3.36123E+10`) stays
 * invalid everywhere: its digits are lost, never guessed.
 */
export const COLUMN_NORMALISERS: Record<FieldKind, Normaliser> = {
  ...NORMALISERS,
  phone: (raw) => normalisePhone(raw, MISSING_ZERO),
  postcode: (raw) => normalisePostcode(raw, MISSING_ZERO),
  siret: (raw) => normaliseSiret(raw, MISSING_ZERO),
  siren: (raw) => normaliseSiren(raw, MISSING_ZERO),
  dob: (raw) => normaliseBirthDate(raw, undefined, EPOCH),
};

/** Kinds whose values can be recognised without a header: a checksum or a tight syntax. */
export const VALUE_KINDS: FieldKind[] = ['email', 'nir', 'iban', 'siret', 'phone', 'dob', 'ip'];

/** Password hashes recognised by shape when the header does not say so. */
export function passwordShare(values: string[]): number {
  if (values.length === 0) return 0;
  let n = 0;
  for (const v of values) if (looksLikePasswordHash(v.trim())) n++;
  return n / values.length;
}

/** Share of a column's sampled values that must validate before its values are read back. */
const REPAIR_CONFIDENCE = 0.5;

/**
 * The normaliser ingest applies to a column of `kind` whose sample validated at `confidence`:
 * {@link COLUMN_NORMALISERS} when most values agree with the kind, so that a few integers of a
 * phone column are read back as the numbers they were; the strict {@link NORMALISERS} when
 * only the header says so (Pagila's `phone` column of foreign numbers, where a random
 * `892523334` is no French number that lost its zero).
 */
export function columnNormaliser(kind: FieldKind, confidence: number): Normaliser {
  return (confidence >= REPAIR_CONFIDENCE ? COLUMN_NORMALISERS : NORMALISERS)[kind];
}
