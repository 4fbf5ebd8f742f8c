/**
 * What the public may look up: only identifiers a person controls, an email address or a phone
 * number (docs/architecture.md §5.4, "No oracle"). Anything else is refused with a reason, and no
 * message ever repeats the value.
 */
import { VigieError } from '../errors.js';
import { normaliseBirthDate, normaliseEmail, normaliseIban, normaliseNir, normalisePhone } from '../normalise/index.js';

export type AccountKind = 'email' | 'phone';

/** A looked-up identifier in canonical form, as ingest writes it. */
export interface Account {
  kind: AccountKind;
  canonical: string;
}

/** Longer input is refused before any parsing (an email is at most 254 characters, RFC 5321). */
export const MAX_ACCOUNT_LENGTH = 256;

// C0 controls, DEL, C1 controls, and the Unicode line and paragraph separators.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is this regex's purpose.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** The kinds of quasi-identifier a lookup refuses, each with the reason it gives. */
type Refused = 'nir' | 'iban' | 'dob' | 'name';

const WHY = 'only an email address or a phone number can be looked up, so that nobody can use Vigie to find out about someone else';
const REFUSALS: Record<Refused, string> = {
  nir: `a social security number (NIR) is never searchable: ${WHY}`,
  iban: `a bank account number is never searchable: ${WHY}`,
  dob: `a date of birth is never searchable: ${WHY}`,
  name: `a name, an address or a username is never searchable: ${WHY}`,
};

/** A value refused because it is a quasi-identifier; `refused` says which kind (the page words it). */
export class NotSearchableError extends VigieError {
  constructor(readonly refused: Refused) {
    super('VIGIE_NOT_SEARCHABLE', REFUSALS[refused]);
  }
}

/** Which quasi-identifier a trimmed value that is no email and no phone looks like, if any. */
function quasiIdentifierOf(value: string): Refused | undefined {
  if (normaliseNir(value)) return 'nir';
  if (normaliseIban(value)) return 'iban';
  if (normaliseBirthDate(value)) return 'dob';
  if (/\p{L}/u.test(value)) return 'name';
  return undefined;
}

/**
 * Normalises a looked-up email or phone exactly as ingest does (emails trimmed and lower-cased;
 * phones to E.164 in any usual writing), or throws `VIGIE_BAD_ACCOUNT` (malformed) or
 * `VIGIE_NOT_SEARCHABLE` (a quasi-identifier such as a NIR, a name, a date or an address).
 * @example parseAccount(' Camille.Martin@Orange.FR') // { kind: 'email', canonical: 'camille.martin@orange.fr' }
 * @example parseAccount('06 12 34 56 78') // { kind: 'phone', canonical: '+33612345678' }
 */
export function parseAccount(raw: string): Account {
  if (raw.length > MAX_ACCOUNT_LENGTH) throw new VigieError('VIGIE_BAD_ACCOUNT', `the value is longer than ${MAX_ACCOUNT_LENGTH} characters`);
  if (CONTROL.test(raw)) throw new VigieError('VIGIE_BAD_ACCOUNT', 'the value contains control characters');
  const value = raw.trim();
  if (value === '') throw new VigieError('VIGIE_BAD_ACCOUNT', 'the value is empty');
  if (value.includes('@')) {
    const email = normaliseEmail(value);
    if (email) return { kind: 'email', canonical: email };
    throw new VigieError('VIGIE_BAD_ACCOUNT', 'the value is not a valid email address');
  }
  const phone = normalisePhone(value);
  if (phone) return { kind: 'phone', canonical: phone };
  const refused = quasiIdentifierOf(value);
  if (refused) throw new NotSearchableError(refused);
  throw new VigieError('VIGIE_BAD_ACCOUNT', 'the value is neither an email address nor a phone number');
}
